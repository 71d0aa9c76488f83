"""HTTP API and web page: parse the request, call fawen.service, render JSON or HTML, map errors.

Every error leaves as one JSON shape, `{"ok": false, "error": message, "status": code}` (errors.py), with the
status of the error: 400 bad input, 404 unknown law/article/path, 413 over a limit, 415 wrong content type,
503 corpus missing; 500 only for a bug, never with a traceback in the body. The app holds no state of its own
(the corpus is read-only), so it scales out as identical processes.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from functools import partial
from typing import Annotated, Any, TypeVar

import anyio
from fastapi import FastAPI, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fawen import __version__, config, web
from fawen.errors import BadInput, FawenError, error_json, public_message
from fawen.models import KINDS
from fawen.request import MAX_K, invalid_fields, unknown_fields
from fawen.service import Fawen

log = logging.getLogger("fawen.api")
T = TypeVar("T")

CHECK_TYPES = ("application/json", "text/plain", "text/html")
CHECK_FIELDS = frozenset({"text", "page", "question", "as_of", "event_date"})


def error_response(status: int, message: str) -> JSONResponse:
    """The one error shape of the API (errors.error_json)."""
    return JSONResponse(error_json(status, message), status_code=status)


# --- the /check body (question, dates and kinds are checked by the service: fawen/request.py) ---------
def decode_body(body: bytes) -> str:
    if b"\x00" in body:
        raise BadInput("请求体含有二进制数据 (binary body): 请以 UTF-8 文本提交")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadInput(f"请求体不是 UTF-8 文本 (body is not UTF-8) at byte {exc.start}") from exc


def check_input(body: bytes, content_type: str, params: dict[str, str | None]) -> dict[str, Any]:
    """The arguments of service.check from a POST /check body (JSON, plain text or an HTML page)."""
    media = content_type.split(";")[0].strip().lower()
    if media not in CHECK_TYPES:
        raise UnsupportedType(f"不支持的内容类型 (unsupported content type) {media or '(none)'}；"
                              f"请使用 {'、'.join(CHECK_TYPES)}")
    raw = decode_body(body)
    if media == "application/json":
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise BadInput(f"JSON 格式错误 (malformed JSON) 第 {exc.lineno} 行第 {exc.colno} 列: {exc.msg}") from exc
        if not isinstance(data, dict):
            raise BadInput("请求体须为 JSON 对象 (body must be a JSON object): {\"text\": …} 或 {\"page\": …}")
        unknown = unknown_fields(data, CHECK_FIELDS)
        if unknown is not None:
            raise unknown
        for key, value in data.items():
            if value is not None and not isinstance(value, str):
                raise BadInput(f"字段 {key} 须为字符串 (field {key} must be a string)")
        if bool(data.get("text")) == bool(data.get("page")):
            raise BadInput("请提供 text 或 page 之一 (give exactly one of text, page)")
        text = data.get("text") or data["page"]
        params = {k: data.get(k) if data.get(k) is not None else params.get(k)
                  for k in ("question", "as_of", "event_date")}
    else:
        text = raw
    if not text.strip():
        raise BadInput("待检查的文本为空 (empty text)")
    if "\x00" in text:
        raise BadInput("待检查的文本含有二进制数据 (binary text)")
    return {"text": text, "question": params.get("question") or None, "as_of": params.get("as_of") or None,
            "event_date": params.get("event_date") or None}


class UnsupportedType(BadInput):
    status = 415


# --- middleware --------------------------------------------------------------------------------
class BodyLimit:
    """Refuse bodies over `max_bytes` with 413 before any handler sees them (declared or streamed size)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length")
        if declared is not None:
            if not declared.isdigit():
                await self._refuse(send, 400, "Content-Length 无效 (bad Content-Length)")
                return
            if int(declared) > self.max_bytes:
                await self._refuse(send, 413, self._too_large())
                return
        if scope["method"] in ("GET", "HEAD", "OPTIONS") and declared is None \
                and b"transfer-encoding" not in headers:
            await self.app(scope, receive, send)
            return
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._refuse(send, 413, self._too_large())
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body, replayed = b"".join(chunks), False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    def _too_large(self) -> str:
        return f"请求体过大 (request body too large): 上限 {self.max_bytes} 字节 (FAWEN_MAX_BODY_BYTES)"

    @staticmethod
    async def _refuse(send: Send, status: int, message: str) -> None:
        body = json.dumps(error_json(status, message), ensure_ascii=False).encode()
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


# --- error handlers ----------------------------------------------------------------------------
async def on_fawen_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, FawenError)
    message = public_message(exc, request.app.state.home)  # never the server's paths
    if request.url.path == "/" and request.method in ("GET", "HEAD"):
        q, as_of = request.query_params.get("q", ""), request.query_params.get("as_of", "")
        return HTMLResponse(web.render_page(q, as_of, web.error_html(message, q)), status_code=exc.status,
                            headers=web.HTML_HEADERS)
    return error_response(exc.status, message)


async def on_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    return error_response(400, invalid_fields(list(exc.errors())).message)


async def on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    messages = {404: f"没有这个地址 (no such path): {request.url.path}",
                405: f"不支持 {request.method} 方法 (method not allowed) on {request.url.path}"}
    return error_response(exc.status_code, messages.get(exc.status_code, str(exc.detail)))


async def on_unexpected(request: Request, exc: Exception) -> Response:
    log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(500, "服务器内部错误 (internal error)；请稍后再试或报告此问题")


# --- the app ----------------------------------------------------------------------------------
_limiter: anyio.CapacityLimiter | None = None


async def cpu(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a service call in a worker thread, at most FAWEN_SERVE_THREADS at once in this process.

    The calls are CPU-bound and hold the GIL: running many at once in one process only interleaves them,
    raising latency and multiplying numpy temporaries (RSS grew by 330 MiB at 32 clients). Add workers.
    """
    global _limiter
    if _limiter is None:  # created inside the event loop, which anyio requires
        _limiter = anyio.CapacityLimiter(config.get_int("SERVE_THREADS"))
    return await anyio.to_thread.run_sync(partial(fn, *args, **kwargs), limiter=_limiter)


def create_app(fawen: Fawen | None = None) -> FastAPI:
    """The FastAPI application (JSON API, web page, offline API docs) over one engine (FAWEN_HOME's by default)."""
    engine = fawen or Fawen()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            await anyio.to_thread.run_sync(engine.warm_up)
        except FawenError as exc:  # serve anyway: /healthz reports the problem with status 503
            log.warning("fawen: %s", exc.message)
        yield

    api = FastAPI(title="法问 fawen API", version=__version__, docs_url=None, redoc_url=None, lifespan=lifespan,
                  description="Chinese legal questions answered from current, verified law. Every error is "
                              "one JSON shape: {\"ok\": false, \"error\": message, \"status\": code}.")
    api.add_middleware(BodyLimit, max_bytes=config.get_int("MAX_BODY_BYTES"))
    api.add_exception_handler(FawenError, on_fawen_error)
    api.add_exception_handler(RequestValidationError, on_validation_error)
    api.add_exception_handler(StarletteHTTPException, on_http_error)
    api.add_exception_handler(Exception, on_unexpected)
    api.state.home = engine.home.path
    add_routes(api, engine)
    return api


Q = Annotated[str, Query(description="问题或检索词 (question or search words), ≤ FAWEN_MAX_QUERY_CHARS characters")]
AsOf = Annotated[str | None, Query(description="法律时点 YYYY-MM-DD (date the law is read at; default today)")]


def add_routes(api: FastAPI, fawen: Fawen) -> None:
    @api.get("/healthz", summary="Liveness and corpus summary")
    async def healthz() -> Response:
        return JSONResponse({"ok": True, "version": __version__, **await cpu(fawen.summary)})

    @api.get("/search", summary="Statutes for lay wording, best first (JSON list of hits)")
    async def search(q: Q, k: Annotated[int, Query(ge=1, le=MAX_K, description="number of hits")] = 10,
               as_of: AsOf = None,
               kind: Annotated[list[str] | None, Query(description=f"restrict to kinds: {'、'.join(KINDS)}")] = None,
               ) -> Response:
        hits = await cpu(fawen.search, q, k=k, as_of=as_of, kinds=kind, field="q")
        return JSONResponse([h.to_json() for h in hits])

    @api.get("/ask", summary="A structured answer: summary, sections, basis, related, disclaimer")
    async def ask(q: Q, as_of: AsOf = None) -> Response:
        answer = await cpu(fawen.ask, q, as_of=as_of, field="q")
        return JSONResponse(answer.to_json())

    @api.post("/check", summary="Audit the citations in a text or an HTML page", openapi_extra=CHECK_DOC)
    async def check(request: Request,
                    question: Annotated[str | None, Query(description="the question the text answers")] = None,
                    as_of: AsOf = None,
                    event_date: Annotated[str | None, Query(description="date of the facts, YYYY-MM-DD")] = None,
                    ) -> Response:
        args = check_input(await request.body(), request.headers.get("content-type", ""),
                           {"question": question, "as_of": as_of, "event_date": event_date})
        report = await cpu(fawen.check, args["text"], args["question"], args["as_of"], args["event_date"])
        return JSONResponse(report.to_json())

    @api.get("/law/{law}/{article}", summary="One article of the version in force on a date")
    async def law(law: Annotated[str, Path(description="刑法, 中华人民共和国刑法, 治安法 …")],
            article: Annotated[str, Path(description="246, 第二百四十六条, 第一百二十条之一")],
            as_of: AsOf = None) -> Response:
        hit = await cpu(fawen.get_article, law, article, as_of)
        return JSONResponse(hit.to_json())

    @api.get("/", response_class=HTMLResponse, summary="The web page: question box and answer", include_in_schema=False)
    async def page(q: str = "", as_of: str = "") -> Response:
        if not q.strip():
            return HTMLResponse(web.render_page("", as_of, web.home_html()), headers=web.HTML_HEADERS)
        answer = await cpu(fawen.ask, q, as_of=as_of or None)
        return HTMLResponse(web.render_page(q, as_of, web.answer_html(answer)), headers=web.HTML_HEADERS)

    @api.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> Response:
        body, media = web.asset(name)
        return Response(body, media_type=media, headers={"cache-control": "public, max-age=3600"})

    @api.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs() -> Response:
        return HTMLResponse(web.render_docs(api.openapi()), headers=web.HTML_HEADERS)


CHECK_DOC: dict[str, Any] = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": {"type": "object", "properties": {
        "text": {"type": "string", "description": "text to audit (or give `page`)"},
        "page": {"type": "string", "description": "an HTML page to audit"},
        "question": {"type": "string"}, "as_of": {"type": "string", "format": "date"},
        "event_date": {"type": "string", "format": "date"}}}},
    "text/plain": {"schema": {"type": "string"}},
    "text/html": {"schema": {"type": "string"}},
}}}


def run(host: str, port: int, workers: int, access_log: bool = False) -> None:
    """Serve the app with uvicorn (blocking). The caller checks the corpus first: `fawen serve` runs
    service.stats() before binding the port, so a missing corpus fails with the build hint."""
    import uvicorn

    uvicorn.run("fawen.api:app", host=host, port=port, workers=workers if workers > 1 else None,
                http="fawen.protocol:FawenHTTP", access_log=access_log, log_level="info",
                timeout_graceful_shutdown=5)


app = create_app()


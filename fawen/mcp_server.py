"""MCP server over stdio: search_statutes, get_article, check_citations, ask — thin calls into fawen.service.

The same rules and error shape as the HTTP API: a tool refuses arguments it does not take (as POST /check
refuses unknown fields), and every error is a tool result with `is_error` whose text is
`{"ok": false, "error": message, "status": code}` (errors.error_json), validation errors included, in our
words and without the validator's links.

stdout is the protocol: nothing here prints, logs go to stderr only, at WARNING (the mcp package also points
fd 1 at stderr while serving, so a stray print from a library cannot corrupt the stream).
"""

from __future__ import annotations

import inspect
import json
import logging
import sys
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import CallToolResult, TextContent, ToolAnnotations
from pydantic import Field, ValidationError

from fawen import config
from fawen.errors import BadInput, FawenError, TooLarge, error_json, public_message
from fawen.models import KINDS
from fawen.request import MAX_K, invalid_fields, unknown_fields
from fawen.service import Fawen

log = logging.getLogger("fawen.mcp")

T = TypeVar("T")
READ_ONLY = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False)
INSTRUCTIONS = (
    "法问 fawen: Chinese statutes (法律、行政法规、司法解释、地方性法规) with their versions and effective dates, "
    "offline. Use search_statutes to find articles for lay wording, get_article for the exact text of a cited "
    "article in the version in force on a date, check_citations to audit the citations in a text, ask for a "
    "structured answer with its legal basis. Quote article text only from these tools' results."
)


def guarded(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a service call; a FawenError becomes a ToolError carrying it (FawenMCP renders it)."""
    try:
        return fn(*args, **kwargs)
    except FawenError as exc:
        raise ToolError(exc.message) from exc


def error_result(status: int, message: str) -> CallToolResult:
    """A tool error in the API's shape: is_error, and the text is error_json(status, message)."""
    text = json.dumps(error_json(status, message), ensure_ascii=False)
    return CallToolResult(content=[TextContent(type="text", text=text)], is_error=True)


def _cause(exc: BaseException) -> BaseException | None:
    """The FawenError or pydantic ValidationError behind a tool failure (the mcp package wraps them)."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, (FawenError, ValidationError)):
            return seen
        seen = seen.__cause__
    return None


class FawenMCP(MCPServer):
    """MCPServer whose tools take only the arguments they declare and fail in the API's error shape."""

    def __init__(self, *args: Any, home: object = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.arguments: dict[str, frozenset[str]] = {}
        self.home = home  # FAWEN_HOME, named so in errors instead of its path

    def add_tool(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        self.arguments[kwargs.get("name") or fn.__name__] = frozenset(inspect.signature(fn).parameters)
        super().add_tool(fn, *args, **kwargs)

    async def call_tool(self, name: str, arguments: dict[str, Any], context: Any = None) -> Any:
        known = self.arguments.get(name)
        if known is None:
            return error_result(404, f"没有这个工具 (unknown tool): {name}；可用：{', '.join(sorted(self.arguments))}")
        refused = unknown_fields(arguments, known)
        if refused is not None:
            return error_result(refused.status, f"{refused.message}；{name} 的参数 (arguments): "
                                                f"{', '.join(sorted(known))}")
        try:
            return await super().call_tool(name, arguments, context)
        except ToolError as exc:
            cause = _cause(exc)
            if isinstance(cause, FawenError):
                return error_result(cause.status, public_message(cause, self.home))
            if isinstance(cause, ValidationError):
                bad = invalid_fields([dict(e) for e in cause.errors(include_url=False)])
                return error_result(bad.status, bad.message)
            log.error("tool %s failed", name, exc_info=exc)
            return error_result(500, "服务器内部错误 (internal error)；请稍后再试或报告此问题")


def create_server(fawen: Fawen | None = None) -> MCPServer:
    """The MCP server with fawen's four read-only tools, over one engine (FAWEN_HOME's by default)."""
    engine = fawen or Fawen()

    def search_statutes(
        query: Annotated[str, Field(description="问题或检索词，日常用语即可 (lay wording works)")],
        k: Annotated[int, Field(ge=1, le=MAX_K, description="number of articles to return")] = 10,
        as_of: Annotated[str | None, Field(description="法律时点 YYYY-MM-DD (default today)")] = None,
        kinds: Annotated[list[str] | None, Field(description=f"restrict to kinds: {'、'.join(KINDS)}")] = None,
    ) -> dict[str, Any]:
        """检索法条 — statute articles for a question, best first, each with law, article, version and text."""
        hits = guarded(engine.search, query, k=k, as_of=as_of, kinds=kinds)
        return {"hits": [h.to_json() for h in hits]}

    def get_article(
        law: Annotated[str, Field(description="法律名称或简称：刑法、中华人民共和国刑法、治安法 …")],
        article: Annotated[str, Field(description="条号：246、第二百四十六条、第一百二十条之一")],
        as_of: Annotated[str | None, Field(description="法律时点 YYYY-MM-DD (default today)")] = None,
    ) -> dict[str, Any]:
        """查看法条原文 — the exact text of one article in the version in force on `as_of`."""
        return guarded(engine.get_article, law, article, as_of).to_json()

    def check_citations(
        text: Annotated[str, Field(description="含法条引用的文本 (a text citing Chinese law)")],
        question: Annotated[str | None, Field(description="the question the text answers (for relevance)")] = None,
        as_of: Annotated[str | None, Field(description="法律时点 YYYY-MM-DD (default today)")] = None,
    ) -> dict[str, Any]:
        """核查引用 — audit every citation in a text: not found, not in force, renumbered, misquoted, irrelevant."""
        def run() -> dict[str, Any]:
            if not text.strip():
                raise BadInput("待检查的文本为空 (empty text)")
            if len(text.encode("utf-8")) > config.get_int("MAX_BODY_BYTES"):
                raise TooLarge(f"文本过大 (text too large): 上限 {config.get_int('MAX_BODY_BYTES')} 字节")
            data: dict[str, Any] = engine.check(text, question=question, as_of=as_of).to_json()
            return data
        return guarded(run)

    def ask(
        question: Annotated[str, Field(description="法律问题，日常用语 (a legal question in plain words)")],
        as_of: Annotated[str | None, Field(description="法律时点 YYYY-MM-DD (default today)")] = None,
    ) -> dict[str, Any]:
        """法律问答 — a structured answer: summary, sections, legal basis with exact text, related, disclaimer."""
        data: dict[str, Any] = guarded(engine.ask, question, as_of=as_of, field="question").to_json()
        return data

    server = FawenMCP("fawen", title="法问 fawen", instructions=INSTRUCTIONS, log_level="WARNING", home=engine.home.path)
    for tool in (search_statutes, get_article, check_citations, ask):
        server.add_tool(tool, annotations=READ_ONLY, structured_output=True)
    return server


def run() -> None:
    """Serve MCP over stdio until the client closes stdin."""
    # The level is on the handler, not only the root logger: a library that sets its own logger to DEBUG on
    # import (bm25s: "Building index from tokens" on each related-question index) still prints nothing.
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.WARNING)
    logging.basicConfig(level=logging.WARNING, handlers=[handler])
    create_server().run("stdio")

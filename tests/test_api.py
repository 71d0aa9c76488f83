"""The HTTP API through a real `fawen serve` subprocess and httpx, on the fixture corpus."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.doors_helpers import Server, fixture_server  # noqa: F401  (fixture)

HIT_KEYS = {"law", "kind", "article", "number", "suffix", "version", "text", "score", "published",
                         "effective_verified", "effective_from", "ends", "status"}


@pytest.fixture
def client(fixture_server: Server) -> Iterator[httpx.Client]:  # noqa: F811
    with httpx.Client(base_url=fixture_server.url, timeout=30) as c:
        yield c


def test_healthz_reports_the_corpus(client: httpx.Client) -> None:
    r = client.get("/healthz")
    assert r.status_code == 200
    data = r.json()
    assert data["ok"] is True and data["laws"] == 2 and data["versions"] == 3 and data["articles"] > 0
    assert data["corpus_date"] and data["sources"] == ["LawRefBook"]   # source names, never the server's paths
    answer = client.get("/ask", params={"q": "有人诽谤我可以报警吗"}).json()
    assert answer["searched"]["sources"] == ["LawRefBook"] and "/" not in json.dumps(answer["searched"]["sources"])


def test_no_server_path_in_any_answer(client: httpx.Client, fixture_home: Path) -> None:
    """Whatever a client asks, no response names the server's files: not FAWEN_HOME, not the source's
    directory (both under pytest's temporary directory here)."""
    tmp_root = str(fixture_home.parents[1])  # …/pytest-of-root/pytest-N, above the home and the source
    responses = [client.get("/healthz"), client.get("/ask", params={"q": "有人诽谤我可以报警吗"}),
                 client.get("/search", params={"q": "侮辱"}), client.get("/law/示例法/3"), client.get("/law/示例法/99"),
                 client.get("/", params={"q": "有人诽谤我可以报警吗"}), client.get("/"), client.get("/docs"),
                 client.get("/openapi.json"), client.post("/check", json={"text": CHECK_TEXT}),
                 client.get("/ask", params={"q": "x", "as_of": "bad"})]
    for r in responses:
        assert tmp_root not in r.text and "pytest-of" not in r.text, (r.request.url, r.text[:300])


def test_corpus_errors_name_no_server_path(tmp_path: Path) -> None:
    """A server whose corpus is missing says so (503, the repair to run) without its FAWEN_HOME path."""
    from fastapi.testclient import TestClient

    from fawen.api import create_app
    from fawen.service import Fawen

    home = tmp_path / "srv" / "fawen-home"
    home.mkdir(parents=True)
    with TestClient(create_app(Fawen(home))) as local:
        for path in ("/healthz", "/search?q=侮辱", "/law/刑法/1", "/?q=侮辱"):
            r = local.get(path)
            assert r.status_code == 503 and "fawen corpus build" in r.text, (path, r.text)
            assert str(tmp_path) not in r.text and "fawen-home" not in r.text, (path, r.text)


def test_law_picks_the_version_in_force(client: httpx.Client) -> None:
    now = client.get("/law/示例法/3", params={"as_of": "2026-02-01"})
    assert now.status_code == 200 and now.headers["content-type"].startswith("application/json")
    hit = now.json()
    assert set(hit) == HIT_KEYS
    assert hit["law"] == "中华人民共和国示例法" and hit["version"] == "2026-01-01" and "一千元以下罚款" in hit["text"]
    old = client.get("/law/示例法/第三条", params={"as_of": "2020-01-01"}).json()
    assert old["version"] == "2013-01-01" and "2013年1月1日" in old["text"]
    suffix = client.get("/law/中华人民共和国示例法/第三条之一", params={"as_of": "2026-02-01"}).json()
    assert suffix["article"] == "第三条之一" and suffix["suffix"] == 1
    assert (hit["effective_verified"], hit["published"], hit["ends"]) == (True, "2025-06-27", None)


def test_law_before_the_earliest_version_says_it_is_not_collected(client: httpx.Client) -> None:
    """The law was in force in 2010 (adopted 2005) but no source carries that text: not 尚未施行."""
    r = client.get("/law/示例法/1", params={"as_of": "2010-01-01"})
    assert r.status_code == 404
    message = r.json()["error"]
    assert "该日期适用的版本未收录" in message and "2013-01-01 施行、2026-01-01 施行" in message
    assert "尚未施行" not in message


def test_search_returns_hits_best_first(client: httpx.Client) -> None:
    r = client.get("/search", params={"q": "侮辱他人 拘留", "k": 3, "as_of": "2026-02-01"})
    assert r.status_code == 200, r.text
    hits = r.json()
    assert isinstance(hits, list) and 1 <= len(hits) <= 3
    assert all(set(h) == HIT_KEYS for h in hits)
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)
    assert any("侮辱" in h["text"] for h in hits)
    old = client.get("/search", params={"q": "侮辱他人 拘留", "as_of": "2020-01-01"}).json()
    assert all(h["version"] != "2026-01-01" for h in old)


def test_ask_returns_the_answer_contract(client: httpx.Client) -> None:
    r = client.get("/ask", params={"q": "在微信群里公然侮辱他人会被拘留吗", "as_of": "2026-02-01"})
    assert r.status_code == 200, r.text
    answer = r.json()
    assert set(answer) == {"question", "as_of", "summary", "sections", "basis", "related", "disclaimer",
                           "searched", "verdict", "steps"}
    assert answer["question"] == "在微信群里公然侮辱他人会被拘留吗" and answer["as_of"] == "2026-02-01"
    assert answer["disclaimer"] and all(set(h) == HIT_KEYS for h in answer["basis"])


CHECK_TEXT = "根据《示例法》第三条，公然侮辱他人的，处五日以下拘留或者一千元以下罚款。另见《示例法》第九十九条。"


def test_check_json_text_and_page_agree(client: httpx.Client) -> None:
    as_json = client.post("/check", json={"text": CHECK_TEXT, "as_of": "2026-02-01"})
    assert as_json.status_code == 200, as_json.text
    report = as_json.json()
    assert report["citations"], report
    for cite in report["citations"]:
        assert {"raw", "law", "article", "status", "findings"} <= set(cite)
    kinds = {f["kind"] for c in report["citations"] for f in c["findings"]}
    assert "not_found" in kinds  # 第九十九条 does not exist
    plain = client.post("/check", content=CHECK_TEXT.encode(), params={"as_of": "2026-02-01"},
                        headers={"content-type": "text/plain; charset=utf-8"})
    assert plain.status_code == 200 and plain.json() == report
    page = f"<html><head><script>var x = '《示例法》第一百条';</script></head><body><p>{CHECK_TEXT}</p></body></html>"
    as_page = client.post("/check", json={"page": page, "as_of": "2026-02-01"})
    assert as_page.status_code == 200 and as_page.json() == report  # the script's text is not audited
    html = client.post("/check", content=page.encode(), params={"as_of": "2026-02-01"},
                       headers={"content-type": "text/html"})
    assert html.status_code == 200 and html.json() == report


BIG = "法" * 501
# (method, path, keyword arguments for httpx, expected status) — every endpoint, every kind of bad input.
BAD_REQUESTS = [
    ("GET", "/search", {}, 400),                                         # missing q
    ("GET", "/search", {"params": {"q": "  "}}, 400),                    # empty
    ("GET", "/search", {"params": {"q": BIG}}, 413),                     # over MAX_QUERY_CHARS
    ("GET", "/search", {"params": {"q": "侮辱", "k": "x"}}, 400),        # not a number
    ("GET", "/search", {"params": {"q": "侮辱", "k": "0"}}, 400),        # out of range
    ("GET", "/search", {"params": {"q": "侮辱", "k": "201"}}, 400),
    ("GET", "/search", {"params": {"q": "侮辱", "as_of": "2026-02-30"}}, 400),
    ("GET", "/search", {"params": {"q": "侮辱", "kind": "小说"}}, 400),
    ("GET", "/search?q=%FF%FE", {}, 400),                                # binary / not UTF-8
    ("GET", "/search", {"params": {"q": "a\x00b"}}, 400),                # NUL
    ("GET", "/ask", {}, 400),
    ("GET", "/ask", {"params": {"q": ""}}, 400),
    ("GET", "/ask", {"params": {"q": BIG}}, 413),
    ("GET", "/ask", {"params": {"q": "侮辱", "as_of": "yesterday"}}, 400),
    ("GET", "/law/不存在的法/1", {}, 404),
    ("GET", "/law/示例法/99", {}, 404),
    ("GET", "/law/示例法/第X条", {}, 400),
    ("GET", "/law/示例法/1", {"params": {"as_of": "1999-01-01"}}, 404),  # not yet in force
    ("GET", "/law/示例法/1", {"params": {"as_of": "2026/01/01"}}, 400),
    ("GET", f"/law/{BIG}/1", {}, 413),
    ("POST", "/check", {"content": b"{bad json", "headers": {"content-type": "application/json"}}, 400),
    ("POST", "/check", {"json": ["not", "an", "object"]}, 400),
    ("POST", "/check", {"json": {}}, 400),
    ("POST", "/check", {"json": {"text": "x", "page": "<p>y</p>"}}, 400),
    ("POST", "/check", {"json": {"text": 5}}, 400),
    ("POST", "/check", {"json": {"text": "x", "colour": "red"}}, 400),
    ("POST", "/check", {"json": {"text": "  "}}, 400),
    ("POST", "/check", {"json": {"text": "《示例法》第三条", "as_of": "2026-13-01"}}, 400),
    ("POST", "/check", {"json": {"text": "《示例法》第三条", "question": BIG}}, 413),
    ("POST", "/check", {"content": b"\xff\xfe\x00\x01binary", "headers": {"content-type": "text/plain"}}, 400),
    ("POST", "/check", {"content": b"text", "headers": {"content-type": "application/octet-stream"}}, 415),
    ("POST", "/check", {"content": b"text"}, 415),                         # no content type
    ("POST", "/check", {"content": b"x" * (1024 * 1024 + 1), "headers": {"content-type": "text/plain"}}, 413),
    ("GET", "/check", {}, 405),
    ("POST", "/search", {}, 405),
    ("GET", "/no/such/path", {}, 404),
    ("GET", "/static/../fawen/api.py", {}, 404),
    ("GET", "/static/secret.txt", {}, 404),
]


@pytest.mark.parametrize(("method", "path", "kwargs", "status"), BAD_REQUESTS,
                         ids=[f"{m} {p[:30]} {s}" for m, p, _, s in BAD_REQUESTS])
def test_error_shape(client: httpx.Client, method: str, path: str, kwargs: dict, status: int) -> None:
    r = client.request(method, path, **kwargs)
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert set(body) == {"ok", "error", "status"}
    assert body["ok"] is False and body["status"] == status
    assert isinstance(body["error"], str) and body["error"] and "Traceback" not in r.text
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["error"]), "error messages are in Chinese"


def test_streamed_oversize_body_is_refused(client: httpx.Client) -> None:
    """A chunked body without Content-Length is counted as it arrives and cut at the limit."""
    def chunks():
        for _ in range(20):
            yield b"x" * 65536  # 1.25 MiB in all

    r = client.post("/check", content=chunks(), headers={"content-type": "text/plain"})
    assert r.status_code == 413 and r.json()["status"] == 413
    assert client.get("/healthz").status_code == 200  # the server is still fine


def raw_exchange(url: str, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send raw bytes to the server (httpx refuses to send malformed requests) and read the whole answer:
    (status, headers, body). A connection reset raises, which is what the test must not see."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=60) as sock:
        sock.sendall(request)
        sock.shutdown(socket.SHUT_WR)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in header_lines)}
    return int(status_line.split()[1]), headers, body


# What the HTTP layer refuses before the app sees a request (fawen/protocol.py), each in the JSON shape.
PROTOCOL_ERRORS = [
    ("URL over 64 KB", b"GET /search?q=" + b"a" * 70_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414),
    ("2 MB URL", b"GET /search?q=" + b"%E6%B3%95" * 233_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414),
    ("non-numeric Content-Length",
     b"POST /check HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: abc\r\n\r\nhello", 400),
    ("two Content-Lengths", b"POST /check HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
     400),
    ("oversized header", b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 100_000 + b"\r\n\r\n", 431),
    ("too many headers", b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + b"X-H: v\r\n" * 5000 + b"\r\n", 431),
    ("not HTTP", b"HELLO THERE\r\n\r\n", 400),
]


@pytest.mark.parametrize(("name", "request_bytes", "status"), PROTOCOL_ERRORS, ids=[e[0] for e in PROTOCOL_ERRORS])
def test_protocol_errors_in_the_json_shape(fixture_server: Server, name: str, request_bytes: bytes,  # noqa: F811
                                           status: int) -> None:
    got, headers, body = raw_exchange(fixture_server.url, request_bytes)
    assert got == status, (name, body[:200])
    assert headers["content-type"] == "application/json" and int(headers["content-length"]) == len(body)
    data = json.loads(body)
    assert set(data) == {"ok", "error", "status"} and data["ok"] is False and data["status"] == status
    assert any("\u4e00" <= ch <= "\u9fff" for ch in data["error"]), data
    assert httpx.get(f"{fixture_server.url}/healthz", timeout=30).status_code == 200  # still serving


def test_long_but_acceptable_url_reaches_the_app(client: httpx.Client) -> None:
    """Under FAWEN_MAX_URL_BYTES the app answers itself: a query over FAWEN_MAX_QUERY_CHARS is a 413 from it."""
    r = client.get("/search", params={"q": "法" * 1000})  # 9 KB of URL
    assert r.status_code == 413 and r.json()["status"] == 413 and "上限 500 字" in r.json()["error"]


def test_openapi_and_offline_docs(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    assert {"/search", "/ask", "/check", "/law/{law}/{article}", "/healthz"} <= set(spec["paths"])
    assert set(spec["paths"]["/check"]["post"]["requestBody"]["content"]) == {
        "application/json", "text/plain", "text/html"}
    docs = client.get("/docs")
    assert docs.status_code == 200 and docs.headers["content-type"].startswith("text/html")
    assert "/law/{law}/{article}" in docs.text and "cdn" not in docs.text.lower()


def test_serve_with_several_workers(fixture_home: Path) -> None:
    """`--workers 2` runs uvicorn's process supervisor with fawen's protocol class, found by import string."""
    server = Server(fixture_home, "--workers", "2")
    try:
        with httpx.Client(base_url=server.url, timeout=30) as c:
            answers = [c.get("/law/示例法/3", params={"as_of": "2026-02-01"}) for _ in range(20)]
            assert all(r.status_code == 200 and r.json()["article"] == "第三条" for r in answers)
            assert c.get("/law/示例法/99").json()["status"] == 404
        workers = [p for p in Path("/proc").iterdir() if p.name.isdigit() and _parent(p) == server.proc.pid]
        assert len(workers) >= 2, server.output()
    finally:
        server.stop()


def test_warm_up_makes_what_requests_would_make_on_first_use(fixture_home: Path) -> None:
    """After a worker's warm-up, searches and answers import nothing more (a module loaded under load is memory
    a worker grows by, pypinyin's dictionaries the largest) and make no part of the Library anew."""
    import os
    import subprocess
    import sys

    from tests.conftest import REPO
    code = ("import sys\nfrom fawen.service import Fawen\nf = Fawen()\nf.warm_up()\n"
            "before, slots = set(sys.modules), set(f.library()._slots)\n"
            "f.search('有人在网上侮辱我', k=5)\nf.ask('有人在网上侮辱我怎么办')\nf.ask('捏造事实诽谤他人会被拘留吗')\n"
            "print('pypinyin.phrases_dict' in before, sorted(set(sys.modules) - before), "
            "sorted(set(f.library()._slots) - slots))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=180, cwd=str(REPO),
                         env={**os.environ, "FAWEN_HOME": str(fixture_home)})
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "True [] []"


def _parent(proc: Path) -> int:
    try:
        return int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return -1


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(min_size=0, max_size=60), date=st.text(max_size=12), blob=st.binary(max_size=200))
def test_no_user_input_reaches_a_500(client: httpx.Client, text: str, date: str, blob: bytes) -> None:
    """Arbitrary strings and bytes in every parameter and body: a 2xx or a 4xx in the error shape, never 5xx."""
    responses = [
        client.get("/search", params={"q": text, "as_of": date}),
        client.get("/law/" + quote(text or "x", safe="") + "/" + quote(date or "1", safe="")),
        client.post("/check", content=blob, headers={"content-type": "text/plain"}),
        client.post("/check", content=blob, headers={"content-type": "application/json"}),
        client.post("/check", json={"text": text, "as_of": date}),
    ]
    for r in responses:
        assert r.status_code < 500, (r.request.url, r.text)
        if r.status_code >= 400:
            assert set(r.json()) == {"ok", "error", "status"} and r.json()["status"] == r.status_code

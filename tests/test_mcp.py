"""`fawen mcp` through the mcp package's client over stdio (a real subprocess), on the fixture corpus."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TextIO

import anyio
from mcp import Client
from mcp.client.stdio import StdioServerParameters, stdio_client

from fawen.build import build
from tests.conftest import REPO
from tests.fixtures import write_lawrefbook

TOOLS = {"search_statutes", "get_article", "check_citations", "ask"}


def with_client(home: Path, body: Callable[[Client], Awaitable[Any]], errlog: TextIO | None = None) -> Any:
    """Start `fawen mcp` with FAWEN_HOME=home, run `body` against it, shut it down (bounded in time); the
    server's stderr goes to `errlog` when given."""
    params = StdioServerParameters(command=sys.executable, args=["-m", "fawen.cli", "mcp"], cwd=str(REPO),
                                   env={"FAWEN_HOME": str(home)})

    async def main() -> Any:
        with anyio.fail_after(120):
            server = stdio_client(params, errlog=errlog) if errlog is not None else params
            async with Client(server, read_timeout_seconds=60) as client:
                return await body(client)

    # A thread of its own: Playwright's sync API (tests/test_web.py) leaves an event loop set on the main
    # thread, and anyio.run refuses to start inside one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(anyio.run, main).result()


def payload(result: Any) -> Any:
    """The JSON a tool returned: structured content, else the text content parsed."""
    if result.structured_content is not None:
        return result.structured_content
    return json.loads(result.content[0].text)


def test_tools_listed_and_read_only(fixture_home: Path) -> None:
    async def body(client: Client) -> Any:
        return (await client.list_tools()).tools

    tools = {t.name: t for t in with_client(fixture_home, body)}
    assert set(tools) == TOOLS
    for tool in tools.values():
        assert tool.description and tool.annotations and tool.annotations.read_only_hint is True
    assert "query" in tools["search_statutes"].input_schema["properties"]
    assert tools["get_article"].input_schema["required"] == ["law", "article"]


def test_get_article_search_and_errors(fixture_home: Path) -> None:
    async def body(client: Client) -> Any:
        article = await client.call_tool("get_article", {"law": "示例法", "article": "第三条之一",
                                                         "as_of": "2026-02-01"})
        old = await client.call_tool("get_article", {"law": "示例法", "article": "3", "as_of": "2020-01-01"})
        search = await client.call_tool("search_statutes", {"query": "公然侮辱他人 拘留", "k": 3,
                                                            "as_of": "2026-02-01"})
        missing = await client.call_tool("get_article", {"law": "示例法", "article": "99"})
        bad_date = await client.call_tool("search_statutes", {"query": "侮辱", "as_of": "2026-02-30"})
        collected = await client.call_tool("get_article", {"law": "示例法", "article": "1", "as_of": "2010-01-01"})
        return article, old, search, missing, bad_date, collected

    article, old, search, missing, bad_date, collected = with_client(fixture_home, body)
    assert error(collected)["status"] == 404 and "该日期适用的版本未收录" in error(collected)["error"]
    assert "尚未施行" not in error(collected)["error"]
    hit = payload(article)
    assert not article.is_error and hit["article"] == "第三条之一" and "侮辱信息" in hit["text"]
    assert payload(old)["version"] == "2013-01-01" and "2013年1月1日" in payload(old)["text"]
    hits = payload(search)["hits"]
    assert not search.is_error and 1 <= len(hits) <= 3 and any("侮辱" in h["text"] for h in hits)
    assert missing.is_error and "没有第九十九条" in missing.content[0].text
    assert bad_date.is_error and "YYYY-MM-DD" in bad_date.content[0].text
    assert error(missing)["status"] == 404 and error(bad_date)["status"] == 400


def error(result: Any) -> dict[str, Any]:
    """The error a tool returned: is_error, and the text is the HTTP API's shape {"ok": false, "error", "status"}."""
    assert result.is_error, result
    data: dict[str, Any] = json.loads(result.content[0].text)
    assert set(data) == {"ok", "error", "status"} and data["ok"] is False, data
    assert "pydantic" not in data["error"] and "http" not in data["error"], data  # no validator links
    return data


def test_arguments_follow_the_api_rules(fixture_home: Path) -> None:
    """Unknown arguments are refused (as POST /check refuses unknown fields) and bad values are reported in the
    API's error shape, in our words."""
    async def body(client: Client) -> Any:
        calls = [("get_article", {"law": "示例法", "article": "3", "bogus": 1}),
                 ("search_statutes", {"query": "侮辱", "k": 0}),
                 ("search_statutes", {"query": "侮辱", "k": "many"}),
                 ("search_statutes", {"query": "侮辱", "kinds": ["小说"]}),
                 ("check_citations", {"question": "x"}),
                 ("ask", {"question": "法" * 501}),
                 ("no_such_tool", {})]
        return [await client.call_tool(name, args) for name, args in calls]

    bogus, k_zero, k_text, kind, no_text, too_long, no_tool = with_client(fixture_home, body)
    refused = error(bogus)
    assert refused["status"] == 400 and "bogus" in refused["error"] and "unknown" in refused["error"]
    assert error(k_zero)["status"] == 400 and "k" in error(k_zero)["error"]
    assert error(k_text)["status"] == 400 and "integer" in error(k_text)["error"]
    assert error(kind)["status"] == 400 and "小说" in error(kind)["error"]
    assert error(no_text)["status"] == 400 and "text" in error(no_text)["error"]
    assert error(too_long)["status"] == 413
    assert error(no_tool)["status"] == 404 and "search_statutes" in error(no_tool)["error"]


def test_missing_corpus_is_reported_without_server_paths(tmp_path: Path) -> None:
    home = tmp_path / "srv" / "fawen-home"
    home.mkdir(parents=True)

    async def body(client: Client) -> Any:
        return await client.call_tool("search_statutes", {"query": "侮辱"})

    failed = error(with_client(home, body))
    assert failed["status"] == 503 and "fawen corpus build" in failed["error"]
    assert str(tmp_path) not in failed["error"] and "fawen-home" not in failed["error"]


def test_no_debug_lines_on_stderr_during_calls(tmp_path: Path) -> None:
    """With a Q&A store (whose related-question index bm25s builds, logging at DEBUG) the server's stderr stays
    quiet through a session of calls."""
    home = tmp_path / "home"
    build([f"lawrefbook:{write_lawrefbook(tmp_path / 'lawrefbook')}"], home, default=False, today="2026-11-25")
    qa = tmp_path / "qa.jsonl"
    qa.write_text("\n".join(json.dumps({"question": q, "answer": "依照《示例法》第三条处理。"}, ensure_ascii=False)
                            for q in ("在微信群里被人侮辱怎么办", "网上诽谤可以报警吗", "邻居骂人可以拘留吗")),
                  encoding="utf-8")
    imported = subprocess.run([sys.executable, "-m", "fawen.cli", "qa", "import", str(qa), "--no-audit"],
                              env={"FAWEN_HOME": str(home), "PATH": "/usr/bin:/bin"}, cwd=str(REPO),
                              capture_output=True, text=True, timeout=120)
    assert imported.returncode == 0, imported.stderr

    async def body(client: Client) -> Any:
        asked = await client.call_tool("ask", {"question": "在微信群里公然侮辱他人会被拘留吗", "as_of": "2026-02-01"})
        found = await client.call_tool("search_statutes", {"query": "侮辱", "k": 3})
        return asked, found

    with tempfile.TemporaryFile("w+", encoding="utf-8") as log:
        asked, found = with_client(home, body, errlog=log)
        log.seek(0)
        stderr = log.read()
    assert not asked.is_error and not found.is_error
    assert payload(asked)["related"], "the Q&A store was used (its index built)"
    assert "DEBUG" not in stderr and "Building index" not in stderr, stderr


def test_check_citations_and_ask(fixture_home: Path) -> None:
    text = "根据《示例法》第三条，公然侮辱他人的，处五日以下拘留或者一千元以下罚款。另见《示例法》第九十九条。"

    async def body(client: Client) -> Any:
        check = await client.call_tool("check_citations", {"text": text, "as_of": "2026-02-01"})
        ask = await client.call_tool("ask", {"question": "在微信群里公然侮辱他人会被拘留吗", "as_of": "2026-02-01"})
        empty = await client.call_tool("ask", {"question": "   "})
        return check, ask, empty

    check, ask, empty = with_client(fixture_home, body)
    report = payload(check)
    assert not check.is_error and report["citations"]
    assert "not_found" in {f["kind"] for c in report["citations"] for f in c["findings"]}
    answer = payload(ask)
    assert not ask.is_error and answer["as_of"] == "2026-02-01" and answer["disclaimer"]
    assert empty.is_error and "不能为空" in empty.content[0].text


def test_mcp_server_shares_the_api_input_checks_without_loading_fastapi() -> None:
    """Both doors take k's limit from fawen/request.py (where the service checks every input); the MCP server
    does not load the web framework."""
    import subprocess

    def run(code: str) -> str:
        out = subprocess.run([sys.executable, "-c", code], cwd=str(REPO), capture_output=True, text=True, check=True)
        return out.stdout.strip()

    assert run("import sys, fawen.mcp_server as m, fawen.request as r; assert m.MAX_K is r.MAX_K; "
               "print('fastapi' in sys.modules)") == "False"
    assert run("import fawen.api as a, fawen.request as r; print(a.MAX_K is r.MAX_K)") == "True"

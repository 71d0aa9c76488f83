"""`fawen mcp` through the mcp package's client over stdio (a real subprocess), on the fixture corpus."""

from __future__ import annotations

import json
import sys
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio
from mcp import Client
from mcp.client.stdio import StdioServerParameters

from tests.conftest import REPO

TOOLS = {"search_statutes", "get_article", "check_citations", "ask"}


def with_client(home: Path, body: Callable[[Client], Awaitable[Any]]) -> Any:
    """Start `fawen mcp` with FAWEN_HOME=home, run `body` against it, shut it down (bounded in time)."""
    params = StdioServerParameters(command=sys.executable, args=["-m", "fawen.cli", "mcp"], cwd=str(REPO),
                                   env={"FAWEN_HOME": str(home)})

    async def main() -> Any:
        with anyio.fail_after(120):
            async with Client(params, read_timeout_seconds=60) as client:
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
        return article, old, search, missing, bad_date

    article, old, search, missing, bad_date = with_client(fixture_home, body)
    hit = payload(article)
    assert not article.is_error and hit["article"] == "第三条之一" and "侮辱信息" in hit["text"]
    assert payload(old)["version"] == "2012-10-26" and "2013年1月1日" in payload(old)["text"]
    hits = payload(search)["hits"]
    assert not search.is_error and 1 <= len(hits) <= 3 and any("侮辱" in h["text"] for h in hits)
    assert missing.is_error and "没有第九十九条" in missing.content[0].text
    assert bad_date.is_error and "YYYY-MM-DD" in bad_date.content[0].text


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

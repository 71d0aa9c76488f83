"""MCP server over stdio: search_statutes, get_article, check_citations, ask — thin calls into fawen.service.

stdout is the protocol: nothing here prints, logs go to stderr only (the mcp package also points fd 1 at
stderr while serving, so a stray print from a library cannot corrupt the stream).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import ToolAnnotations
from pydantic import Field

from fawen import config, service
from fawen.doors import clean_date, clean_kinds, clean_text
from fawen.errors import BadInput, FawenError, TooLarge
from fawen.models import KINDS
from fawen.retrieve.search import MAX_K

T = TypeVar("T")
READ_ONLY = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False)
INSTRUCTIONS = (
    "法问 fawen: Chinese statutes (法律、行政法规、司法解释、地方性法规) with their versions and effective dates, "
    "offline. Use search_statutes to find articles for lay wording, get_article for the exact text of a cited "
    "article in the version in force on a date, check_citations to audit the citations in a text, ask for a "
    "structured answer with its legal basis. Quote article text only from these tools' results."
)


def guarded(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a service call; a FawenError becomes a ToolError whose message the model reads."""
    try:
        return fn(*args, **kwargs)
    except FawenError as exc:
        raise ToolError(f"{exc.message} (status {exc.status})") from exc


def _limit() -> int:
    return config.get_int("MAX_QUERY_CHARS")


def search_statutes(
    query: Annotated[str, Field(description="问题或检索词，日常用语即可 (lay wording works)")],
    k: Annotated[int, Field(ge=1, le=MAX_K, description="number of articles to return")] = 10,
    as_of: Annotated[str | None, Field(description="法律时点 YYYY-MM-DD (default today)")] = None,
    kinds: Annotated[list[str] | None, Field(description=f"restrict to kinds: {'、'.join(KINDS)}")] = None,
) -> dict[str, Any]:
    """检索法条 — statute articles for a question, best first, each with law, article, version and text."""
    hits = guarded(lambda: service.search(clean_text(query, "query", _limit()), k=k, as_of=clean_date(as_of),
                                          kinds=clean_kinds(kinds)))
    return {"hits": [h.to_json() for h in hits]}


def get_article(
    law: Annotated[str, Field(description="法律名称或简称：刑法、中华人民共和国刑法、治安法 …")],
    article: Annotated[str, Field(description="条号：246、第二百四十六条、第一百二十条之一")],
    as_of: Annotated[str | None, Field(description="法律时点 YYYY-MM-DD (default today)")] = None,
) -> dict[str, Any]:
    """查看法条原文 — the exact text of one article in the version in force on `as_of`."""
    hit = guarded(lambda: service.get_article(clean_text(law, "law", _limit()),
                                              clean_text(article, "article", _limit()), clean_date(as_of)))
    return hit.to_json()


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
        q = clean_text(question, "question", _limit()) if question else None
        data: dict[str, Any] = service.check(text, question=q, as_of=clean_date(as_of)).to_json()
        return data
    return guarded(run)


def ask(
    question: Annotated[str, Field(description="法律问题，日常用语 (a legal question in plain words)")],
    as_of: Annotated[str | None, Field(description="法律时点 YYYY-MM-DD (default today)")] = None,
) -> dict[str, Any]:
    """法律问答 — a structured answer: summary, sections, legal basis with exact text, related, disclaimer."""
    answer = guarded(lambda: service.ask(clean_text(question, "question", _limit()), as_of=clean_date(as_of)))
    data: dict[str, Any] = answer.to_json()
    return data


def create_server() -> MCPServer:
    """The MCP server with fawen's four read-only tools."""
    server: MCPServer = MCPServer("fawen", title="法问 fawen", instructions=INSTRUCTIONS, log_level="WARNING")
    for tool in (search_statutes, get_article, check_citations, ask):
        server.add_tool(tool, annotations=READ_ONLY, structured_output=True)
    return server


def run() -> None:
    """Serve MCP over stdio until the client closes stdin."""
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING)
    create_server().run("stdio")

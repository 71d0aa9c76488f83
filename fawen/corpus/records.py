"""What a source yields before merging: one document (a version of a law) with parsed articles."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from fawen.corpus.dates import DateClaim
from fawen.models import Paragraph

ITEM = re.compile(r"^[（(][一二三四五六七八九十百]+[)）]")
# A 编/分编/章/节 heading (or 附则) run into the end of the article before it.
_HEADING_LINE = re.compile(r"^(?:第[一二三四五六七八九十百]+(?:编|分编|章|节)(?:[ \u3000]+[^。；，：]{1,24})?|附[ \u3000]*则)$")


@dataclass
class ParsedArticle:
    number: int
    suffix: int
    path: list[str]
    paragraphs: list[Paragraph]
    text: str
    line: int = 0


@dataclass
class SourceDoc:
    """One version of a law as a source gives it; after merging, the version chosen from all sources.

    `published`, `effective` and `ends` (the last day in force; None while in force) each carry their
    provenance (fawen.corpus.dates.PROVENANCES) and where it was found. `claims` are every date the
    sources state, about this version or (law/version set) about another one, e.g. a 修正案's 施行 date
    about the amended law. `events` are the dated header lines of the document.
    """

    title: str
    kind: str
    department: str
    published: str
    effective: str
    status: str
    source: str
    source_ref: str
    articles: list[ParsedArticle] = field(default_factory=list)
    short_name: str = ""
    published_from: str = "unverified"
    effective_from: str = "unverified"
    ends: str | None = None
    ends_from: str = ""
    dates_where: dict[str, str] = field(default_factory=dict)
    claims: list[DateClaim] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    first_effective: str = ""


@dataclass
class Issue:
    source: str
    file: str
    line: int
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


def strip_headings(text: str) -> str:
    """Drop 编/章/节 heading lines that trail an article's text."""
    lines = text.split("\n")
    while len(lines) > 1 and _HEADING_LINE.match(lines[-1].strip()):
        lines.pop()
    return "\n".join(lines)


def split_paragraphs(lines: list[str]) -> list[Paragraph]:
    """Group an article's lines into 款, attaching （一）… lines to the 款 before them as 项."""
    paragraphs: list[Paragraph] = []
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if ITEM.match(line) and paragraphs:
            paragraphs[-1].items.append(line)
        else:
            paragraphs.append(Paragraph(line))
    return paragraphs


@dataclass(frozen=True)
class Disagreement:
    """Where two sources (or a source and the evidence) differ about one version, by article."""

    law: str                      # the law's title
    version: str                  # the version's 公布 date
    article: str                  # 第X条, or '' for the version as a whole (its dates, its status)
    topic: str                    # text, missing, amendment, published, effective, ends
    chosen: str                   # the source (or provenance) whose word was taken
    other: str                    # the source it differs from
    detail: str                   # what differs, and why the chosen one was taken

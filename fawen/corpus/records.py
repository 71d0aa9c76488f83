"""What a source yields before merging: one document (a version of a law) with parsed articles."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from fawen.models import Paragraph

ITEM = re.compile(r"^[（(][一二三四五六七八九十百]+[)）]")


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


@dataclass
class Issue:
    source: str
    file: str
    line: int
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


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

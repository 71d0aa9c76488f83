"""Dataclasses of the corpus and of what fawen returns. JSON shapes are in DESIGN.md."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

KINDS = ("宪法", "法律", "立法解释", "行政法规", "司法解释", "部门规章", "地方性法规", "案例")
# What a lawyer cites for a lay question. 地方性法规, 部门规章 and 案例 are searched only when asked for:
# no STARD gold article is one of them, and adding them lowers Recall@10 (bench/retrieval.py, kinds rows).
DEFAULT_KINDS = ("宪法", "法律", "立法解释", "司法解释", "行政法规")
STATUSES = ("现行有效", "已修改", "已废止", "尚未施行")
# Where a version's date came from, strongest first (fawen/corpus/dates.py): a 施行 date is shown as known
# only with one of the first three.
PROVENANCES = ("curated", "document", "catalogue", "unverified")


def date_label(published: str, effective: str, effective_from: str) -> str:
    """How a version is named to a reader: 「2024-03-01 施行」 when its 施行 date is known, else
    「2023-12-29 公布（施行日期未核实）」 — never a 公布 date passed off as a 施行 date."""
    if effective_from == "unverified" or not effective:
        return f"{published or effective} 公布（施行日期未核实）"
    return f"{effective} 施行"


@dataclass
class Law:
    id: int
    title: str
    kind: str
    department: str = ""
    aliases: list[str] = field(default_factory=list)
    first_effective: str = ""      # the day the law first took effect, if known (before it: not yet in force)


@dataclass
class LawVersion:
    id: int
    law_id: int
    title: str
    published: str
    effective: str
    status: str
    source: str
    source_ref: str = ""
    published_from: str = "unverified"
    effective_from: str = "unverified"
    ends: str | None = None        # the last day in force; None while in force (or repealed, day unknown)
    ends_from: str = ""
    dates_where: dict[str, str] = field(default_factory=dict)  # empty when read by Corpus: Corpus.dates_where()
    sources: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        """「2024-03-01 施行」, or 「2023-12-29 公布（施行日期未核实）」."""
        return date_label(self.published, self.effective, self.effective_from)

    @property
    def effective_verified(self) -> bool:
        return self.effective_from != "unverified"


@dataclass
class Paragraph:
    """One 款: its lead text and its 项 (items such as （一）…)."""

    text: str
    items: list[str] = field(default_factory=list)


@dataclass
class Article:
    id: int
    version_id: int
    law_id: int
    number: int
    suffix: int
    label: str
    path: list[str]
    paragraphs: list[Paragraph]
    text: str


@dataclass
class Hit:
    """An article as returned to callers: the law, the version in force, its text and a score."""

    law: str
    kind: str
    article: str
    number: int
    suffix: int
    version: str
    text: str
    score: float = 0.0
    law_id: int = 0
    article_id: int = 0
    version_id: int = 0
    status: str = ""
    path: list[str] = field(default_factory=list)
    published: str = ""
    effective_from: str = ""
    ends: str | None = None

    @property
    def effective_verified(self) -> bool:
        """Whether `version` (the 施行 date) is known, not the 公布 date standing in for it."""
        return self.effective_from not in ("", "unverified")

    @property
    def date_label(self) -> str:
        """「2024-03-01 施行」, or 「2023-12-29 公布（施行日期未核实）」 when the 施行 date is not known."""
        if not self.effective_from:
            return f"{self.version} 施行"      # a Hit made outside the store (tests, LLM engine) knows no more
        return date_label(self.published, self.version, self.effective_from)

    def to_json(self) -> dict[str, Any]:
        return {
            "law": self.law,
            "kind": self.kind,
            "article": self.article,
            "number": self.number,
            "suffix": self.suffix,
            "version": self.version,
            "text": self.text,
            "score": round(float(self.score), 4),
            "published": self.published,
            "effective_verified": self.effective_verified,
            "effective_from": self.effective_from,
            "ends": self.ends,
            "status": self.status,
        }


@dataclass
class Finding:
    kind: str
    message: str
    suggestion: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "message": self.message}
        if self.suggestion is not None:
            out["suggestion"] = self.suggestion
        return out


@dataclass
class Citation:
    """A citation found in a text: where it is, what it names, and what verification found."""

    raw: str
    law: str | None
    article: str | None
    number: int | None = None
    suffix: int = 0
    paragraph: int | None = None
    item: int | None = None
    quote: str | None = None
    start: int = 0
    end: int = 0
    status: str = "unchecked"
    findings: list[Finding] = field(default_factory=list)
    relevance: float | None = None   # 0–1 relevance to the question (fawen.cite.relevance), when judged

    def to_json(self) -> dict[str, Any]:
        return {
            "raw": self.raw,
            "law": self.law,
            "article": self.article,
            "status": self.status,
            "findings": [f.to_json() for f in self.findings],
        }


@dataclass
class Section:
    title: str
    body: str
    citations: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"title": self.title, "body": self.body, "citations": list(self.citations)}


@dataclass
class Related:
    question: str
    url: str | None = None
    status: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"question": self.question}
        if self.url:
            out["url"] = self.url
        if self.status:
            out["status"] = self.status
        return out


@dataclass
class Answer:
    question: str
    as_of: str
    summary: str
    sections: list[Section]
    basis: list[Hit]
    related: list[Related]
    disclaimer: str
    searched: dict[str, Any]
    # {"label": 可以/不可以/视情况, "word", "condition", "clause", "citation"} for a yes/no question the law decides
    verdict: dict[str, str] | None = None
    # 怎么办: [{"title", "text", "citation"}], each grounded in an article
    steps: list[dict[str, str]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "as_of": self.as_of,
            "summary": self.summary,
            "sections": [s.to_json() for s in self.sections],
            "basis": [h.to_json() for h in self.basis],
            "related": [r.to_json() for r in self.related],
            "disclaimer": self.disclaimer,
            "searched": self.searched,
            "verdict": self.verdict,
            "steps": list(self.steps),
        }

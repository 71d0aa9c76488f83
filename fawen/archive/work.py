"""What a worker does with one batch of pages: check each through fawen.service, one output row per citation.

Runs in the driver (serial), in a worker process or in a Ray worker alike, so every mode writes the same rows.
Each process opens the corpus once, lazily, through the service layer (memory-mapped, read-only).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any

from fawen.archive.inputs import Page
from fawen.archive.summary import ArchiveSummary
from fawen.errors import FawenError

# Columns of an output row, in order (JSONL keys, Parquet columns).
COLUMNS = ("page", "source", "n", "raw", "law", "article", "status", "kind", "message", "suggestion", "current",
           "findings")
_SUGGESTION = re.compile(r"^《([^《》]+)》(第[零〇一二三四五六七八九十百千万\d]+条(?:之[一二三四五六七八九十]+)?)")


Batch = tuple[int, list[Page]]   # (batch number, its pages)


def fawen_env() -> dict[str, str]:
    """The FAWEN_* settings of the driver, handed to every worker (a worker must see the same corpus)."""
    return {k: v for k, v in os.environ.items() if k.startswith("FAWEN_")}


@dataclass(frozen=True)
class Settings:
    """The options every page of a run is checked with; `changed` is set by --since (titles of changed laws)."""

    question: str | None
    as_of: str
    event_date: str | None
    changed: frozenset[str] | None = None


@dataclass
class BatchResult:
    """One batch's rows, in page order, and what it adds to the summary."""

    index: int
    rows: list[dict[str, Any]]
    summary: ArchiveSummary
    last_page: str | None = None
    pid: int = field(default_factory=os.getpid)


def check_batch(index: int, pages: list[Page], settings: Settings) -> BatchResult:
    """Check every page of a batch. A page that cannot be read or checked becomes one 'error' row."""
    from fawen import service

    summary = ArchiveSummary()
    rows: list[dict[str, Any]] = []
    texts: dict[tuple[str, str], str | None] = {}
    for page in pages:
        summary.pages += 1
        if page.error is None and settings.changed is not None:
            from fawen.archive.since import cites_changed_law

            try:
                if not cites_changed_law(service.library(), page.text, settings.changed):
                    summary.unchanged += 1
                    continue
            except FawenError:
                pass   # an unreadable page: check() below says why
        if page.error is None:
            try:
                report = service.check(page.text, page.question or settings.question, settings.as_of,
                                       settings.event_date)
            except FawenError as exc:
                page.error = exc.message
            except Exception as exc:   # a bug on one page must not stop a million-page audit; it is reported
                page.error = f"内部错误 (internal error): {type(exc).__name__}: {exc}"
        if page.error is not None:
            summary.errors += 1
            rows.append(_row(page, 0, status="error", message=page.error))
            continue
        summary.checked += 1
        summary.citations += len(report.citations)
        summary.findings.update(report.counts())
        summary.pages_with_findings += report.has_findings
        on = report.event_date or report.as_of
        for n, cite in enumerate(report.citations, start=1):
            first = cite.findings[0] if cite.findings else None
            suggestion = next((f.suggestion for f in cite.findings if f.suggestion), None)
            current = _current_text(suggestion, cite.law, cite.article, on, texts) if first else None
            rows.append(_row(page, n, raw=cite.raw, law=cite.law, article=cite.article, status=cite.status,
                             kind=first.kind if first else None, message=first.message if first else None,
                             suggestion=suggestion, current=current,
                             findings=[f.to_json() for f in cite.findings]))
    return BatchResult(index, rows, summary, pages[-1].id if pages else None)


def warm_up() -> None:
    """Load what checking needs (corpus, name resolver, retrieval index, tokenizer) before the first batch,
    so that start-up is not counted as checking time and a missing corpus fails before any work."""
    from fawen import service

    service.check("依据《中华人民共和国宪法》第一条。", question="宪法规定了什么")


def _row(page: Page, n: int, **values: Any) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(COLUMNS)
    row.update(page=page.id, source=page.source, n=n, findings=[])
    row.update(values)
    return row


def _current_text(suggestion: str | None, law: str | None, article: str | None, on: str,
                  seen: dict[tuple[str, str], str | None]) -> str | None:
    """The text in force of the suggested article, else of the cited one; None when neither is in force."""
    from fawen import service

    targets = []
    if suggestion and (m := _SUGGESTION.match(suggestion)):
        targets.append((m[1], m[2]))
    if law and article:
        targets.append((law, article))
    for key in targets:
        if key not in seen:
            try:
                seen[key] = service.get_article(key[0], key[1], on).text
            except FawenError:
                seen[key] = None
        if seen[key] is not None:
            return seen[key]
    return None

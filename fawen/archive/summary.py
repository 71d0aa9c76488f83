"""Totals of an archive audit: what each batch adds, what the checkpoint keeps, what people read."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from rich.table import Table

from fawen.cite.report import FINDING_KINDS


@dataclass
class ArchiveSummary:
    """Counts over the pages audited so far (all runs of one checkpoint together)."""

    pages: int = 0                 # pages read, whatever became of them
    checked: int = 0               # pages whose citations were verified
    unchanged: int = 0             # pages --since left alone: none of their laws changed
    errors: int = 0                # pages that could not be read or checked
    citations: int = 0
    pages_with_findings: int = 0
    findings: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0           # time spent checking, over every run

    def merge(self, other: ArchiveSummary) -> None:
        self.pages += other.pages
        self.checked += other.checked
        self.unchanged += other.unchanged
        self.errors += other.errors
        self.citations += other.citations
        self.pages_with_findings += other.pages_with_findings
        self.findings.update(other.findings)

    def to_json(self) -> dict[str, Any]:
        return {
            "pages": self.pages,
            "checked": self.checked,
            "unchanged": self.unchanged,
            "errors": self.errors,
            "citations": self.citations,
            "pages_with_findings": self.pages_with_findings,
            "findings": {k: self.findings.get(k, 0) for k in FINDING_KINDS},
            "seconds": round(self.seconds, 2),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ArchiveSummary:
        return cls(int(data["pages"]), int(data["checked"]), int(data["unchanged"]), int(data["errors"]),
                   int(data["citations"]), int(data["pages_with_findings"]),
                   Counter({k: int(v) for k, v in data["findings"].items() if v}), float(data["seconds"]))


def summary_table(summary: dict[str, Any]) -> Table:
    """The run's summary (`RunSummary.to_json()`'s shape) as a table."""
    table = Table(title="fawen check — archive summary")
    table.add_column("")
    table.add_column("", justify="right")
    rows = [("pages", summary["pages"]), ("pages checked", summary["checked"]),
            ("pages unchanged since --since", summary["unchanged"]) if summary.get("since") else None,
            ("pages with findings", summary["pages_with_findings"]), ("unreadable pages", summary["errors"]),
            ("citations", summary["citations"])]
    for row in rows:
        if row is not None:
            table.add_row(row[0], str(row[1]))
    for kind in FINDING_KINDS:
        table.add_row(f"  {kind}", str(summary["findings"].get(kind, 0)))
    if summary.get("resumed_at"):
        table.add_row("resumed after page", str(summary["resumed_at"]))
        table.add_row("rows of an unfinished batch dropped", str(summary.get("dropped_rows", 0)))
    table.add_row("mode", str(summary.get("mode", "")))
    table.add_row("start-up seconds (workers, corpus)", f"{summary.get('startup_seconds', 0.0):.1f}")
    table.add_row("seconds checking (this run)", f"{summary.get('run_seconds', 0.0):.1f}")
    table.add_row("pages/second (this run)", f"{summary.get('pages_per_second', 0.0):.1f}")
    return table

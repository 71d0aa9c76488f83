"""What `check` returns: the citations of one text with their findings, and a summary over many pages."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from fawen.models import Citation

FINDING_KINDS = ("not_found", "not_in_force", "renumbered", "quote_mismatch", "misattributed", "irrelevant",
                 "ambiguous", "outdated_quote", "misattributed_claim")


@dataclass
class CheckReport:
    """The citations found in one text, in order, each with its status and findings.

    `to_json()` is the stable contract of DESIGN.md: {"citations": [{"raw", "law", "article", "status",
    "findings": [{"kind", "message", "suggestion"?}]}]}. The other fields are for people and callers.
    A citation's status is "ok", "unverified" (a 法释 number the corpus never mentions), or the kind of its
    most severe finding (order: fawen.cite.verify.SEVERITY). `law` is the full title once resolved, else the
    name as written.
    """

    citations: list[Citation]
    question: str | None = None
    as_of: str = ""
    event_date: str | None = None
    truncated: bool = False
    relevance_threshold: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {"citations": [c.to_json() for c in self.citations]}

    @property
    def has_findings(self) -> bool:
        return any(c.findings for c in self.citations)

    def counts(self) -> Counter[str]:
        """Findings by kind."""
        return Counter(f.kind for c in self.citations for f in c.findings)


@dataclass
class BulkSummary:
    """Totals over the pages of a bulk check."""

    pages: int = 0
    citations: int = 0
    pages_with_findings: int = 0
    errors: int = 0
    findings: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    def add(self, report: CheckReport) -> None:
        self.pages += 1
        self.citations += len(report.citations)
        self.findings.update(report.counts())
        if report.has_findings:
            self.pages_with_findings += 1

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds > 0 else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "pages": self.pages,
            "citations": self.citations,
            "pages_with_findings": self.pages_with_findings,
            "errors": self.errors,
            "findings": {k: self.findings.get(k, 0) for k in FINDING_KINDS},
            "seconds": round(self.seconds, 2),
            "pages_per_second": round(self.pages_per_second, 1),
        }

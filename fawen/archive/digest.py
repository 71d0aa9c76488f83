"""What the editors' report shows, gathered in one pass over an audit's rows (millions of rows, little memory)."""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from fawen.cite.verify import SEVERITY

OUTDATED = ("not_in_force", "renumbered")   # the law changed under the page: what re-audits are for
WORST = 50        # pages shown with their findings
TOP = 15          # laws and articles shown


@dataclass
class PageFindings:
    """One page and its citations that have findings, in page order."""

    page: str
    source: str
    order: int
    rows: list[dict[str, Any]]

    @property
    def key(self) -> tuple[int, int, int]:
        """Worst first: more citations with findings, then a more severe worst finding, then input order."""
        worst = min((SEVERITY.index(r["kind"]) for r in self.rows if r["kind"] in SEVERITY), default=len(SEVERITY))
        return (-len(self.rows), worst, self.order)


@dataclass
class Digest:
    findings: Counter[str] = field(default_factory=Counter)      # every finding, by kind
    statuses: Counter[str] = field(default_factory=Counter)      # every citation, by status
    outdated_laws: Counter[str] = field(default_factory=Counter)
    outdated_articles: Counter[tuple[str, str]] = field(default_factory=Counter)
    worst: list[PageFindings] = field(default_factory=list)      # worst first
    errors: list[dict[str, Any]] = field(default_factory=list)   # the first unreadable pages
    pages_with_findings: int = 0


def digest(rows: Iterable[dict[str, Any]], worst: int = WORST, max_errors: int = 20) -> Digest:
    """Counts, the most cited outdated laws and articles, and the `worst` pages with the most findings."""
    out = Digest()
    heap: list[tuple[tuple[int, int, int], PageFindings]] = []   # a max-heap on key via negation
    current: PageFindings | None = None
    order = 0

    def close(page: PageFindings | None) -> None:
        if page is None or not page.rows:
            return
        out.pages_with_findings += 1
        key = page.key
        inverted = (-key[0], -key[1], -key[2])
        if len(heap) < worst:
            heapq.heappush(heap, (inverted, page))
        elif inverted > heap[0][0]:
            heapq.heapreplace(heap, (inverted, page))

    for row in rows:
        if current is None or row["page"] != current.page or row["source"] != current.source:
            close(current)
            order += 1
            current = PageFindings(row["page"], row["source"], order, [])
        if row["status"] == "error":
            if len(out.errors) < max_errors:
                out.errors.append(row)
            continue
        out.statuses[row["status"]] += 1
        kinds = [f["kind"] for f in row["findings"] or ()]
        out.findings.update(kinds)
        if kinds:
            current.rows.append(row)
        if any(k in OUTDATED for k in kinds) and row["law"]:
            out.outdated_laws[row["law"]] += 1
            out.outdated_articles[(row["law"], row["article"] or "")] += 1
    close(current)
    out.worst = [page for _, page in sorted(heap, reverse=True)]
    return out

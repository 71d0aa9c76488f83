"""The last step of the extractive engine: run the auditor over the composed page once and drop every
summary sentence or section line holding a citation it flags — including references that the law's own
text makes (「依照民法典第五百一十条」) — so that the page holds nothing `fawen check` would flag."""

from __future__ import annotations

import re
from collections.abc import Callable

from fawen.answer.sections import Part
from fawen.models import Citation

# (text, question, as_of) → the auditor's citations with their findings.
Auditor = Callable[[str, str, str], list[Citation]]
_SENTENCE = re.compile(r"[^。]+。?")


def vet(question: str, as_of: str, summary: str, parts: list[Part],
        audit: Auditor) -> tuple[str, list[dict[str, str]]]:
    """Remove what the auditor flags from `summary` and `parts` (in place); returns the new summary and
    what was removed, as {"where", "raw", "kinds"}."""
    entries = [(-1, 0, summary)] + [(p, i, line) for p, part in enumerate(parts)
                                     for i, (line, _) in enumerate(part.lines)]
    pieces: list[tuple[int, int, int]] = []  # (start offset, part index or -1 for the summary, line index)
    offset = 0
    for index, line, text in entries:
        pieces.append((offset, index, line))
        offset += len(text) + 1
    chunks = [text for _, _, text in entries]
    flagged = [c for c in audit("\n".join(chunks), question, as_of) if c.findings]
    if not flagged:
        return summary, []
    removed: list[dict[str, str]] = []
    drop_lines: set[tuple[int, int]] = set()
    drop_spans: list[tuple[int, int]] = []
    for c in flagged:
        start, index, line = max((p for p in pieces if p[0] <= c.start), key=lambda p: p[0])
        kinds = ",".join(sorted({f.kind for f in c.findings}))
        if index < 0:
            drop_spans.append((c.start - start, c.end - start))
            removed.append({"where": "summary", "raw": c.raw, "kinds": kinds})
        else:
            drop_lines.add((index, line))
            removed.append({"where": f"sections[{index}]", "raw": c.raw, "kinds": kinds})
    if drop_spans:
        kept = [m.group(0) for m in _SENTENCE.finditer(summary)
                if not any(a < m.end() and b > m.start() for a, b in drop_spans)]
        summary = "".join(kept)
    for p, part in enumerate(parts):
        part.lines = [entry for i, entry in enumerate(part.lines) if (p, i) not in drop_lines]
    return summary, removed

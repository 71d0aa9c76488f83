"""Citation auditing: extract citations from text and HTML, resolve them, verify them as of a date.

    extract.py      citations in plain text (《X》第N条, 刑法第246条, 本法/该法, lists, ranges, 法释 numbers, quotes)
    html.py         HTML page → text and question
    resolve.py      which law a name means (exact title/short name, else ambiguous/not found)
    verify.py       existence, in force, renumbered, quote mismatch, misattribution
    quote_index.py  where a quoted passage really comes from (winnowed n-gram index)
    relevance.py    whether a cited article is about the question
    audit.py        check(): all of the above for one text → CheckReport
    bulk.py         many pages: a directory or a JSONL of {question, text}
"""

from fawen.cite.audit import check
from fawen.cite.report import BulkSummary, CheckReport

__all__ = ["BulkSummary", "CheckReport", "check"]

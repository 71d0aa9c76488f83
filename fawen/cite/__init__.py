"""Citation auditing: extract citations from text and HTML, resolve them, verify them as of a date.

    extract.py      citations in plain text (《X》第N条, 刑法第246条, 本法/该法, lists, ranges, 法释 numbers, 第N条
                    continuing a paragraph or a block under a law named once)
    mend.py         line breaks that cut a citation in two, removed with a map back to the offsets
    names.py        where a page names a law: titles, 法释 numbers, heading lines, 以下简称, 《规定》 back-references
    passage.py      the quoted passage that goes with a citation (same line, or the line(s) below)
    html.py         HTML page → text and question
    resolve.py      which law a name means (exact title/short name, informal 司法解释 names, else ambiguous/not found)
    verify.py       existence, in force, renumbered, quote mismatch, misattribution
    quote_index.py  where a quoted passage really comes from (winnowed n-gram index)
    relevance.py    whether a cited article is about the question
    audit.py        check(): all of the above for one text → CheckReport
    bulk.py         many pages: a directory or a JSONL of {question, text}
"""

from fawen.cite.audit import check
from fawen.cite.report import BulkSummary, CheckReport

__all__ = ["BulkSummary", "CheckReport", "check"]

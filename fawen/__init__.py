"""fawen (法问): answers Chinese legal questions from current, verified law."""

from __future__ import annotations

import os

# numpy's OpenBLAS would split each matrix-vector product of a search over every core and then spin its
# threads: on two cores that doubled the CPU of a dense search (109 → 59 ms) and cost a lexical one 16 %,
# for no gain in wall time; a server runs one worker per core anyway. Set before numpy is first imported
# (a caller that imported numpy first keeps its own setting, and OPENBLAS_NUM_THREADS set by the user wins).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from fawen.version import __version__  # noqa: E402
from fawen.errors import BadInput, CorpusError, FawenError, NotFound, TooLarge  # noqa: E402
from fawen.models import Answer, Article, Citation, Finding, Hit, Law, LawVersion, Paragraph, Section  # noqa: E402
from fawen.service import Fawen, ask, check, get_article, search  # noqa: E402

__all__ = [
    "Answer",
    "Article",
    "BadInput",
    "Citation",
    "CorpusError",
    "Fawen",
    "FawenError",
    "Finding",
    "Hit",
    "Law",
    "LawVersion",
    "NotFound",
    "Paragraph",
    "Section",
    "TooLarge",
    "__version__",
    "ask",
    "check",
    "get_article",
    "search",
]

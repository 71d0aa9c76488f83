"""fawen (法问): answers Chinese legal questions from current, verified law."""

from __future__ import annotations

from fawen.version import __version__
from fawen.errors import BadInput, CorpusError, FawenError, NotFound, TooLarge
from fawen.models import Answer, Article, Citation, Finding, Hit, Law, LawVersion, Paragraph, Section
from fawen.service import Fawen, ask, check, get_article, search

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

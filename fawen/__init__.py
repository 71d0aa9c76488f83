"""fawen (法问): answers Chinese legal questions from current, verified law."""

from __future__ import annotations

__version__ = "0.1.0"

from fawen.errors import BadInput, CitationError, CorpusError, FawenError, NotFound, TooLarge
from fawen.models import Answer, Article, Citation, Finding, Hit, Law, LawVersion, Paragraph, Section
from fawen.service import ask, check, get_article, search

__all__ = [
    "Answer",
    "Article",
    "BadInput",
    "Citation",
    "CitationError",
    "CorpusError",
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

"""What the citation auditor needs from the corpus generation it checks against.

The Library (fawen/library.py) is one; the auditor only sees this protocol, so cite/ imports nothing above it.
"""

from __future__ import annotations

from typing import Protocol

from fawen.cite.claims import References
from fawen.cite.law_words import LawWords
from fawen.cite.quote_index import QuoteIndex
from fawen.cite.resolve import Resolver
from fawen.corpus.store import Corpus
from fawen.models import Hit


class Kit(Protocol):
    @property
    def corpus(self) -> Corpus: ...

    @property
    def quote_index(self) -> QuoteIndex: ...

    @property
    def resolver(self) -> Resolver: ...

    @property
    def law_words(self) -> LawWords: ...

    @property
    def references(self) -> References:
        """The interpretation articles that cite each article, built on first use."""
        ...

    def search(self, query: str, k: int, as_of: str, kinds: tuple[str, ...]) -> list[Hit]:
        """The k best articles for a question in force on `as_of`, of `kinds`; CorpusError without an index."""
        ...

    def search_ids(self, query: str, k: int, as_of: str, kinds: tuple[str, ...]) -> list[tuple[int, int]]:
        """(article id, law id) of what lexical `search` finds (no query embedding), without reading the
        articles."""
        ...

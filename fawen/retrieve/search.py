"""search(): from a lay question to the articles a lawyer would cite, in the versions in force.

Pipeline: normalise (full-width, traditional → simplified; cut to FAWEN_MAX_QUERY_CHARS) → direct lookup of
cited articles (「刑法第二百四十六条」) → candidates by bigram BM25 over article text and headings, plus
articles whose learned lay wording matches → linear ranking over features (learned.FEATURES) with weights
learned from question/answer pairs → Hits, best first, ties broken by article id.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterable
from functools import lru_cache

import numpy as np

from fawen import config
from fawen.corpus.store import Corpus
from fawen.dates import as_of as parse_as_of
from fawen.errors import BadInput
from fawen.models import DEFAULT_KINDS as DEFAULT_KINDS  # re-exported: callers import it from here
from fawen.models import KINDS, Hit
from fawen.retrieve import learned as learned_mod
from fawen.retrieve import lookup, rank, terms
from fawen.retrieve.index import Index, cached_index

MAX_K = 200


def search(corpus: Corpus, query: str, k: int = 10, as_of: str | None = None,
           kinds: list[str] | None = None) -> list[Hit]:
    """The k articles that best answer `query`, from the versions in force on `as_of` (default today).

    Args:
        corpus: the corpus to search (its index lives beside it, in <gen>/index/).
        query: a lay question or a citation; longer than FAWEN_MAX_QUERY_CHARS characters, it is cut there.
        k: how many hits, 1..200.
        as_of: YYYY-MM-DD; only versions in force that day are searched.
        kinds: law kinds to search (default DEFAULT_KINDS); a law the query cites by article is always found.

    Raises:
        BadInput: empty query, bad k, bad date or unknown kind.
    """
    text = _validate(query, k)
    date = parse_as_of(as_of)
    wanted = _kinds(kinds)
    index = index_for(corpus)
    learned = learned_mod.cached(index, corpus)
    hits = []
    for article_id, score in ranked(corpus, index, learned, text, k, date, wanted):
        hits.append(corpus.hit(corpus.article_by_id(article_id), score))
    return hits


def ranked(corpus: Corpus, index: Index, learned: learned_mod.Learned, text: str, k: int, date: str,
           kinds: tuple[str, ...] = DEFAULT_KINDS) -> list[tuple[int, float]]:
    """(article id, score) of the k best articles for a normalised query: articles the query cites
    first (「刑法第二百四十六条」, in the version in force on `date`), then the ranking."""
    cited = lookup.direct(corpus, text, date)
    index, learned = narrowed(index, learned, corpus, date, kinds)
    found = rank.rank(index, learned, text, k + len(cited), lookup.named_laws(corpus, text),
                      lookup.route_laws(corpus, text))
    top = found[0][1] if found else 0.0
    out = [(article.id, top + 1.0) for article in cited]
    seen = {article_id for article_id, _ in out}
    for position, score in found:
        article_id = int(index.article_id[position])
        if article_id not in seen:
            seen.add(article_id)
            out.append((article_id, score))
    return out[:k]


def index_for(corpus: Corpus) -> Index:
    """The retrieval index beside the corpus file (loaded once per process)."""
    return cached_index(corpus.generation)


def narrowed(index: Index, learned: learned_mod.Learned, corpus: Corpus, date: str, kinds: tuple[str, ...]
             ) -> tuple[Index, learned_mod.Learned]:
    """The index and learned parts narrowed to the articles searched on `date` for `kinds` (built once per
    distinct set of articles and kept for the next queries: dates with the same versions in force share it)."""
    mask, digest = _allowed(index, corpus, date, kinds)
    key = (id(index), id(learned), id(learned.weights), digest)
    with _narrow_lock:
        found = _narrowed.get(key)
        if found is None:
            found = (index, learned, index.subset(mask), learned.subset(mask))
            if len(_narrowed) >= 4:
                _narrowed.pop(next(iter(_narrowed)))
            _narrowed[key] = found
        else:
            _narrowed[key] = _narrowed.pop(key)  # most recently used last
    return found[2], found[3]


# key → (index, learned, narrowed index, narrowed learned); holding the originals keeps their ids unique.
_narrowed: dict[tuple[int, int, int, str], tuple[Index, learned_mod.Learned, Index, learned_mod.Learned]] = {}
_narrow_lock = threading.Lock()


def allowed(index: Index, corpus: Corpus, date: str, kinds: tuple[str, ...]) -> np.ndarray:
    """Boolean mask over the index: articles of versions in force on `date`, of the given kinds."""
    return _allowed(index, corpus, date, kinds)[0].copy()


_mask_lock = threading.Lock()


def _allowed(index: Index, corpus: Corpus, date: str, kinds: tuple[str, ...]) -> tuple[np.ndarray, str]:
    """The mask (read-only) and a digest of it, which tells apart the distinct sets of searched articles."""
    with _mask_lock:
        return _allowed_cached(_Key(index, corpus), date, kinds)


class _Key:
    """Hashable handle of (index, corpus) for the mask cache."""

    def __init__(self, index: Index, corpus: Corpus) -> None:
        self.index, self.corpus = index, corpus
        self._key = (str(index.path), str(corpus.path))

    def __hash__(self) -> int:
        return hash(self._key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Key) and other._key == self._key


@lru_cache(maxsize=32)
def _allowed_cached(key: _Key, date: str, kinds: tuple[str, ...]) -> tuple[np.ndarray, str]:
    in_force = [v.id for v in key.corpus.versions_in_force(date)]
    codes = [KINDS.index(kind) for kind in kinds]
    mask = np.isin(key.index.version_id, in_force) & np.isin(key.index.kind, codes)
    mask.setflags(write=False)
    return mask, hashlib.blake2b(np.packbits(mask).tobytes()).hexdigest()


def _validate(query: str, k: int) -> str:
    if not isinstance(query, str) or not query.strip():
        raise BadInput("查询为空 (empty query): 请输入问题或法条，例如「微信诽谤可以报警吗」")
    if not isinstance(k, int) or isinstance(k, bool) or not 1 <= k <= MAX_K:
        raise BadInput(f"k 必须在 1 到 {MAX_K} 之间 (k must be 1..{MAX_K}), got {k!r}")
    text = terms.query_text(query, config.get_int("MAX_QUERY_CHARS"))
    if not text:
        raise BadInput("查询为空 (empty query): 请输入问题或法条")
    return text


def _kinds(kinds: Iterable[str] | None) -> tuple[str, ...]:
    if not kinds:
        return DEFAULT_KINDS
    wanted = tuple(dict.fromkeys(kinds))
    unknown = [k for k in wanted if k not in KINDS]
    if unknown:
        raise BadInput(f"未知的法律类别 (unknown kind) {'、'.join(unknown)}；可选：{'、'.join(KINDS)}")
    return tuple(sorted(wanted, key=KINDS.index))

"""search(): from a lay question to the articles a lawyer would cite, in the versions in force.

Pipeline: the question, checked and normalised (full-width, traditional → simplified) → direct lookup of
cited articles (「刑法第二百四十六条」) → candidates by bigram BM25 over article text and headings, plus
articles whose learned lay wording matches, and (with the dense extra and article vectors) the articles
nearest the query's vector → linear ranking over features (learned.FEATURES) with weights
learned from question/answer pairs → (article id, score), best first, ties broken by article id.

The index and learned parts come narrowed to what is searched (`View`: the versions in force on a date, the
kinds asked for); the Library (fawen/library.py) builds each view once and keeps it, reading the one the
build stored (store_for_search) when it is the one asked for.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from fawen.corpus.layout import CORPUS_FILE
from fawen.corpus.store import Corpus
from fawen.dates import as_of
from fawen.errors import BadInput
from fawen.models import DEFAULT_KINDS, KINDS
from fawen.retrieve import learned as learned_mod
from fawen.retrieve import lookup, rank, stored
from fawen.retrieve.dense import Dense, DenseView, QueryEncoder
from fawen.retrieve.index import Index, load_index
from fawen.retrieve.learned import Learned


@dataclass(frozen=True)
class View:
    """The index, learned parts and article vectors narrowed to the articles searched (Index.subset, …)."""

    index: Index
    learned: Learned
    dense: DenseView | None = None


def ranked(corpus: Corpus, view: View, names: lookup.Names, text: str, k: int, date: str,
           encoder: QueryEncoder | None = None) -> list[tuple[int, float]]:
    """(article id, score) of the k best articles for a normalised query: articles the query cites
    first (「刑法第二百四十六条」, in the version in force on `date`), then the ranking. With an encoder and
    article vectors, the query is embedded meanwhile on the encoder's thread (rank.Query)."""
    pending = encoder.submit(text) if encoder is not None and view.dense is not None else None
    cited = lookup.direct(corpus, text, date)
    index = view.index
    query = rank.Query(text, lookup.named_laws(corpus, names, text), lookup.route_laws(corpus, text), pending)
    found = rank.rank(index, view.learned, query, k + len(cited), view.dense)
    top = found[0][1] if found else 0.0
    out = [(article.id, top + 1.0) for article in cited]
    seen = {article_id for article_id, _ in out}
    for position, score in found:
        article_id = int(index.article_id[position])
        if article_id not in seen:
            seen.add(article_id)
            out.append((article_id, score))
    return out[:k]


def narrow(index: Index, learned: Learned, mask: np.ndarray, dense: Dense | None = None,
           digest: str | None = None) -> View:
    """The view of `index`, `learned` and `dense` over the articles where `mask` is True; the narrowed index
    is read from the build's store when it holds the one of `digest` (allowed's digest of `mask`)."""
    narrowed = stored.read_view(index, digest) if digest is not None else None
    return View(narrowed if narrowed is not None else index.subset(mask), learned.subset(mask),
                dense.subset(mask) if dense is not None else None)


def store_for_search(gen: Path) -> None:
    """At build time, store what a process would compute before its first search (retrieve/stored.py): the
    view searched by default today, and learned.json bound to the index."""
    index = load_index(gen)
    corpus = Corpus(gen / CORPUS_FILE)
    try:
        mask, digest = allowed(index, corpus, as_of(None), DEFAULT_KINDS)
        stored.write_view(index, mask, digest)
        key = stored.learned_key()
        if key is not None:
            stored.write_learned(learned_mod.bind(learned_mod.read(), index, corpus), index.path, key)
    finally:
        corpus.close()


def allowed(index: Index, corpus: Corpus, date: str, kinds: tuple[str, ...]) -> tuple[np.ndarray, str]:
    """Boolean mask over the index (read-only): articles of versions in force on `date`, of the given kinds;
    and a digest of it, which tells apart the distinct sets of searched articles (dates with the same
    versions in force share one view)."""
    in_force = [v.id for v in corpus.versions_in_force(date)]
    codes = [KINDS.index(kind) for kind in kinds]
    mask = np.isin(index.version_id, in_force) & np.isin(index.kind, codes)
    mask.setflags(write=False)
    return mask, hashlib.blake2b(np.packbits(mask).tobytes()).hexdigest()


def check_k(k: object, limit: int) -> int:
    if not isinstance(k, int) or isinstance(k, bool) or not 1 <= k <= limit:
        raise BadInput(f"k 必须在 1 到 {limit} 之间 (k must be 1..{limit}), got {k!r}")
    return k


def kinds_of(kinds: Iterable[str] | None) -> tuple[str, ...]:
    """The kinds to search, in KINDS order (default DEFAULT_KINDS); BadInput naming an unknown one."""
    if not kinds:
        return DEFAULT_KINDS
    wanted = tuple(dict.fromkeys(kinds))
    unknown = [k for k in wanted if k not in KINDS]
    if unknown:
        raise BadInput(f"未知的法律类别 (unknown kind) {'、'.join(unknown)}；可选：{'、'.join(KINDS)}")
    return tuple(sorted(wanted, key=KINDS.index))

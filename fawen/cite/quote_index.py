"""Where does a quoted passage really come from? A winnowed character n-gram index over every article.

Each article's text is reduced to its Chinese characters, letters and digits; every 5-character gram is hashed,
and in each window of 8 consecutive grams the smallest hash is kept (winnowing), so any passage that shares
12 or more consecutive characters with an article shares at least one kept hash with it. The index is two
sorted arrays (hash, article id) saved as .npy files under <gen>/index/ and memory-mapped, so opening it costs
nothing; it is built at corpus-build time (`build_quote_index`); a generation without it (built by an older
fawen) gets one computed in memory (`compute`). The same pass
counts in how many articles each character bigram occurs (the IDF weights of `fawen.cite.lexical`).
"""

from __future__ import annotations

import json
import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from fawen.corpus.layout import CORPUS_FILE, INDEX_DIR
from fawen.corpus.store import Corpus
from fawen.text.normalize import normalize

K = 5                        # characters per gram
W = 8                        # grams per winnowing window: guaranteed hit for shared runs of K + W - 1 = 12 chars
MAX_POSTING = 2000           # a hash shared by more articles than this is boilerplate and says nothing
FORMAT = 2
_HASHES, _IDS, _META = "cite_quote_hashes.npy", "cite_quote_ids.npy", "cite_quote_meta.json"
_BIGRAMS, _DF = "cite_bigrams.npy", "cite_bigram_df.npy"
_MULT = np.uint64(0x100000001B3)
_NONE = np.uint64(0xFFFFFFFFFFFFFFFF)


@dataclass
class QuoteIndex:
    hashes: np.ndarray       # uint64, sorted
    ids: np.ndarray          # int32 article ids, aligned with `hashes`
    bigrams: np.ndarray      # uint64 character bigram codes (first << 16 | second), sorted
    df: np.ndarray           # int64: in how many articles each bigram occurs
    articles: int

    def idf(self, codes: np.ndarray) -> np.ndarray:
        """log((N + 1) / (df + 1)) of each bigram code; unseen bigrams get the highest weight."""
        if len(self.bigrams) == 0:
            return np.ones(len(codes))
        at = np.minimum(np.searchsorted(self.bigrams, codes), len(self.bigrams) - 1)
        df = np.where(self.bigrams[at] == codes, self.df[at], 0)
        return np.log((self.articles + 1) / (df + 1.0))

    def candidates(self, passage: str, limit: int = 30, prefer: frozenset[int] = frozenset(),
                   ) -> list[tuple[int, float]]:
        """Articles sharing kept grams with `passage`, best first: (article_id, weight of the shared grams).

        A gram found in few articles weighs more than one found in many (log(1 + MAX_POSTING / articles)),
        so boilerplate such as 有下列行为之一的 does not crowd out the article a passage really comes from.
        Articles in `prefer` (the cited law's) are kept even past `limit`: boilerplate such as 本法自…起施行
        is shared by hundreds of laws, and the cited law's own copy must not be cut.
        """
        codes = codepoints(normalize(passage))
        if len(codes) < K:
            return []
        # Every gram of the passage, not only its winnowed ones: whichever gram an article kept inside the
        # shared run, the passage has it too.
        grams = _gram_hashes(codes, np.zeros(len(codes), dtype=np.int32))
        wanted = np.unique(grams[grams != _NONE])
        lo = np.searchsorted(self.hashes, wanted, side="left")
        hi = np.searchsorted(self.hashes, wanted, side="right")
        spans = [(a, b) for a, b in zip(lo.tolist(), hi.tolist()) if 0 < b - a <= MAX_POSTING]
        if not spans:
            return []
        hits = np.concatenate([self.ids[a:b] for a, b in spans])
        weights = np.concatenate([np.full(b - a, np.log1p(MAX_POSTING / (b - a))) for a, b in spans])
        found, inverse = np.unique(hits, return_inverse=True)
        score = np.bincount(inverse, weights=weights)
        order = np.lexsort((found, -score))               # best first, ties by article id
        chosen = order[:limit]
        if prefer:
            extra = [i for i in order[limit:] if int(found[i]) in prefer][:limit]
            chosen = np.concatenate([chosen, np.asarray(extra, dtype=chosen.dtype)])
        return [(int(found[i]), round(float(score[i]), 3)) for i in chosen]


def codepoints(text: str) -> np.ndarray:
    """The characters that carry content (CJK ideographs, ASCII letters and digits) as uint64 code points."""
    raw = _raw(text)
    points: np.ndarray = raw[_content(raw)].astype(np.uint64)
    return points


def _raw(text: str) -> np.ndarray:
    return np.frombuffer(unicodedata.normalize("NFKC", text).lower().encode("utf-32-le"), dtype=np.uint32)


def _content(raw: np.ndarray) -> np.ndarray:
    return (((raw >= 0x4E00) & (raw <= 0x9FFF)) | ((raw >= 0x3400) & (raw <= 0x4DBF))
            | ((raw >= 0x30) & (raw <= 0x39)) | ((raw >= 0x61) & (raw <= 0x7A)))


def _gram_hashes(codes: np.ndarray, doc: np.ndarray) -> np.ndarray:
    """Hash of the K-gram starting at each position; grams that cross a document boundary get _NONE."""
    n = len(codes) - K + 1
    if n <= 0:
        return np.empty(0, dtype=np.uint64)
    h = np.zeros(n, dtype=np.uint64)
    for j in range(K):
        h = h * _MULT + codes[j:j + n]
    # splitmix64 finaliser: spread the polynomial hash over all 64 bits before taking minima
    h ^= h >> np.uint64(30)
    h *= np.uint64(0xBF58476D1CE4E5B9)
    h ^= h >> np.uint64(27)
    h *= np.uint64(0x94D049BB133111EB)
    h ^= h >> np.uint64(31)
    h[doc[:n] != doc[K - 1:K - 1 + n]] = _NONE
    return h


def _winnow(h: np.ndarray) -> np.ndarray:
    """The hashes kept by winnowing: in every window of W grams, those equal to its minimum."""
    if len(h) == 0:
        return h
    chosen = h[_winnow_positions(h)]
    kept: np.ndarray = chosen[chosen != _NONE]
    return kept


def _winnow_positions(h: np.ndarray) -> np.ndarray:
    """Positions holding the minimum of some window of W consecutive hashes (every position when fewer)."""
    n = len(h) - W + 1
    if n <= 0:
        return np.arange(len(h))
    low = h[:n].copy()
    for j in range(1, W):
        np.minimum(low, h[j:j + n], out=low)
    mark = np.zeros(len(h), dtype=bool)
    for j in range(W):
        mark[j:j + n] |= h[j:j + n] == low
    return np.flatnonzero(mark)


def build_quote_index(gen: Path, corpus: Corpus | None = None) -> Path:
    """Write the quote index of the corpus in `gen` into `gen/index/` (atomically); return the directory."""
    own = corpus is None
    corpus = corpus or Corpus(gen / CORPUS_FILE)
    try:
        index = compute(corpus)
    finally:
        if own:
            corpus.close()
    return _write(gen, corpus, index)


def compute(corpus: Corpus) -> QuoteIndex:
    """The quote index of every article of `corpus`, in memory."""
    rows = corpus.article_texts()
    return _index_arrays([article_id for article_id, _ in rows], [text for _, text in rows])


def _write(gen: Path, corpus: Corpus, index: QuoteIndex) -> Path:
    """Save `index` (of `corpus`) into `gen/index/`, each file atomically; return the directory."""
    out = gen / INDEX_DIR
    out.mkdir(parents=True, exist_ok=True)
    meta = {"format": FORMAT, "k": K, "w": W, "fingerprint": corpus.meta.get("fingerprint", ""),
            "articles": index.articles, "entries": int(len(index.hashes)), "bigrams": int(len(index.bigrams))}
    for name, array in ((_HASHES, index.hashes), (_IDS, index.ids), (_BIGRAMS, index.bigrams), (_DF, index.df)):
        _save(out / name, array)
    tmp = out / f".{_META}.{os.getpid()}"
    tmp.write_text(json.dumps(meta), encoding="utf-8")
    os.replace(tmp, out / _META)
    return out


def _index_arrays(article_ids: list[int], texts: list[str]) -> QuoteIndex:
    # One pass over the whole text: articles joined by NUL, which marks the boundaries and carries no content.
    raw = _raw("\x00".join(texts))
    doc_all = np.cumsum(raw == 0, dtype=np.int64).astype(np.int32)
    keep = _content(raw)
    codes = raw[keep].astype(np.uint64)
    doc = doc_all[keep]
    del raw, doc_all, keep
    empty = QuoteIndex(np.empty(0, np.uint64), np.empty(0, np.int32), np.empty(0, np.uint64),
                       np.empty(0, np.int64), len(texts))
    if len(codes) < K:
        return empty
    bigrams, df = _document_frequency(codes, doc)
    h = _gram_hashes(codes, doc)
    del codes
    pos = _winnow_positions(h)
    # Articles too short for a whole window keep every gram.
    lengths = np.bincount(doc, minlength=len(texts))
    short = np.flatnonzero((lengths >= K) & (lengths < K + W - 1))
    if len(short):
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        extra = np.concatenate([np.arange(starts[i], starts[i] + lengths[i] - K + 1) for i in short])
        pos = np.concatenate([pos, extra])
    pos = pos[h[pos] != _NONE]
    keys = h[pos]
    owner = np.asarray(article_ids, dtype=np.int32)[doc[pos]]
    del h, doc, pos
    # One entry per (hash, article): repeats inside one article would only inflate its count.
    order = np.lexsort((owner, keys))
    keys, owner = keys[order], owner[order]
    first = np.ones(len(keys), dtype=bool)
    first[1:] = (keys[1:] != keys[:-1]) | (owner[1:] != owner[:-1])
    return QuoteIndex(keys[first], owner[first], bigrams, df, len(texts))


def _document_frequency(codes: np.ndarray, doc: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted bigram codes and the number of articles each occurs in (sort-based: np.unique is slow here)."""
    pairs = (codes[:-1] << np.uint64(16)) | codes[1:]
    inside = doc[:-1] == doc[1:]
    keyed = (doc[:-1][inside].astype(np.uint64) << np.uint64(32)) | pairs[inside]
    keyed.sort()
    first = np.ones(len(keyed), dtype=bool)
    first[1:] = keyed[1:] != keyed[:-1]
    per_doc = keyed[first] & np.uint64(0xFFFFFFFF)
    per_doc.sort()
    starts = np.flatnonzero(np.concatenate([[True], per_doc[1:] != per_doc[:-1]]))
    return per_doc[starts], np.diff(np.append(starts, len(per_doc))).astype(np.int64)


def _save(path: Path, array: np.ndarray) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.npy")
    np.save(tmp, array)
    os.replace(tmp, path)


def load_quote_index(gen: Path, corpus: Corpus) -> QuoteIndex | None:
    """The quote index saved in <gen>/index/ (memory-mapped), or None when it is missing or stale."""
    folder = gen / INDEX_DIR
    if not _fresh(folder, corpus):
        return None
    meta = json.loads((folder / _META).read_text(encoding="utf-8"))
    hashes, ids, bigrams, df = (np.load(folder / name, mmap_mode="r") for name in (_HASHES, _IDS, _BIGRAMS, _DF))
    return QuoteIndex(hashes, ids, bigrams, df, articles=int(meta["articles"]))


def _fresh(folder: Path, corpus: Corpus) -> bool:
    try:
        meta = json.loads((folder / _META).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (meta.get("format") == FORMAT and meta.get("k") == K and meta.get("w") == W
            and meta.get("fingerprint") == corpus.meta.get("fingerprint", "")
            and all((folder / name).is_file() for name in (_HASHES, _IDS, _BIGRAMS, _DF)))

"""BM25 fields: scored with weighted query terms straight from CSC arrays.

The corpus-sized fields (150k articles, 400k passages) are built here with numpy over character
bigrams: the whole corpus is one array of code points, so building costs a few sorts instead of a
Python loop per token (bm25s's builder took ~45 s for the three fields on 2 cores; this takes a few
seconds). The scoring is bm25s's "lucene" variant, so both builders give the same scores; the small
fields learned from questions (learned.py) are built with bm25s itself.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

K1, B = 1.2, 0.75
_HAN_LO, _HAN_HI = 0x3400, 0x9FFF  # the Han range of terms.bigrams
_SHIFT = 21  # code points fit in 21 bits
_SEEN = 100_000  # terms remembered per vocabulary (Vocab._at)


class Vocab(Mapping[str, int]):
    """term → column over an array of the terms sorted (looked up with np.searchsorted): loading one costs
    nothing, where a dict of a field's 270k terms took ~0.08 s to build in every process."""

    def __init__(self, terms: np.ndarray, columns: np.ndarray | None = None) -> None:
        self.terms = terms  # sorted; `columns[i]` is the column of terms[i] (its position when None)
        self.columns = columns
        self._seen: dict[str, int] = {}  # terms looked up before (a search costs ~3 µs, a dict 0.1)

    def _at(self, term: str) -> int:
        """The position of `term` in `terms`, or -1. A term wider than the array's strings cannot be there,
        and is not cast to their width (which would cut it to a stored prefix)."""
        at = self._seen.get(term)
        if at is not None:
            return at
        terms = self.terms
        if not terms.size or len(term) > terms.dtype.itemsize // 4:
            return -1
        at = int(np.searchsorted(terms, np.array(term, dtype=terms.dtype)))
        at = at if at < terms.size and terms[at] == term else -1
        if len(self._seen) >= _SEEN:
            self._seen.clear()  # a long-running server asks ever new terms: keep the memo bounded
        self._seen[term] = at
        return at

    def get(self, term: str, default: int | None = None) -> int | None:  # type: ignore[override]
        at = self._at(term)
        if at < 0:
            return default
        return int(self.columns[at]) if self.columns is not None else at

    def __getitem__(self, term: str) -> int:
        found = self.get(term)
        if found is None:
            raise KeyError(term)
        return found

    def __contains__(self, term: object) -> bool:
        return isinstance(term, str) and self._at(term) >= 0

    def __iter__(self) -> Iterator[str]:
        return iter(self.terms.tolist())

    def __len__(self) -> int:
        return int(self.terms.size)

    @classmethod
    def of(cls, vocab: Mapping[str, int]) -> Vocab:
        """The sorted form of a term → column mapping (bm25s's vocab_dict)."""
        terms = sorted(vocab)
        width = max((len(t) for t in terms), default=1) or 1
        return cls(np.array(terms, dtype=f"<U{width}"), np.array([vocab[t] for t in terms], dtype=np.int64))


@dataclass
class Field:
    """One BM25 index: vocabulary (term → column) and the per-document term scores of each column."""

    vocab: Mapping[str, int]
    data: np.ndarray
    indices: np.ndarray
    indptr: np.ndarray
    size: int

    @classmethod
    def load(cls, path: Path) -> Field:
        """Load a field written by build_bigram_field; postings are memory-mapped (plain ndarray views, as
        slicing a np.memmap costs a Python object per slice)."""
        def array(part: str) -> np.ndarray:
            return np.asarray(np.load(f"{path}.{part}.npy", mmap_mode="r"))
        # build_bigram_field writes the vocabulary sorted (by code point, as np.unique orders the keys), and a
        # term's column is its position there.
        vocab = Vocab(np.load(f"{path}.vocab.npy"))
        indptr = np.load(f"{path}.indptr.npy")
        return cls(vocab, array("data"), array("indices"), indptr, int(np.load(f"{path}.size.npy")))

    @classmethod
    def build(cls, corpus_terms: list[list[str]]) -> Field:
        """A small field from token lists, with bm25s."""
        import bm25s  # only for the learned fields when the build stored none bound (retrieve/stored.py)

        retriever = bm25s.BM25(k1=K1, b=B)
        # bm25s needs at least one term per document; "" never occurs in a query.
        retriever.index([t or [""] for t in corpus_terms], show_progress=False)
        s = retriever.scores
        return cls(retriever.vocab_dict, s["data"], s["indices"], s["indptr"], int(s["num_docs"]))

    def subset(self, keep: np.ndarray) -> Field:
        """The field over the documents where `keep` is True (renumbered in order); scores are unchanged
        (idf and lengths stay those of the whole field)."""
        kept = keep[self.indices]
        seen = np.concatenate(([0], np.cumsum(kept, dtype=np.int64)))
        renumber = np.cumsum(keep, dtype=np.int64) - 1
        return Field(self.vocab, np.ascontiguousarray(self.data[kept]),
                     renumber[self.indices[kept]].astype(np.int32), seen[self.indptr], int(keep.sum()))

    def best_possible(self, query_terms: dict[str, float], unseen: float = 0.0) -> float:
        """The score of a document scoring each query term as well as any document does: a scale for
        telling a close match from the best of poor ones. A term no document has counts as `unseen`
        (per unit of weight), so that a query whose telling words the field lacks is not scaled to its
        ordinary ones."""
        best = self.term_best
        total = 0.0
        for term, weight in query_terms.items():
            tid = self.vocab.get(term)
            if tid is not None and term and best[tid] > 0:
                total += weight * float(best[tid])
            elif term:
                total += weight * unseen
        return total

    @cached_property
    def term_best(self) -> np.ndarray:
        """Per term, the best score a document gets for it; 0 for a term without postings (a posting
        always scores above 0: bm25s's idf is positive)."""
        best = np.zeros(self.indptr.size - 1, dtype=np.float32)
        filled = self.indptr[1:] > self.indptr[:-1]
        if filled.any():
            best[filled] = np.maximum.reduceat(self.data, self.indptr[:-1][filled])
        return best

    def typical_best(self) -> float:
        """The median over terms of the best score a document gets for the term."""
        best = self.term_best[self.term_best > 0]
        return float(np.median(best)) if best.size else 0.0

    def scores(self, query_terms: list[str] | dict[str, float]) -> np.ndarray:
        """BM25 score of every document; a dict gives each term a weight (repeats count once in a list)."""
        weighted = query_terms if isinstance(query_terms, dict) else dict.fromkeys(query_terms, 1.0)
        out = np.zeros(self.size, dtype=np.float32)
        for term, weight in weighted.items():
            tid = self.vocab.get(term)
            if tid is None or not term:
                continue
            start, end = int(self.indptr[tid]), int(self.indptr[tid + 1])
            # Within one term's postings each document appears once, so fancy-index addition is exact.
            out[self.indices[start:end]] += np.float32(weight) * self.data[start:end]
        return out


def build_bigram_field(texts: list[str], path: Path) -> None:
    """Write a BM25 field over the Han character bigrams of `texts` (one document each) to `path`.*.npy.

    Only bigrams of two Han characters are indexed: terms.bigrams also yields ASCII words and lone
    characters for queries, which then simply find no posting.
    """
    n = len(texts)
    big = "\n".join(texts)  # the separator is not Han, so no bigram spans two documents
    cp = np.frombuffer(big.encode("utf-32-le"), dtype=np.uint32)
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=n)
    starts = np.concatenate(([0], np.cumsum(lengths + 1)[:-1])) if n else np.zeros(0, dtype=np.int64)
    han = (cp >= _HAN_LO) & (cp <= _HAN_HI)
    at = np.flatnonzero(han[:-1] & han[1:])
    keys = (cp[at].astype(np.int64) << _SHIFT) | cp[at + 1].astype(np.int64)
    doc = np.searchsorted(starts, at, side="right") - 1
    uniq, term = np.unique(keys, return_inverse=True)
    pairs, tf = np.unique(doc * len(uniq) + term, return_counts=True)
    p_doc, p_term = pairs // max(len(uniq), 1), pairs % max(len(uniq), 1)
    dl = np.bincount(doc, minlength=n).astype(np.float64)
    avgdl = max(float(dl.mean()) if n else 0.0, 1e-9)
    df = np.bincount(p_term, minlength=len(uniq)).astype(np.float64)
    idf = np.log(1.0 + (n - df + 0.5) / (df + 0.5))
    score = idf[p_term] * tf / (tf + K1 * (1 - B + B * dl[p_doc] / avgdl))
    order = np.argsort(p_term, kind="stable")  # by term, documents ascending within a term
    indptr = np.concatenate(([0], np.cumsum(np.bincount(p_term, minlength=len(uniq))))).astype(np.int64)
    vocab = np.array([chr(int(k) >> _SHIFT) + chr(int(k) & ((1 << _SHIFT) - 1)) for k in uniq], dtype="<U2")
    arrays = {"vocab": vocab, "data": score[order].astype(np.float32), "indices": p_doc[order].astype(np.int32),
              "indptr": indptr, "size": np.asarray(n, dtype=np.int64)}
    for part, values in arrays.items():
        np.save(f"{path}.{part}.npy", values)

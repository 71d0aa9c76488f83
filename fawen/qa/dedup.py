"""Near-duplicate questions: MinHash over character shingles of the question key, LSH for lookup.

The threshold was measured by `bench/answer.py --dedup` (reworded STARD questions against distinct ones);
see that benchmark for the table. Questions are short, so shingles are character 2-grams.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np

from fawen.qa.clean import question_key

# datasketch (with scipy.integrate: ~0.5 s) is imported where signatures are made: related questions only
# need `jaccard`.
if TYPE_CHECKING:
    from datasketch import MinHash

NUM_PERM = 128
SHINGLE = 2
THRESHOLD = 0.85  # measured (bench/answer.py --dedup): no false merge among the nearest distinct STARD pairs
_SEED = 7
# Stored signatures must be read back with the scheme that made them.
_SCHEME = "affine32"


def shingles(key: str, n: int = SHINGLE) -> set[str]:
    """Character n-grams of a question key (the whole key when shorter than n)."""
    if len(key) <= n:
        return {key} if key else set()
    return {key[i:i + n] for i in range(len(key) - n + 1)}


def minhash(question: str) -> MinHash:
    """The MinHash signature of a question (after `question_key`)."""
    from datasketch import MinHash

    m = MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME)
    m.update_batch([s.encode("utf-8") for s in sorted(shingles(question_key(question)))])
    return m


def to_bytes(m: MinHash) -> bytes:
    return np.asarray(m.hashvalues, dtype=np.uint64).tobytes()


def from_bytes(data: bytes) -> MinHash:
    from datasketch import MinHash

    values = np.frombuffer(data, dtype=np.uint64).copy()
    return MinHash(num_perm=len(values), seed=_SEED, hashvalues=values, scheme=_SCHEME)


def jaccard(a: str, b: str) -> float:
    """Exact Jaccard similarity of two questions' shingle sets (what MinHash estimates)."""
    sa, sb = shingles(question_key(a)), shingles(question_key(b))
    if not sa and not sb:
        return 1.0
    return len(sa & sb) / len(sa | sb)


class Clusters:
    """Assigns each question to a cluster of near-duplicates; a cluster is named by its first member."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        from datasketch import MinHashLSH

        self.threshold = threshold
        self.lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self.signatures: dict[int, MinHash] = {}
        self.cluster_of: dict[int, int] = {}
        self.keys: dict[int, str] = {}

    def add(self, item_id: int, question: str, signature: MinHash | None = None, cluster: int | None = None) -> int:
        """Add a question; returns its cluster id (an earlier near-duplicate's cluster, else its own id)."""
        sig = signature if signature is not None else minhash(question)
        key = question_key(question)
        if cluster is None:
            cluster = self.match(question, sig)
            if cluster is None:
                cluster = item_id
        self.lsh.insert(item_id, sig)
        self.signatures[item_id] = sig
        self.cluster_of[item_id] = cluster
        self.keys[item_id] = key
        return cluster

    def match(self, question: str, signature: MinHash | None = None) -> int | None:
        """The cluster of the closest earlier near-duplicate of `question`, or None."""
        sig = signature if signature is not None else minhash(question)
        key = question_key(question)
        best: tuple[float, int] | None = None
        for other in self.lsh.query(sig):
            # An identical key is a duplicate whatever the estimate; otherwise confirm the LSH candidate
            # with the MinHash estimate so that a chance band collision does not merge two questions.
            score = 1.0 if self.keys[other] == key else float(sig.jaccard(self.signatures[other]))
            if score >= self.threshold and (best is None or (-score, other) < (-best[0], best[1])):
                best = (score, other)
        return self.cluster_of[best[1]] if best else None


def cluster_all(questions: Iterable[tuple[int, str]], threshold: float = THRESHOLD) -> dict[int, int]:
    """Cluster ids for (id, question) pairs, in the order given."""
    clusters = Clusters(threshold)
    return {item_id: clusters.add(item_id, q) for item_id, q in questions}

"""What the build stores so that a process answers without computing it first (issue 16), and how the index
loads without building what it can look up instead."""

from __future__ import annotations

import numpy as np

from fawen.retrieve import learned as learned_mod
from fawen.retrieve.bm25 import Vocab


def test_vocab_finds_terms_of_any_length_and_only_those() -> None:
    vocab = Vocab(np.array(["乙丙", "甲", "甲乙"], dtype="<U2"))
    assert [vocab.get(t) for t in ("甲", "甲乙", "乙丙", "乙", "甲乙丙", "", "丁")] == [1, 2, 0, None, None, None, None]
    assert "甲乙" in vocab and "甲乙丙" not in vocab and len(vocab) == 3
    mapped = Vocab.of({"b": 7, "a": 3, "": 0})
    assert mapped.get("a") == 3 and mapped.get("b") == 7 and mapped.get("") == 0 and mapped.get("c") is None


def test_cited_votes_add_as_scipy_does() -> None:
    """learned.Cited replaces a scipy CSR matrix (whose import cost search 0.17 s): the same float32 sums."""
    from scipy import sparse

    rng = np.random.default_rng(7)
    questions, articles = 300, 40
    cells = sorted(set(zip(rng.integers(0, questions, 3000).tolist(), rng.integers(0, articles, 3000).tolist())))
    rows, cols = zip(*cells, strict=True)
    cited = learned_mod.Cited(np.concatenate(([0], np.cumsum(np.bincount(rows, minlength=questions)))),
                              np.asarray(cols, dtype=np.int64), articles)
    matrix = sparse.csr_matrix((np.ones(len(cells), dtype=np.float32), (rows, cols)), shape=(questions, articles))
    for _ in range(5):
        weights = (rng.random(questions, dtype=np.float32) * (rng.random(questions) < 0.1)) ** 3
        expected = np.asarray(matrix.T @ weights, dtype=np.float32).ravel()
        votes = cited.votes(weights)
        assert votes.dtype == np.float32 and np.array_equal(votes, expected)

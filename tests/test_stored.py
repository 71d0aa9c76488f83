"""What the build stores so that a process answers without computing it first (issue 16), and how the index
loads without building what it can look up instead."""

from __future__ import annotations

import numpy as np

from fawen.retrieve.bm25 import Vocab


def test_vocab_finds_terms_of_any_length_and_only_those() -> None:
    vocab = Vocab(np.array(["乙丙", "甲", "甲乙"], dtype="<U2"))
    assert [vocab.get(t) for t in ("甲", "甲乙", "乙丙", "乙", "甲乙丙", "", "丁")] == [1, 2, 0, None, None, None, None]
    assert "甲乙" in vocab and "甲乙丙" not in vocab and len(vocab) == 3
    mapped = Vocab.of({"b": 7, "a": 3, "": 0})
    assert mapped.get("a") == 3 and mapped.get("b") == 7 and mapped.get("") == 0 and mapped.get("c") is None

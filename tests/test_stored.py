"""What the build stores so that a process answers without computing it first (issue 16), and how the index
loads without building what it can look up instead."""

from __future__ import annotations

import json
from pathlib import Path

import jieba
import numpy as np

from fawen.retrieve import learned as learned_mod
from fawen.retrieve import terms
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


def test_the_word_table_cuts_as_jieba_does(tmp_path: Path) -> None:
    words = ["捏造事实诽谤", "治安管理处罚法", "劳动合同的订立", "用人单位"]
    terms.write_word_table(words, tmp_path)
    table = terms.read_word_table(tmp_path)
    assert table is not None
    texts = ["有人在微信群里捏造事实诽谤我，可以报警吗？", "用人单位违反治安管理处罚法的规定",
             "abc公司2024年拖欠工资10000元", "劳动合同的订立应当遵循什么原则", "𠀀字和〇", "", "   "]
    legal = terms.legal_tokenizer(words)
    assert [terms.WordCutter((), table).cut(t) for t in texts] == [legal.lcut(t.lower(), HMM=True) for t in texts]
    assert terms.WordCutter((), table).search_words(texts) == [list(jieba.cut_for_search(t)) for t in texts]
    meta = json.loads((tmp_path / "words.json").read_text(encoding="utf-8"))
    (tmp_path / "words.json").write_text(json.dumps({**meta, "jieba": "0.0"}), encoding="utf-8")
    assert terms.read_word_table(tmp_path) is None  # another jieba's dictionary may differ: not used

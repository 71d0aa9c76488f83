"""What the build stores so that a process answers without computing it first (issue 16), and how the index
loads without building what it can look up instead."""

from __future__ import annotations

import json
from pathlib import Path

import jieba
import numpy as np
import pytest

from fawen.answer import thresholds
from fawen.build import build
from fawen.corpus.layout import current_generation
from fawen.library import Library
from fawen.retrieve import learned as learned_mod
from fawen.retrieve import concepts, terms
from fawen.retrieve.bm25 import Vocab
from tests.fixtures import HEADER, write_lawrefbook

QUESTIONS = ("有人在微信群里捏造事实诽谤我，可以报警吗", "散布谣言扰乱公共秩序会被拘留几天", "公然侮辱他人罚款多少",
             "帖子被转发五百次算情节严重吗", "ABC公司2024年欠薪10000元怎么办？", "示例法第三条之一")


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


def test_pypinyin_reads_a_question_only_when_a_stretch_may_sound_like_a_term(tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    concepts.write_readings(tmp_path)
    readings = concepts.read_readings(tmp_path)
    assert readings is not None
    assert set(readings.of("行")) >= {"xing", "hang"} and readings.of("赔") == ("pei",)
    lexicon = concepts.load()  # the shipped lexicon, with every legal term's sound
    texts = ["公司该赔尝我多少", "这算不算诽镑", "被人诽谤了怎么办", "银行卡被盗刷谁负责", "乐队演出的音乐版权", *QUESTIONS]
    for rare in (lambda b: True, lambda b: b in {"赔尝", "诽镑", "盗刷"}):
        assert [lexicon.respell(t, rare, None, readings) for t in texts] == [lexicon.respell(t, rare) for t in texts]
    assert lexicon.respell("公司该赔尝我多少", lambda b: True, None, readings)  # a misspelling is still read

    import pypinyin

    def unread(*args: object, **kwargs: object) -> list[str]:
        raise AssertionError("pypinyin read a question no stretch of which may sound like a legal term")
    monkeypatch.setattr(pypinyin, "lazy_pinyin", unread)
    sample = concepts.Concepts({}, {"pei chang": ["赔偿"]}, frozenset({"赔偿"}))
    assert sample.respell("今天的天气很好", lambda b: True, None, readings) == []
    with pytest.raises(AssertionError, match="pypinyin read"):
        sample.respell("公司该赔尝我多少", lambda b: True, None, readings)
    (tmp_path / concepts.READINGS_FILE).write_text(json.dumps({"format": 1, "pypinyin": "another", "readings": {}}),
                                                   encoding="utf-8")
    assert concepts.read_readings(tmp_path) is None  # made from another pypinyin: not used


CITING = HEADER.format(title="最高人民法院关于适用《中华人民共和国示例法》的解释", events="2026年3月1日 施行") + """\
第一条 依照《中华人民共和国示例法》第三条之一的规定，多次发送侮辱信息的，应当认定为干扰他人正常生活。

第二条 示例法第二条所称公安机关，包括其派出机构。
"""


def test_the_reference_index_the_build_stored_is_the_one_found(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_lawrefbook(tmp_path / "lawrefbook", malformed=False)
    (root / "司法解释" / "关于适用示例法的解释.md").write_text(CITING, encoding="utf-8")
    build([f"lawrefbook:{root}"], tmp_path / "home", default=False, today="2026-11-25")
    gen = current_generation(tmp_path / "home")
    assert gen is not None
    found = thresholds.ReferenceIndex(Library(gen).corpus).by_target
    assert len(found) == 2  # 第三条之一 and 第二条 of 示例法
    read = thresholds.ReferenceIndex.read(gen)
    assert read is not None and read.by_target == found
    monkeypatch.setattr(thresholds, "references_code", lambda: "edited")
    assert thresholds.ReferenceIndex.read(gen) is None  # found by other code: not used

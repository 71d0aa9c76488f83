"""What the build stores so that a process answers without computing it first (issue 16): the jieba word
table, pypinyin's readings, the view searched by default, learned.json bound to the index, the reference
index. A process must load them (memory-mapped) instead of rebuilding them; an index built without them (by
an older fawen), another date, a relearned learned.json, other code or a damaged file must give the same
results by computing them in memory (a damaged file with a warning)."""

from __future__ import annotations

import json
import logging
import shutil
from dataclasses import fields
from pathlib import Path
from typing import Any

import jieba
import numpy as np
import pytest

from fawen.answer import thresholds
from fawen.build import build
from fawen.corpus.layout import INDEX_DIR, current_generation, read_manifest
from fawen.dates import as_of
from fawen.errors import CorpusError
from fawen.library import Home, Library
from fawen.models import DEFAULT_KINDS
from fawen.retrieve import learned as learned_mod
from fawen.retrieve import concepts, stored, terms
from fawen.retrieve.bm25 import Field, Vocab
from fawen.retrieve.index import Index, load_index
from fawen.retrieve.search import allowed
from fawen.service import Fawen
from tests.conftest import shared_data
from tests.fixtures import HEADER, write_lawrefbook

QUESTIONS = ("有人在微信群里捏造事实诽谤我，可以报警吗", "散布谣言扰乱公共秩序会被拘留几天", "公然侮辱他人罚款多少",
             "帖子被转发五百次算情节严重吗", "ABC公司2024年欠薪10000元怎么办？", "示例法第三条之一")


def memory_mapped(array: np.ndarray) -> bool:
    return isinstance(array, np.memmap) or isinstance(array.base, np.memmap)


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


# What an older fawen's index lacks (and a process would otherwise compute).
STORED = ("words.json", "words.keys.npy", "words.legal.npy", "words.plain.npy", thresholds.REFERENCES_FILE,
          concepts.READINGS_FILE)


def write_qa(home: Path) -> None:
    from fawen.qa.importer import import_path

    path = home / "qa.jsonl"
    rows = [{"question": q, "answer": "可以报警。"} for q in
            ("微信群里有人造谣诽谤我怎么办", "网上被人侮辱可以起诉吗", "公司拖欠工资怎么处理", "邻居噪音扰民可以报警吗")]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    import_path(path, home)


def test_a_process_loads_what_the_build_stored_and_builds_none_of_it(fixture_home: Path, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    shutil.copytree(fixture_home, home, symlinks=True)
    write_qa(home)
    gen = current_generation(home)
    assert gen is not None
    root = gen / INDEX_DIR
    manifest = read_manifest(gen)
    assert manifest is not None
    listed = set(manifest.files)
    for name in STORED:
        assert f"{INDEX_DIR}/{name}" in listed, name
    assert any(name.startswith(f"{INDEX_DIR}/{stored.VIEW_PREFIX}") for name in listed)
    assert f"{INDEX_DIR}/{stored.LEARNED_PREFIX}{stored.learned_key()}/meta.json" in listed

    def built(what: str) -> Any:
        def fail(*args: object, **kwargs: object) -> None:
            raise AssertionError(f"{what} was computed at query time although the build stored it")
        return fail
    original_references = thresholds.ReferenceIndex.__init__

    def references(self: thresholds.ReferenceIndex, corpus: object) -> None:
        assert corpus is None, "the reference index was computed at query time although the build stored it"
        original_references(self, None)
    monkeypatch.setattr(Index, "subset", built("Index.subset (the narrowed view)"))
    monkeypatch.setattr(Field, "subset", built("Field.subset (the narrowed view)"))
    monkeypatch.setattr(learned_mod, "bind", built("learned.bind"))
    monkeypatch.setattr(jieba.Tokenizer, "initialize", built("jieba's dictionary"))
    monkeypatch.setattr(terms, "legal_tokenizer", built("jieba with the legal words"))
    monkeypatch.setattr(thresholds.ReferenceIndex, "__init__", references)
    search_words = terms.WordCutter.search_words

    def the_question_only(self: terms.WordCutter, texts: list[str]) -> list[list[str]]:
        assert len(texts) == 1, "stored questions were cut at query time although `qa import` stored their cuts"
        return search_words(self, texts)
    monkeypatch.setattr(terms.WordCutter, "search_words", the_question_only)

    engine = Fawen(home)
    answer = engine.ask(QUESTIONS[0])
    assert answer.basis and answer.related
    assert engine.search(QUESTIONS[1], k=3)
    lib = engine.library()
    view = lib.view(as_of(None), DEFAULT_KINDS)
    for array in (view.index.text.data, view.index.part.indices, view.index.part_owner, lib.index.text.data):
        assert memory_mapped(array)
    assert memory_mapped(lib.learned.weights)  # (the fixture corpus has none of the laws learned.json knows)
    assert lib.index.cutter.table is not None and memory_mapped(lib.index.cutter.table.keys)
    assert isinstance(lib.index.text.vocab, Vocab)
    assert lib.index.readings is not None


def strip(gen: Path) -> None:
    """Remove what an older fawen did not store."""
    root = gen / INDEX_DIR
    for name in STORED:
        (root / name).unlink()
    for folder in root.iterdir():
        if folder.name.startswith((stored.VIEW_PREFIX, stored.LEARNED_PREFIX)):
            shutil.rmtree(folder)


def same(a: Any, b: Any) -> bool:
    """Equal structures: arrays by value and dtype, fields by postings and vocabulary."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.dtype == b.dtype \
            and np.array_equal(a, b)
    if isinstance(a, Field) or isinstance(b, Field):
        return isinstance(a, Field) and isinstance(b, Field) and a.size == b.size \
            and dict(a.vocab.items()) == dict(b.vocab.items()) \
            and all(same(getattr(a, p), getattr(b, p)) for p in ("data", "indices", "indptr"))
    if isinstance(a, learned_mod.Cited):
        return isinstance(b, learned_mod.Cited) and a.articles == b.articles and same(a.indptr, b.indptr) \
            and same(a.indices, b.indices)
    return bool(a == b)


def compare(stored_lib: Library, computed_lib: Library, questions: list[str], dates: list[str]) -> None:
    """The stored structures of one Library equal those another computes in memory, and so do searches."""
    new, old = stored_lib.index, computed_lib.index
    assert new.cutter.table is not None and old.cutter.table is None
    assert new.readings is not None and old.readings is None
    for name in ("part_owner", "cited_by"):
        assert same(getattr(new, name), getattr(old, name)), name
    texts = [q.lower() for q in questions]
    assert [new.cutter.cut(t) for t in texts] == [old.cutter.cut(t) for t in texts]
    assert new.cutter.search_words(texts) == old.cutter.search_words(texts)
    bound, computed = stored_lib.learned, computed_lib.learned
    for slot in fields(learned_mod.Learned):
        assert same(getattr(bound, slot.name), getattr(computed, slot.name)), slot.name
    assert stored_lib.references.by_target == computed_lib.references.by_target
    for date in dates:
        mask, digest = allowed(new, stored_lib.corpus, date, DEFAULT_KINDS)
        view = stored.read_view(new, digest)
        if date == as_of(None):
            assert view is not None
        if view is not None:
            narrowed = old.subset(mask)
            for name in ("article_id", "version_id", "law_id", "number", "suffix", "kind", "text", "part",
                         "part_start", "part_owner", "section", "link_src", "link_dst", "cited_by"):
                assert same(getattr(view, name), getattr(narrowed, name)), name
        for question in questions:
            assert stored_lib.ranked(question, 20, date, DEFAULT_KINDS) == \
                computed_lib.ranked(question, 20, date, DEFAULT_KINDS)


def test_an_index_without_the_stored_parts_gives_the_same_results(fixture_home: Path, tmp_path: Path) -> None:
    gen = current_generation(fixture_home)
    assert gen is not None
    older = tmp_path / gen.name
    shutil.copytree(gen, older)
    strip(older)
    compare(Library(gen, fixture_home), Library(older, tmp_path), list(QUESTIONS), [as_of(None), "2015-01-01"])


def test_the_stored_parts_of_the_real_corpus_equal_those_computed(real_home: Path, tmp_path: Path) -> None:
    """On the full corpus: the same cuts for 300 STARD questions, the same view, learned parts, references
    and top 20 (the benchmark script compares whole answer pages)."""
    stard = shared_data() / "stard" / "dev.jsonl"
    if not stard.is_file():
        pytest.skip(f"real data not available: {stard} is absent (set FAWEN_SHARED_DATA)")
    questions = [json.loads(line)["question"][:500] for line in stard.read_text(encoding="utf-8").splitlines()]
    gen = current_generation(real_home)
    assert gen is not None
    older = tmp_path / gen.name
    older.mkdir()
    for item in gen.iterdir():  # the corpus and the index files, linked rather than copied (hundreds of MB)
        if item.is_file():
            (older / item.name).symlink_to(item)
    (older / INDEX_DIR).mkdir()
    for item in (gen / INDEX_DIR).iterdir():
        if item.is_file():
            (older / INDEX_DIR / item.name).symlink_to(item)
    strip(older)
    stored_lib, computed_lib = Library(gen, real_home), Library(older, tmp_path)
    assert stored_lib.index.cutter.table is not None
    bound = stored_lib.learned  # read from the store, every part
    assert bound.exp_bigram is not None and memory_mapped(bound.exp_bigram.data) and memory_mapped(bound.weights)
    texts = [q.lower() for q in questions[:300]]
    assert [stored_lib.index.cutter.cut(t) for t in texts] == [computed_lib.index.cutter.cut(t) for t in texts]
    compare(stored_lib, computed_lib, questions[:40], [as_of(None)])


def test_learned_parts_read_back_as_they_were_written(tmp_path: Path) -> None:
    """Every kind of learned part (bm25s fields, Cited, arrays, the bridge, floats) comes back equal, mapped."""
    bags = [["甲乙", "乙丙"], ["丙丁"], ["甲乙", "丁戊", "戊己"]]
    learned = learned_mod.Learned(np.arange(3, dtype=np.float32), exp_bigram=Field.build(bags),
                                  map_doc=np.array([4, 9], dtype=np.int64), map_art=np.array([0, 1], dtype=np.int64),
                                  bridge={"欠薪": [("工资", 0.5)]}, neighbours=Field.build(bags),
                                  neighbour_articles=learned_mod.Cited(np.array([0, 1, 1, 3]), np.array([1, 0, 1]), 2),
                                  neighbour_unseen=0.25, hub=np.ones(10, dtype=np.float32))
    stored.write_learned(learned, tmp_path, "key")
    read = stored.read_learned(tmp_path, "key")
    assert read is not None
    for slot in fields(learned_mod.Learned):
        assert same(getattr(read, slot.name), getattr(learned, slot.name)), slot.name
    assert read.exp_bigram is not None and memory_mapped(read.exp_bigram.data) and memory_mapped(read.hub)
    assert read.exp_bigram.scores(["甲乙", "丁戊"]).tolist() == learned.exp_bigram.scores(["甲乙", "丁戊"]).tolist()
    assert stored.read_learned(tmp_path, "other") is None


def test_another_date_is_narrowed_in_memory(fixture_home: Path) -> None:
    """The build stores the view of its own day; a date when other versions are in force gets its own view,
    computed, equal to Index.subset of its mask."""
    gen = current_generation(fixture_home)
    assert gen is not None
    lib = Library(gen, fixture_home)
    today, _ = allowed(lib.index, lib.corpus, as_of(None), DEFAULT_KINDS)
    mask, digest = allowed(lib.index, lib.corpus, "2015-01-01", DEFAULT_KINDS)
    assert not np.array_equal(mask, today)  # the fixture has versions not yet in force in 2015
    assert stored.read_view(lib.index, digest) is None
    view = lib.view("2015-01-01", DEFAULT_KINDS)
    assert not memory_mapped(view.index.text.data)
    assert same(view.index.text.data, lib.index.subset(mask).text.data)
    assert memory_mapped(lib.view(as_of(None), DEFAULT_KINDS).index.text.data)


def relearned(tmp_path: Path) -> Path:
    """learned.json with other weights, as learn/retrieval.py would write it."""
    data = json.loads(learned_mod.LEARNED_FILE.read_text(encoding="utf-8"))
    data["weights"] = {**data["weights"], "text": float(data["weights"].get("text", 1.0)) + 0.5}
    path = tmp_path / "learned.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_a_relearned_learned_json_is_bound_in_memory(fixture_home: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    gen = current_generation(fixture_home)
    assert gen is not None
    before = Library(gen, fixture_home).learned
    assert memory_mapped(before.weights)
    monkeypatch.setattr(learned_mod, "LEARNED_FILE", relearned(tmp_path))
    key = stored.learned_key()
    assert key is not None and stored.read_learned(gen / INDEX_DIR, key) is None
    after = Library(gen, fixture_home).learned
    assert not memory_mapped(after.weights)
    expected = learned_mod.bind(learned_mod.read(), load_index(gen), Library(gen, fixture_home).corpus)
    assert same(after.weights, expected.weights) and not same(after.weights, before.weights)


def test_what_other_code_stored_is_computed_again(fixture_home: Path, monkeypatch: pytest.MonkeyPatch,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    """A stored part made by other code (an edited bind or subset, another pypinyin or jieba) is not read."""
    gen = current_generation(fixture_home)
    assert gen is not None
    trusted = Library(gen, fixture_home)
    monkeypatch.setattr(stored, "view_code", lambda: "edited")
    monkeypatch.setattr(stored, "learned_code", lambda: "edited")
    monkeypatch.setattr(thresholds, "references_code", lambda: "edited")
    monkeypatch.setattr(terms, "code_key", lambda *sources: "edited")
    monkeypatch.setattr(concepts, "code_key", lambda *sources: "edited")
    with caplog.at_level(logging.WARNING):
        lib = Library(gen, fixture_home)
        view = lib.view(as_of(None), DEFAULT_KINDS)
        assert not memory_mapped(view.index.text.data) and not memory_mapped(lib.learned.weights)
        assert lib.index.cutter.table is None and lib.index.readings is None
        assert thresholds.ReferenceIndex.read(gen) is None
        assert lib.references.by_target == trusted.references.by_target
        for question in QUESTIONS:
            assert lib.ranked(question, 20, as_of(None), DEFAULT_KINDS) == \
                trusted.ranked(question, 20, as_of(None), DEFAULT_KINDS)
    assert not stored_warnings(caplog)  # not a damage: nothing to warn of


def stored_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records
            if r.levelno == logging.WARNING and r.name in ("fawen.stored", "fawen.references")]


def damage(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


@pytest.mark.parametrize("part", ["view array", "view meta", "learned array", "learned meta", "references"])
def test_a_damaged_stored_part_is_computed_with_a_warning(part: str, fixture_home: Path, tmp_path: Path,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    gen = current_generation(fixture_home)
    assert gen is not None
    copy = tmp_path / gen.name
    shutil.copytree(gen, copy)
    root = copy / INDEX_DIR
    view_root = next(root.glob(f"{stored.VIEW_PREFIX}*"))
    learned_root = next(root.glob(f"{stored.LEARNED_PREFIX}*"))
    damage({"view array": view_root / "text.indices.npy", "view meta": view_root / "meta.json",
            "learned array": learned_root / "weights.npy", "learned meta": learned_root / "meta.json",
            "references": root / thresholds.REFERENCES_FILE}[part])
    intact = Library(gen, fixture_home)
    with caplog.at_level(logging.WARNING):
        lib = Library(copy, tmp_path)
        view = lib.view(as_of(None), DEFAULT_KINDS)
        for question in QUESTIONS:
            assert lib.ranked(question, 20, as_of(None), DEFAULT_KINDS) == \
                intact.ranked(question, 20, as_of(None), DEFAULT_KINDS)
        assert lib.references.by_target == intact.references.by_target
    warned = stored_warnings(caplog)
    assert len(warned) == 1 and "unreadable" in warned[0], warned
    assert memory_mapped(view.index.text.data) == part.startswith(("learned", "references"))
    assert memory_mapped(lib.learned.weights) == part.startswith(("view", "references"))
    # Opened as FAWEN_HOME's corpus, the manifest's sizes catch it: the error says to rebuild.
    (tmp_path / "current").symlink_to(copy.name)
    with pytest.raises(CorpusError, match="fawen corpus build"):
        Home(tmp_path).library()

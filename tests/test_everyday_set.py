"""The everyday question set (bench/data/everyday.jsonl): the file meets its rules and the loader names the
line of a broken one (no data needed); on the real corpus, every gold article resolves today."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from bench.everyday import AREAS, DEFAULT_PATH, VERDICTS, EverydayError, load, main
from fawen.corpus.store import Corpus
from fawen.errors import NotFound

# Gold articles of laws that only the 2026 LawRefBook snapshot carries (../shared/data/lawrefbook-2026): the
# real_corpus fixture is built from the 2025 snapshot, where these laws are absent. They are right gold today.
ONLY_IN_2026_SNAPSHOT = {
    ("最高人民法院关于审理劳动争议案件适用法律问题的解释（二）", "第十九条"),
    ("住房租赁条例", "第十条"),
    ("最高人民法院关于审理道路交通事故损害赔偿案件适用法律若干问题的解释（二）", "第二条"),
    ("最高人民法院关于审理道路交通事故损害赔偿案件适用法律若干问题的解释（二）", "第三条"),
}
# Statute words a lay asker would not use; the set is meant to make retrieval bridge from everyday words.
LEGAL_TERMS = ("用人单位", "出租人", "承租人", "承揽人", "定作人", "饲养的动物", "运输合同", "劳动者", "被继承人",
               "债权人", "债务人", "民事法律行为", "不动产", "法定代理人")

GOOD = {"id": "ev-001", "area": "借贷", "question": "朋友借了我两万块一直不还，微信也不回，我该怎么办？",
        "gold": [{"law": "中华人民共和国民法典", "article": "第六百七十五条"}],
        "key": {"law": "中华人民共和国民法典", "article": "第六百七十五条"},
        "verdict": None, "verdict_why": None, "typo": False}


def test_the_set_loads_and_meets_its_rules() -> None:
    questions = load()
    assert len(questions) >= 150
    per_area = Counter(q.area for q in questions)
    assert set(per_area) == set(AREAS) and min(per_area.values()) >= 10, per_area
    assert [q.id for q in questions] == [f"ev-{n:03d}" for n in range(1, len(questions) + 1)]
    assert len({q.question for q in questions}) == len(questions), "a question appears twice"
    assert all(1 <= len(q.gold) <= 4 and q.key in q.gold for q in questions)
    yes_no = [q for q in questions if q.verdict is not None]
    assert len(yes_no) >= 60
    assert {q.verdict for q in yes_no} == set(VERDICTS)
    # Each verdict names the article whose rule decides it.
    assert all("第" in (q.verdict_why or "") and "条" in (q.verdict_why or "") for q in yes_no)
    assert 8 <= sum(q.typo for q in questions) <= 15


def test_questions_are_in_everyday_words() -> None:
    formal = {q.id: [t for t in LEGAL_TERMS if t in q.question] for q in load()}
    assert not {k: v for k, v in formal.items() if v}


def test_every_area_spreads_over_several_key_articles() -> None:
    """No area is one issue asked twelve ways: its key articles are mostly different."""
    for area in AREAS:
        keys = [(q.key.law, q.key.article) for q in load() if q.area == area]
        assert len(set(keys)) >= len(keys) - 3, (area, Counter(keys).most_common(3))


def _write(tmp_path: Path, *rows: object) -> Path:
    path = tmp_path / "set.jsonl"
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows) + "\n",
                    encoding="utf-8")
    return path


@pytest.mark.parametrize("change, message", [
    ({"area": "房产"}, "未知领域"),
    ({"gold": []}, "gold 应有 1–4 条"),
    ({"gold": [{"law": "中华人民共和国民法典", "article": f"第{n}条"} for n in "一二三四五"]}, "gold 应有 1–4 条"),
    ({"key": {"law": "中华人民共和国民法典", "article": "第六百七十六条"}}, "不在 gold 中"),
    ({"verdict": "能"}, "verdict 应为"),
    ({"verdict": "可以"}, "须写 verdict_why"),
    ({"verdict_why": "民法典第六百七十五条"}, "没有 verdict 时"),
    ({"typo": "no"}, "typo 应为"),
    ({"id": "q1"}, "id 应形如"),
    ({"question": "借钱不还"}, "question 应为"),
    ({"gold": [{"law": "中华人民共和国民法典", "article": "第675条"}],
      "key": {"law": "中华人民共和国民法典", "article": "第675条"}}, "应写作 第六百七十五条"),
    ({"gold": [{"law": "中华人民共和国民法典", "article": "第六百七十五条第二款"}]}, "应写作"),
    ({"extra": 1}, "多余"),
])
def test_a_broken_line_is_named(tmp_path: Path, change: dict[str, object], message: str) -> None:
    path = _write(tmp_path, GOOD, {**GOOD, "id": "ev-002", **change})
    with pytest.raises(EverydayError) as caught:
        load(path)
    assert f"{path}:2:" in str(caught.value) and message in str(caught.value)


@pytest.mark.parametrize("second, message", [
    ("{not json", "不是合法的 JSON"),
    ("[1, 2]", "JSON 对象"),
    (json.dumps(GOOD, ensure_ascii=False), "id ev-001 重复"),
    ('{"id": "ev-002", "id": "ev-003"}', "字段重复"),
])
def test_malformed_lines_are_named(tmp_path: Path, second: str, message: str) -> None:
    path = _write(tmp_path, GOOD, second)
    with pytest.raises(EverydayError) as caught:
        load(path)
    assert f"{path}:2:" in str(caught.value) and message in str(caught.value)


def test_missing_or_empty_file(tmp_path: Path) -> None:
    with pytest.raises(EverydayError, match="无法读取"):
        load(tmp_path / "absent.jsonl")
    with pytest.raises(EverydayError, match="没有问题"):
        load(_write(tmp_path, ""))


def test_main_prints_counts_and_exits_2_on_a_bad_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--path", str(DEFAULT_PATH)]) == 0
    out = capsys.readouterr().out
    total = next(line for line in out.splitlines() if line.startswith("total")).split()
    assert int(total[1]) == len(load()) and "gold per question:" in out and "verdicts:" in out
    assert main(["--path", str(_write(tmp_path, "{not json"))]) == 2
    assert ":1:" in capsys.readouterr().err


@pytest.mark.realdata
def test_every_gold_article_resolves_today(real_corpus: Corpus) -> None:
    """Each gold article is in force today under its full title, and the key article has text."""
    absent: set[tuple[str, str]] = set()
    for question in load():
        for gold in question.gold:
            try:
                hit = real_corpus.get_article(gold.law, gold.article)
            except NotFound:
                absent.add((gold.law, gold.article))
                continue
            assert (hit.law, hit.article) == (gold.law, gold.article), question.id
            if gold == question.key:
                assert hit.text.strip(), question.id
    assert absent <= ONLY_IN_2026_SNAPSHOT, sorted(absent - ONLY_IN_2026_SNAPSHOT)

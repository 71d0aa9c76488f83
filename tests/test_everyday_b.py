"""The held-out everyday set (bench/data/everyday_b.jsonl), written apart from the first set and tuned on by nobody:
the file meets its rules, it is no rewording of the first set or of STARD, and (with ../shared/data) every gold
article resolves today under its full title."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from bench.everyday import (AREAS, DEFAULT_PATH, HELD_OUT_PATH, NEAR_DUPLICATE, SETS, VERDICTS, EverydayError,
                            load, load_sets, main, near_duplicates, set_name)
from fawen.corpus.store import Corpus
from fawen.errors import NotFound
from tests.conftest import require_shared
from tests.test_everyday_set import GOOD, LEGAL_TERMS


def test_the_held_out_set_loads_and_meets_its_rules() -> None:
    questions = load(HELD_OUT_PATH)
    assert len(questions) >= 120
    per_area = Counter(q.area for q in questions)
    assert set(per_area) == set(AREAS) and all(8 <= n <= 10 for n in per_area.values()), per_area
    # Its ids continue after the first set's, so a page or a row names one question of either set.
    assert [q.id for q in questions] == [f"ev-{n}" for n in range(201, 201 + len(questions))]
    assert len({q.question for q in questions}) == len(questions), "a question appears twice"
    assert all(1 <= len(q.gold) <= 4 and q.key in q.gold for q in questions)
    yes_no = [q for q in questions if q.verdict is not None]
    assert len(yes_no) >= 60 and {q.verdict for q in yes_no} == set(VERDICTS)
    assert all("第" in (q.verdict_why or "") and "条" in (q.verdict_why or "") for q in yes_no)
    assert 8 <= sum(q.typo for q in questions) <= 15


def test_held_out_questions_are_in_everyday_words() -> None:
    formal = {q.id: [t for t in LEGAL_TERMS if t in q.question] for q in load(HELD_OUT_PATH)}
    assert not {k: v for k, v in formal.items() if v}


def test_held_out_areas_spread_over_several_key_articles() -> None:
    for area in AREAS:
        keys = [(q.key.law, q.key.article) for q in load(HELD_OUT_PATH) if q.area == area]
        assert len(set(keys)) >= len(keys) - 1, (area, Counter(keys).most_common(3))


def test_no_question_rewords_the_first_set_or_another_of_its_own() -> None:
    first = [q.question for q in load(DEFAULT_PATH)]
    held = load(HELD_OUT_PATH)
    assert near_duplicates(held, first) == []
    assert near_duplicates(held, [q.question for q in held]) == []


def test_near_duplicates_catch_a_reworded_question() -> None:
    """The check can fail: a question with a few words changed is caught, a different question is not."""
    held = load(HELD_OUT_PATH)[:1]
    reworded = held[0].question.replace("我", "俺", 2).replace("？", "啊？")
    assert [qid for qid, _, _ in near_duplicates(held, [reworded])] == [held[0].id]
    assert near_duplicates(held, [q.question for q in load(DEFAULT_PATH)[:5]]) == []


def test_both_sets_load_by_name_and_may_not_share_ids(tmp_path: Path) -> None:
    sets = load_sets()
    assert list(sets) == [set_name(p) for p in SETS] == ["everyday", "everyday_b"]
    clash = tmp_path / "clash.jsonl"
    clash.write_text(json.dumps(GOOD, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(EverydayError, match="ev-001"):
        load_sets([DEFAULT_PATH, clash])
    with pytest.raises(EverydayError, match="同名"):
        load_sets([DEFAULT_PATH, DEFAULT_PATH])


def test_main_reports_both_sets_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0
    out = capsys.readouterr().out
    totals = [line.split() for line in out.splitlines() if line.startswith("total")]
    assert [int(t[1]) for t in totals] == [len(load(DEFAULT_PATH)), len(load(HELD_OUT_PATH))]
    assert f"everyday_b against everyday: 0 near-duplicate questions (rapidfuzz ratio ≥ {NEAR_DUPLICATE:.0f})" in out


@pytest.mark.realdata
def test_no_held_out_question_rewords_a_stard_question() -> None:
    dev = require_shared("stard", "dev.jsonl")
    stard = [json.loads(line)["question"] for line in dev.open(encoding="utf-8")]
    assert near_duplicates(load(HELD_OUT_PATH), stard) == []


@pytest.mark.realdata
def test_every_held_out_gold_article_resolves_today(real_corpus: Corpus) -> None:
    """Each gold article is in force today under its full title (the 2026 corpus: 住房租赁条例 included), and
    the key article has text."""
    for question in load(HELD_OUT_PATH):
        for gold in question.gold:
            try:
                hit = real_corpus.get_article(gold.law, gold.article)
            except NotFound:
                pytest.fail(f"{question.id}: {gold.law}{gold.article} is not in force today")
            assert (hit.law, hit.article) == (gold.law, gold.article), question.id
            if gold == question.key:
                assert hit.text.strip(), question.id

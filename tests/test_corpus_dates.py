"""Dates a document states about itself (fawen.corpus.dates), on fixture texts."""

from __future__ import annotations

import pytest

from fawen.corpus.dates import (OPEN, DateClaim, choose, effective_clauses, events, find_dates,
                                speaks_for_itself)


@pytest.mark.parametrize("text, date", [
    ("第七十五条 本法自2024年3月1日起施行。", "2024-03-01"),
    ("第三十七条 本法自一九八五年十月一日起施行。", "1985-10-01"),
    ("第二十条 本条例自 2011 年 1 月 1 日起施行。", "2011-01-01"),
    ("本规定自2022年3月1日起实施", "2022-03-01"),
    ("八、本修正案自2024年3月1日起施行。", "2024-03-01"),
    ("第三十九条 本条例自2022年11月1日起施行。《个体工商户条例》同时废止。", "2022-11-01"),
    ("本解释自二〇二一年一月一日起施行。", "2021-01-01"),
])
def test_dated_clauses(text: str, date: str) -> None:
    clauses = effective_clauses(text)
    assert [(c.date, c.on_publication) for c in clauses] == [(date, False)]


def test_on_publication_clauses() -> None:
    [decision] = effective_clauses("本决定自公布之日起施行。")
    assert decision.subject == "本决定" and decision.on_publication and decision.date is None
    [law] = effective_clauses("本法自公布之日起施行，《中华人民共和国民事诉讼法（试行）》同时废止。")
    assert law.subject == "本法" and law.on_publication


def test_clause_about_another_text_is_not_one() -> None:
    # The 时间效力规定 speaks of the 民法典's date, not of its own.
    assert effective_clauses("《中华人民共和国民法典》自2021年1月1日起施行，此前的法律事实引起的纠纷…") == []
    assert effective_clauses("本法施行前已经注册的商标继续有效。") == []


def test_impossible_dates_are_dropped() -> None:
    assert find_dates("2023年2月30日 通过，2023年12月29日 公布") == ["2023-12-29"]
    assert effective_clauses("本法自2023年13月1日起施行") == []


def test_event_lines() -> None:
    found = events([
        "1979年7月1日 第五届全国人民代表大会第二次会议通过",
        "2023年12月29日 第十四届全国人民代表大会常务委员会第七次会议通过的《中华人民共和国刑法修正案（十二）》",
        "2021年1月1日 施行",
        "2004年3月14日 全国人民代表大会公告公布施行",
        "1999年3月10日 海关总署发布 自1999年4月1日施行",
        "这一行没有日期",
    ])
    assert [(e.date, e.kind) for e in found] == [
        ("1979-07-01", "made"), ("2023-12-29", "made"), ("2021-01-01", "effective"),
        ("2004-03-14", "made"), ("2004-03-14", "effective"),
        ("1999-03-10", "made"), ("1999-04-01", "effective")]


def test_amendment_wording_names_its_own_date() -> None:
    text = ("五、将刑法第三百九十条修改为：“对犯行贿罪的，处三年以下有期徒刑或者拘役，并处罚金；”\n"
            "八、本修正案自2024年3月1日起施行。")
    [clause] = effective_clauses(text)
    assert clause.subject == "本修正案" and clause.date == "2024-03-01"


def test_subject_must_be_the_document_itself() -> None:
    assert speaks_for_itself("中华人民共和国刑法修正案（十二）", "本修正案")
    assert speaks_for_itself("中华人民共和国民法典", "本法")
    assert speaks_for_itself("个体工商户条例", "本条例")
    # An annex of the 香港基本法 says 「本办法自2021年3月31日起施行」: not the law's own date.
    assert not speaks_for_itself("中华人民共和国香港特别行政区基本法", "本办法")
    assert not speaks_for_itself("最高人民法院关于审理民间借贷案件适用法律若干问题的规定", "本解释")


def claim(date: str, provenance: str, source: str = "x", weak: bool = False) -> DateClaim:
    return DateClaim("effective", date, provenance, source, f"{source}: {date}", weak=weak)


def test_choice_by_provenance_and_the_disagreement_it_reports() -> None:
    catalogue = claim("2023-09-01", "catalogue", "lawrefbook")
    document = claim("2024-01-01", "document", "decision")
    chosen = choose([catalogue, document], "2023-09-01")
    assert (chosen.date, chosen.provenance) == ("2024-01-01", "document")
    assert chosen.disagree == (catalogue,)
    curated = claim("2024-01-02", "curated", "curated")
    assert choose([catalogue, document, curated]).provenance == "curated"


def test_weak_claims_never_decide_but_are_reported() -> None:
    weak = claim("2023-09-01", "catalogue", "chinalaw", weak=True)
    chosen = choose([weak], "2023-09-01", "only the promulgation date")
    assert (chosen.date, chosen.provenance) == ("2023-09-01", "unverified")
    chosen = choose([weak, claim("2024-01-01", "catalogue", "lawrefbook")])
    assert chosen.date == "2024-01-01" and chosen.disagree == (weak,)


def test_lawrefbook_catalogue_before_chinalaw_and_later_document_date() -> None:
    chinalaw = claim("2021-03-31", "catalogue", "chinalaw")
    lawrefbook = claim("1997-07-01", "catalogue", "lawrefbook")
    assert choose([chinalaw, lawrefbook]).date == "1997-07-01"
    # Two document claims: the later one is the amendment's, the earlier restates the original.
    assert choose([claim("1991-04-09", "document"), claim("2024-01-01", "document")]).date == "2024-01-01"


def test_no_claim_is_unverified() -> None:
    chosen = choose([], "2023-12-29", "promulgation")
    assert (chosen.date, chosen.provenance, chosen.where) == ("2023-12-29", "unverified", "promulgation")
    assert OPEN == "open"

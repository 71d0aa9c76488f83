"""Verification of citations against the auditor's fixture corpus (tests/cite_helpers.py): every finding kind,
dates, the quote index, relevance, bad input and the service entry point."""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fawen import service
from fawen.cite import quotes
from fawen.cite.audit import check
from fawen.cite.report import CheckReport
from fawen.library import Library
from fawen.errors import BadInput, TooLarge
from tests.cite_helpers import TODAY, cite_home  # noqa: F401 - the fixture is used by name
from tests.conftest import open_library


@pytest.fixture
def corpus(cite_home: Path, monkeypatch: pytest.MonkeyPatch) -> Library:
    """The Library of the auditor's fixture corpus (what `check` verifies against)."""
    monkeypatch.setenv("FAWEN_HOME", str(cite_home))
    return open_library(cite_home)


def only(report: CheckReport) -> tuple[str, list[tuple[str, str | None]]]:
    assert len(report.citations) == 1, report.to_json()
    c = report.citations[0]
    return c.status, [(f.kind, f.suggestion) for f in c.findings]


def test_a_correct_citation_is_ok(corpus: Library) -> None:
    report = check(corpus, "《中华人民共和国示例法》第三条：有下列行为之一的，处五日以下拘留或者一千元以下罚款", as_of=TODAY)
    assert only(report) == ("ok", [])
    assert report.to_json() == {"citations": [{"raw": "《中华人民共和国示例法》第三条", "law": "中华人民共和国示例法",
                                               "article": "第三条", "status": "ok", "findings": []}]}


def test_old_number_with_the_text_in_force_is_renumbered(corpus: Library) -> None:
    report = check(corpus, "《示例法》第二条：有下列行为之一的，处五日以下拘留或者一千元以下罚款", as_of=TODAY)
    assert only(report) == ("renumbered", [("renumbered", "《中华人民共和国示例法》第三条")])


def test_old_number_without_quote_is_read_from_the_context(corpus: Library) -> None:
    report = check(corpus, "散布谣言扰乱公共秩序的，依照示例法第二条处罚。", as_of=TODAY)
    assert only(report) == ("renumbered", [("renumbered", "《中华人民共和国示例法》第三条")])
    # The context says nothing about the old provision: the number is read in the version in force.
    assert only(check(corpus, "示例法第二条规定了主管部门。", as_of=TODAY)) == ("ok", [])


def test_the_same_citation_is_correct_on_an_earlier_date(corpus: Library) -> None:
    text = "《示例法》第二条：有下列行为之一的，处五日以下拘留或者五百元以下罚款"
    assert only(check(corpus, text, as_of="2020-01-01")) == ("ok", [])
    assert only(check(corpus, text, as_of=TODAY, event_date="2020-01-01")) == ("ok", [])


def test_an_article_added_later_is_not_in_force_on_the_event_date(corpus: Library) -> None:
    status, findings = only(check(corpus, "《示例法》第三条之一", as_of=TODAY, event_date="2020-01-01"))
    assert status == "not_in_force"


def test_a_law_not_yet_in_force(corpus: Library) -> None:
    report = check(corpus, "《示例法》第一条", as_of="2000-01-01")
    assert only(report)[0] == "not_in_force"
    assert "尚未施行" in report.citations[0].findings[0].message


def test_unknown_article_and_unknown_law_are_not_found(corpus: Library) -> None:
    report = check(corpus, "《示例法》第九十九条；依照中华人民共和国快乐法第三条", as_of=TODAY)
    assert [c.status for c in report.citations] == ["not_found", "not_found"]
    assert "第四条" in report.citations[0].findings[0].message      # says how many articles there are


def test_a_short_name_of_several_laws_is_ambiguous(corpus: Library) -> None:
    report = check(corpus, "河道管理条例第一条", as_of=TODAY)
    assert only(report)[0] == "ambiguous"
    assert "甲省河道管理条例" in report.citations[0].findings[0].message


def test_a_quote_from_another_law_is_misattributed_and_names_it(corpus: Library) -> None:
    text = ("《中华人民共和国示例文化保障法》第五条：新闻媒体应当开展医疗卫生法律、法规和医疗卫生知识的公益宣传，"
            "弘扬医师先进事迹")
    assert only(check(corpus, text, as_of=TODAY)) == ("misattributed", [("misattributed",
                                                                         "《中华人民共和国示例医师法》第五条")])


def test_a_quote_from_another_article_of_the_same_law_is_misattributed(corpus: Library) -> None:
    text = "《示例法》第一条：有下列行为之一的，处五日以下拘留或者一千元以下罚款：散布谣言扰乱公共秩序的"
    assert only(check(corpus, text, as_of=TODAY)) == ("misattributed", [("misattributed",
                                                                         "《中华人民共和国示例法》第三条")])


def test_a_quote_found_nowhere_is_a_quote_mismatch(corpus: Library) -> None:
    report = check(corpus, "《示例法》第一条：完全不同的引文内容，与本法并无任何关系的一段文字。", as_of=TODAY)
    assert only(report)[0] == "quote_mismatch"
    assert "相似度" in report.citations[0].findings[0].message


def test_small_edits_and_punctuation_in_a_quote_are_tolerated(corpus: Library) -> None:
    text = "《示例法》第三条:有下列行为之一的,处五日以下拘留或者一千元一下罚款"
    assert only(check(corpus, text, as_of=TODAY)) == ("ok", [])


def test_doc_numbers_resolve_through_the_corpus_texts(corpus: Library) -> None:
    report = check(corpus, "法释〔2020〕99号第一条", as_of=TODAY)
    assert report.citations[0].law == "最高人民法院关于审理示例纠纷案件适用法律若干问题的解释"
    unknown = check(corpus, "法释〔2099〕1号第一条", as_of=TODAY)
    assert unknown.citations[0].status == "unverified" and not unknown.has_findings


def test_an_article_unrelated_to_the_question_is_irrelevant(corpus: Library) -> None:
    question = "网上诽谤他人，转发五百次怎么处理"
    text = ("《甲省河道管理条例》第二条 在河道管理范围内禁止弃置矿渣、石渣、煤灰、泥土、垃圾等物品。\n"
            "《最高人民法院关于审理示例纠纷案件适用法律若干问题的解释》第一条 利用信息网络诽谤他人，同一信息被转发次数"
            "达到五百次以上的，应当认定为情节严重。")
    report = check(corpus, text, question=question, as_of=TODAY)
    assert [c.status for c in report.citations] == ["irrelevant", "ok"]
    assert "阈值" in report.citations[0].findings[0].message
    assert not check(corpus, text, as_of=TODAY).has_findings      # no question, no relevance judgement


def test_html_page_title_is_the_question(corpus: Library) -> None:
    page = ("<html><head><title>网上诽谤他人转发五百次怎么处理 - 法律问答</title><script>x='《示例法》第九十九条'"
            "</script></head><body><p>《甲省河道管理条例》第二条</p></body></html>")
    report = check(corpus, page, as_of=TODAY)
    assert report.question == "网上诽谤他人转发五百次怎么处理"
    assert only(report)[0] == "irrelevant"


def test_quote_index_finds_the_source_and_is_built_once(corpus: Library, cite_home: Path) -> None:
    index = corpus.quote_index
    assert corpus.quote_index is index      # the Library keeps it
    best = corpus.corpus.article_by_id(index.candidates("弘扬医师先进事迹，引导公众尊重医师、理性对待医疗卫生风险")[0][0])
    assert (corpus.corpus.laws[best.law_id].title, best.label) == ("中华人民共和国示例医师法", "第五条")
    meta = json.loads((cite_home / "current" / "index" / "cite_quote_meta.json").read_text())
    assert meta["articles"] == len(corpus.corpus.article_texts())
    assert isinstance(index.hashes, np.memmap) or isinstance(index.hashes.base, np.memmap)  # read from the build


def test_quote_similarity_tolerates_excerpts_and_commentary() -> None:
    article = "有下列情形之一的，用人单位应当支付经济补偿：\n（一）劳动者依照本法规定解除劳动合同的；\n（二）用人单位提出解除的。"
    assert quotes.similarity("有下列情形之一的，用人单位应当支付经济补偿:（二）用人单位提出解除的。", article) >= 95
    assert quotes.similarity("有下列情形之一的，用人单位应当支付经济补偿：（一）劳动者依照本法规定解除劳动合同的。"
                             "律师解答：这种情况下公司应当给你补偿，建议先协商再申请仲裁。", article) >= 95
    assert quotes.similarity("国家鼓励和支持公民依法成立社会组织，推动公共文化服务社会化发展。", article) < 50


def test_empty_huge_and_non_text_input_are_bad_input(corpus: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(BadInput):
        check(corpus, "   \n ")
    with pytest.raises(BadInput):
        check(corpus, b"bytes")  # type: ignore[arg-type]
    with pytest.raises(BadInput):
        check(corpus, "《示例法》第一条", as_of="2026-02-30")
    monkeypatch.setenv("FAWEN_MAX_CHECK_BYTES", "1000")
    with pytest.raises(TooLarge):
        check(corpus, "《示例法》第一条" * 200)


def test_pathological_input_finishes_in_bounded_time(corpus: Library) -> None:
    started = time.perf_counter()
    check(corpus, "《" * 100_000 + "示例法" + "》" * 100_000 + "第一条")
    check(corpus, "<div>" * 50_000 + "《示例法》第一条" + "</div>" * 50_000)
    report = check(corpus, "《示例法》第一条、" * 8000)
    assert report.truncated
    assert time.perf_counter() - started < 60


def test_service_check_uses_the_current_corpus(corpus: Library) -> None:
    report = service.check("《示例法》第九十九条", as_of=TODAY)
    assert report.citations[0].status == "not_found"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(list("《》第条款项之一二三四十九、，。：“”本法该示例河道管理条例解释规定（）\n 法释〔〕号"
                                             "2099<>p有下列行为")), min_size=1, max_size=300))
def test_fuzz_check_returns_a_report_or_bad_input(corpus: Library, text: str) -> None:
    try:
        report = check(corpus, text, question="示例", as_of=TODAY)
    except BadInput:
        return
    for c in report.citations:
        assert c.status in ("ok", "unverified") or c.findings


def test_without_a_retrieval_index_only_articles_sharing_no_words_are_irrelevant(cite_home: Path,
                                                                                 tmp_path: Path) -> None:
    import shutil

    gen = tmp_path / "gen"
    shutil.copytree((cite_home / "current").resolve(), gen)
    (gen / "index" / "meta.json").unlink()           # the retrieval index is gone; ours stays
    corpus = Library(gen)
    question = "网上诽谤他人，转发五百次怎么处理"
    unrelated = check(corpus, "《甲省河道管理条例》第二条", question=question, as_of=TODAY)
    assert unrelated.citations[0].status == "irrelevant"
    assert "无检索索引" in unrelated.citations[0].findings[0].message
    weak = check(corpus, "《示例法》第一条", question="示例行为怎么规范", as_of=TODAY)
    assert weak.citations[0].status == "ok"


def test_decoding_utf8_gb18030_a_cut_character_and_binary() -> None:
    from fawen.cite.bulk import decode

    text = "《示例法》第三条：处五日以下拘留"
    assert decode(text.encode("utf-8"), "x") == text
    assert decode(text.encode("gb18030"), "x") == text
    assert decode(text.encode("utf-8")[:-1], "x").startswith("《示例法》第三条：处五日以下拘")
    with pytest.raises(BadInput, match="binary"):
        decode(b"PK\x03\x04\x00\x00", "x.zip")

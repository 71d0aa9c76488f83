"""Citation extraction from plain text and HTML: forms, lists, ranges, 本法/该法, quotes, and fuzzing."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fawen.cite.extract import extract
from fawen.cite.html import html_to_text, looks_like_html


def cites(text: str) -> list[tuple[str, str, int, int]]:
    return [(c.name, c.name_kind, c.number, c.suffix) for c in extract(text).citations]


def test_bracketed_and_bare_names_with_chinese_and_arabic_numbers() -> None:
    found = cites("根据《中华人民共和国治安管理处罚法》第二十五条，依照刑法第246条处理。")
    assert found == [("中华人民共和国治安管理处罚法", "title", 25, 0), ("依照刑法", "bare", 246, 0)]


def test_a_title_ending_in_zongze_is_a_law_a_bare_one_is_not() -> None:
    assert cites("根据《民法总则》第一百条的规定。") == [("民法总则", "title", 100, 0)]
    assert cites("刑法总则第十条规定了正当防卫。") == []


def test_paragraph_item_and_zhiyi() -> None:
    c = extract("刑法第一百二十条之一第二款第（三）项规定").citations[0]
    assert (c.number, c.suffix, c.paragraph, c.item) == (120, 1, 2, 3)
    assert c.raw == "刑法第一百二十条之一第二款第（三）项"


def test_lists_and_ranges_inherit_the_law() -> None:
    found = cites("《民法典》第五十条、第五十一条和五十二条；《刑法》第十条至第十三条。")
    assert [(n, k) for n, k, *_ in found][:3] == [("民法典", "title"), ("民法典", "list"), ("民法典", "list")]
    assert [f[2] for f in found] == [50, 51, 52, 10, 11, 12, 13]
    assert all(f[0] == "刑法" for f in found[3:])


def test_a_huge_range_keeps_only_its_ends() -> None:
    assert [f[2] for f in cites("《刑法》第一条至第九百条")] == [1, 900]


def test_benfa_and_gaifa_resolve_to_the_law_last_named() -> None:
    found = cites("《劳动合同法》规定了经济补偿。该法第四十七条明确了标准，本法第四十六条列出情形。香港基本法第一百零四条")
    assert found[0] == ("劳动合同法", "self", 47, 0)
    assert found[1] == ("劳动合同法", "self", 46, 0)
    assert found[2] == ("香港基本法", "bare", 104, 0)       # 基本法 is not 本法


def test_benfa_without_a_law_named_before_is_skipped() -> None:
    assert cites("本法第三条规定") == []


def test_non_laws_are_not_citations() -> None:
    assert cites("《劳动合同》第三条，公司章程第五条，《起诉状》第二条，第三条") == []


def test_judicial_interpretation_titles_nested_brackets_and_doc_numbers() -> None:
    found = cites("《最高人民法院关于适用《中华人民共和国民事诉讼法》的解释》第二百四十七条；法释〔2020〕17号第三条")
    assert found[0] == ("最高人民法院关于适用《中华人民共和国民事诉讼法》的解释", "title", 247, 0)
    assert found[1] == ("法释〔2020〕17号", "docno", 3, 0)


def test_version_notes_and_bian_names_are_not_part_of_the_name() -> None:
    text = "《公司法》（2018年修正）第十六条，民法典合同编第五百条，刑法修正案（九）第一条"
    found = extract(text).citations
    assert (found[0].name, found[0].version_note) == ("公司法", "2018年修正")
    assert found[1].name == "民法典"
    assert found[2].name == "刑法修正案（九）"


def test_quotes_after_colon_quotation_marks_and_heading_lines() -> None:
    text = ("根据《治安管理处罚法》第二十六条规定：“结伙斗殴或者随意殴打他人的”，处拘留。\n法律依据：\n《中华人民共和国民法典》\n"
            "第一千零七十九条 夫妻一方要求离婚的，可以由有关组织进行调解。\n第一千零八十条　完成离婚登记，即解除婚姻关系。")
    found = extract(text).citations
    assert [c.quote for c in found] == ["结伙斗殴或者随意殴打他人的", "夫妻一方要求离婚的，可以由有关组织进行调解。",
                                        "完成离婚登记，即解除婚姻关系。"]
    assert [c.name_kind for c in found] == ["title", "heading", "heading"]


def test_prose_after_a_citation_is_not_a_quote() -> None:
    found = extract("根据《民法典》第一千零七十九条的规定，夫妻一方要求离婚的可以起诉。").citations
    assert found[0].quote is None


def test_flattened_basis_lists_split_into_articles() -> None:
    text = ("回答：可以起诉。法律依据:《民法典》第二百零九条不动产物权的设立、变更，经依法登记，发生效力。"
            "第二百三十八条侵害物权，造成权利人损害的，权利人可以依法请求损害赔偿。")
    found = extract(text).citations
    assert [(c.number, c.name_kind) for c in found] == [(209, "title"), (238, "sequence")]
    assert found[0].quote == "不动产物权的设立、变更，经依法登记，发生效力。"
    assert found[1].quote is not None and found[1].quote.startswith("侵害物权")


def test_citations_inside_a_quote_belong_to_the_quoted_text() -> None:
    text = "《劳动合同法》第四十七条：经济补偿按劳动者在本单位工作的年限支付。依照本法第四十六条规定的情形……"
    found = extract(text).citations
    assert [c.number for c in found] == [47]
    assert found[0].quote is not None and "本法第四十六条" in found[0].quote


def test_offsets_point_into_the_text() -> None:
    text = "前言。根据《刑法》第二百四十六条，处理。"
    c = extract(text).citations[0]
    assert text[c.start:c.end] == c.raw == "《刑法》第二百四十六条"


def test_too_many_citations_are_cut_and_reported() -> None:
    result = extract("《刑法》第一条、" * 50, max_citations=10)
    assert len(result.citations) == 10 and result.truncated


def test_html_scripts_styles_are_dropped_and_title_becomes_the_question() -> None:
    page = ("<!DOCTYPE html><html><head><title>网上散布谣言怎么处罚_某律师网</title>"
            "<script>var s = '《刑法》第一条';</script><style>p{color:red}</style></head>"
            "<body><p>根据<a href='#'>《治安管理处罚法》</a>第二十五条处理。</p><p>第二段&amp;</p></body></html>")
    assert looks_like_html(page)
    text, question = html_to_text(page)
    assert question == "网上散布谣言怎么处罚"
    assert "《刑法》第一条" not in text
    assert cites(text) == [("治安管理处罚法", "title", 25, 0)]


def test_h1_wins_over_title_and_plain_text_is_not_html() -> None:
    _, question = html_to_text("<html><title>站点</title><body><h1>老板拖欠工资怎么办</h1></body></html>")
    assert question == "老板拖欠工资怎么办"
    assert not looks_like_html("根据《刑法》第246条 <b>注意</b>")


def test_pathological_nesting_is_bounded() -> None:
    started = time.perf_counter()
    extract("《" * 200_000 + "》" * 200_000 + "第一条")
    html_to_text("<div>" * 100_000 + "《刑法》第一条" + "</div>" * 100_000)
    # Broken titles, broken numbers, page-defined short names and heading lines by the thousand.
    extract("根据《中华人民共和国\n示例法》第二十\n条，" * 5_000)
    extract("《示例规定》（以下简称《例" + "》）例法第一条" * 5_000)
    extract("中华人民共和国示例法：\n第一条 甲。\n此外，第二条乙。" * 5_000)
    assert time.perf_counter() - started < 20


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(list("《》〈〉第条款项之一二三十百千万零0123456789、，。：“”本法该刑民典条例解释"
                                             "规定办法（）()\n 　法释〔〕号至和及<>p/")), max_size=400))
def test_fuzz_extract_never_raises(text: str) -> None:
    result = extract(text)
    for c in result.citations:
        assert 0 <= c.start <= c.end <= len(text)
        assert c.number > 0
        if c.quote is not None:
            assert c.quote in text
    if looks_like_html(text):
        html_to_text(text)


def test_bare_interpretation_titles_with_embedded_brackets() -> None:
    found = cites("最高人民法院关于适用《民法典》有关担保制度的解释第31条，最高人民法院、最高人民检察院关于办理盗窃刑事案件"
                  "适用法律若干问题的解释第一条")
    assert [f[0] for f in found] == ["最高人民法院关于适用《民法典》有关担保制度的解释",
                                     "最高人民法院、最高人民检察院关于办理盗窃刑事案件适用法律若干问题的解释"]


def test_a_heading_law_is_not_replaced_by_laws_named_inside_quotes() -> None:
    text = ("《最高人民法院关于审理商标民事纠纷案件适用法律若干问题的解释》\n"
            "第十六条 人民法院可以根据当事人的请求或者依职权适用商标法第六十三条第三款的规定确定赔偿数额。\n"
            "第十七条 商标法第六十三条第一款规定的制止侵权行为所支付的合理开支，包括权利人的合理费用。")
    found = extract(text).citations
    assert [(c.number, c.name) for c in found] == [
        (16, "最高人民法院关于审理商标民事纠纷案件适用法律若干问题的解释"),
        (17, "最高人民法院关于审理商标民事纠纷案件适用法律若干问题的解释")]
    assert found[0].quote is not None and "商标法第六十三条第三款的规定确定赔偿数额" in found[0].quote


def test_benfa_after_any_character_and_names_ending_in_benfa() -> None:
    found = cites("《民法典》第四百零二条。以本法第三百九十五条第一款规定的财产抵押的，依照合同法第五十二条，香港基本法第八条")
    assert [(f[0], f[1]) for f in found] == [("民法典", "title"), ("民法典", "self"), ("依照合同法", "bare"),
                                             ("香港基本法", "bare")]


def test_a_citation_starting_a_new_sentence_ends_the_quote() -> None:
    text = "《示例法》第二条：有下列行为之一的，处五日以下拘留。另见《示例法》第九十九条。依照民法典第五条的规定处理。"
    found = extract(text).citations
    assert [c.number for c in found] == [2, 99, 5]      # 民法典第五条 is prose after the quote
    assert found[0].quote == "有下列行为之一的，处五日以下拘留。"


# --- issue 13: the layouts of real pages ------------------------------------------------------------------
def quoted(text: str) -> list[tuple[str, int, str | None]]:
    return [(c.name, c.number, c.quote) for c in extract(text).citations]


def test_the_text_below_a_citation_line_is_its_quote() -> None:
    article = "公司股东应当遵守法律、行政法规和公司章程，依法行使股东权利。"
    for page in (f"法律依据：\n《中华人民共和国公司法》第二十条\n{article}",
                 f"《中华人民共和国公司法》第二十条：\n\n{article}",
                 f"根据《中华人民共和国公司法》第二十条的规定：\n{article}\n律师提醒：注意保存证据。",
                 f"1、《中华人民共和国公司法》第二十条【法条原文】\n“{article}”"):
        assert quoted(page) == [("中华人民共和国公司法", 20, article)], page


def test_an_article_text_that_opens_with_another_laws_article_is_still_the_quote() -> None:
    page = ("《某某解释》第五条\n刑法第二百六十四条规定的“多次盗窃”，是指二年内盗窃三次以上的。\n"
            "《某某解释》第六条 盗窃公私财物，具有下列情形之一的，数额较大的标准可以按照前条规定标准的百分之五十确定。")
    assert [(n, (q or "")[:9]) for _, n, q in quoted(page)] == [(5, "刑法第二百六十四条"), (6, "盗窃公私财物，具有")]
    # A line that starts a citation followed by its own text is a citation of its own.
    assert [q for _, _, q in quoted("《刑法》第二百三十四条\n刑法第二百三十二条规定：故意杀人的，处死刑。")] == [
        None, "故意杀人的，处死刑。"]
    # …and so is one on a line of its own, ending with a colon or a version note, or ending the page.
    for tail in ("：", "（2023年修正）", ""):
        assert quoted(f"《刑法》第二百三十四条：\n《刑法》第二百三十二条{tail}\n《刑法》第一条") == [
            ("刑法", 234, None), ("刑法", 232, None), ("刑法", 1, None)], tail


def test_prose_below_a_citation_in_a_sentence_is_not_a_quote() -> None:
    assert quoted("根据《中华人民共和国民法典》第一千零七十九条规定，\n法院会先行调解。")[0][2] is None
    assert quoted("此时可以参照《中华人民共和国民法典》第一千零七十九条的规定\n法院会先行调解。")[0][2] is None
    # The next line is a citation of its own, not the text of this one.
    assert [q for _, _, q in quoted("《刑法》第二百三十四条\n《刑法》第二百三十二条 故意杀人的，处死刑。")] == [
        None, "故意杀人的，处死刑。"]


def test_a_block_under_a_law_named_once() -> None:
    one_line = ("中华人民共和国道路交通安全法：第七章 法律责任 第九十一条 饮酒后驾驶机动车的，处暂扣六个月机动车驾驶证。\n"
                "第九十二条 公路客运车辆载客超过额定乘员的，处二百元以上五百元以下罚款。")
    lines = one_line.replace("：第七章 法律责任 ", "：\n第七章 法律责任\n")
    for page in (one_line, lines):
        found = quoted(page)
        assert [(n, q[:8] if q else None) for _, n, q in found] == [(91, "饮酒后驾驶机动车"), (92, "公路客运车辆载客")]
        assert all(name.endswith("中华人民共和国道路交通安全法") for name, _, _ in found)


def test_list_lines_under_a_sentence_that_names_a_law_and_ends_with_a_colon() -> None:
    page = ("根据《中华人民共和国民法典》规定，肖像许可使用合同有专门规则：\n1、第一千零二十一条明确有利于肖像权人的解释规则。\n"
            "2、第1022条明确了解除权。")
    assert [(name, n) for name, n, _ in quoted(page)] == [("中华人民共和国民法典", 1021), ("中华人民共和国民法典", 1022)]
    # Without the colon the numbered lines are not read as that law's articles.
    assert quoted(page.replace("规则：", "规则。")) == []


def test_an_article_continuing_a_paragraph_inherits_the_law_named_before_it() -> None:
    page = ("根据《中华人民共和国民法典》第1183条，严重精神损害可以请求赔偿。该条第二款、前款和本条都不是新的引用。此外，"
            "第996条规定了违约情形；不同于第一千一百八十三条，在第九百九十八条中还列了考量因素。双方合同第五条约定的违约金、"
            "维权的第二条路、参见《人格权研究》第十条，以及《关于某事项的通知》（某发〔2005〕12号）第四条，都不是民法典的条文。")
    assert cites(page) == [("中华人民共和国民法典", "title", 1183, 0), ("中华人民共和国民法典", "context", 996, 0),
                           ("中华人民共和国民法典", "context", 1183, 0), ("中华人民共和国民法典", "context", 998, 0)]


def test_continuing_across_one_line_break_but_not_into_later_paragraphs() -> None:
    first = "根据《中华人民共和国民法典》第1183条，严重精神损害可以请求赔偿。"
    assert [n for _, n, _ in quoted(f"{first}\n此外，第996条规定了违约的情形。")] == [1183, 996]
    assert [n for _, n, _ in quoted(f"{first}\n\n此外，第996条规定了违约的情形。")] == [1183, 996]   # HTML <p>
    assert [n for _, n, _ in quoted(f"{first}\n另一段。\n此外，第996条规定了违约的情形。")] == [1183]
    assert [n for _, n, _ in quoted(f"{first}\n第996条规定了违约的情形。")] == [1183]   # a line of its own


def test_colon_arabic_numbers_compressed_lists_and_items() -> None:
    assert cites("《行政诉讼法》:第十八条") == [("行政诉讼法", "title", 18, 0)]
    assert [(n, k) for _, k, n, _ in cites("依照刑法234条处理，另见《商标法》16 条。")] == [(234, "bare"), (16, "title")]
    found = cites("《劳动合同法》第36、37、38条规定了辞职；第三十九条的过失性辞退与40条的无过失性辞退、41条的经济性裁员。")
    assert [n for _, _, n, _ in found] == [36, 37, 38, 39, 40, 41]
    assert all(name == "劳动合同法" for name, *_ in found)
    assert [n for _, _, n, _ in cites("根据《民法典》第四百二十七、第四百四十五条之规定")] == [427, 445]
    assert cites("律师给了3条建议，还有两条途径，《民法典》一条也没提。") == []
    first = extract("依据《某某解释》第十二条第一款第（二）（三）项规定；《追诉标准规定》第27条第2、3项").citations
    assert [(c.number, c.paragraph, c.item) for c in first] == [(12, 1, 2), (27, None, 2)]


def test_line_breaks_inside_a_citation_are_mended() -> None:
    text = "依照《中华人民共和国民\n法典》第一千一百六十五条处理；或依照《民法典》第一千一百八十\n三条，并根据《民法典》\n第九百九十六条。"
    found = extract(text).citations
    assert [(c.name, c.number) for c in found] == [("中华人民共和国民法典", 1165), ("民法典", 1183), ("民法典", 996)]
    assert found[0].raw == "《中华人民共和国民法典》第一千一百六十五条"
    assert text[found[0].start:found[0].end] == "《中华人民共和国民\n法典》第一千一百六十五条"
    # A title alone on its line is a heading, not a citation broken in two.
    heading = extract("法律依据：\n《中华人民共和国民法典》\n第九百九十六条 因当事人一方的违约行为…").citations
    assert [(c.name_kind, c.number) for c in heading] == [("heading", 996)]


def test_short_names_the_page_defines_and_back_references() -> None:
    title = "最高人民法院关于审理民间借贷案件适用法律若干问题的规定"
    page = (f"《{title[:20]}\n{title[20:]}》（以下简称《民间借贷规定》）第二十六条规定了本金。《规定》第二十五条、民间借贷规定第28条、"
            "该规定第三十一条都有用。《最高人民法院关于适用〈中华人民共和国民法典〉有关担保制度的解释》第三条；《解释》第四条第二款。")
    found = extract(page).citations
    assert [c.name for c in found[:4]] == [title] * 4
    assert [c.number for c in found[:4]] == [26, 25, 28, 31]
    assert found[5].name.endswith("有关担保制度的解释") and (found[5].number, found[5].paragraph) == (4, 2)
    # Alone, 《规定》 names no law; the page must name the full title first.
    assert cites("《规定》第三条")[0][0] == "规定"


def test_informal_interpretation_names_are_law_names() -> None:
    found = cites("《婚姻法司法解释二》第24条；民间借贷司法解释第二十六条；婚姻法解释（三）第五条")
    assert [(name, n) for name, _, n, _ in found] == [("婚姻法司法解释二", 24), ("民间借贷司法解释", 26),
                                                    ("婚姻法解释（三）", 5)]

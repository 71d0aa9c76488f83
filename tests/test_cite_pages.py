"""Whole answer pages (tests/pages/, each as plain text and as HTML): every citation layout of issue 13 is
extracted with its law, article, 款/项 and quote, the same from the text and from the HTML; then verified
against the auditor's fixture corpus, and (when ../shared/data is present) against the real corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from fawen.cite.audit import check
from fawen.cite.extract import RawCitation, extract
from fawen.cite.html import html_to_text, looks_like_html
from fawen.library import Library
from tests.cite_helpers import TODAY, cite_home  # noqa: F401 - the fixture is used by name
from tests.conftest import open_library

PAGES = Path(__file__).parent / "pages"

# (law as the page names it — the extracted name ends with it, article, 款, 项, the quote's start or None)
Expected = tuple[str, int, int | None, int | None, str | None]
EXPECTED: dict[str, list[Expected]] = {
    # cause 1: the article's text on the line(s) below a citation line (here the 2018 text of 公司法第二十条)
    "company_debt": [
        ("中华人民共和国公司法", 20, None, None, "公司股东应当遵守法律、行政法规和公司章程"),
        ("中华人民共和国民法典", 1165, None, None, "行为人因过错侵害他人民事权益造成损害的"),
    ],
    # cause 2: the law named once (with a chapter heading), then paragraphs that start with 第N条
    "drunk_driving": [
        ("中华人民共和国道路交通安全法", 91, None, None, "饮酒后驾驶机动车的，处暂扣六个月机动车驾驶证"),
        ("中华人民共和国道路交通安全法", 92, None, None, "公路客运车辆载客超过额定乘员的"),
        ("中华人民共和国道路交通安全法", 93, None, None, "在道路上驾驶机动车，有下列情形之一的"),
    ],
    # cause 3: 第N条 continuing a paragraph; 该条第二款, 前款, 合同第五条 and 第二条路 are not citations
    "mental_damages": [
        ("中华人民共和国民法典", 1183, None, None, None),
        ("中华人民共和国民法典", 996, None, None, None),
        ("物权法", 39, None, None, None),
        ("物权法", 40, None, None, None),
    ],
    # cause 4: a colon before 第N条, Arabic numbers without 第, a bare name at a line start, broken lines
    "jurisdiction": [
        ("行政诉讼法", 18, None, None, "行政案件由最初作出行政行为的行政机关所在地人民法院管辖"),
        ("刑法", 234, None, None, None),
        ("继承法", 10, None, None, "遗产按照下列顺序继承"),
        ("中华人民共和国民法典", 1165, None, None, None),
        ("中华人民共和国民法典", 1183, None, None, None),
    ],
    # cause 5: a 司法解释 title broken by a line break, the page's own short name, 《规定》, informal names
    "private_lending": [
        ("最高人民法院关于审理民间借贷案件适用法律若干问题的规定", 26, None, None, "借据、收据、欠条等债权凭证载明的借款金额"),
        ("民间借贷司法解释", 25, None, None, None),
        ("最高人民法院关于审理民间借贷案件适用法律若干问题的规定", 25, 2, None, None),
        ("婚姻法司法解释二", 24, None, None, "债权人就婚姻关系存续期间夫妻一方以个人名义所负债务主张权利的"),
        ("婚姻法司法解释", 10, None, None, None),
    ],
}


def read(name: str, kind: str) -> str:
    text = (PAGES / f"{name}.{kind}").read_text(encoding="utf-8")
    if kind == "html":
        assert looks_like_html(text)
        text, question = html_to_text(text)
        assert question is not None and question.startswith(text.split("\n", 1)[0][:10])
    return text


def summary(cites: list[RawCitation]) -> list[tuple[str, int, int, int | None, int | None, str | None]]:
    """What must not depend on the layout: the law's name, the article, 款/项 and the quote's words."""
    return [(c.name, c.number, c.suffix, c.paragraph, c.item, "".join((c.quote or "").split()) or None)
            for c in cites]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_page_yields_its_citations_from_text_and_from_html(name: str) -> None:
    text, html = extract(read(name, "txt")).citations, extract(read(name, "html")).citations
    assert summary(text) == summary(html)
    got = [(c.name, c.number, c.paragraph, c.item, c.quote) for c in text]
    assert len(got) == len(EXPECTED[name]), got
    for (law, number, paragraph, item, quote), (found, n, p, i, q) in zip(EXPECTED[name], got):
        assert found.endswith(law) and (n, p, i) == (number, paragraph, item), (found, n, p, i)
        if quote is None:
            assert q is None, q
        else:
            assert q is not None and q.startswith(quote), q


def test_offsets_point_into_the_page_even_where_a_line_break_was_mended() -> None:
    text = read("jurisdiction", "txt")
    for cite in extract(text).citations:
        assert text[cite.start:cite.end].replace("\n", "") == cite.raw
        if cite.quote:
            assert text[cite.quote_start:cite.quote_start + len(cite.quote)] == cite.quote


def test_quote_below_a_heading_line_covers_the_articles_items() -> None:
    last = extract(read("drunk_driving", "txt")).citations[-1]
    assert last.quote is not None and last.quote.endswith("（二）醉酒驾驶机动车的")


# --- verification against the fixture corpus (示例法: 2012 第二条 is 第三条 since 2026) ---------------------
@pytest.fixture
def corpus(cite_home: Path, monkeypatch: pytest.MonkeyPatch) -> Library:
    """The Library of the auditor's fixture corpus (what `check` verifies against)."""
    monkeypatch.setenv("FAWEN_HOME", str(cite_home))
    return open_library(cite_home)


OLD_TEXT = "有下列行为之一的，处五日以下拘留或者五百元以下罚款：\n（一）散布谣言扰乱公共秩序的；"
LAYOUTS = {
    "one line": f"《中华人民共和国示例法》第二条：{OLD_TEXT}",
    "heading line": f"法律依据：\n《中华人民共和国示例法》第二条\n{OLD_TEXT}",
    "规定： then the text": f"根据《中华人民共和国示例法》第二条的规定：\n{OLD_TEXT}",
    "law named once": f"中华人民共和国示例法：第二章 处罚 第二条 {OLD_TEXT}",
    "html blockquote": ("<html><body><h1>造谣怎么处罚</h1><p><b>《中华人民共和国示例法》第二条</b></p>"
                        f"<blockquote><p>{OLD_TEXT.replace(chr(10), '</p><p>')}</p></blockquote></body></html>"),
    "html table": ("<html><body><table><tr><td>《中华人民共和国示例法》第二条</td>"
                   f"<td>{OLD_TEXT.replace(chr(10), '<br>')}</td></tr></table></body></html>"),
    "html li, broken title": ("<html><body><ul><li>《中华人民共和国<br>示例法》第二条</li>"
                              f"<li>{OLD_TEXT.replace(chr(10), '<br>')}</li></ul></body></html>"),
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_an_old_text_under_its_old_number_is_renumbered_in_every_layout(corpus: Library, layout: str) -> None:
    report = check(corpus, LAYOUTS[layout], as_of=TODAY)
    assert [(c.status, [f.suggestion for f in c.findings]) for c in report.citations] == [
        ("renumbered", ["《中华人民共和国示例法》第三条"])], report.to_json()


def test_a_block_paragraph_carrying_another_laws_text_is_misattributed(corpus: Library) -> None:
    page = ("中华人民共和国示例法：\n第二章 处罚\n第三条 有下列行为之一的，处五日以下拘留或者一千元以下罚款。\n"
            "第四条 新闻媒体应当开展医疗卫生法律、法规和医疗卫生知识的公益宣传，弘扬医师先进事迹，引导公众尊重医师、"
            "理性对待医疗卫生风险。")
    report = check(corpus, page, as_of=TODAY)
    assert [(c.article, c.status) for c in report.citations] == [("第三条", "ok"), ("第四条", "misattributed")]
    assert report.citations[1].findings[0].suggestion == "《中华人民共和国示例医师法》第五条"


def test_informal_and_short_names_of_an_interpretation_resolve(corpus: Library) -> None:
    page = ("《最高人民法院关于审理示例纠纷案件适用法律若干问题的\n解释》（以下简称《示例解释》）第一条：利用信息网络诽谤他人，"
            "同一信息被转发次数达到五百次以上的，应当认定为情节严重。《解释》第二条规定了施行日期。示例纠纷司法解释第一条、"
            "《示例解释》第1条也是这个意思。")
    report = check(corpus, page, as_of=TODAY)
    title = "最高人民法院关于审理示例纠纷案件适用法律若干问题的解释"
    assert [(c.law, c.article, c.status) for c in report.citations] == [
        (title, "第一条", "ok"), (title, "第二条", "ok"), (title, "第一条", "ok"), (title, "第一条", "ok")]


# --- the pages against the real corpus --------------------------------------------------------------------
@pytest.mark.realdata
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_pages_check_the_same_as_text_and_as_html(real_library: Library, name: str) -> None:
    question = (PAGES / f"{name}.txt").read_text(encoding="utf-8").split("\n", 1)[0]

    def seen(kind: str) -> list[tuple[str, str | None, str, list[str | None]]]:
        # The same question for both: an HTML page would otherwise bring its own (its <h1>).
        page = (PAGES / f"{name}.{kind}").read_text(encoding="utf-8")
        report = check(real_library, page, question=question, as_of=TODAY)
        return [(c.law or "", c.article, c.status, [f.suggestion for f in c.findings]) for c in report.citations]

    assert seen("txt") == seen("html")


@pytest.mark.realdata
def test_pages_against_the_real_corpus(real_library: Library) -> None:
    def seen(name: str) -> list[tuple[str, str | None, str, list[str | None]]]:
        report = check(real_library, (PAGES / f"{name}.txt").read_text(encoding="utf-8"), as_of=TODAY)
        return [(c.law or "", c.article, c.status, [f.suggestion for f in c.findings]) for c in report.citations]

    company = seen("company_debt")
    # The 2018 text of 第二十条 is 第二十一条 since the 2023 revision took effect.
    assert company[0][2:] == ("renumbered", ["《中华人民共和国公司法》第二十一条"])
    assert company[1][2] == "ok"
    driving = seen("drunk_driving")
    assert [s for _, _, s, _ in driving] == ["ok", "ok", "misattributed"]
    assert driving[2][3] == ["《中华人民共和国刑法》第一百三十三条之一"]
    assert [s for _, _, s, _ in seen("jurisdiction")][:2] == ["ok", "ok"]
    lending = seen("private_lending")
    title = "最高人民法院关于审理民间借贷案件适用法律若干问题的规定"
    assert [(law, article, status) for law, article, status, _ in lending[:3]] == [
        (title, "第二十六条", "ok"), (title, "第二十五条", "ok"), (title, "第二十五条", "ok")]
    assert lending[3][0] == "最高人民法院关于适用《中华人民共和国婚姻法》若干问题的解释（二）"
    assert lending[4][2] == "ambiguous"

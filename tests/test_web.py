"""The web page served by a real `fawen serve`: the HTML as a client without JavaScript gets it (httpx), and
the page in headless Debian chromium (playwright), on the fixture corpus and, for the flagship question,
on the real corpus."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from tests.doors_helpers import Server, browser, fixture_server, page, real_server  # noqa: F401  (fixtures)

QUESTION = "在微信群里公然侮辱他人会被拘留吗"
TWO_ARTICLES = "侮辱他人会被拘留吗"  # the fixture answer to it rests on two articles (第三条, 第三条之一)
ATTACK = '<script>window.__pwned = 1; alert("xss")</script>"><img src=x onerror="window.__pwned=2">'


@pytest.fixture
def client(fixture_server: Server) -> Iterator[httpx.Client]:  # noqa: F811
    with httpx.Client(base_url=fixture_server.url, timeout=60) as c:
        yield c


def test_home_page_is_self_contained(client: httpx.Client) -> None:
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    html = r.text
    assert '<form class="ask" action="/" method="get"' in html and 'name="q"' in html and 'lang="zh-CN"' in html
    assert 'name="viewport"' in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), "no external assets (offline)"
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    css = client.get("/static/fawen.css")
    js = client.get("/static/fawen.js")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css") and "font-family" in css.text
    assert js.status_code == 200 and "javascript" in js.headers["content-type"] and "details" in js.text


def test_answer_page_is_server_rendered(client: httpx.Client) -> None:
    r = client.get("/", params={"q": QUESTION, "as_of": "2026-02-01"})
    assert r.status_code == 200, r.text
    html = r.text
    for part in ("<h3>摘要</h3>", "<h3>法律依据</h3>", 'class="disclaimer"', "不构成法律意见"):
        assert part in html
    assert "<details" in html and "中华人民共和国示例法" in html
    assert "2026-02-01" in html  # the as-of date is shown
    assert f'value="{QUESTION}"' in html  # the box keeps the question


def test_user_input_is_escaped_everywhere(client: httpx.Client) -> None:
    for params in ({"q": ATTACK}, {"q": QUESTION, "as_of": ATTACK}, {"q": ATTACK, "as_of": "2026-13-45"}):
        r = client.get("/", params=params)
        assert r.status_code in (200, 400), r.text
        assert "<script>window" not in r.text and "<img src=x" not in r.text
        assert "&lt;script&gt;" in r.text
        assert r.headers["content-type"].startswith("text/html")


def test_error_page_keeps_status_and_layout(client: httpx.Client) -> None:
    r = client.get("/", params={"q": QUESTION, "as_of": "2026-02-30"})
    assert r.status_code == 400 and 'class="error"' in r.text and "YYYY-MM-DD" in r.text
    assert '<form class="ask"' in r.text  # the reader can ask again
    long = client.get("/", params={"q": "法" * 501})
    assert long.status_code == 413 and 'class="error"' in long.text


# The home page's examples with the first article of their 法律依据, checked by hand: the article a lawyer
# would cite for the question (its text read in the corpus), not merely one that shares words with it.
EXAMPLE_BASIS = {
    "微信诽谤可以报警吗": ("中华人民共和国治安管理处罚法", "第五十条"),       # 捏造事实诽谤他人: 拘留或者罚款
    "公司拖欠工资可以去哪里投诉": ("中华人民共和国劳动争议调解仲裁法", "第九条"),  # 拖欠劳动报酬 → 向劳动行政部门投诉
    "网购可以七天无理由退货吗": ("中华人民共和国消费者权益保护法", "第二十五条"),  # 网络购物七日无理由退货
    "被狗咬了谁负责": ("中华人民共和国民法典", "第一千二百四十五条"),         # 饲养的动物致害: 饲养人或者管理人担责
    "单位不交社保可以辞职吗": ("中华人民共和国劳动合同法", "第三十八条"),     # （三）未依法缴纳社会保险费 → 可以解除
    "未满十四周岁打人要负刑事责任吗": ("中华人民共和国刑法", "第十七条"),     # 刑事责任年龄
}


def test_home_page_shows_the_checked_examples(client: httpx.Client) -> None:
    from fawen import web

    assert set(web.EXAMPLES) == set(EXAMPLE_BASIS), "a new example needs its hand-checked article here"
    html = client.get("/").text
    for question in web.EXAMPLES:
        assert f'<a href="/?q={quote(question)}">{question}</a>' in html


@pytest.mark.realdata
@pytest.mark.parametrize("question", list(EXAMPLE_BASIS))
def test_home_page_examples_are_answered_well(real_home: Path, question: str) -> None:
    """Each example's answer leads with the article checked by hand (the corpus CI builds from ../shared)."""
    from fawen.service import Fawen

    answer = Fawen(real_home).ask(question)
    assert answer.basis, f"{question}: no legal basis"
    first = answer.basis[0]
    assert (first.law, first.article) == EXAMPLE_BASIS[question], [(h.law, h.article) for h in answer.basis[:5]]


# --- in a real browser --------------------------------------------------------------------------------
def ask_in_browser(pg: Any, url: str, question: str) -> None:
    pg.goto(url + "/")
    pg.fill("#q", question)
    with pg.expect_navigation():
        pg.click("form.ask button[type=submit]")


@pytest.mark.browser
def test_browser_ask_and_expand_citation(page: Any, fixture_server: Server) -> None:  # noqa: F811
    ask_in_browser(page, fixture_server.url, QUESTION)
    assert page.url.startswith(fixture_server.url + "/?q=")
    basis = page.locator("article.answer details")
    assert basis.count() >= 1
    first = basis.first
    assert first.get_attribute("open") is None
    text_before = first.inner_text()
    first.locator("summary").click()
    assert first.get_attribute("open") is not None
    assert len(first.inner_text()) > len(text_before)  # the article text appeared
    assert "中华人民共和国示例法" in page.locator("article.answer").inner_text()
    assert page.fawen_errors == []


@pytest.mark.browser
def test_browser_expand_all_button(page: Any, fixture_server: Server) -> None:  # noqa: F811
    page.goto(fixture_server.url + "/?q=" + TWO_ARTICLES)
    details = page.locator("article.answer details")
    if details.count() < 2:
        pytest.fail(f"the fixture answer should cite at least two articles, got {details.count()}")
    page.click("button.toggle-all")
    assert all(details.nth(i).get_attribute("open") is not None for i in range(details.count()))
    page.click("button.toggle-all")
    assert all(details.nth(i).get_attribute("open") is None for i in range(details.count()))


@pytest.mark.browser
def test_browser_section_citation_opens_its_article(page: Any, fixture_server: Server) -> None:  # noqa: F811
    page.goto(fixture_server.url + "/?q=" + QUESTION)
    links = page.locator("ul.citations a.cite")
    assert links.count() >= 1, "each section's citations link to their basis article"
    link = links.first
    target = page.locator(link.get_attribute("href"))
    assert target.get_attribute("open") is None
    assert link.inner_text() == target.locator("summary").inner_text().strip()
    link.click()
    assert target.get_attribute("open") is not None and target.is_visible()
    assert page.url.endswith(link.get_attribute("href"))


@pytest.mark.browser
def test_browser_script_in_question_is_text(page: Any, fixture_server: Server) -> None:  # noqa: F811
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    ask_in_browser(page, fixture_server.url, ATTACK)
    assert page.evaluate("window.__pwned") is None and dialogs == []
    assert page.input_value("#q") == ATTACK  # shown back as text in the box
    assert ATTACK in page.locator("main").inner_text() or page.locator(".error").count() == 1
    page.goto(fixture_server.url + "/?q=" + QUESTION + "&as_of=" + ATTACK)
    assert page.evaluate("window.__pwned") is None and dialogs == []


@pytest.mark.browser
def test_browser_mobile_layout_fits(browser: Any, fixture_server: Server) -> None:  # noqa: F811
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, locale="zh-CN")
    try:
        pg = context.new_page()
        pg.goto(fixture_server.url + "/?q=" + QUESTION)
        assert pg.evaluate("document.documentElement.scrollWidth") <= 360
        font = pg.evaluate("getComputedStyle(document.body).fontSize")
        assert float(font.removesuffix("px")) >= 16
    finally:
        context.close()


# Draws each character with the page's own font stack and reports, per character, how many pixels it inked
# and a hash of them. A character no installed font has is drawn as the same empty box ("tofu") as any other.
GLYPHS = """(chars) => {
  const family = getComputedStyle(document.body).fontFamily;
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 48;
  const g = canvas.getContext("2d");
  const out = {};
  for (const ch of chars) {
    g.clearRect(0, 0, 48, 48);
    g.font = "32px " + family;
    g.fillStyle = "#000";
    g.fillText(ch, 4, 38);
    const data = g.getImageData(0, 0, 48, 48).data;
    let ink = 0, hash = 0;
    for (let i = 3; i < data.length; i += 4) { if (data[i] > 0) ink++; hash = (hash * 31 + data[i]) >>> 0; }
    out[ch] = [ink, hash];
  }
  return out;
}"""
CHINESE = "法问律师"
NO_GLYPH = "\ue000"  # a private-use code point: no font draws it, so it shows what a missing glyph looks like


def chinese_problem(pg: Any) -> str | None:
    """Why Chinese text on the page would not be readable (None when every character draws its own glyph)."""
    drawn = pg.evaluate(GLYPHS, CHINESE + NO_GLYPH)
    box = drawn[NO_GLYPH]
    glyphs = [tuple(drawn[ch]) for ch in CHINESE]
    if any(ink == 0 for ink, _ in glyphs):
        return f"Chinese characters draw nothing: {drawn}"
    if len(set(glyphs)) < len(glyphs) or tuple(box) in glyphs:
        return f"Chinese characters draw as the same box (no CJK font; `make browser` installs one): {drawn}"
    return None


@pytest.mark.browser
def test_browser_renders_chinese_text(page: Any, fixture_server: Server) -> None:  # noqa: F811
    """Fails when no CJK font is installed: every character would be an empty box, and the page unreadable."""
    page.goto(fixture_server.url + "/?q=" + QUESTION)
    assert chinese_problem(page) is None, chinese_problem(page)
    heading = page.locator("article.answer h3").first
    assert heading.inner_text() == "摘要" and heading.bounding_box()["width"] > 0


@pytest.mark.browser
def test_the_chinese_check_catches_missing_fonts(browser: Any, tmp_path: Path,  # noqa: F811
                                                 fixture_server: Server) -> None:  # noqa: F811
    """The check above is not vacuous: a chromium that sees one Latin font and no CJK font draws boxes, and
    it says so."""
    import subprocess

    from tests.doors_helpers import CHROMIUM, CHROMIUM_ARGS

    def fonts(pattern: str) -> list[str]:
        listed = subprocess.run(["fc-list", "--format", "%{file}\\n", pattern], capture_output=True, text=True)
        return listed.stdout.split()
    latin = [f for f in fonts(":lang=en") if f not in set(fonts(":lang=zh")) and f.endswith(".ttf")]
    if not latin:
        pytest.skip("no Latin-only font found by fc-list to run chromium without CJK fonts")
    (tmp_path / "fonts").mkdir()
    (tmp_path / "fonts" / Path(latin[0]).name).symlink_to(latin[0])
    conf = tmp_path / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?><fontconfig><dir>{tmp_path / "fonts"}</dir>'
                    f"<cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>", encoding="utf-8")
    bare = browser.browser_type.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True,
                                       env={**os.environ, "FONTCONFIG_FILE": str(conf)})
    try:
        pg = bare.new_page()
        pg.goto(fixture_server.url + "/?q=" + QUESTION)
        problem = chinese_problem(pg)
    finally:
        bare.close()
    assert problem is not None and ("box" in problem or "nothing" in problem), problem


@pytest.mark.browser
@pytest.mark.realdata
def test_browser_flagship_question(page: Any, real_server: Server) -> None:  # noqa: F811
    ask_in_browser(page, real_server.url, "微信诽谤可以报警吗")
    answer = page.locator("article.answer")
    basis = answer.locator("details").filter(has_text="治安管理处罚法")
    assert basis.count() >= 1, answer.inner_text()[:2000]
    item = basis.first
    item.locator("summary").click()
    shown = item.inner_text()
    assert re.search(r"\d{4}-\d{2}-\d{2}", shown), "the version's effective date is shown"
    # The expanded text is the article's exact text, as /law serves it.
    label = re.search(r"第[零一二三四五六七八九十百千]+条(之[一二三四五六七八九十]+)?", shown)
    assert label, shown
    hit = httpx.get(f"{real_server.url}/law/治安管理处罚法/{label.group(0)}", timeout=30).json()
    assert hit["text"].split("\n")[0] in shown
    assert page.fawen_errors == []

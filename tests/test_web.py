"""The web page served by a real `fawen serve`: the HTML as a client without JavaScript gets it (httpx), and
the page in headless Debian chromium (playwright), on the fixture corpus and, for the flagship question,
on the real corpus."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.doors_helpers import Server, browser, fixture_server, page, real_server  # noqa: F401  (fixtures)

QUESTION = "在微信群里公然侮辱他人会被拘留吗"
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
    page.goto(fixture_server.url + "/?q=" + QUESTION)
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

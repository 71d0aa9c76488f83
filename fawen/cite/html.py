"""HTML pages → plain text with one line per block, and the page's question (its <h1> or <title>).

Blocks (<p>, <li>, <td>, <blockquote> …) and <br> all end a line and blank lines are dropped, so a page reads
the same to the citation extractor whether it came as HTML or as the plain text of the same lines.
"""

from __future__ import annotations

import html as htmllib
import re

from selectolax.lexbor import LexborHTMLParser

# lexbor takes quadratic time on deeply nested elements (40,000 nested <div> ≈ 3 s); deeper pages are read
# by the plain regular-expression reader instead, which is linear.
MAX_DEPTH = 3000

_HINT = re.compile(r"<(?:!doctype\s+html|html|head|body|meta|title|p|div|br|span|table|article|section|h[1-6]|"
                   r"script|style|a|ul|li)\b", re.IGNORECASE)
# Block elements end a line; inline ones (<a>, <b>, <span>) do not, so 《刑法》<a>第246条</a> stays one citation.
_BLOCK = re.compile(r"<(?=/?(?:p|div|br|li|ul|ol|h[1-6]|tr|td|th|table|section|article|blockquote|pre|dd|dt|dl|"
                    r"header|footer|main|nav|aside|hr|figure|figcaption|form|title)\b)", re.IGNORECASE)
_DROP = ["script", "style", "noscript", "template", "svg", "iframe", "object", "embed", "canvas", "head"]
_BLANKS = re.compile(r"\n[ \t\u3000\xa0]*(?:\n[ \t\u3000\xa0]*)+")
_TRAIL = re.compile(r"[ \t\u3000\xa0]+\n")
_SITE_SUFFIX = re.compile(r"\s*(?:[_|｜]|\s[-—–]\s).*$")
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]{0,20})\b[^<>]{0,2000}?(/?)>")
_VOID = {"br", "img", "meta", "link", "input", "hr", "wbr", "area", "base", "col", "embed", "source", "track",
         "param", "p", "li", "option", "td", "tr", "th", "dt", "dd"}
_ANY_TAG = re.compile(r"<[^<>]{0,2000}>")
_TITLE_RE = re.compile(r"<title\b[^>]{0,200}>([^<]{0,500})", re.IGNORECASE)
_H1_RE = re.compile(r"<h1\b[^>]{0,200}>([^<]{0,500})", re.IGNORECASE)


def looks_like_html(text: str) -> bool:
    """Whether `text` is an HTML page or fragment rather than plain text."""
    head = text[:4096].lstrip("\ufeff \t\r\n")
    if head[:1] != "<":
        return len(_HINT.findall(head)) >= 2
    return _HINT.search(head[:200]) is not None or len(_HINT.findall(head)) >= 2


def html_to_text(html: str) -> tuple[str, str | None]:
    """(text, question): scripts, styles and markup removed; the question is the <h1>, else the <title>."""
    if _depth(html) > MAX_DEPTH:
        return _plain_reader(html)
    tree = LexborHTMLParser(_BLOCK.sub("\n<", html))
    question = _node_text(tree, "h1") or _title(tree)
    tree.strip_tags(_DROP)
    root = tree.body if tree.body is not None else tree.root
    text = root.text(separator="") if root is not None else ""
    text = _TRAIL.sub("\n", text.replace("\r", "")).replace("\xa0", " ")
    return _BLANKS.sub("\n", text).strip(), question


def _title(tree: LexborHTMLParser) -> str | None:
    title = _node_text(tree, "title")
    if not title:
        return None
    # 「劳动合同到期不续签有补偿吗_华律网」: drop the site name after _ | or a spaced dash.
    short = _SITE_SUFFIX.sub("", title).strip()
    return short if len(short) >= 4 else title


def _node_text(tree: LexborHTMLParser, selector: str) -> str | None:
    node = tree.css_first(selector)
    if node is None:
        return None
    text = " ".join(node.text(separator=" ").split())
    return text[:500] or None


def _depth(html: str) -> int:
    """Deepest element nesting, counting tags that need a closing tag; stops counting past MAX_DEPTH."""
    depth = deepest = 0
    for closing, name, self_closing in _TAG.findall(html):
        if name.lower() in _VOID or self_closing:
            continue
        depth += -1 if closing else 1
        if depth > deepest:
            deepest = depth
            if deepest > MAX_DEPTH:
                break
    return deepest


def _plain_reader(html: str) -> tuple[str, str | None]:
    """Linear-time fallback: drop script/style bodies, turn block tags into line breaks, remove other tags."""
    lower = html.lower()
    parts: list[str] = []
    pos = 0
    while True:
        starts = [i for i in (lower.find(f"<{t}", pos) for t in ("script", "style")) if i >= 0]
        if not starts:
            parts.append(html[pos:])
            break
        i = min(starts)
        tag = "script" if lower.startswith("<script", i) else "style"
        parts.append(html[pos:i])
        j = lower.find(f"</{tag}", i)
        if j < 0:
            break
        pos = lower.find(">", j)
        pos = len(html) if pos < 0 else pos + 1
    body = "".join(parts)
    h1, title = _H1_RE.search(body), _TITLE_RE.search(body)
    question = (h1[1].strip() if h1 else "") or (title[1].strip() if title else "") or None
    text = _ANY_TAG.sub("", _BLOCK.sub("\n<", body))
    text = _TRAIL.sub("\n", htmllib.unescape(text).replace("\r", "")).replace("\xa0", " ")
    return _BLANKS.sub("\n", text).strip(), question

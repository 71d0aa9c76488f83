"""The web page: the page layout around the answer fragment, the offline API docs page, static assets.

Everything user-supplied goes through `html.escape`; the answer itself is rendered (and escaped) by
`fawen.answer.render.render_html`, which this module only wraps. No external assets: the page works offline
and without JavaScript (the script only links a section's citations to their articles, opens the one
clicked, and adds 全部展开).
"""

from __future__ import annotations

import re
from functools import cache
from html import escape
from importlib.resources import files
from string import Template
from typing import Any
from urllib.parse import quote

from fawen import config
from fawen.errors import NotFound
from fawen.models import Answer

ASSETS = {"fawen.css": "text/css; charset=utf-8", "fawen.js": "text/javascript; charset=utf-8"}
# Scripts and styles only from this server; no inline script can run even if escaping ever failed.
HTML_HEADERS = {
    "content-security-policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                               "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")  # what <input type=date> accepts as a value
# Questions the engine answers well today, one per area (治安, 劳动, 消费, 侵权, 刑事): each answer's first legal
# basis is the article a lawyer would cite, checked by hand and kept so by tests/test_web.py on the real corpus.
EXAMPLES = ("微信诽谤可以报警吗", "公司拖欠工资可以去哪里投诉", "网购可以七天无理由退货吗", "被狗咬了谁负责",
            "单位不交社保可以辞职吗", "未满十四周岁打人要负刑事责任吗")


@cache
def _text(name: str) -> str:
    return files("fawen.web").joinpath(name).read_text(encoding="utf-8")


def asset(name: str) -> tuple[bytes, str]:
    """A static file of the page (CSS or JS) and its media type."""
    if name not in ASSETS:
        raise NotFound(f"没有这个文件 (no such asset): {name}")
    return _text(name).encode("utf-8"), ASSETS[name]


def render_page(question: str, as_of: str, content: str) -> str:
    """The whole page: header, question box (pre-filled), `content` (already safe HTML), footer."""
    title = f"{question.strip()[:40]} — 法问" if question.strip() else "法问 fawen — 依据现行有效法律回答法律问题"
    return Template(_text("page.html")).substitute(
        title=escape(title), question=escape(question), as_of=as_of if ISO_DATE.fullmatch(as_of) else "",
        max_chars=config.get_int("MAX_QUERY_CHARS"), content=content)


def home_html() -> str:
    links = "".join(f'<li><a href="/?q={quote(q)}">{escape(q)}</a></li>' for q in EXAMPLES)
    return ('<section class="intro"><p>用日常语言提问，法问从现行有效的法律、司法解释中找出依据，'
            '逐条给出原文、版本与施行日期。</p>'
            f'<h2>试试这些问题</h2><ul class="examples">{links}</ul></section>')


def answer_html(answer: Answer) -> str:
    """The answer fragment of fawen.answer.render, with the as-of date and corpus date above it."""
    from fawen.answer.render import render_html

    corpus_date = answer.searched.get("corpus_date", "")
    meta = f'法律时点 <time datetime="{escape(answer.as_of)}">{escape(answer.as_of)}</time>（按当日有效的版本）'
    if corpus_date:
        meta += f' · 法规库截至 <time datetime="{escape(str(corpus_date))}">{escape(str(corpus_date))}</time>'
    return f'<p class="as-of">{meta}</p><article class="answer">{render_html(answer)}</article>'


def error_html(message: str, question: str = "") -> str:
    """The error box of the page, with the question as typed (as text) so the reader sees what was asked."""
    asked = f'<p class="asked">你的问题：<q>{escape(question)}</q></p>' if question.strip() else ""
    return f'<div class="error" role="alert"><strong>无法回答</strong>{asked}<p>{escape(message)}</p></div>'


def render_docs(spec: dict[str, Any]) -> str:
    """The API reference, rendered on the server from the OpenAPI document (Swagger UI needs a CDN)."""
    parts = [f'<p class="as-of">OpenAPI {escape(str(spec.get("openapi", "")))} · '
             '<a href="/openapi.json">/openapi.json</a></p>',
             f'<p>{escape(spec.get("info", {}).get("description", ""))}</p>',
             f'<p>限制 (limits): 查询 ≤ {config.get_int("MAX_QUERY_CHARS")} 字符 (FAWEN_MAX_QUERY_CHARS)，'
             f'请求体 ≤ {config.get_int("MAX_BODY_BYTES")} 字节 (FAWEN_MAX_BODY_BYTES)。</p>']
    for path, ops in spec.get("paths", {}).items():
        for method, op in ops.items():
            parts.append(f'<section class="endpoint"><h2><span class="method">{escape(method.upper())}</span> '
                         f'<code>{escape(path)}</code></h2><p>{escape(op.get("summary", ""))}</p>')
            params = op.get("parameters", [])
            if params:
                rows = "".join(
                    f'<tr><td><code>{escape(p["name"])}</code></td><td>{escape(p.get("in", ""))}</td>'
                    f'<td>{"是" if p.get("required") else "否"}</td>'
                    f'<td>{escape(_schema_type(p.get("schema", {})))}</td>'
                    f'<td>{escape(p.get("description", "") or p.get("schema", {}).get("description", ""))}</td></tr>'
                    for p in params)
                parts.append('<table><thead><tr><th>参数</th><th>位置</th><th>必填</th><th>类型</th><th>说明</th>'
                             f'</tr></thead><tbody>{rows}</tbody></table>')
            body = op.get("requestBody", {}).get("content", {})
            if body:
                parts.append(f'<p>请求体 (body): {escape("、".join(body))}</p>')
            codes = "、".join(sorted(op.get("responses", {})))
            parts.append(f'<p class="codes">响应 (responses): {escape(codes)}；错误均为 '
                         '<code>{"ok": false, "error": …, "status": …}</code></p></section>')
    return render_page("", "", f'<article class="docs"><h1>{escape(spec["info"]["title"])} '
                               f'{escape(spec["info"]["version"])}</h1>{"".join(parts)}</article>')


def _schema_type(schema: dict[str, Any]) -> str:
    if "anyOf" in schema:
        return " | ".join(_schema_type(s) for s in schema["anyOf"])
    if schema.get("type") == "array":
        return f"{_schema_type(schema.get('items', {}))}[]"
    bounds = [f"{k}={schema[k]}" for k in ("minimum", "maximum") if k in schema]
    return str(schema.get("type", "")) + (f" ({', '.join(bounds)})" if bounds else "")

"""Renderers of an Answer: rich terminal text, Markdown, JSON (the DESIGN.md contract) and an HTML
fragment that the web page embeds. The HTML escapes every piece of text it is given."""

from __future__ import annotations

import json
from html import escape
from typing import Any

from rich.console import Console
from rich.markup import escape as rich_escape
from rich.text import Text

from fawen.models import Answer, Hit, Related

FORMATS = ("text", "md", "json", "html")


def status_label(status: str | None) -> str:
    """An audit status as a reader sees it: clean → 引用已核验, '2 findings' → 2 处引用问题."""
    if not status or status == "unchecked":
        return "未核验"
    if status == "clean":
        return "引用已核验"
    count = status.split()[0]
    return f"{count} 处引用问题" if count.isdigit() else status


def _searched_line(answer: Answer) -> str:
    s = answer.searched
    kinds = "、".join(s.get("kinds", [])) or "—"
    sources = ", ".join(s.get("sources", [])) or "—"
    return (f"检索范围：{kinds}（来源 {sources}）；法规库日期 {s.get('corpus_date') or '—'}；"
            f"按 {answer.as_of} 有效的版本；引用条文 {len(answer.basis)} 条。")


def _step(step: dict[str, str]) -> str:
    """「申请劳动仲裁：…（《…》第X条）。」"""
    return f"{step.get('title', '')}：{step.get('text', '')}（{step.get('citation', '')}）。"


def _removed(answer: Answer) -> list[dict[str, Any]]:
    llm = answer.searched.get("llm")
    return list(llm.get("removed", [])) if isinstance(llm, dict) else []


# --- JSON -----------------------------------------------------------------------------------------
def render_json(answer: Answer) -> str:
    return json.dumps(answer.to_json(), ensure_ascii=False, indent=2)


# --- Markdown -------------------------------------------------------------------------------------
def render_markdown(answer: Answer) -> str:
    out = [f"# {answer.question}", "", "## 摘要", "", answer.summary, ""]
    for section in answer.sections:
        out += [f"## {section.title}", ""]
        out += [f"- {line}" for line in section.body.splitlines() if line]
        out.append("")
    if answer.steps:
        out += ["## 怎么办", ""]
        out += [f"{i}. {_step(step)}" for i, step in enumerate(answer.steps, start=1)]
        out.append("")
    if answer.basis:
        out += ["## 法律依据", ""]
        for hit in answer.basis:
            status = f"，{hit.status}" if hit.status else ""
            out += [f"### 《{hit.law}》{hit.article}", "", f"*{hit.date_label}{status}*", ""]
            out += [f"> {line}" for line in hit.text.splitlines() if line]
            out.append("")
    removed = _removed(answer)
    if removed:
        out += ["## 已删除的引用", ""]
        out += [f"- {r.get('raw', '')}：{r.get('reason', '')}" for r in removed]
        out.append("")
    if answer.related:
        out += ["## 相关法律问题", ""]
        for rel in answer.related:
            title = f"[{rel.question}]({rel.url})" if rel.url else rel.question
            out.append(f"- {title}（{status_label(rel.status)}）")
        out.append("")
    out += ["---", "", _searched_line(answer), "", f"*{answer.disclaimer}*", ""]
    return "\n".join(out)


# --- terminal -------------------------------------------------------------------------------------
def render_text(answer: Answer, console: Console) -> None:
    """Print the answer page to a rich console (headings as rules; text wraps with the terminal)."""
    console.print(Text(answer.question, style="bold"))
    console.rule("摘要", align="left")
    console.print(Text(answer.summary))
    for section in answer.sections:
        console.rule(rich_escape(section.title), align="left")
        for line in section.body.splitlines():
            label, sep, rest = line.partition("：")
            if sep and len(label) <= 6:
                console.print(Text.assemble((label + sep, "bold"), rest))
            else:
                console.print(Text(line))
    if answer.steps:
        console.rule("怎么办", align="left")
        for i, step in enumerate(answer.steps, start=1):
            console.print(Text.assemble((f"{i}. {step.get('title', '')}：", "bold"),
                                        f"{step.get('text', '')}（{step.get('citation', '')}）。"))
    if answer.basis:
        console.rule("法律依据", align="left")
        for hit in answer.basis:
            console.print(Text.assemble((f"《{hit.law}》{hit.article}", "bold cyan"),
                                        (f"  {hit.date_label}{(' · ' + hit.status) if hit.status else ''}", "dim")))
            console.print(Text(hit.text))
    removed = _removed(answer)
    if removed:
        console.rule("已删除的引用 (unverifiable citations removed)", align="left", style="yellow")
        for r in removed:
            console.print(Text(f"{r.get('raw', '')}：{r.get('reason', '')}", style="yellow"))
    if answer.related:
        console.rule("相关法律问题", align="left")
        for rel in answer.related:
            console.print(Text(f"· {rel.question}  [{status_label(rel.status)}]" + (f"  {rel.url}" if rel.url else "")))
    console.rule(style="dim")
    console.print(Text(_searched_line(answer), style="dim"))
    console.print(Text(answer.disclaimer, style="dim italic"))


# --- HTML -----------------------------------------------------------------------------------------
def _link(rel: Related) -> str:
    question = escape(rel.question)
    if rel.url and rel.url.startswith(("https://", "http://")):
        return f'<a href="{escape(rel.url, quote=True)}" rel="nofollow noopener">{question}</a>'
    return question


def _basis_html(hit: Hit) -> str:
    paragraphs = "".join(f"<p>{escape(line)}</p>" for line in hit.text.splitlines() if line.strip())
    status = f" · {escape(hit.status)}" if hit.status else ""
    path = f'<p class="path">{escape(" / ".join(hit.path))}</p>' if hit.path else ""
    return (f'<details class="basis-article"><summary><span class="law">《{escape(hit.law)}》</span>'
            f'<span class="article">{escape(hit.article)}</span></summary>'
            f'<p class="version">版本：{escape(hit.date_label)}{status}</p>'
            f'{path}<div class="text">{paragraphs}</div></details>')


def render_html(answer: Answer) -> str:
    """An HTML fragment (no <html>/<head>): summary, sections, 法律依据 as <details>, related, scope."""
    parts = ['<div class="fawen-answer">', f'<h2 class="question">{escape(answer.question)}</h2>',
             f'<section class="summary"><h3>摘要</h3><p>{escape(answer.summary)}</p></section>']
    for section in answer.sections:
        lines = "".join(f"<p>{escape(line)}</p>" for line in section.body.splitlines() if line)
        cites = "".join(f"<li>{escape(c)}</li>" for c in section.citations)
        parts.append(f'<section class="route"><h3>{escape(section.title)}</h3>{lines}'
                     + (f'<ul class="citations">{cites}</ul>' if cites else "") + "</section>")
    if answer.steps:
        items = "".join(f"<li>{escape(_step(s))}</li>" for s in answer.steps)
        parts.append(f'<section class="steps"><h3>怎么办</h3><ol>{items}</ol></section>')
    if answer.basis:
        parts.append('<section class="basis"><h3>法律依据</h3>' + "".join(_basis_html(h) for h in answer.basis)
                     + "</section>")
    removed = _removed(answer)
    if removed:
        items = "".join(f"<li>{escape(str(r.get('raw', '')))}：{escape(str(r.get('reason', '')))}</li>"
                        for r in removed)
        parts.append(f'<section class="removed"><h3>已删除的引用</h3><ul>{items}</ul></section>')
    if answer.related:
        items = "".join(f'<li>{_link(r)} <span class="status">{escape(status_label(r.status))}</span></li>'
                        for r in answer.related)
        parts.append(f'<section class="related"><h3>相关法律问题</h3><ul>{items}</ul></section>')
    parts.append(f'<section class="searched"><p>{escape(_searched_line(answer))}</p></section>')
    parts.append(f'<footer class="disclaimer"><p>{escape(answer.disclaimer)}</p></footer></div>')
    return "".join(parts)


def render(answer: Answer, fmt: str) -> str:
    """Markdown, JSON or HTML as a string (the terminal format prints through `render_text`)."""
    if fmt == "json":
        return render_json(answer)
    if fmt == "md":
        return render_markdown(answer)
    if fmt == "html":
        return render_html(answer)
    raise ValueError(f"unknown format {fmt!r}")

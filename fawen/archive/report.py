"""The editors' report: one self-contained HTML file (inline CSS and SVG charts; no script, no CDN).

Counts by finding kind, the most cited outdated laws and articles, then the worst pages first, each finding
with the text in force and the suggested replacement. Every piece of page or corpus text is HTML-escaped.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import datetime
from html import escape
from pathlib import Path
from typing import Any

from fawen.archive.charts import bar_chart
from fawen.archive.digest import OUTDATED, TOP, WORST, Digest, digest
from fawen.cite.report import FINDING_KINDS

KIND_NAMES = {
    "not_found": "法律或条文不存在", "not_in_force": "已失效或尚未施行", "renumbered": "条号已变",
    "quote_mismatch": "引文与条文不符", "misattributed": "引文出自别的条文", "irrelevant": "与问题无关",
    "ambiguous": "法律名称有歧义", "outdated_quote": "引文是旧版本的文本", "misattributed_claim": "数额等出自别的条文",
}
CSS = """
body{font-family:"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;margin:0 auto;max-width:1100px;
padding:1rem 1.5rem;color:#222;line-height:1.5}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{border-bottom:2px solid #b4442c;padding-bottom:.2rem;margin-top:2rem}
.meta{color:#666;margin-top:0}table{border-collapse:collapse;width:100%;margin:.6rem 0}
th,td{border:1px solid #ddd;padding:.35rem .5rem;vertical-align:top;text-align:left}th{background:#f6f1ee}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.totals{display:flex;flex-wrap:wrap;gap:.8rem}.total{border:1px solid #ddd;border-radius:6px;padding:.5rem .9rem}
.total b{display:block;font-size:1.4rem}.chart{max-width:100%;height:auto}
article.page{border:1px solid #ddd;border-radius:6px;padding:.4rem .9rem;margin:1rem 0}
article.page h3{margin:.3rem 0;font-size:1.05rem}.source{color:#666;font-size:.85rem}
.kind{font-weight:bold;white-space:nowrap}.current{white-space:pre-wrap;font-size:.9rem;color:#333}
.suggestion{color:#0b6b3a;font-weight:bold}.none{color:#999}
"""


def write_report(path: Path, rows: Iterable[dict[str, Any]], summary: dict[str, Any], meta: dict[str, Any],
                 worst: int = WORST) -> None:
    """Write the report for an audit's rows (in output order) and its summary, atomically."""
    html = render_report(digest(rows, worst=worst), summary, meta)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(html, encoding="utf-8")
    os.replace(tmp, path)


def render_report(found: Digest, summary: dict[str, Any], meta: dict[str, Any]) -> str:
    parts = [_head(meta), _totals(summary), _kinds(found), _outdated(found), _worst(found), _errors(found),
             "</main></body></html>\n"]
    return "".join(parts)


def _head(meta: dict[str, Any]) -> str:
    facts = [f"来源 source: {meta.get('source', '')}", f"依据 as of {meta.get('as_of', '')}"]
    if meta.get("event_date"):
        facts.append(f"事发日 event date {meta['event_date']}")
    if meta.get("question"):
        facts.append(f"问题 question: {meta['question']}")
    facts.append(f"语料 corpus {meta.get('corpus_date', '')}")
    facts.append(f"生成 generated {datetime.now().strftime('%Y-%m-%d %H:%M')}")
    return ('<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>fawen 引用审核报告 (citation audit report)</title><style>{CSS}</style></head><body><main>"
            "<h1>引用审核报告 <small>(citation audit report)</small></h1>"
            f'<p class="meta">{" · ".join(escape(str(f)) for f in facts)}</p>')


def _totals(summary: dict[str, Any]) -> str:
    items = [("页面 pages", summary.get("pages", 0)), ("已检查 checked", summary.get("checked", 0)),
             ("有问题的页面 with findings", summary.get("pages_with_findings", 0)),
             ("引用 citations", summary.get("citations", 0)), ("无法读取 unreadable", summary.get("errors", 0))]
    if summary.get("since"):
        items.insert(2, (f"未受 {summary['since']} 后修法影响 unchanged", summary.get("unchanged", 0)))
    cells = "".join(f'<div class="total"><b>{int(v):,}</b>{escape(k)}</div>' for k, v in items)
    return f'<section id="summary"><h2>概况 (summary)</h2><div class="totals">{cells}</div></section>'


def _kinds(found: Digest) -> str:
    kinds = [k for k in FINDING_KINDS if found.findings.get(k)]
    rows = "".join(f'<tr><td class="kind">{escape(k)}</td><td>{escape(KIND_NAMES.get(k, ""))}</td>'
                   f'<td class="num">{found.findings[k]:,}</td></tr>' for k in FINDING_KINDS)
    chart = bar_chart(kinds, [found.findings[k] for k in kinds], "findings by kind") if kinds else ""
    return (f'<section id="kinds"><h2>问题类型 (findings by kind)</h2>{chart}'
            f"<table><thead><tr><th>kind</th><th>含义</th><th>数量 count</th></tr></thead><tbody>{rows}"
            "</tbody></table></section>")


def _outdated(found: Digest) -> str:
    head = (f'<section id="outdated"><h2>引用最多的过时法律 (most cited outdated laws)</h2>'
            f'<p class="meta">引用已失效 ({OUTDATED[0]}) 或条号已变 ({OUTDATED[1]}) 的次数</p>')
    if not found.outdated_laws:
        return head + '<p class="none">没有 (none)</p></section>'
    laws = found.outdated_laws.most_common(TOP)
    chart = bar_chart([_short(law) for law, _ in laws], [n for _, n in laws], "outdated citations by law",
                      horizontal=True, color="#5a6e8c")
    law_rows = "".join(f'<tr><td>{escape(law)}</td><td class="num">{n:,}</td></tr>' for law, n in laws)
    article_rows = "".join(f'<tr><td>{escape(law)}</td><td>{escape(article)}</td><td class="num">{n:,}</td></tr>'
                           for (law, article), n in found.outdated_articles.most_common(TOP))
    return (f"{head}{chart}<table><thead><tr><th>法律 law</th><th>次数 citations</th></tr></thead>"
            f"<tbody>{law_rows}</tbody></table><h3>条文 (articles)</h3><table><thead><tr><th>法律 law</th>"
            f"<th>条文 article</th><th>次数 citations</th></tr></thead><tbody>{article_rows}</tbody></table>"
            "</section>")


def _worst(found: Digest) -> str:
    out = [f'<section id="worst"><h2>问题最多的页面 (worst pages first)</h2><p class="meta">'
           f"{found.pages_with_findings:,} 个页面有问题，列出最严重的 {len(found.worst)} 个</p>"]
    for page in found.worst:
        rows = []
        for row in page.rows:
            findings = "".join(f'<div><span class="kind">{escape(f["kind"])}</span> {escape(f["message"])}</div>'
                               for f in row["findings"])
            current = (f'<div class="current">{escape(row["current"])}</div>' if row["current"]
                       else '<span class="none">—</span>')
            suggestion = (f'<span class="suggestion">{escape(row["suggestion"])}</span>' if row["suggestion"]
                          else '<span class="none">—</span>')
            rows.append(f'<tr><td>{escape(row["raw"] or "")}</td><td>{findings}</td><td>{current}</td>'
                        f"<td>{suggestion}</td></tr>")
        out.append(f'<article class="page"><h3>{escape(page.page)}</h3><div class="source">{escape(page.source)}'
                   f" · {len(page.rows)} 处有问题的引用</div><table><thead><tr><th>引用 citation</th>"
                   "<th>问题 finding</th><th>现行条文 text in force</th><th>建议改为 suggested</th></tr></thead>"
                   f'<tbody>{"".join(rows)}</tbody></table></article>')
    out.append("</section>")
    return "".join(out)


def _errors(found: Digest) -> str:
    if not found.errors:
        return ""
    items = "".join(f"<li>{escape(r['page'])}: {escape(r['message'] or '')}</li>" for r in found.errors)
    return f'<section id="errors"><h2>无法读取的页面 (unreadable pages)</h2><ul>{items}</ul></section>'


def _short(title: str, n: int = 22) -> str:
    return title if len(title) <= n else title[: n - 1] + "…"

"""Rich tables for `fawen check`: one report, the findings of many pages, and the bulk summary."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from fawen.cite.report import FINDING_KINDS, BulkSummary, CheckReport

_STYLE = {"ok": "green", "unverified": "yellow", "irrelevant": "yellow", "quote_mismatch": "yellow",
          "outdated_quote": "yellow"}


def report_table(report: CheckReport, source: str = "") -> Table:
    """One row per citation: what was cited, what it resolved to, its status and findings."""
    parts = [f"as of {report.as_of}"]
    if report.event_date:
        parts.append(f"event {report.event_date}")
    if report.question:
        parts.append(f"问题: {report.question[:40]}")
    title = f"fawen check {source} — {len(report.citations)} 处引用 ({', '.join(parts)})"
    table = Table(title=title, show_lines=True, expand=True)
    table.add_column("#", justify="right", no_wrap=True)
    for col, ratio in (("引用 citation", 4), ("法律 / 条文", 4), ("状态 status", 2), ("发现 findings", 9)):
        table.add_column(col, overflow="fold", ratio=ratio)
    for i, cite in enumerate(report.citations, start=1):
        style = _STYLE.get(cite.status, "red")
        findings = Text()
        for f in cite.findings:
            findings.append(f"[{f.kind}] ", style="bold")
            findings.append(f.message)
            if f.suggestion:
                findings.append(f"\n→ {f.suggestion}", style="cyan")
            findings.append("\n")
        findings.rstrip()
        table.add_row(str(i), cite.raw, f"{cite.law or '?'} {cite.article or ''}", Text(cite.status, style=style),
                      findings if findings.plain else Text("—", style="dim"))
    if report.truncated:
        table.caption = "引用过多，只检查了前面的部分 (too many citations: the rest was not checked)"
    return table


def findings_table(rows: list[tuple[str, CheckReport]], limit: int = 200) -> Table:
    """Pages with findings: one row per finding, at most `limit` rows."""
    table = Table(title="findings", show_lines=False)
    for col in ("page", "引用 citation", "kind", "message"):
        table.add_column(col, overflow="fold")
    shown = 0
    for source, report in rows:
        for cite in report.citations:
            for f in cite.findings:
                if shown >= limit:
                    table.caption = f"… 仅显示前 {limit} 条 (first {limit} findings shown; use --json for all)"
                    return table
                table.add_row(source, cite.raw, f.kind, f.message + (f" → {f.suggestion}" if f.suggestion else ""))
                shown += 1
    return table


def summary_table(summary: BulkSummary) -> Table:
    table = Table(title="fawen check — summary")
    table.add_column("")
    table.add_column("", justify="right")
    table.add_row("pages", str(summary.pages))
    table.add_row("pages with findings", str(summary.pages_with_findings))
    table.add_row("unreadable pages", str(summary.errors))
    table.add_row("citations", str(summary.citations))
    for kind in FINDING_KINDS:
        table.add_row(f"  {kind}", str(summary.findings.get(kind, 0)))
    table.add_row("seconds", f"{summary.seconds:.1f}")
    table.add_row("pages/second", f"{summary.pages_per_second:.1f}")
    return table

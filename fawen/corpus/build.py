"""Build pipeline: sources → merged laws → a new generation directory → atomic switch of `current`.

FAWEN_HOME/
  current -> gen-<time>-<pid>/      symlink, replaced atomically once a build has fully succeeded
  gen-…/corpus.sqlite               laws, versions, articles, aliases, correspondence, build issues
  gen-…/index/                      retrieval indexes (written by fawen.retrieve.index)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from fawen import db
from fawen.corpus import aliases, chinalaw, lawrefbook
from fawen.corpus.correspondence import correspond
from fawen.corpus.merge import MergedLaw, merge
from fawen.corpus.records import Issue, SourceDoc
from fawen.errors import BadInput, CorpusError
from fawen.text.labels import article_label

CORPUS_FILE = "corpus.sqlite"
CURRENT = "current"
Progress = Callable[[str, int, int], None]


@dataclass
class BuildReport:
    path: Path
    laws: int = 0
    versions: int = 0
    articles: int = 0
    correspondences: int = 0
    issues: list[Issue] = field(default_factory=list)
    seconds: float = 0.0
    skipped: bool = False

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]


def parse_sources(specs: list[str], default: bool = True) -> list[tuple[str, Path | None]]:
    """'chinalaw' and 'lawrefbook:PATH' → (name, path); `default` adds chinalaw. Bad specs raise BadInput."""
    out: list[tuple[str, Path | None]] = []
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


def current_dir(home: Path) -> Path:
    return home / CURRENT


def build(specs: list[str], home: Path, progress: Progress | None = None, force: bool = False,
          today: str | None = None, default: bool = True) -> BuildReport:
    """Build the corpus into a new generation and switch `current` to it; the old one stays on failure."""
    started = time.perf_counter()
    sources = parse_sources(specs, default)
    _ensure_home(home)
    fingerprint = _fingerprint(sources)
    existing = current_dir(home) / CORPUS_FILE
    if not force and existing.is_file() and _meta(existing).get("fingerprint") == fingerprint:
        report = BuildReport(existing, skipped=True)
        report.seconds = time.perf_counter() - started
        return report

    gen = Path(tempfile.mkdtemp(prefix=f"gen-{dt.datetime.now():%Y%m%d-%H%M%S}-", dir=home))
    try:
        report = _build_into(gen, sources, fingerprint, progress, today or dt.date.today().isoformat())
        _build_indexes(gen, progress)
        _switch(home, gen)
    except BaseException:
        shutil.rmtree(gen, ignore_errors=True)
        raise
    report.path = current_dir(home) / CORPUS_FILE
    report.seconds = time.perf_counter() - started
    _remove_old_generations(home, keep=gen)
    return report


def _build_into(gen: Path, sources: list[tuple[str, Path | None]], fingerprint: str,
                progress: Progress | None, today: str) -> BuildReport:
    issues: list[Issue] = []
    docs: list[SourceDoc] = []
    for name, path in sources:
        _tick(progress, f"reading {name}", 0, 0)
        if name == "chinalaw":
            docs.extend(chinalaw.read(issues=issues))
        else:
            assert path is not None
            docs.extend(lawrefbook.read(path, issues))
    laws = merge(docs, today)
    conn = db.create(gen / CORPUS_FILE)
    report = BuildReport(gen / CORPUS_FILE, issues=issues)
    try:
        with conn:
            for i, law in enumerate(laws):
                _write_law(conn, law, report)
                if i % 50 == 0:
                    _tick(progress, "writing", i, len(laws))
            _tick(progress, "writing", len(laws), len(laws))
            _write_curated_aliases(conn)
            for issue in issues:
                conn.execute("INSERT INTO build_issues VALUES (?, ?, ?, ?, ?)",
                             (issue.source, issue.file, issue.line, issue.severity, issue.message))
            corpus_date = max((v.published for law in laws for v in law.versions), default="")
            meta = {
                "fingerprint": fingerprint,
                "built_at": dt.datetime.now().isoformat(timespec="seconds"),
                "sources": json.dumps([f"{n}:{p}" if p else n for n, p in sources], ensure_ascii=False),
                "corpus_date": corpus_date,
            }
            conn.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
        conn.execute("ANALYZE")
    finally:
        conn.close()
    return report


def _write_law(conn: sqlite3.Connection, law: MergedLaw, report: BuildReport) -> None:
    cur = conn.execute("INSERT INTO laws (title, kind, department, aliases) VALUES (?, ?, ?, ?)",
                       (law.title, law.kind, law.department,
                        json.dumps(sorted(law.keys - {aliases.key(law.title)}), ensure_ascii=False)))
    law_id = cur.lastrowid
    report.laws += 1
    conn.executemany("INSERT OR IGNORE INTO aliases VALUES (?, ?)", [(k, law_id) for k in law.keys])
    previous: list[tuple[int, str]] = []
    for version in law.versions:
        cur = conn.execute(
            "INSERT INTO versions (law_id, title, published, effective, status, source, source_ref) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (law_id, version.title, version.published, version.effective, version.status,
             version.source, version.source_ref))
        version_id = cur.lastrowid
        report.versions += 1
        current: list[tuple[int, str]] = []
        for art in version.articles:
            cur = conn.execute(
                "INSERT INTO articles (version_id, law_id, number, suffix, label, path, paragraphs, text) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (version_id, law_id, art.number, art.suffix, article_label(art.number, art.suffix),
                 json.dumps(art.path, ensure_ascii=False),
                 json.dumps([{"text": p.text, "items": p.items} for p in art.paragraphs], ensure_ascii=False),
                 art.text))
            current.append((int(cur.lastrowid or 0), art.text))
        report.articles += len(current)
        if previous and current:
            pairs = correspond([t for _, t in previous], [t for _, t in current])
            conn.executemany("INSERT INTO correspondence VALUES (?, ?, ?)",
                             [(previous[i][0], current[j][0], s) for i, j, s in pairs])
            report.correspondences += len(pairs)
        if current:
            previous = current


def _write_curated_aliases(conn: sqlite3.Connection) -> None:
    for short, target in aliases.curated_targets().items():
        conn.execute("INSERT OR IGNORE INTO aliases SELECT ?, law_id FROM aliases WHERE key = ?", (short, target))


def _build_indexes(gen: Path, progress: Progress | None) -> None:
    from fawen.cite.quote_index import build_quote_index
    from fawen.retrieve import index

    _tick(progress, "indexing", 0, 0)
    index.build_index(gen)
    _tick(progress, "quote index", 0, 0)
    build_quote_index(gen)


def _switch(home: Path, gen: Path) -> None:
    link = home / f".current-{os.getpid()}"
    if link.is_symlink() or link.exists():
        link.unlink()
    os.symlink(gen.name, link)
    os.replace(link, current_dir(home))


def _remove_old_generations(home: Path, keep: Path) -> None:
    for old in home.glob("gen-*"):
        if old != keep and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)


def _ensure_home(home: Path) -> None:
    try:
        home.mkdir(parents=True, exist_ok=True)
        probe = home / f".write-test-{os.getpid()}"
        probe.write_text("")
        probe.unlink()
    except OSError as exc:
        raise BadInput(f"FAWEN_HOME 不可写 (not writable): {home}: {exc.strerror}") from exc


def _fingerprint(sources: list[tuple[str, Path | None]]) -> str:
    digest = hashlib.sha256()
    from fawen import __version__

    digest.update(f"{__version__}|schema{len(db.MIGRATIONS)}".encode())
    for name, path in sources:
        digest.update(name.encode())
        if path is None:
            file = chinalaw.database_path()
            digest.update(hashlib.sha256(file.read_bytes()).digest())
        else:
            for f in sorted(path.rglob("*.md")):
                st = f.stat()
                digest.update(f"{f.relative_to(path)}|{st.st_size}|{st.st_mtime_ns}".encode())
    return digest.hexdigest()


def _meta(path: Path) -> dict[str, str]:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return dict(conn.execute("SELECT key, value FROM meta").fetchall())
        finally:
            conn.close()
    except sqlite3.Error:
        return {}


def _tick(progress: Progress | None, stage: str, done: int, total: int) -> None:
    if progress is not None:
        progress(stage, done, total)


def corpus_path(home: Path) -> Path:
    """The current corpus file, or CorpusError telling how to build it."""
    path = current_dir(home) / CORPUS_FILE
    if not path.is_file():
        raise CorpusError(f"尚未建立索引 (no corpus at {home}). Run `fawen corpus build` first.")
    return path

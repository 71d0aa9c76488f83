"""Write one generation's corpus.sqlite from the sources: read, merge, insert, correspond versions.

Build orchestration (lock, generations, indexes, the switch of `current`) is fawen/build.py; this module
only fills the file it is given.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from fawen import db
from fawen.corpus import aliases, chinalaw, lawrefbook
from fawen.corpus.correspondence import correspond
from fawen.corpus.merge import MergedLaw, merge
from fawen.corpus.records import Issue, SourceDoc
from fawen.text.labels import article_label

Progress = Callable[[str, int, int], None]
Source = tuple[str, Path | None]


@dataclass
class Counts:
    laws: int = 0
    versions: int = 0
    articles: int = 0
    correspondences: int = 0
    issues: list[Issue] = field(default_factory=list)


def read_sources(sources: list[Source], issues: list[Issue], progress: Progress) -> list[SourceDoc]:
    """Every document of every source, in source order; problems go to `issues`."""
    docs: list[SourceDoc] = []
    for name, path in sources:
        progress(f"reading {name}", 0, 0)
        if name == "chinalaw":
            docs.extend(chinalaw.read(issues=issues))
        else:
            assert path is not None
            docs.extend(lawrefbook.read(path, issues))
    return docs


def write_corpus(file: Path, sources: list[Source], labels: list[str], fingerprint: str, today: str,
                 progress: Progress, counts: Counts) -> None:
    """Read the sources and write the whole corpus file `file` (a new file in a new generation), counting
    what was written and the problems met into `counts`."""
    laws = merge(read_sources(sources, counts.issues, progress), today)
    conn = db.create(file)
    try:
        with conn:
            for i, law in enumerate(laws):
                _write_law(conn, law, counts)
                if i % 50 == 0:
                    progress("writing", i, len(laws))
            progress("writing", len(laws), len(laws))
            _write_curated_aliases(conn)
            conn.executemany("INSERT INTO build_issues VALUES (?, ?, ?, ?, ?)",
                             [(i.source, i.file, i.line, i.severity, i.message) for i in counts.issues])
            meta = {
                "fingerprint": fingerprint,
                "built_at": dt.datetime.now().isoformat(timespec="seconds"),
                "sources": json.dumps(labels, ensure_ascii=False),
                "corpus_date": max((v.published for law in laws for v in law.versions), default=""),
            }
            conn.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
        conn.execute("ANALYZE")
    finally:
        conn.close()


def _write_law(conn: sqlite3.Connection, law: MergedLaw, counts: Counts) -> None:
    cur = conn.execute("INSERT INTO laws (title, kind, department, aliases) VALUES (?, ?, ?, ?)",
                       (law.title, law.kind, law.department,
                        json.dumps(sorted(law.keys - {aliases.key(law.title)}), ensure_ascii=False)))
    law_id = cur.lastrowid
    counts.laws += 1
    conn.executemany("INSERT OR IGNORE INTO aliases VALUES (?, ?)", [(k, law_id) for k in law.keys])
    previous: list[tuple[int, str]] = []
    for version in law.versions:
        cur = conn.execute(
            "INSERT INTO versions (law_id, title, published, effective, status, source, source_ref) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (law_id, version.title, version.published, version.effective, version.status,
             version.source, version.source_ref))
        version_id = cur.lastrowid
        counts.versions += 1
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
        counts.articles += len(current)
        if previous and current:
            pairs = correspond([t for _, t in previous], [t for _, t in current])
            conn.executemany("INSERT INTO correspondence VALUES (?, ?, ?)",
                             [(previous[i][0], current[j][0], s) for i, j, s in pairs])
            counts.correspondences += len(pairs)
        if current:
            previous = current


def _write_curated_aliases(conn: sqlite3.Connection) -> None:
    for short, target in aliases.curated_targets().items():
        conn.execute("INSERT OR IGNORE INTO aliases SELECT ?, law_id FROM aliases WHERE key = ?", (short, target))

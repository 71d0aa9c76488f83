"""Write one generation's corpus.sqlite from the sources: read, merge, insert, correspond versions, and
record each version's dates with their provenance, the disagreements between sources, and the laws and
articles that replaced others (successors.build_links).

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
from fawen.corpus.successors import ArticleLink, build_links
from fawen.text.labels import article_label

Progress = Callable[[str, int, int], None]
Source = tuple[str, Path | None]


@dataclass
class Counts:
    laws: int = 0
    versions: int = 0
    articles: int = 0
    correspondences: int = 0
    successions: int = 0
    article_links: int = 0
    issues: list[Issue] = field(default_factory=list)


# An article of one version: (law key, the version's 公布 date, number, suffix).
ArticleKey = tuple[str, str, int, int]


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
    write_merged(file, laws, labels, fingerprint, progress, counts)


def write_merged(file: Path, laws: list[MergedLaw], labels: list[str], fingerprint: str, progress: Progress,
                 counts: Counts) -> None:
    """Write merged laws to the new corpus file `file`: laws, versions with their dates, articles,
    correspondences, disagreements, successions and article links across laws, build issues, meta."""
    progress("linking successors", 0, 0)
    links = build_links(laws)
    wanted: set[ArticleKey] = {(link.old_law, link.old_version, link.old_number, link.old_suffix) for link in links}
    wanted |= {(link.new_law, link.new_version, link.new_number, link.new_suffix) for link in links}
    article_ids: dict[ArticleKey, int] = {}
    law_ids: dict[str, int] = {}
    conn = db.create(file)
    try:
        with conn:
            for i, law in enumerate(laws):
                law_ids[law.key] = _write_law(conn, law, counts, wanted, article_ids)
                if i % 50 == 0:
                    progress("writing", i, len(laws))
            progress("writing", len(laws), len(laws))
            _write_successions(conn, laws, law_ids, links, article_ids, counts)
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


def _write_law(conn: sqlite3.Connection, law: MergedLaw, counts: Counts, wanted: set[ArticleKey],
               article_ids: dict[ArticleKey, int]) -> int:
    """Insert the law, its versions (with their dates and where each came from), articles, correspondences
    between consecutive versions and the disagreements found; return its id. The ids of the `wanted`
    articles (those linked across laws) go to `article_ids`."""
    cur = conn.execute("INSERT INTO laws (title, kind, department, aliases, first_effective) VALUES (?, ?, ?, ?, ?)",
                       (law.title, law.kind, law.department,
                        json.dumps(sorted(law.keys - {aliases.key(law.title)}), ensure_ascii=False),
                        law.first_effective))
    law_id = int(cur.lastrowid or 0)
    counts.laws += 1
    conn.executemany("INSERT OR IGNORE INTO aliases VALUES (?, ?)", [(k, law_id) for k in law.keys])
    previous: list[tuple[int, str]] = []
    version_ids: dict[str, int] = {}
    for version in law.versions:
        cur = conn.execute(
            "INSERT INTO versions (law_id, title, published, effective, status, source, source_ref, published_from, "
            "effective_from, ends, ends_from, dates_where, sources) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (law_id, version.title, version.published, version.effective, version.status,
             version.source, version.source_ref, version.published_from, version.effective_from, version.ends,
             version.ends_from, json.dumps(version.dates_where, ensure_ascii=False),
             json.dumps(version.sources or [version.source], ensure_ascii=False)))
        version_id = int(cur.lastrowid or 0)
        version_ids.setdefault(version.published, version_id)
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
            key = (law.key, version.published, art.number, art.suffix)
            if key in wanted:
                article_ids[key] = current[-1][0]
        counts.articles += len(current)
        if previous and current:
            pairs = correspond([t for _, t in previous], [t for _, t in current])
            conn.executemany("INSERT INTO correspondence VALUES (?, ?, ?)",
                             [(previous[i][0], current[j][0], s) for i, j, s in pairs])
            counts.correspondences += len(pairs)
        if current:
            previous = current
    conn.executemany("INSERT INTO disagreements VALUES (?, ?, ?, ?, ?, ?, ?)",
                     [(law_id, version_ids.get(d.version), d.article, d.topic, d.chosen, d.other, d.detail)
                      for d in law.disagreements])
    return law_id


def _write_successions(conn: sqlite3.Connection, laws: list[MergedLaw], law_ids: dict[str, int],
                       links: list[ArticleLink], article_ids: dict[ArticleKey, int], counts: Counts) -> None:
    """The laws that replaced others (named in the successor's own text) and the article links across them."""
    for law in laws:
        for succession in law.successors:
            if succession.old in law_ids and succession.new in law_ids:
                conn.execute("INSERT OR IGNORE INTO successions VALUES (?, ?, ?, ?)",
                             (law_ids[succession.old], law_ids[succession.new], succession.date, succession.where))
                counts.successions += 1
    rows = []
    for link in links:
        old = article_ids.get((link.old_law, link.old_version, link.old_number, link.old_suffix))
        new = article_ids.get((link.new_law, link.new_version, link.new_number, link.new_suffix))
        if old is not None and new is not None:
            rows.append((old, new, link.score))
    conn.executemany("INSERT OR IGNORE INTO article_links VALUES (?, ?, ?)", rows)
    counts.article_links += len(rows)


def _write_curated_aliases(conn: sqlite3.Connection) -> None:
    for short, target in aliases.curated_targets().items():
        conn.execute("INSERT OR IGNORE INTO aliases SELECT ?, law_id FROM aliases WHERE key = ?", (short, target))

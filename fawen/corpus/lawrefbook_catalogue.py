"""LawRefBook's catalogue of versions, read as 'catalogue' date claims.

2025's index.sqlite3 has an `expired` flag; 2026's db.sqlite3 has valid_from and valid_to (default
2099-12-31, i.e. in force) instead. The root holds one, each DLC pack another (folders relative to the
pack). valid_to is the first day a version is no longer in force (治安管理处罚法 2012: 2026-01-01, the
day the 2025 text took effect), so the last day in force is the day before. A valid_from equal to the
publish date is often a stand-in for an unknown 施行 date (民事诉讼法 2023-09-01, in force 2024-01-01):
such claims are kept weak, reported when they disagree but never deciding.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from fawen import db
from fawen.corpus.dates import OPEN, DateClaim, shift
from fawen.corpus.records import Issue, SourceDoc

SOURCE = "lawrefbook"
FILES = ("db.sqlite3", "index.sqlite3")
_NEVER = "2099-12-31"
_UNKNOWN = "1970-01-01"


@dataclass(frozen=True)
class Row:
    name: str
    filename: str
    publish: str
    valid_from: str
    valid_to: str | None        # None in the 2025 layout
    expired: bool | None        # None in the 2026 layout
    where: str


class Catalogue:
    """Rows by (folder relative to the checkout, name) and by (folder, filename)."""

    def __init__(self, rows: list[tuple[str, Row]]) -> None:
        self.by_name: dict[tuple[str, str], list[Row]] = {}
        self.by_file: dict[tuple[str, str], list[Row]] = {}
        for folder, row in rows:
            self.by_name.setdefault((folder, row.name), []).append(row)
            if row.filename:
                self.by_file.setdefault((folder, row.filename), []).append(row)

    def rows_for(self, folder: Path, stem: str, short_name: str) -> list[Row]:
        key = str(folder)
        return self.by_name.get((key, short_name)) or self.by_file.get((key, stem)) or []

    def claims_for(self, doc: SourceDoc, folder: Path, stem: str, dated: bool) -> None:
        """Add the catalogue's claims about this file's version (and, for an undated file, its row's)."""
        rows = self.rows_for(folder, stem, doc.short_name)
        if dated:
            rows = [r for r in rows if r.publish == doc.published]
        dated_rows = [r for r in rows if r.publish]
        if not doc.published and len(dated_rows) == 1:
            doc.published, doc.published_from = dated_rows[0].publish, "catalogue"   # no header dates at all
        if len(rows) > 1:
            rows = dated_rows          # an undated row among several: which text it means is unknown
        for row in rows:
            version = row.publish or doc.published
            about = "" if version == doc.published else version
            if about and not dated:
                # An undated file (刑法.md) whose row names another version: the text was updated, the row not.
                doc.claims.append(DateClaim("published", row.publish, "catalogue", SOURCE,
                                            f"{row.where}: publish {row.publish}", weak=True))
            if row.valid_from:
                if row.valid_from > version:
                    doc.claims.append(DateClaim("effective", row.valid_from, "catalogue", SOURCE,
                                                f"{row.where}: valid_from {row.valid_from}", version=about))
                elif row.valid_from == version:
                    doc.claims.append(DateClaim("effective", row.valid_from, "catalogue", SOURCE,
                                                f"{row.where}: valid_from {row.valid_from} (= publish)",
                                                version=about, weak=True))
                elif not about:
                    doc.first_effective = min(filter(None, (doc.first_effective, row.valid_from)))
            ends = _ends(row)
            if ends is not None:
                doc.claims.append(DateClaim("ends", ends[0], "catalogue", SOURCE, f"{row.where}: {ends[1]}",
                                            version=about))


def _ends(row: Row) -> tuple[str, str] | None:
    if row.valid_to is not None:
        if row.valid_to >= _NEVER:
            return OPEN, f"valid_to {row.valid_to}"
        if row.valid_to <= _UNKNOWN:
            return "", f"valid_to {row.valid_to} (repealed, day unknown)"
        return shift(row.valid_to, -1), f"valid_to {row.valid_to}"
    if row.expired is None:
        return None
    return ("", "expired = 1") if row.expired else (OPEN, "expired = 0")


def read_catalogues(root: Path, issues: list[Issue]) -> Catalogue:
    """The catalogue of a checkout and of its DLC packs; a missing or unreadable one is reported, not fatal."""
    rows: list[tuple[str, Row]] = []
    bases = [root] + (sorted(p for p in (root / "DLC").iterdir() if p.is_dir()) if (root / "DLC").is_dir() else [])
    for base in bases:
        file = next((base / f for f in FILES if (base / f).is_file()), None)
        if file is None:
            continue
        prefix = "" if base == root else str(base.relative_to(root)) + "/"
        try:
            rows.extend((prefix + folder, row) for folder, row in _read(file, str(file.relative_to(root))))
        except sqlite3.Error as exc:
            issues.append(Issue(SOURCE, str(file.relative_to(root)), 0,
                                f"目录数据库无法读取 (catalogue unreadable): {exc}", "warning"))
    return Catalogue(rows)


def _read(file: Path, rel: str) -> list[tuple[str, Row]]:
    conn = db.open_source(file)
    try:
        columns = {r[1] for r in conn.execute("PRAGMA table_info(law)")}
        valid_to = "l.valid_to" if "valid_to" in columns else "NULL"
        expired = "l.expired" if "expired" in columns else "NULL"
        valid_from = "l.valid_from" if "valid_from" in columns else "NULL"
        filename = "l.filename" if "filename" in columns else "NULL"
        found = conn.execute(
            f"SELECT c.folder, l.name, {filename}, l.publish, {valid_from}, {valid_to}, {expired} "
            "FROM law l JOIN category c ON c.id = l.category_id ORDER BY c.folder, l.name, l.publish").fetchall()
    finally:
        conn.close()
    out = []
    for folder, name, fname, publish, vfrom, vto, exp in found:
        row = Row(name, fname or "", publish or "", vfrom or "", str(vto) if vto else None,
                  None if exp is None else bool(exp), f"{rel} {name}({publish or '?'})")
        out.append((folder, row))
    return out

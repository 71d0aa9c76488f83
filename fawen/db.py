"""The only place that opens SQLite: connection settings and numbered migrations."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path


def m001_create_tables(conn: sqlite3.Connection) -> None:
    conn.executescript(
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE laws (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            department TEXT NOT NULL DEFAULT '',
            aliases TEXT NOT NULL DEFAULT '[]'
        );
        CREATE TABLE aliases (
            key TEXT NOT NULL,
            law_id INTEGER NOT NULL REFERENCES laws(id),
            PRIMARY KEY (key, law_id)
        );
        CREATE TABLE versions (
            id INTEGER PRIMARY KEY,
            law_id INTEGER NOT NULL REFERENCES laws(id),
            title TEXT NOT NULL,
            published TEXT NOT NULL,
            effective TEXT NOT NULL,
            status TEXT NOT NULL,
            source TEXT NOT NULL,
            source_ref TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX versions_law ON versions(law_id, effective);
        CREATE TABLE articles (
            id INTEGER PRIMARY KEY,
            version_id INTEGER NOT NULL REFERENCES versions(id),
            law_id INTEGER NOT NULL REFERENCES laws(id),
            number INTEGER NOT NULL,
            suffix INTEGER NOT NULL DEFAULT 0,
            label TEXT NOT NULL,
            path TEXT NOT NULL DEFAULT '[]',
            paragraphs TEXT NOT NULL DEFAULT '[]',
            text TEXT NOT NULL,
            UNIQUE (version_id, number, suffix)
        );
        CREATE INDEX articles_law ON articles(law_id, number, suffix);
        CREATE TABLE correspondence (
            old_id INTEGER NOT NULL REFERENCES articles(id),
            new_id INTEGER NOT NULL REFERENCES articles(id),
            score REAL NOT NULL,
            PRIMARY KEY (old_id, new_id)
        );
        CREATE INDEX correspondence_new ON correspondence(new_id);
        CREATE TABLE build_issues (
            source TEXT NOT NULL, file TEXT NOT NULL, line INTEGER NOT NULL,
            severity TEXT NOT NULL, message TEXT NOT NULL
        );
        """
    )


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [m001_create_tables]


def migrate(conn: sqlite3.Connection) -> None:
    """Run the migrations this file has not had yet; the schema version is PRAGMA user_version."""
    current = conn.execute("PRAGMA user_version").fetchone()[0]
    for number, migration in enumerate(MIGRATIONS, start=1):
        if number > current:
            with conn:
                migration(conn)
                conn.execute(f"PRAGMA user_version = {number}")


def create(path: Path) -> sqlite3.Connection:
    """Open a new corpus file for writing (build time) and bring its schema up to date."""
    conn = sqlite3.connect(str(path))
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA foreign_keys = ON")
    migrate(conn)
    return conn


def open_readonly(path: Path) -> sqlite3.Connection:
    """Open a built corpus file read-only; safe to share across threads for reads."""
    conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version != len(MIGRATIONS):
        conn.close()
        from fawen.errors import CorpusError

        raise CorpusError(
            f"索引版本不符 (schema {version}, expected {len(MIGRATIONS)}): {path}. "
            "Rebuild it with `fawen corpus build`."
        )
    return conn

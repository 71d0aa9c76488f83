"""The Q&A knowledge base's store: its own SQLite file (FAWEN_HOME/qa.sqlite), kept apart from the corpus
generations so that a corpus rebuild does not drop it. Every SQL query on it is here; the schema is migrated
by fawen/db.py's runner, as the corpus's is.

An import writes in WAL mode and leaves the file in rollback-journal mode when done, so that readers — a
server, another user, a read-only FAWEN_HOME — need nothing but read access to the file itself.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fawen import db
from fawen.errors import BadInput, CorpusError

FILENAME = "qa.sqlite"
WHAT = "问答库"
_COLUMNS = ("id, question, qkey, answer, url, source, page, notes, content_hash, cluster, minhash, audit, "
            "findings, imported_at")


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


def path(home: Path) -> Path:
    return home / FILENAME


def signature(home: Path) -> tuple[float, int] | None:
    """(modification time, size) of the store, which an import changes; None when there is no store."""
    try:
        st = path(home).stat()
    except OSError:
        return None
    return st.st_mtime, st.st_size


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


@contextmanager
def _reading(home: Path) -> Iterator[sqlite3.Connection]:
    file = path(home)
    if not file.exists():
        raise CorpusError(f"问答库不存在 (no Q&A store): {file}. Import one with `fawen qa import FILE`.")
    conn = db.open_store(file, MIGRATIONS, WHAT, write=False)
    try:
        yield conn
    except sqlite3.DatabaseError as exc:
        raise CorpusError(f"问答库无法读取 (cannot read {file}): {exc}") from exc
    finally:
        conn.close()


def questions(home: Path) -> list[StoredQuestion]:
    """Every stored question, by id."""
    with _reading(home) as conn:
        rows = conn.execute("SELECT id, question, qkey, url, cluster, findings FROM questions ORDER BY id").fetchall()
    return [StoredQuestion(r["id"], r["question"], r["qkey"], r["url"], r["cluster"], r["findings"]) for r in rows]


def get(home: Path, qa_id: int) -> dict[str, Any] | None:
    """One stored record with its page parts and audit, as plain JSON-ready data."""
    with _reading(home) as conn:
        row = conn.execute("SELECT * FROM questions WHERE id = ?", (qa_id,)).fetchone()
    if row is None:
        return None
    return {
        "id": row["id"], "question": row["question"], "answer": row["answer"], "url": row["url"],
        "source": row["source"], "cluster": row["cluster"], "page": json.loads(row["page"]),
        "notes": json.loads(row["notes"]), "audit": json.loads(row["audit"]), "findings": row["findings"],
        "imported_at": row["imported_at"],
    }


class Writer:
    """An import's write session: what is stored already, and batches of new rows (one transaction each)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def existing(self) -> list[sqlite3.Row]:
        """(id, question, cluster, minhash, content_hash) of every stored record, by id."""
        return self.conn.execute("SELECT id, question, cluster, minhash, content_hash FROM questions "
                                 "ORDER BY id").fetchall()

    def next_id(self) -> int:
        return int(self.conn.execute("SELECT MAX(id) FROM questions").fetchone()[0] or 0) + 1

    def insert(self, rows: list[tuple[Any, ...]]) -> None:
        """Write one batch of rows (in _COLUMNS order) in one transaction."""
        if rows:
            with self.conn:
                self.conn.executemany(f"INSERT INTO questions ({_COLUMNS}) "
                                      f"VALUES ({', '.join('?' * len(_COLUMNS.split(',')))})", rows)


@contextmanager
def writing(home: Path) -> Iterator[Writer]:
    """Open (creating) the store for an import; BadInput when FAWEN_HOME cannot be written."""
    file = path(home)
    try:
        home.mkdir(parents=True, exist_ok=True)
        writable = os.access(home, os.W_OK) and (not file.exists() or os.access(file, os.W_OK))
    except OSError:
        writable = False
    if not writable:
        raise BadInput(f"FAWEN_HOME 不可写 (not writable): {home}; 导入问答需要写入 {file} "
                       "(importing needs to write the Q&A store)")
    try:
        conn = db.open_store(file, MIGRATIONS, WHAT, write=True)
    except CorpusError as exc:
        if "readonly" in exc.message or "unable to open" in exc.message:
            raise BadInput(f"FAWEN_HOME 不可写 (not writable): {file}: {exc.message}") from exc
        raise
    try:
        yield Writer(conn)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.OperationalError as exc:
        raise BadInput(f"问答库写入失败 (cannot write {file}): {exc}") from exc
    finally:
        conn.close()
    os.chmod(file, 0o644)

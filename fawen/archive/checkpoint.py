"""The checkpoint beside an archive audit's output: how far the run got, and with which options.

Each batch is written to the output first, then the checkpoint is replaced atomically (temporary file, fsync,
rename). A run killed between the two leaves output past the checkpoint's position; the rerun cuts it off and
redoes that one batch. A run killed while replacing the checkpoint leaves the old one whole.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

from fawen.archive.summary import ArchiveSummary
from fawen.errors import BadInput

FORMAT = 1


def checkpoint_path(out: Path) -> Path:
    return out.with_name(out.name + ".checkpoint.json")


def summary_path(out: Path) -> Path:
    return out.with_name(out.name + ".summary.json")


@dataclass
class Checkpoint:
    """`options` must match for a rerun to resume; `pages` pages and `batches` batches are done; `position`
    is the output's size (JSONL bytes, or Parquet parts) after them; `last_page` the id of the last page."""

    options: dict[str, Any]
    pages: int = 0
    batches: int = 0
    position: int = 0
    last_page: str | None = None
    complete: bool = False
    summary: ArchiveSummary = field(default_factory=ArchiveSummary)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["summary"] = self.summary.to_json()
        return {"format": FORMAT, **data}

    def save(self, path: Path) -> None:
        tmp = path.with_name(f".{path.name}.tmp")
        with tmp.open("w", encoding="utf-8") as handle:
            json.dump(self.to_json(), handle, ensure_ascii=False, indent=1)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path) -> Checkpoint:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") != FORMAT:
                raise ValueError(f"format {data.get('format')}")
            return cls(data["options"], int(data["pages"]), int(data["batches"]), int(data["position"]),
                       data["last_page"], bool(data["complete"]), ArchiveSummary.from_json(data["summary"]))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise BadInput(f"检查点无法读取 (unreadable checkpoint) {path}: {exc}; rerun with --restart") from None


def mismatch(saved: dict[str, Any], wanted: dict[str, Any]) -> str | None:
    """The first option that differs between a checkpoint and this run, as 'name: saved → wanted'."""
    for key in sorted(set(saved) | set(wanted)):
        if saved.get(key) != wanted.get(key):
            return f"{key}: {saved.get(key)!r} → {wanted.get(key)!r}"
    return None


class Lock:
    """An exclusive lock on OUT.lock: two runs never write one output (released when the process dies)."""

    def __init__(self, out: Path) -> None:
        self.path = out.with_name(out.name + ".lock")
        self.handle: IO[str] | None = None

    def __enter__(self) -> Lock:
        self.handle = self.path.open("w")
        try:
            import fcntl
        except ImportError:   # not POSIX (Windows): run without the lock
            return self
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self.handle.close()
            raise BadInput(f"另一个 fawen check 正在写入 (another run is writing this output): {self.path}") from None
        return self

    def __exit__(self, *exc: object) -> None:
        if self.handle is not None:
            self.path.unlink(missing_ok=True)
            self.handle.close()

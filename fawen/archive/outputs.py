"""Results of an archive audit, written batch by batch so that a checkpoint can point at a clean boundary.

JSONL: one file, appended; its byte size is the checkpoint's position, and a rerun truncates what lies past
it (a batch written but not yet checkpointed when the run was killed). Parquet: one part file per batch in
OUT.parts/ (each written to a temporary name, then renamed), joined into OUT when the run completes.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol, TextIO

from fawen.archive.inputs import require_pyarrow
from fawen.archive.work import COLUMNS
from fawen.errors import BadInput

FORMATS = ("jsonl", "parquet")


class Sink(Protocol):
    def open(self, position: int | None) -> int:
        """Start (None) or resume at `position`; returns how many rows past it were dropped."""

    def write(self, index: int, rows: list[dict[str, Any]]) -> int:
        """Append one batch's rows; returns the position to checkpoint."""

    def finish(self) -> None: ...

    def close(self) -> None: ...


def row_json(row: dict[str, Any]) -> str:
    return json.dumps(row, ensure_ascii=False)


class StreamSink:
    """JSONL rows to a stream (stdout): no checkpoint, nothing to resume."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def open(self, position: int | None) -> int:
        return 0

    def write(self, index: int, rows: list[dict[str, Any]]) -> int:
        self.stream.write("".join(row_json(r) + "\n" for r in rows))
        self.stream.flush()
        return 0

    def finish(self) -> None:
        pass

    def close(self) -> None:
        pass


class JsonlSink:
    """One JSON object a line, appended batch by batch and synced before the checkpoint names its size."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.handle: Any = None

    def open(self, position: int | None) -> int:
        dropped = 0
        if position is None:
            self.handle = self.path.open("wb")
            return 0
        size = self.path.stat().st_size if self.path.exists() else -1
        if size < position:
            raise BadInput(f"输出文件比检查点短 (the output is shorter than its checkpoint says): {self.path}; "
                           "rerun with --restart")
        self.handle = self.path.open("r+b")
        if size > position:
            self.handle.seek(position)
            dropped = self.handle.read().count(b"\n")
            self.handle.seek(position)
            self.handle.truncate()
        self.handle.seek(position)
        return dropped

    def write(self, index: int, rows: list[dict[str, Any]]) -> int:
        if rows:
            self.handle.write("".join(row_json(r) + "\n" for r in rows).encode("utf-8"))
            self.handle.flush()
            os.fsync(self.handle.fileno())
        return int(self.handle.tell())

    def finish(self) -> None:
        self.close()

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.handle = None


def parquet_schema() -> Any:
    import pyarrow as pa

    text = pa.string()
    finding = pa.struct([("kind", text), ("message", text), ("suggestion", text)])
    return pa.schema([("page", text), ("source", text), ("n", pa.int32()), ("raw", text), ("law", text),
                      ("article", text), ("status", text), ("kind", text), ("message", text),
                      ("suggestion", text), ("current", text), ("findings", pa.list_(finding))])


class ParquetSink:
    """Part files OUT.parts/part-<batch>.parquet while running; one OUT file once complete."""

    def __init__(self, path: Path) -> None:
        self.pq = require_pyarrow()
        self.path = path
        self.parts = parts_dir(path)

    def open(self, position: int | None) -> int:
        if position is None:
            shutil.rmtree(self.parts, ignore_errors=True)
            self.path.unlink(missing_ok=True)
            self.parts.mkdir(parents=True)
            return 0
        if not self.parts.is_dir():
            raise BadInput(f"找不到输出分片 (the output's part files are missing): {self.parts}; rerun with --restart")
        dropped = 0
        for part in self.parts.iterdir():
            number = _part_number(part)
            if number is None or number >= position:   # temporary files, and batches not yet checkpointed
                if number is not None:
                    dropped += self.pq.ParquetFile(part).metadata.num_rows
                part.unlink()
        return dropped

    def write(self, index: int, rows: list[dict[str, Any]]) -> int:
        if rows:
            import pyarrow as pa

            table = pa.Table.from_pylist(rows, schema=parquet_schema())
            final = self.parts / f"part-{index:09d}.parquet"
            tmp = self.parts / f".tmp-{index:09d}.parquet"
            self.pq.write_table(table, tmp)
            with tmp.open("rb") as handle:
                os.fsync(handle.fileno())
            os.replace(tmp, final)
        return index + 1

    def finish(self) -> None:
        """Join the parts, in batch order, into OUT (atomically), then remove them."""
        parts = sorted(p for p in self.parts.iterdir() if _part_number(p) is not None)   # zero-padded: in order
        tmp = self.path.with_name(f".{self.path.name}.tmp")
        with self.pq.ParquetWriter(tmp, parquet_schema()) as writer:
            for part in parts:
                writer.write_table(self.pq.read_table(part, schema=parquet_schema()))
        os.replace(tmp, self.path)
        shutil.rmtree(self.parts)

    def close(self) -> None:
        pass


def parts_dir(path: Path) -> Path:
    return path.with_name(path.name + ".parts")


def _part_number(path: Path) -> int | None:
    name = path.name
    if name.startswith("part-") and name.endswith(".parquet"):
        return int(name[5:-8])
    return None


def make_sink(path: Path, fmt: str) -> JsonlSink | ParquetSink:
    return ParquetSink(path) if fmt == "parquet" else JsonlSink(path)


def read_rows(path: Path, fmt: str) -> Iterator[dict[str, Any]]:
    """The rows of a finished output, in order."""
    if fmt == "parquet":
        pq = require_pyarrow()
        for batch in pq.ParquetFile(path).iter_batches(batch_size=4096):
            yield from batch.to_pylist()
        return
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                yield {k: row.get(k) for k in COLUMNS}

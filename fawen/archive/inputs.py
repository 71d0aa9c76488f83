"""Where a platform keeps its pages: a directory, JSONL, CSV, Parquet, or a SQLite table or query.

A source yields pages in a fixed order, each with an id (its `id` or `url` field, else where it is), so a
checkpoint can say "the first N pages are done" and a rerun can skip them. A record that cannot be read
becomes a page with `error` set, never an exception: one bad row must not stop a million-page audit.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from fawen import config, db
from fawen.cite.bulk import JSONL_SUFFIXES, PAGE_SUFFIXES, decode, read_one
from fawen.errors import BadInput, FawenError

CSV_SUFFIXES = {".csv", ".tsv"}
PARQUET_SUFFIXES = {".parquet", ".pq"}
SQLITE_SUFFIXES = {".sqlite", ".sqlite3", ".db"}
KINDS = ("dir", "jsonl", "csv", "parquet", "sqlite")
FIELDS = ("id", "url", "question", "text")
T = TypeVar("T")


@dataclass
class Page:
    """One page to check. `error` (a message for people) is set instead of `text` when it could not be read."""

    id: str
    source: str
    text: str = ""
    question: str | None = None
    error: str | None = None


class Source:
    """Pages of one input, in a fixed order. `last_skipped` is the id of the page before `pages(skip)`'s first."""

    def __init__(self, spec: str, kind: str, path: Path) -> None:
        self.spec = spec
        self.kind = kind
        self.path = path
        self.last_skipped: str | None = None

    def count(self) -> int:
        raise NotImplementedError

    def pages(self, skip: int = 0) -> Iterator[Page]:
        raise NotImplementedError


def open_source(spec: str) -> Source:
    """The source a spec names: `KIND:PATH` (dir, jsonl, csv, parquet), `sqlite:PATH::QUERY` or
    `sqlite:PATH::TABLE`, or a bare path whose kind is its suffix (a directory is a directory)."""
    kind, _, rest = spec.partition(":")
    if kind not in KINDS or not rest:
        kind, rest = "", spec
    if kind == "sqlite" or (not kind and "::" in rest):
        path_text, sep, query = rest.partition("::")
        if not sep or not query.strip():
            raise BadInput(f"SQLite 输入需要查询 (a SQLite source needs a query): sqlite:{path_text}::QUERY "
                           "(a query returning id, question, text)")
        return SqliteSource(spec, _existing(path_text), query.strip())
    path = _existing(rest)
    suffix = path.suffix.lower()
    if not kind:
        if path.is_dir():
            kind = "dir"
        elif suffix in JSONL_SUFFIXES:
            kind = "jsonl"
        elif suffix in CSV_SUFFIXES:
            kind = "csv"
        elif suffix in PARQUET_SUFFIXES:
            kind = "parquet"
        elif suffix in SQLITE_SUFFIXES:
            raise BadInput(f"SQLite 输入需要查询 (a SQLite source needs a query): sqlite:{rest}::QUERY "
                           "(a query returning id, question, text)")
        else:
            raise BadInput(f"无法识别的输入 (unknown input kind) {spec}: use a directory, .jsonl, .csv, .parquet, "
                           "or sqlite:PATH::QUERY (or prefix the path with dir:, jsonl:, csv:, parquet:)")
    if kind == "dir":
        if not path.is_dir():
            raise BadInput(f"不是目录 (not a directory): {rest}")
        return DirSource(spec, path)
    if not path.is_file():
        raise BadInput(f"不是文件 (not a file): {rest}")
    if kind == "jsonl":
        return JsonlSource(spec, path)
    if kind == "csv":
        return CsvSource(spec, path)
    return ParquetSource(spec, path)


def _existing(path_text: str) -> Path:
    path = Path(path_text).expanduser()
    if not path.exists():
        raise BadInput(f"文件不存在 (no such file): {path_text}")
    return path


def record_page(record: Any, location: str) -> Page:
    """A page from one {id?, url?, question?, text} record (a JSON object, a CSV or Parquet row, a SQL row)."""
    if not isinstance(record, dict):
        return Page(location, location, error=f"记录不是对象 (record is not an object): {location}")
    label = next((record[k] for k in ("id", "url") if isinstance(record.get(k), (str, int)) and
                  str(record[k]).strip()), None)
    page_id = str(label) if label is not None else location
    text = record.get("text")
    if isinstance(text, bytes):
        try:
            text = decode(text, location)
        except FawenError as exc:
            return Page(page_id, location, error=exc.message)
    if not isinstance(text, str):
        return Page(page_id, location, error=f"记录缺少 text 字段 (record needs a \"text\" string): {location}")
    limit = config.get_int("MAX_CHECK_BYTES")
    if len(text) > limit or len(text.encode("utf-8", "surrogatepass")) > limit:
        return Page(page_id, location, error=f"记录过大 (record too large): {location} 超过 {limit} 字节 "
                                             "(FAWEN_MAX_CHECK_BYTES)")
    question = record.get("question")
    return Page(page_id, location, text, question if isinstance(question, str) and question.strip() else None)


# --- a directory of pages (and JSONL files) ------------------------------------------------------
class DirSource(Source):
    """Every .txt/.md/.html/.jsonl file under a directory, in path order; a JSONL file gives one page a line."""

    def __init__(self, spec: str, path: Path) -> None:
        super().__init__(spec, "dir", path)
        self.files = sorted(f for f in path.rglob("*") if f.is_file() and
                            (f.suffix.lower() in PAGE_SUFFIXES or f.suffix.lower() in JSONL_SUFFIXES))
        if not self.files:
            raise BadInput(f"目录中没有可检查的文件 (no .txt/.md/.html/.jsonl files): {path}")
        self._sizes: list[int] | None = None

    def sizes(self) -> list[int]:
        if self._sizes is None:
            self._sizes = [_count_lines(f) if f.suffix.lower() in JSONL_SUFFIXES else 1 for f in self.files]
        return self._sizes

    def count(self) -> int:
        return sum(self.sizes())

    def pages(self, skip: int = 0) -> Iterator[Page]:
        for f, size in zip(self.files, self.sizes()):
            rel = f.relative_to(self.path).as_posix()
            if skip >= size:
                skip -= size
                if size:
                    self.last_skipped = rel if f.suffix.lower() not in JSONL_SUFFIXES else _last_id(f, size, rel)
                continue
            if f.suffix.lower() in JSONL_SUFFIXES:
                source = JsonlSource(f"jsonl:{f}", f, rel)
                yield from source.pages(skip)
                if skip:
                    self.last_skipped = source.last_skipped
                skip = 0
                continue
            try:
                yield Page(rel, str(f), read_one(str(f)))
            except FawenError as exc:
                yield Page(rel, str(f), error=exc.message)


def _last_id(path: Path, size: int, label: str) -> str | None:
    source = JsonlSource(f"jsonl:{path}", path, label)
    for _ in source.pages(size):
        break
    return source.last_skipped


# --- JSON Lines --------------------------------------------------------------------------------------
class JsonlSource(Source):
    """One {id?, question?, text} object a line; blank lines are not pages."""

    def __init__(self, spec: str, path: Path, label: str | None = None) -> None:
        super().__init__(spec, "jsonl", path)
        self.label = label or str(path)

    def count(self) -> int:
        return _count_lines(self.path)

    def pages(self, skip: int = 0) -> Iterator[Page]:
        limit = config.get_int("MAX_CHECK_BYTES")
        seen = 0
        with _open(self.path) as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                seen += 1
                location = f"{self.label}:{number}"
                if seen < skip:
                    continue
                if len(line) > limit:
                    page = Page(location, location, error=f"记录过大 (record too large): {location}")
                else:
                    page = self._parse(line, location)
                if seen == skip:
                    self.last_skipped = page.id
                    continue
                yield page

    def _parse(self, line: bytes, location: str) -> Page:
        try:
            record = json.loads(decode(line, location))
        except FawenError as exc:
            return Page(location, location, error=exc.message)
        except ValueError as exc:
            return Page(location, location, error=f"不是 JSON (bad JSON) {location}: {exc}")
        return record_page(record, location)


# --- CSV -----------------------------------------------------------------------------------------------
class CsvSource(Source):
    """A CSV (or .tsv) file with a header row naming at least a `text` column; UTF-8 or GB18030."""

    def __init__(self, spec: str, path: Path) -> None:
        super().__init__(spec, "csv", path)
        self.delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
        self.encoding = _sniff_encoding(path)
        header = next(self._rows(), None)
        if header is None or "text" not in header[1]:
            raise BadInput(f"CSV 缺少 text 列 (no 'text' column in the header): {path}; columns: "
                           f"{', '.join(header[1]) if header else '(empty file)'}")
        self.header = header[1]

    def _rows(self) -> Iterator[tuple[int, list[str]]]:
        csv.field_size_limit(max(config.get_int("MAX_CHECK_BYTES") * 4, 131072))
        try:
            with self.path.open(encoding=self.encoding, newline="", errors="replace") as handle:
                reader = csv.reader(handle, delimiter=self.delimiter)
                line = 1
                for row in reader:
                    yield line, row
                    line = reader.line_num + 1
        except csv.Error as exc:
            raise BadInput(f"CSV 格式错误 (malformed CSV) {self.path}: {exc}") from exc
        except OSError as exc:
            raise BadInput(f"无法读取 (cannot read) {self.path}: {exc.strerror}") from exc

    def count(self) -> int:
        return sum(1 for _, row in self._rows() if any(cell.strip() for cell in row)) - 1

    def pages(self, skip: int = 0) -> Iterator[Page]:
        rows = self._rows()
        next(rows)
        seen = 0
        for line, row in rows:
            if not any(cell.strip() for cell in row):
                continue
            seen += 1
            if seen < skip:
                continue
            location = f"{self.path}:{line}"
            if len(row) != len(self.header):
                page = Page(location, location, error=f"列数不符 (expected {len(self.header)} columns, got "
                                                      f"{len(row)}): {location}")
            else:
                page = record_page(dict(zip(self.header, row)), location)
            if seen == skip:
                self.last_skipped = page.id
                continue
            yield page


def _sniff_encoding(path: Path) -> str:
    with _open(path) as handle:
        head = handle.read(65536)
    try:
        head.decode("utf-8")
        return "utf-8-sig"
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3:   # a character cut by the 64 KB read
            return "utf-8-sig"
    return "gb18030"


# --- Parquet -------------------------------------------------------------------------------------------
class ParquetSource(Source):
    """A Parquet file with a `text` column (and optionally id, url, question); read a row group at a time."""

    def __init__(self, spec: str, path: Path) -> None:
        super().__init__(spec, "parquet", path)
        pq = require_pyarrow()
        try:
            self.file = pq.ParquetFile(path)
        except Exception as exc:   # pyarrow raises its own error types for a damaged or foreign file
            raise BadInput(f"无法读取 Parquet 文件 (cannot read Parquet) {path}: {exc}") from exc
        names = self.file.schema_arrow.names
        if "text" not in names:
            raise BadInput(f"Parquet 缺少 text 列 (no 'text' column): {path}; columns: {', '.join(names)}")
        self.columns = [c for c in FIELDS if c in names]

    def count(self) -> int:
        return int(self.file.metadata.num_rows)

    def pages(self, skip: int = 0) -> Iterator[Page]:
        row = 0
        for group in range(self.file.num_row_groups):
            size = self.file.metadata.row_group(group).num_rows
            if row + size < skip:
                row += size
                continue
            table = self.file.read_row_group(group, columns=self.columns)
            for record in table.to_pylist():
                row += 1
                if row < skip:
                    continue
                page = record_page(record, f"{self.path}: row {row}")
                if row == skip:
                    self.last_skipped = page.id
                    continue
                yield page


def require_pyarrow() -> Any:
    """pyarrow.parquet, or BadInput naming the extra that installs it."""
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise BadInput("Parquet 需要 pyarrow (Parquet needs pyarrow): pip install 'fawen[archive]'") from None
    return pq


# --- SQLite ----------------------------------------------------------------------------------------------
class SqliteSource(Source):
    """The rows of a read-only query (or every row of a table or view, by rowid) over a SQLite file.

    Resuming skips the first N rows, so the query must return rows in a stable order: give it an ORDER BY.
    """

    def __init__(self, spec: str, path: Path, query: str) -> None:
        super().__init__(spec, "sqlite", path)
        self.query = db.archive_query(query)
        names = self._run(lambda conn: db.query_columns(conn, self.query))
        if "text" not in names:
            raise BadInput(f"查询结果没有 text 列 (the query returns no 'text' column; use … AS text): {self.query}; "
                           f"columns: {', '.join(names)}")

    def _run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        try:
            with closing(db.open_source(self.path)) as conn:
                return work(conn)
        except sqlite3.Error as exc:
            raise BadInput(f"SQL 错误 (SQL error) in {self.path}: {exc}; query: {self.query}") from exc

    def count(self) -> int:
        return self._run(lambda conn: db.count_rows(conn, self.query))

    def pages(self, skip: int = 0) -> Iterator[Page]:
        conn = db.open_source(self.path)
        try:
            cursor = conn.execute(self.query)
            names = [d[0] for d in cursor.description or ()]
            for row_number, row in enumerate(cursor, start=1):
                if row_number < skip:
                    continue
                page = record_page(dict(zip(names, row)), f"{self.path}: row {row_number}")
                if row_number == skip:
                    self.last_skipped = page.id
                    continue
                yield page
        except sqlite3.Error as exc:
            raise BadInput(f"SQL 错误 (SQL error) in {self.path}: {exc}; query: {self.query}") from exc
        finally:
            conn.close()


# --- helpers ---------------------------------------------------------------------------------------------------
def _open(path: Path) -> io.BufferedReader:
    try:
        return path.open("rb")
    except OSError as exc:
        raise BadInput(f"无法读取 (cannot read) {path}: {exc.strerror}") from exc


def _count_lines(path: Path) -> int:
    with _open(path) as handle:
        return sum(1 for line in handle if line.strip())

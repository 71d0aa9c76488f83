"""Inputs of `fawen check`: one file, stdin, a directory of pages, or a JSONL of {question, text} records."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from fawen import config
from fawen.errors import BadInput, FawenError, TooLarge

PAGE_SUFFIXES = {".txt", ".md", ".html", ".htm", ".xhtml", ".text"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}


@dataclass
class Page:
    """One text to check; `error` is set instead of `text` when the page could not be read."""

    source: str
    text: str = ""
    question: str | None = None
    error: FawenError | None = None


def is_bulk(target: str) -> bool:
    """Whether `target` holds many pages (a directory or a JSONL file) rather than one text."""
    path = Path(target)
    return target != "-" and (path.is_dir() or path.suffix.lower() in JSONL_SUFFIXES)


def read_one(target: str, stdin: BinaryIO | None = None) -> str:
    """The text of one file, or of stdin when `target` is '-'. Raises BadInput/TooLarge."""
    limit = config.get_int("MAX_CHECK_BYTES")
    if target == "-":
        if stdin is None:
            raise BadInput("没有标准输入 (no stdin)")
        data = stdin.read(limit + 1)
        if len(data) > limit:
            raise TooLarge(f"输入过大 (input too large): 超过 {limit} 字节 (FAWEN_MAX_CHECK_BYTES)")
        return decode(data, "stdin")
    path = Path(target)
    if not path.exists():
        raise BadInput(f"文件不存在 (no such file): {target}")
    if not path.is_file():
        raise BadInput(f"不是文件 (not a file): {target}")
    size = path.stat().st_size
    if size > limit:
        raise TooLarge(f"文件过大 (file too large): {target} 有 {size} 字节，上限 {limit} (FAWEN_MAX_CHECK_BYTES)")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BadInput(f"无法读取 (cannot read) {target}: {exc.strerror}") from exc
    return decode(data, target)


def decode(data: bytes, source: str) -> str:
    """Bytes → text: UTF-8 (with or without BOM; a few bad bytes, e.g. a character cut at the end, become
    U+FFFD), else GB18030; binary data raises BadInput."""
    if b"\x00" in data[:65536]:
        raise BadInput(f"不是文本文件 (binary file): {source}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    replaced = data.decode("utf-8-sig", errors="replace")
    if replaced.count("\ufffd") <= max(3, len(replaced) // 1000):
        return replaced
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise BadInput(f"无法识别的编码 (not UTF-8 or GB18030 text): {source}") from None


def pages(target: str) -> tuple[int, Iterator[Page]]:
    """(number of pages, the pages) of a directory or a JSONL file. Raises BadInput when it cannot be read."""
    path = Path(target)
    if path.is_dir():
        files = sorted(f for f in path.rglob("*") if f.is_file() and
                       (f.suffix.lower() in PAGE_SUFFIXES or f.suffix.lower() in JSONL_SUFFIXES))
        if not files:
            raise BadInput(f"目录中没有可检查的文件 (no .txt/.md/.html/.jsonl files): {target}")
        total = sum(_count_lines(f) if f.suffix.lower() in JSONL_SUFFIXES else 1 for f in files)
        return total, _dir_pages(files)
    if not path.is_file():
        raise BadInput(f"文件不存在 (no such file): {target}")
    return _count_lines(path), _jsonl_pages(path)


def _dir_pages(files: list[Path]) -> Iterator[Page]:
    for f in files:
        if f.suffix.lower() in JSONL_SUFFIXES:
            yield from _jsonl_pages(f)
            continue
        try:
            yield Page(str(f), read_one(str(f)))
        except FawenError as exc:
            yield Page(str(f), error=exc)


def _jsonl_pages(path: Path) -> Iterator[Page]:
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise BadInput(f"无法读取 (cannot read) {path}: {exc.strerror}") from exc
    limit = config.get_int("MAX_CHECK_BYTES")
    with handle:
        for number, line in enumerate(handle, start=1):
            source = f"{path}:{number}"
            if not line.strip():
                continue
            if len(line) > limit:
                yield Page(source, error=TooLarge(f"记录过大 (record too large): {source}"))
                continue
            try:
                record = json.loads(decode(line, source))
            except FawenError as exc:
                yield Page(source, error=exc)
                continue
            except ValueError as exc:
                yield Page(source, error=BadInput(f"不是 JSON (bad JSON) {source}: {exc}"))
                continue
            if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                yield Page(source, error=BadInput(f"记录缺少 text 字段 (record needs a \"text\" string): {source}"))
                continue
            question = record.get("question")
            label = record.get("id") or record.get("url")
            yield Page(f"{source} {label}" if label else source, record["text"],
                       question if isinstance(question, str) and question.strip() else None)


def _count_lines(path: Path) -> int:
    try:
        with path.open("rb") as handle:
            return sum(1 for line in handle if line.strip())
    except OSError as exc:
        raise BadInput(f"无法读取 (cannot read) {path}: {exc.strerror}") from exc

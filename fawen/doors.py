"""Input checks shared by the HTTP API (api.py) and the MCP server (mcp_server.py): query-like text, dates
and law kinds, each refused with a BadInput or TooLarge that names the field. No web framework here, so
the MCP server does not load one."""

from __future__ import annotations

from fawen.dates import as_of as parse_as_of
from fawen.errors import BadInput, TooLarge
from fawen.models import KINDS


def clean_text(value: str, field: str, limit: int) -> str:
    """A query-like string: trimmed, not empty, within `limit` characters, no binary or undecodable bytes."""
    text = value.strip()
    if not text:
        raise BadInput(f"{field} 不能为空 (empty {field})")
    if len(text) > limit:
        raise TooLarge(f"{field} 过长 (too long): {len(text)} 字符，上限 {limit} (limit {limit} characters)")
    # U+FFFD is what a percent-encoded invalid UTF-8 byte decodes to; control characters mean binary input.
    if "\ufffd" in text or any(ord(c) < 32 and c not in "\t\n\r" for c in text):
        raise BadInput(f"{field} 含有二进制或无法解码的字符 (binary or undecodable input)")
    return text


def clean_date(value: str | None, field: str = "as_of") -> str | None:
    if value is None or not value.strip():
        return None
    try:
        return parse_as_of(value)
    except BadInput as exc:
        raise BadInput(f"{field}: {exc.message}") from exc


def clean_kinds(kinds: list[str] | None) -> list[str] | None:
    if not kinds:
        return None
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise BadInput(f"未知的法律类别 (unknown kind) {'、'.join(unknown)}；可选：{'、'.join(KINDS)}")
    return kinds

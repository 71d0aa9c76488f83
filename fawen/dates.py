"""Dates as fawen takes them: ISO strings, 'today' by default."""

from __future__ import annotations

import datetime as dt

from fawen.errors import BadInput


def as_of(value: str | dt.date | None) -> str:
    """Normalise an as-of date to 'YYYY-MM-DD' (today when None). Raises BadInput on a bad date."""
    if value is None or value == "":
        return dt.date.today().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value).strip()).isoformat()
    except ValueError as exc:
        raise BadInput(f"日期格式错误 (bad date) {value!r}: use YYYY-MM-DD") from exc

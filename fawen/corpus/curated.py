"""The project's table of dates the sources get wrong or leave out (fawen/corpus/data/dates.tsv).

One row per date: law name, the version's 公布 date, field (effective / ends / published), the date,
and a one-line note naming the document that states it. Lines starting with '#' are comments.
"""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path

from fawen.corpus import aliases
from fawen.corpus.dates import DateClaim
from fawen.errors import CorpusError

FIELDS = ("effective", "ends", "published")
NAME = "dates.tsv"


def default_text() -> str:
    """The table shipped with the package."""
    return (resources.files("fawen.corpus") / "data" / NAME).read_text(encoding="utf-8")


def parse(text: str, name: str = NAME) -> list[DateClaim]:
    """Curated claims from the table's text; a malformed row raises CorpusError naming file and line."""
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        if len(cells) != 5 or not all(cells):
            raise CorpusError(f"{name}:{number}: 需要 5 个以制表符分隔的字段 (need 5 tab-separated fields: "
                              "law, version, field, date, note)")
        law, version, field, date, note = cells
        if field not in FIELDS:
            raise CorpusError(f"{name}:{number}: 未知字段 (unknown field) {field!r}; use {', '.join(FIELDS)}")
        for value in (version, date):
            try:
                dt.date.fromisoformat(value)
            except ValueError as exc:
                raise CorpusError(f"{name}:{number}: 日期格式错误 (bad date) {value!r}: use YYYY-MM-DD") from exc
        out.append(DateClaim(field, date, "curated", "curated", f"{name}:{number}: {note}",
                             law=aliases.key(law), version=version))
    return out


def load(path: Path | None = None) -> list[DateClaim]:
    """The curated claims of `path`, or of the table shipped with the package."""
    if path is None:
        return parse(default_text())
    return parse(path.read_text(encoding="utf-8"), str(path))

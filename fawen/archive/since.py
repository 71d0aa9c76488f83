"""--since DATE: re-check only pages that cite a law changed after DATE.

A law changed after DATE when one of its versions takes effect after DATE, or it was repealed after DATE.
The corpus does not record repeal dates yet (issue 12 adds LawVersion.ends): a repealed law whose end date is
unknown counts as changed, so pages citing it are always re-checked rather than silently skipped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fawen.corpus.store import Corpus

if TYPE_CHECKING:
    from fawen.library import Library

REPEALED = "已废止"


def build_law_changes(corpus: Corpus) -> dict[str, str | None]:
    """Each law's title → the date of its last change (effective or end date); None: repealed, date unknown.

    A pure builder over the corpus; it could be held by the Library of the generation (built once per run now).
    """
    changes: dict[str, str | None] = {}
    for law_id, versions in corpus.versions_by_law.items():
        dates = [v.effective for v in versions if v.effective]
        # `ends` arrives with issue 12; until then only the status says a version was repealed.
        dates += [end for v in versions if (end := getattr(v, "ends", None))]
        repealed_unknown = any(v.status == REPEALED and not getattr(v, "ends", None) for v in versions)
        changes[corpus.laws[law_id].title] = None if repealed_unknown else max(dates, default="")
    return changes


def changed_since(changes: dict[str, str | None], since: str) -> frozenset[str]:
    """Titles of the laws changed after `since` (YYYY-MM-DD), repealed laws of unknown date included."""
    return frozenset(title for title, last in changes.items() if last is None or last > since)


def cites_changed_law(library: Library, text: str, changed: frozenset[str]) -> bool:
    """Whether `text` (plain or HTML) cites one of the `changed` laws, as the auditor resolves names.

    Uses the auditor's own extraction and name resolution (no verification: ~40x cheaper than a check), so a
    page is skipped only when none of the laws check() would verify changed. Raises BadInput on empty text.
    """
    from fawen.cite.audit import _read
    from fawen.cite.extract import extract

    body, _ = _read(text)
    resolver = library.resolver
    for raw in extract(body).citations:
        resolved = resolver.resolve(raw)
        if resolved is not None and any(law.title in changed for law in resolved.laws):
            return True
    return False

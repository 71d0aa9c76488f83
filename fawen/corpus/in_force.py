"""Which version of a merged law is in force on a date, and why none is (its own module: merge.py and
successors.py both need it, and merge.py imports successors.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fawen.corpus.records import SourceDoc

if TYPE_CHECKING:
    from fawen.corpus.merge import MergedLaw

IN_FORCE, NOT_COLLECTED, NOT_YET, REPEALED = "in_force", "not_collected", "not_yet_in_force", "repealed"
END_UNKNOWN = "repealed_day_unknown"


def version_on(law: MergedLaw, date: str) -> tuple[SourceDoc | None, str]:
    """The version in force on `date` and why: in_force, not_collected (an earlier text existed but no
    source carries it), not_yet_in_force (the law did not exist yet), repealed, or repealed_day_unknown
    (the version, from a law a source calls repealed without saying since when)."""
    earlier = [v for v in law.versions if v.effective <= date]
    if not earlier:
        if law.first_effective and law.first_effective <= date:
            return None, NOT_COLLECTED
        return None, NOT_YET
    version = earlier[-1]
    if version.ends is not None and version.ends < date:
        return None, REPEALED
    if version is law.versions[-1] and version.status == "已废止" and version.ends is None:
        return version, END_UNKNOWN
    return version, IN_FORCE

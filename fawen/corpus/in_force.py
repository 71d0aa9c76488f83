"""Which version of a law is in force on a date, and why none is: one rule for the merged laws of a build
(merge.py, successors.py) and the stored versions of a built corpus (store.py), so that the two never
disagree (its own module: merge.py imports successors.py, and both need it)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol, TypeVar

from fawen.corpus.records import SourceDoc

if TYPE_CHECKING:
    from fawen.corpus.merge import MergedLaw

IN_FORCE, NOT_COLLECTED, NOT_YET, REPEALED = "in_force", "not_collected", "not_yet_in_force", "repealed"
END_UNKNOWN = "repealed_day_unknown"
REASONS = (IN_FORCE, NOT_COLLECTED, NOT_YET, REPEALED, END_UNKNOWN)


class Dated(Protocol):
    """What the rule reads of a version: when it took effect, its last day (None: open), its status."""

    @property
    def effective(self) -> str: ...

    @property
    def ends(self) -> str | None: ...

    @property
    def status(self) -> str: ...


V = TypeVar("V", bound=Dated)


def on(versions: Sequence[V], first_effective: str, date: str) -> tuple[V | None, str]:
    """The version in force on `date` among `versions` (ordered by 施行 date) and why: in_force,
    not_collected (an earlier text was in force — the law took effect on `first_effective` — but no source
    carries it), not_yet_in_force (the law did not exist yet), repealed (the last version ended before
    `date`), or repealed_day_unknown (the last version, of a law a source calls repealed without saying
    since when). Ends decide, not statuses: a status is only the view from the day of the build."""
    earlier = [v for v in versions if v.effective <= date]
    if not earlier:
        if first_effective and first_effective <= date:
            return None, NOT_COLLECTED
        return None, NOT_YET
    version = earlier[-1]
    if version.ends is not None and version.ends < date:
        return None, REPEALED
    if version is versions[-1] and version.status == "已废止" and version.ends is None:
        return version, END_UNKNOWN
    return version, IN_FORCE


def version_on(law: MergedLaw, date: str) -> tuple[SourceDoc | None, str]:
    """The merged law's version in force on `date` and why (see `on`)."""
    return on(law.versions, law.first_effective, date)

"""`fawen corpus dates`: the versions whose 施行 date is unverified or about which the sources disagree, each
with where its dates came from and the disagreements the build recorded (dates, and texts article by article)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fawen.corpus.store import Corpus
from fawen.models import KINDS

ONLY = ("unverified", "disagreements")


def uncertain_versions(corpus: Corpus, law_id: int | None = None, kinds: Sequence[str] | None = None,
                       only: str | None = None) -> list[dict[str, Any]]:
    """One record per version with an unverified 施行 date or a disagreement (`only` keeps one of the two),
    by kind (in KINDS order), title and 公布 date."""
    found: dict[int | None, list[dict[str, Any]]] = {}
    for d in corpus.disagreements(law_id):
        if kinds is None or corpus.laws[d.law_id].kind in kinds:
            found.setdefault(d.version_id, []).append(
                {"article": d.article, "topic": d.topic, "chosen": d.chosen, "other": d.other, "detail": d.detail})
    where = corpus.dates_where()
    out = []
    for version in corpus.versions.values():
        law = corpus.laws[version.law_id]
        if (law_id is not None and law.id != law_id) or (kinds is not None and law.kind not in kinds):
            continue
        disagreements = found.get(version.id, [])
        unverified = not version.effective_verified
        if not (unverified or disagreements) or (only == "unverified" and not unverified) or (
                only == "disagreements" and not disagreements):
            continue
        out.append({
            "law": law.title, "kind": law.kind, "version": version.published, "label": version.label,
            "published": version.published, "published_from": version.published_from,
            "effective": version.effective, "effective_from": version.effective_from,
            "effective_verified": not unverified, "ends": version.ends, "ends_from": version.ends_from,
            "status": version.status, "sources": version.sources, "where": where.get(version.id, {}),
            "disagreements": disagreements,
        })
    rank = {k: i for i, k in enumerate(KINDS)}
    return sorted(out, key=lambda r: (rank.get(r["kind"], 99), r["law"], r["published"]))

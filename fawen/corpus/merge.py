"""Merge source documents into laws with ordered versions; drop a version two sources both carry."""

from __future__ import annotations

from dataclasses import dataclass, field

from fawen.corpus import aliases
from fawen.corpus.records import SourceDoc
from fawen.text.normalize import compact

# A law's kind when sources disagree: the more authoritative source decides (constitution first).
_KIND_RANK = {k: i for i, k in enumerate(("宪法", "法律", "立法解释", "司法解释", "行政法规", "部门规章",
                                          "地方性法规", "案例"))}
SAME_TEXT = 0.9


@dataclass
class MergedLaw:
    key: str
    title: str
    kind: str
    department: str
    versions: list[SourceDoc] = field(default_factory=list)
    keys: set[str] = field(default_factory=set)


def merge(docs: list[SourceDoc], today: str) -> list[MergedLaw]:
    """Group documents by law (title key), drop duplicated versions, order versions, set statuses."""
    laws: dict[str, MergedLaw] = {}
    for doc in docs:
        k = aliases.key(doc.title)
        law = laws.get(k)
        if law is None:
            law = laws[k] = MergedLaw(k, doc.title, doc.kind, doc.department)
        elif _KIND_RANK.get(doc.kind, 99) < _KIND_RANK.get(law.kind, 99):
            law.kind = doc.kind
        law.keys |= aliases.generate(doc.title, doc.short_name)
        if not law.department and doc.department:
            law.department = doc.department
        _add_version(law, doc)
    for law in laws.values():
        law.versions.sort(key=lambda d: (d.effective, d.published))
        _set_statuses(law.versions, today)
    return sorted(laws.values(), key=lambda law: law.title)


def _add_version(law: MergedLaw, doc: SourceDoc) -> None:
    for i, existing in enumerate(law.versions):
        if existing.published == doc.published and existing.source == doc.source:
            return  # the same version twice in one source: keep the first
        if existing.source != doc.source and same_text(existing, doc):
            # One text in two sources: keep the first source's text, the later source's dates.
            if (doc.published, doc.effective) > (existing.published, existing.effective):
                existing.published, existing.effective = doc.published, doc.effective
            return
        _ = i
    law.versions.append(doc)


def same_text(a: SourceDoc, b: SourceDoc) -> bool:
    """True when most articles of two versions have the same text (punctuation and spaces aside)."""
    texts_a = {(x.number, x.suffix): compact(x.text) for x in a.articles}
    texts_b = {(x.number, x.suffix): compact(x.text) for x in b.articles}
    total = max(len(texts_a), len(texts_b))
    if total == 0:
        return False
    equal = sum(1 for key, text in texts_a.items() if texts_b.get(key) == text)
    return equal / total >= SAME_TEXT


def _set_statuses(versions: list[SourceDoc], today: str) -> None:
    in_force = [v for v in versions if v.status != "已废止" and v.effective <= today]
    current = in_force[-1] if in_force else None
    for v in versions:
        if v.status == "已废止":
            continue
        if v.effective > today:
            v.status = "尚未施行"
        elif v is current:
            v.status = "现行有效"
        else:
            v.status = "已修改"

"""Merge source documents into laws with ordered, dated versions.

A version is identified by its law and its 公布 date: two sources with the same date carry the same
version, and its text is chosen article by article by evidence (fawen.corpus.textchoice). Documents of
different dates are different versions even when their texts are nearly equal (刑法 2020-12-26 and
2023-12-29 differ in seven articles), so an older text never takes a newer date. Dates come from every
claim about the version: its own documents, the amendment of that date, both catalogues and the curated
table (fawen.corpus.dates.choose). A version ends the day before the next one takes effect; the last one
ends when a successor repeals it (「…《中华人民共和国合同法》…同时废止」) or a catalogue says so.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from fawen.corpus import aliases, amendments, dating, successors
from fawen.corpus.dates import OPEN, Choice, DateClaim, choose, shift
from fawen.corpus.records import Disagreement, SourceDoc
from fawen.corpus.successors import Succession

# A law's kind when sources disagree: the more authoritative source decides (constitution first).
_KIND_RANK = {k: i for i, k in enumerate(("宪法", "法律", "立法解释", "司法解释", "行政法规", "部门规章",
                                          "地方性法规", "案例"))}


@dataclass
class MergedLaw:
    key: str
    title: str
    kind: str
    department: str
    versions: list[SourceDoc] = field(default_factory=list)
    keys: set[str] = field(default_factory=set)
    first_effective: str = ""
    successors: list[Succession] = field(default_factory=list)
    predecessors: list[Succession] = field(default_factory=list)
    disagreements: list[Disagreement] = field(default_factory=list)


def merge(docs: Iterable[SourceDoc], today: str, curated: list[DateClaim] | None = None) -> list[MergedLaw]:
    """Group documents by law, choose one text per version, date every version, set statuses."""
    if curated is None:
        from fawen.corpus.curated import load

        curated = load()
    laws: dict[str, MergedLaw] = {}
    groups: dict[str, dict[str, list[SourceDoc]]] = {}
    pooled: dict[tuple[str, str], list[DateClaim]] = {}
    amended: dict[tuple[str, str], list[amendments.Amendment]] = {}
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
        same_day = groups.setdefault(k, {}).setdefault(doc.published, [])
        if not any(d.source == doc.source for d in same_day):
            same_day.append(doc)                  # the same version twice in one source: keep the first
        for claim in doc.claims:
            pooled.setdefault((claim.law or k, claim.version or doc.published), []).append(claim)
        amendment = amendments.parse(doc)
        if amendment is not None:
            for target in amendment.targets:
                amended.setdefault((target, amendment.published), []).append(amendment)
            for claim in amendments.claims(amendment):
                pooled.setdefault((claim.law, claim.version), []).append(claim)
    by_key = _key_index(laws.values())
    for claim in curated:
        law = by_key.get(claim.law)
        if law is not None:
            pooled.setdefault((law.key, claim.version), []).append(claim)
    for k, law in laws.items():
        for published, same_day in groups[k].items():
            version, found = _choose_version(law, same_day, amended)
            law.disagreements.extend(found)
            claims = _unique(pooled.get((k, published), []))
            for choice, topic in zip(dating.apply(version, claims), ("published", "effective")):
                law.disagreements.extend(_date_disagreements(law.title, version, topic, choice))
            law.versions.append(version)
        law.versions.sort(key=lambda d: (d.effective, d.published))
        law.first_effective = min(filter(None, [v.first_effective for v in law.versions]
                                         + [law.versions[0].effective]), default="")
    repeals = successors.find_repeals(laws.values(), by_key)
    for law in laws.values():
        _set_ends(law, pooled, repeals.get(law.key, []))
        _set_statuses(law.versions, today)
    return sorted(laws.values(), key=lambda law: law.title)


def _key_index(laws: Iterable[MergedLaw]) -> dict[str, MergedLaw]:
    """Law by any of its keys; a key two laws share points to neither, except a law's own title key."""
    index: dict[str, MergedLaw] = {}
    shared: set[str] = set()
    all_laws = list(laws)
    for law in all_laws:
        for k in law.keys:
            if k in index and index[k] is not law:
                shared.add(k)
            index.setdefault(k, law)
    for k in shared:
        del index[k]
    for law in all_laws:
        index[law.key] = law
    return index


def _choose_version(law: MergedLaw, docs: list[SourceDoc],
                    amended: dict[tuple[str, str], list[amendments.Amendment]]) -> tuple[SourceDoc, list[Disagreement]]:
    from fawen.corpus.textchoice import choose_text

    found = [a for k in law.keys for a in amended.get((k, docs[0].published), [])]
    unique = list({id(a): a for a in found}.values())
    return choose_text(law.title, docs, unique)


def _unique(claims: list[DateClaim]) -> list[DateClaim]:
    seen: set[tuple[str, str, str]] = set()
    out = []
    for c in claims:
        if (c.field, c.date, c.where) not in seen:
            seen.add((c.field, c.date, c.where))
            out.append(c)
    return out


def _date_disagreements(title: str, version: SourceDoc, topic: str, choice: Choice) -> list[Disagreement]:
    out = []
    for claim in choice.disagree:
        if topic == "effective" and claim.date < version.published:
            continue                        # the original law's date restated in a consolidated text
        out.append(Disagreement(title, version.published, "", topic, choice.provenance, claim.source,
                                f"{choice.date or '?'} ({choice.where}) vs {claim.date or '?'} ({claim.where})"))
    return out


def _set_ends(law: MergedLaw, pooled: dict[tuple[str, str], list[DateClaim]],
              repeals: list[DateClaim]) -> None:
    """Each version ends the day before the next takes effect; the last as the evidence says."""
    for version, nxt in zip(law.versions, law.versions[1:]):
        version.ends = shift(nxt.effective, -1) if nxt.effective > version.effective else version.effective
        version.ends_from = nxt.effective_from
        version.dates_where["ends"] = f"次版本施行 (next version in force) {nxt.effective}"
        for claim in pooled.get((law.key, version.published), []):
            if claim.field == "ends" and claim.date not in (OPEN, "") and claim.date != version.ends:
                law.disagreements.append(Disagreement(
                    law.title, version.published, "", "ends", version.ends_from, claim.source,
                    f"{version.ends} (次版本施行前一日 the day before the next version) vs {claim.date} ({claim.where})"))
    last = law.versions[-1]
    claims = [c for c in pooled.get((law.key, last.published), []) if c.field == "ends"] + repeals
    dated = [c for c in claims if c.date not in (OPEN, "")]
    if dated:
        chosen = choose(dated)
        last.ends, last.ends_from = chosen.date, chosen.provenance
        last.dates_where["ends"] = chosen.where
        law.disagreements.extend(_date_disagreements(law.title, last, "ends", chosen))
        for c in claims:
            if c.date == OPEN and chosen.provenance != "curated":
                law.disagreements.append(Disagreement(law.title, last.published, "", "ends", chosen.provenance,
                                                      c.source, f"{chosen.date} ({chosen.where}) vs 现行有效 ({c.where})"))
        return
    open_claims = [c for c in claims if c.date == OPEN]
    unknown = [c for c in claims if c.date == ""]
    if unknown and open_claims:
        # A catalogue with validity dates (LawRefBook valid_to) outweighs a bare 已废止 label.
        in_force = [c for c in open_claims if c.source == "lawrefbook"] or open_claims
        law.disagreements.append(Disagreement(law.title, last.published, "", "ends", in_force[0].source,
                                              unknown[0].source, f"现行有效 ({in_force[0].where}) vs "
                                              f"已废止 ({unknown[0].where})"))
        if any(c.source == "lawrefbook" for c in unknown) and not any(c.source == "lawrefbook" for c in open_claims):
            open_claims = []
    if unknown and not open_claims:
        last.ends, last.ends_from, last.status = None, "catalogue", "已废止"
        last.dates_where["ends"] = unknown[0].where
    else:
        last.ends, last.ends_from = None, ""
        if last.status == "已废止":
            last.status = "现行有效"


def _set_statuses(versions: list[SourceDoc], today: str) -> None:
    last = versions[-1]
    repealed_unknown_day = last.status == "已废止" and last.ends is None
    for v in versions:
        if v.effective > today:
            v.status = "尚未施行"
        elif v.ends is not None and v.ends < today:
            v.status = "已废止" if v is last else "已修改"
        elif v is last and repealed_unknown_day:
            v.status = "已废止"
        else:
            v.status = "现行有效"

"""Laws that replaced other laws, read from the successors' own words.

The 民法典's 第一千二百六十条 「本法自2021年1月1日起施行。《中华人民共和国婚姻法》、…同时废止。」
names the nine laws it repeals and the day; the 生态环境法典 and the 促进个体工商户发展条例 do the same.
Each such clause gives the repealed law a successor and a document-provenance end date (the day before).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fawen.corpus import aliases
from fawen.corpus.dates import DateClaim, effective_clauses, shift
from fawen.text.labels import article_label

if TYPE_CHECKING:
    from fawen.corpus.merge import MergedLaw

_REPEAL = re.compile(r"((?:[《〈][^》〉]{2,80}[》〉][、，,和及与\s]*)+)(?:同时|一并)?(?:予以)?废止")
_NAMED = re.compile(r"[《〈]([^》〉]{2,80})[》〉]")


@dataclass(frozen=True)
class Succession:
    """`new` repealed `old`: `old` was in force through the day before `date`."""

    old: str                  # key of the repealed law
    new: str                  # key of the law whose text repealed it
    old_title: str
    new_title: str
    date: str                 # the successor's 施行 date named in the clause
    where: str                # the successor's article that says so


def repeal_clauses(text: str) -> list[str]:
    """Names of the laws a 「本法自…起施行。《…》同时废止」 article repeals ([] without such a clause)."""
    if "废止" not in text or not effective_clauses(text):
        return []
    return [name for m in _REPEAL.finditer(text) for name in _NAMED.findall(m[1])]


def find_repeals(laws: Iterable[MergedLaw], by_key: Mapping[str, MergedLaw]) -> dict[str, list[DateClaim]]:
    """Link repealed laws and their successors; return the end-date claims by repealed law's key."""
    claims: dict[str, list[DateClaim]] = {}
    for law in laws:
        done: set[str] = set()
        for version in law.versions:                      # oldest first: the clause's first appearance
            for article in version.articles:
                names = repeal_clauses(article.text)
                if not names:
                    continue
                clause = effective_clauses(article.text)[0]
                date = clause.date or version.effective
                label = article_label(article.number, article.suffix)
                for name in names:
                    old = by_key.get(aliases.key(name))
                    if old is None or old is law or old.key in done or not old.versions:
                        continue
                    if date <= old.versions[-1].effective:
                        continue                          # a namesake, or a law revised after this text
                    done.add(old.key)
                    where = f"{law.title} {label}: {article.text[:120]}"
                    link = Succession(old.key, law.key, old.title, law.title, date, where)
                    old.successors.append(link)
                    law.predecessors.append(link)
                    claims.setdefault(old.key, []).append(
                        DateClaim("ends", shift(date, -1), "document", law.title, where, law=old.key))
    return claims


@dataclass(frozen=True)
class ArticleLink:
    """An article of a repealed law and one article of its successor that carries it on."""

    old_law: str              # keys
    old_version: str          # 公布 date of the repealed law's last version
    old_number: int
    old_suffix: int
    new_law: str
    new_version: str          # 公布 date of the successor's version in force on the day it replaced it
    new_number: int
    new_suffix: int
    score: float              # 0..100


def build_links(laws: Iterable[MergedLaw]) -> list[ArticleLink]:
    """Article-level correspondences across every succession of the merged laws (a pure builder: attach
    the result to the corpus generation). The laws one successor replaced are matched in one pass."""
    from fawen.corpus.correspondence import correspond_across
    from fawen.corpus.in_force import version_on

    by_key = {law.key: law for law in laws}
    targets: dict[tuple[str, str], list[MergedLaw]] = {}
    for law in by_key.values():
        for link in law.successors:
            new_law = by_key.get(link.new)
            new = version_on(new_law, link.date)[0] if new_law is not None else None
            if new is not None and law.versions:
                targets.setdefault((link.new, new.published), []).append(law)
    out: list[ArticleLink] = []
    for (new_key, published), olds in sorted(targets.items()):
        new = next(v for v in by_key[new_key].versions if v.published == published)
        rows = [(law, article) for law in olds for article in law.versions[-1].articles]
        pairs = correspond_across([a.text for _, a in rows], [a.text for a in new.articles])
        for i, j, score in pairs:
            law, a = rows[i]
            b = new.articles[j]
            out.append(ArticleLink(law.key, law.versions[-1].published, a.number, a.suffix, new_key, published,
                                   b.number, b.suffix, score))
    return out

"""Amounts and thresholds a page pins on an article that holds none of them (issue 13, cause 8; finding
`misattributed_claim`): 「根据《刑法》第二百六十四条，盗窃1000元至3000元以上属于数额较大」 — 刑法第二百六十四条 says
「数额较大」 but sets no amount; the amounts are in the 盗窃 interpretation's 第一条, which cites it.

A claim is the sentence that holds the citation (and its quote). Its amounts are numbers with a unit that read
as a threshold (以上, 以下, 不满, 达到…, or a range 一千元至三千元); those the cited article has (in any version)
are its own. The rest are looked for in the interpretation articles that cite the article (the Library's
reference table): the one that holds most of them is where the claim comes from. A sentence that also cites another law attributes its amounts to both and is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from fawen.cite.extract import RawCitation
from fawen.corpus.store import Corpus
from fawen.models import Article
from fawen.text.numerals import plain_value

_NUM = r"(\d+(?:[.,]\d+)*|[零〇一二三四五六七八九十百千两]+)(万|亿)?"
# Units of money, counts, weights and areas (not of time: 2013年, 三年以下有期徒刑 are everywhere).
_UNIT = r"(元|人次|次|人|名|件|份|张|株|只|头|辆|千克|公斤|克|吨|亩|平方米|立方米|支|枚|棵|户|倍)"
_AMOUNT = re.compile(_NUM + r"(?:" + _UNIT + r")?")
_RANGE = re.compile(r"^\s*(?:至|到|-|－|—|~|～)\s*$")
_AFTER = re.compile(r"^(?:以上|以下|以内|不满|起|之上|之下)")
_BEFORE = re.compile(r"(?:达到|超过|不满|不足|不到|满|低于|高于)$")
_SENTENCE_END = "。！？!?\n"
MAX_SENTENCE = 300       # characters on each side of a citation that its sentence may span


class References(Protocol):
    """The interpretation articles that cite each article (answer/thresholds.py ReferenceIndex, on the Library)."""

    @property
    def by_target(self) -> Mapping[tuple[int, int, int], list[int]]: ...


@dataclass(frozen=True)
class Amount:
    value: float
    unit: str
    threshold: bool          # read as a threshold: 以上/以下…, 达到/不满…, or one end of a range


def amounts(text: str) -> list[Amount]:
    """The numbers with a unit in `text` (a range's first end takes the unit of the second: 一千至三千元)."""
    found: list[tuple[int, int, float, str, str]] = []
    for m in _AMOUNT.finditer(text):
        value = _value(m.group(1), m.group(2))
        if value is None:
            continue
        found.append((m.start(), m.end(), value, m.group(2) or "", m.group(3) or ""))
    out: list[Amount] = []
    for i, (start, end, value, scale, unit) in enumerate(found):
        ranged = False
        if i + 1 < len(found) and _RANGE.match(text[end:found[i + 1][0]]):
            ranged = True
            if not unit:
                _, _, _, next_scale, unit = found[i + 1]
                if not scale and next_scale:      # 一至三万元: the first end is in 万 too
                    value = _value(text[start:end], next_scale) or value
        if i > 0 and _RANGE.match(text[found[i - 1][1]:start]):
            ranged = True
        if not unit:
            continue
        marked = ranged or bool(_AFTER.match(text[end:end + 3])) or bool(_BEFORE.search(text[max(0, start - 4):start]))
        out.append(Amount(value, unit, marked))
    return out


def has_threshold(text: str) -> bool:
    """Whether `text` holds an amount read as a threshold (cheap test before `find`)."""
    return any(a.threshold for a in amounts(text))


def _value(number: str, scale: str | None) -> float | None:
    if number[0].isdigit():
        try:
            value = float(number.replace(",", ""))
        except ValueError:
            return None
    else:
        whole = plain_value(number.replace("两", "二"))   # 两万元: 两 before 万, read apart
        if whole is None:
            return None
        value = float(whole)
    return value * {"万": 1e4, "亿": 1e8}.get(scale or "", 1)


@dataclass
class Claim:
    """Amounts a sentence pins on the cited article that an interpretation citing it holds instead."""

    source: Article
    amounts: list[Amount]


def sentence(body: str, start: int, end: int) -> tuple[int, int]:
    """The sentence of `body` around [start, end)."""
    lo = max(0, start - MAX_SENTENCE)
    hi = min(len(body), end + MAX_SENTENCE)
    head = max(body.rfind(ch, lo, start) for ch in _SENTENCE_END)
    tails = [i for i in (body.find(ch, end, hi) for ch in _SENTENCE_END) if i >= 0]
    return (head + 1 if head >= 0 else lo), (min(tails) if tails else hi)


def find(corpus: Corpus, references: References, date: str, article: Article, claim: str) -> Claim | None:
    """The interpretation article in force on `date` that the claim's amounts come from, if the cited `article`
    (in force) holds none of them."""
    wanted = [a for a in amounts(claim) if a.threshold]
    if not wanted:
        return None
    own = {(a.value, a.unit) for _, text in _versions(corpus, article) for a in amounts(text)}
    wanted = [a for a in wanted if (a.value, a.unit) not in own]
    if not wanted:
        return None
    best: tuple[int, Claim] | None = None
    for source_id in references.by_target.get((article.law_id, article.number, article.suffix), []):
        source = corpus.article_by_id(source_id)
        version = corpus.version_in_force(source.law_id, date)
        if version is None or version.id != source.version_id:
            continue
        held = {(a.value, a.unit) for a in amounts(source.text)}
        matched = [a for a in wanted if (a.value, a.unit) in held]
        distinct = {(a.value, a.unit) for a in matched}
        if distinct:
            if best is None or len(distinct) > best[0]:
                best = (len(distinct), Claim(source, matched))
    return best[1] if best else None


def _versions(corpus: Corpus, article: Article) -> list[tuple[int, str]]:
    return [(a.id, a.text) for _, a in corpus.article_in_versions(article.law_id, article.number, article.suffix)]


def shown(amount: Amount) -> str:
    """An amount as people read it: 1000元, 3万元."""
    value = amount.value
    if amount.unit == "元" and value >= 1e4 and value % 1e4 == 0:
        return f"{value / 1e4:g}万元"
    return f"{value:g}{amount.unit}"


def other_laws(cites: list[tuple[RawCitation, int | None]], at: int, span: tuple[int, int]) -> bool:
    """Whether another citation in the sentence `span` names another law than citation `at` (law ids)."""
    law = cites[at][1]
    return any(i != at and span[0] <= raw.start < span[1] and other != law for i, (raw, other) in enumerate(cites))

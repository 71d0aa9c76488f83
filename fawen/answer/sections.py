"""Sections of an answer, one per route open to the person: what the route is, who decides, and the
conditions, each line tied to the article it comes from."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from fawen.answer import focus
from fawen.answer.routes import TITLES, RouteMatch
from fawen.answer.text import cite, sentences, strip_end, unique_hits
from fawen.answer.thresholds import Threshold
from fawen.corpus.store import Corpus
from fawen.models import Article, Hit, Section

if TYPE_CHECKING:
    from fawen.answer.kit import Kit

# 「治安管理处罚由县级以上地方人民政府公安机关决定」: the article of a law that names who imposes its penalties.
_WHO_DECIDES = re.compile(r"^[^。；]{0,16}处罚由([^。；]{2,40}?)决定")
# 「示例管理工作由公安机关负责」: who is in charge, when no article names who decides the penalties.
_IN_CHARGE = re.compile(r"^[^。；，]{0,20}工作由([^。；，]{2,40}?)负责")
_COURT_OR_POLICE = re.compile(r"人民法院|公安机关|人民检察院")


@dataclass
class Part:
    """A section under construction: its lines, each with the hits it cites."""

    title: str
    lines: list[tuple[str, list[Hit]]] = field(default_factory=list)

    def add(self, line: str, *hits: Hit) -> None:
        self.lines.append((line, list(hits)))

    @property
    def hits(self) -> list[Hit]:
        """Every hit the lines cite, once, in order of first citation."""
        return unique_hits(h for _, hits in self.lines for h in hits)

    def section(self) -> Section:
        return Section(self.title, "\n".join(line for line, _ in self.lines), [cite(h) for h in self.hits])


def find_decider(corpus: Corpus, version_id: int) -> tuple[Article, str] | None:
    """The article of a law version saying which authority decides its penalties, with that clause (the
    Library keeps what it found per version: kit.decider)."""
    articles = corpus.articles(version_id)
    for pattern in (_WHO_DECIDES, _IN_CHARGE):
        for article in articles:
            match = pattern.match(article.text)
            if match:
                return article, match.group(0)
    return None


def _with_cite(text: str, hit: Hit) -> str:
    return f"{strip_end(text)}（{cite(hit)}）。"


def route_part(kit: Kit, question: str, key: str, matches: list[RouteMatch],
               thresholds: list[Threshold], articles: dict[int, Article],
               relevant: Callable[[int], bool] = lambda _: True) -> Part:
    """One section for one route, from every article that opens it.

    `relevant(article_id)` vets the articles the section adds itself (the law's who-decides article).
    """
    first = matches[0]
    title = TITLES[key]
    if key == "刑事":
        title += "（自诉/公诉）" if first.private and first.exception else ("（自诉）" if first.private else "（公诉）")
    part = Part(title)
    if key == "治安":
        part.add("途径：可以向公安机关报案（报警），由公安机关依法调查处理。")
    shown: list[str] = []
    for match in matches:
        statement = focus.lead_statement(question, articles[match.hit.article_id])
        text = statement.text if _same_route(statement.text, match) else match.evidence
        shown.append(text)
        part.add(f"规定：{_with_cite(text, match.hit)}", match.hit)
    if key in ("治安", "行政"):
        decided = kit.decider(first.hit.version_id)
        if decided is not None and relevant(decided[0].id):
            article, clause = decided
            part.add(f"谁决定：{clause}（{cite(kit.corpus.hit(article))}）。", kit.corpus.hit(article))
        elif first.decider:
            part.add(f"谁决定：由{first.decider}依法处理（{cite(first.hit)}）。", first.hit)
    if key == "刑事":
        crime = first
        if crime.private:
            part.add(f"追诉方式：告诉的才处理，即由被害人向人民法院提起自诉（{cite(crime.hit)}）。", crime.hit)
            if crime.exception:
                part.add(f"例外：{crime.exception}，不以被害人告诉为条件，由国家追诉（公诉）（{cite(crime.hit)}）。",
                         crime.hit)
        else:
            part.add(f"谁决定：构成犯罪的，由人民法院依法判处刑罚（{cite(crime.hit)}）。", crime.hit)
        for sentence in sentences(crime.hit.text):
            if _COURT_OR_POLICE.search(sentence) and "告诉的才处理" not in sentence:
                part.add(f"程序：{_with_cite(sentence, crime.hit)}", crime.hit)
        for threshold in thresholds:
            part.add(threshold_line(threshold), threshold.hit)
    if key == "民事":
        part.add(f"谁决定：协商不成的，可以向{first.decider}"
                 f"{'申请仲裁' if '仲裁' in first.decider else '提起民事诉讼'}，由其依法裁判。")
    if key == "程序":
        part.add(f"谁决定：{first.decider}。")
    conditions = [c for m in matches for c in m.conditions
                  if "下列" not in c and not any(c in text for text in shown)]
    if conditions and key != "刑事":
        part.add("条件：" + "；".join(dict.fromkeys(conditions[:3])) + "。")
    return part


def threshold_line(threshold: Threshold) -> str:
    """「情节严重」的认定：（一）…；（二）…（《解释》第二条）。"""
    items = "；".join(f"（{i}）{text}" for i, text in enumerate(_numbered(threshold.items), start=1))
    body = items or strip_end(threshold.lead)
    if items:
        return f"立案标准：“{threshold.term}”包括下列情形：{body}（{cite(threshold.hit)}）。"
    return f"立案标准：{body}（{cite(threshold.hit)}）。"


def _numbered(items: list[str]) -> list[str]:
    return [i for i in items if i]


def plain_part(question: str, hit: Hit, article: Article) -> Part:
    """A section for an article that opens no route: its heading and the statement that fits."""
    heading = re.sub(r"^第[^ ]+?[编章节]\s*", "", hit.path[-1]) if hit.path else ""
    part = Part(heading or "相关规定")
    statement = focus.lead_statement(question, article)
    part.add(_with_cite(statement.text, hit), hit)
    return part


def _same_route(text: str, match: RouteMatch) -> bool:
    """Whether a focused statement still carries the route's consequence (else show the evidence)."""
    return any(word in text for word in ("处", "赔偿", "责任", "向", "有权", "不得", "支付")) or not match.evidence

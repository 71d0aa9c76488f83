"""The extractive engine: from retrieved articles to an answer page — routes, thresholds, sections, a cited
摘要, 法律依据, what was searched — with no LLM and no text that is not the law's own or a fixed phrase."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from fawen.answer import expand, focus
from fawen.answer.expand import Search
from fawen.answer.intent import asks_law
from fawen.answer.routes import ORDER, RouteMatch, recognise
from fawen.answer.sections import Part, plain_part, route_part
from fawen.answer.summary import Claim, summarize
from fawen.answer.text import overlap, strip_end, unique_hits
from fawen.answer.thresholds import Threshold, thresholds_for
from fawen.answer.vet import Auditor, vet
from fawen.corpus.store import Corpus
from fawen.models import DEFAULT_KINDS, KINDS, Answer, Article, Hit

if TYPE_CHECKING:
    from fawen.answer.kit import Kit

NOT_FOUND = "未检索到相关规定。"
DISCLAIMER = ("本回答由 fawen 依据检索到的现行法律条文自动生成，仅供参考，不构成法律意见；条文以官方公布文本为准，"
              "具体案件请咨询执业律师。(Generated from statute text; not legal advice.)")
MAX_BASIS = 3        # articles an answer rests on, before thresholds and who-decides articles
FIRST_STATEMENTS = 3  # statements of the first article the summary may quote
# No floor on a retrieved article's overlap with the question: any floor above 0 lowered recall and ROUGE-L on STARD.
EXPANSION_OVERLAP = 0.1  # the same share for articles reached by following the law (expand.py)
RELATIVE_SCORE = 0.8  # a hit below this share of the top hit's score is not used
LAY_OVERLAP = 0.5    # overlap needed when the question has no legal cue (see intent.py)

def select(question: str, hits: list[Hit]) -> list[Hit]:
    """The hits an answer rests on: close to the top score and sharing content words with the question.

    A question with no legal word and no question of rights or duties (small talk) needs a close match
    (LAY_OVERLAP) before any article is taken to answer it.
    """
    if not hits:
        return []
    if not asks_law(question) and max(overlap(question, h.law + h.text) for h in hits) < LAY_OVERLAP:
        return []
    top = max(h.score for h in hits)
    chosen: list[Hit] = []
    for hit in hits:
        if len(chosen) >= MAX_BASIS:
            break
        if top > 0 and hit.score < RELATIVE_SCORE * top and chosen:
            continue
        if any(c.article_id == hit.article_id for c in chosen):
            continue
        chosen.append(hit)
    return chosen


def searched(corpus: Corpus, as_of: str, found: int, engine: str) -> dict[str, object]:
    """What was searched: sources, the kinds of law searched (those retrieval searches by default and the
    corpus has), corpus date, as-of date."""
    present = {law.kind for law in corpus.laws.values()} & set(DEFAULT_KINDS)
    return {
        "sources": corpus.source_names(),
        "corpus_date": corpus.meta.get("corpus_date", ""),
        "as_of": as_of,
        "kinds": [k for k in KINDS if k in present],
        "found": found,
        "engine": engine,
    }


def not_found(question: str, corpus: Corpus, as_of: str, engine: str = "extractive") -> Answer:
    """The polite answer when nothing relevant was found: it says so and makes nothing up."""
    where = searched(corpus, as_of, 0, engine)
    summary = (f"{NOT_FOUND}在截至 {where['corpus_date']} 的法律法规库中，按 {as_of} 有效的版本，没有找到与该问题"
               "相关的条文。如果这是法律问题，请换一种说法（写明事由、对象和想做的事），或咨询律师。")
    return Answer(question, as_of, summary, [], [], [], DISCLAIMER, where)


def compose(kit: Kit, question: str, hits: list[Hit], as_of: str, search: Search | None = None,
            audit: Auditor | None = None, first: list[Hit] | None = None) -> Answer:
    """Build the answer page from retrieved hits (best first).

    `search(query, k, as_of)` is used to look for the sibling routes of a penalty route (expand.py);
    without it the page rests on `hits` and the articles they cite only. `audit(text, question, as_of)`
    vets the finished page once (vet.py): whatever it flags is dropped. `first`: the retrieval hits of the
    question (the request's one search), which relevance judging reuses.
    """
    corpus = kit.corpus
    chosen = select(question, hits)
    if not chosen:
        return not_found(question, corpus, as_of)
    retrieved = {h.article_id for h in hits}
    # With an auditor, vet() judges the finished page once; without one, each added article is judged here.
    relevant = _relevance(kit, question, as_of, retrieved, first) if audit is None else (lambda _: True)
    chosen = [h for h in expand.with_interpreted(corpus, chosen, as_of) if relevant(h.article_id)]
    by_route: dict[str, list[RouteMatch]] = {}
    routed: set[int] = set()

    def route(hits: list[Hit]) -> None:
        for hit in hits:
            for match in recognise(hit, corpus.laws[hit.law_id].department):
                by_route.setdefault(match.key, []).append(match)
                routed.add(hit.article_id)

    route(chosen)
    if search is not None:
        more = [h for h in expand.siblings(corpus, question, chosen, set(by_route), search, as_of, EXPANSION_OVERLAP)
                if relevant(h.article_id)]
        route(more)
        chosen += more
    _thresholds(kit, question, by_route, as_of, relevant)  # orders each route's articles, main one first
    penal = [m for k in expand.PENAL for m in by_route.get(k, [])]
    same_conduct = [h for h in expand.parallels(corpus, kit.quote_index, question, penal, set(by_route), as_of,
                                                EXPANSION_OVERLAP)
                    if relevant(h.article_id)]
    route(same_conduct)
    chosen += same_conduct
    thresholds = _thresholds(kit, question, by_route, as_of, relevant)
    articles: dict[int, Article] = {h.article_id: corpus.article_by_id(h.article_id) for h in chosen}
    parts: list[Part] = [route_part(kit, question, key, by_route[key], thresholds if key == "刑事" else [],
                                    articles, relevant) for key in ORDER if key in by_route]
    shown = routed | {t.hit.article_id for t in thresholds}
    for hit in chosen:
        if hit.article_id not in shown:
            parts.append(plain_part(question, hit, articles[hit.article_id]))
    claims = _claims(question, chosen, by_route, articles)
    summary = summarize(question, [m for k in ORDER for m in by_route.get(k, [])], claims, thresholds)
    removed: list[dict[str, str]] = []
    if audit is not None and (any(h.article_id not in retrieved for p in parts for h in p.hits)
                              or _quotes_references(summary, parts)):
        summary, removed = vet(question, as_of, summary, parts, audit)
        parts = [p for p in parts if p.hits]
        if not summary and parts:
            summary = parts[0].lines[0][0]
    if not parts:
        return not_found(question, corpus, as_of)
    basis = _basis(parts)
    where = searched(corpus, as_of, len(basis), "extractive")
    if removed:
        where["removed"] = removed
    return Answer(question, as_of, summary, [p.section() for p in parts], basis, [], DISCLAIMER, where)


_ARTICLE_REF = re.compile(r"第[零〇一二三四五六七八九十百千0-9]+条")
_OWN_CITATION = re.compile(r"《[^》]+》第[零〇一二三四五六七八九十百千]+条(?:之[一二三四五六七八九十]+)?")


def _quotes_references(summary: str, parts: list[Part]) -> bool:
    """Whether the page repeats a reference the law's text makes (「依照民法典第五百一十条」) besides its own
    citations: the auditor reads those too, so the page must be vetted. Pages built only from retrieved
    articles and our own 《…》第X条 citations are verified by construction and skip the audit."""
    text = "\n".join([summary] + [line for p in parts for line, _ in p.lines])
    return bool(_ARTICLE_REF.search(_OWN_CITATION.sub("", text)))


def _relevance(kit: Kit, question: str, as_of: str, retrieved: set[int], first: list[Hit] | None
               ) -> Callable[[int], bool]:
    """Whether an article the answer adds (beyond retrieval's own hits) passes the auditor's relevance test.

    The page must hold nothing `fawen check` would flag; articles reached by following the law (who decides,
    sibling routes, interpretations) are judged as the auditor judges a citation, once each.
    """
    from fawen.cite.relevance import RelevanceJudge

    judge: RelevanceJudge | None = None
    verdicts: dict[int, bool] = {}

    def relevant(article_id: int) -> bool:
        nonlocal judge
        if article_id in retrieved:
            return True
        if article_id not in verdicts:
            judge = judge or RelevanceJudge(kit, question, as_of, first=first)
            verdicts[article_id] = not judge.judge(kit.corpus.article_by_id(article_id)).irrelevant
        return verdicts[article_id]

    return relevant


def _thresholds(kit: Kit, question: str, by_route: dict[str, list[RouteMatch]], as_of: str,
                relevant: Callable[[int], bool]) -> list[Threshold]:
    """Thresholds of the criminal articles found; each route's matches put interpreted articles first."""
    thresholds: list[Threshold] = []
    for match in by_route.get("刑事", []):
        for found in thresholds_for(kit.corpus, kit.references, match.hit, question, as_of):
            if not relevant(found.hit.article_id):
                continue
            if all(t.hit.article_id != found.hit.article_id for t in thresholds):
                thresholds.append(found)
    # Within a route, an article whose thresholds an interpretation sets is the main one for the conduct.
    interpreted = {t.target for t in thresholds}
    for matches in by_route.values():
        matches.sort(key=lambda m: m.hit.article_id not in interpreted)
    return thresholds


def _claims(question: str, chosen: list[Hit], by_route: dict[str, list[RouteMatch]],
            articles: dict[int, Article]) -> list[Claim]:
    """One statement per article, routes first (in route order), then the rest by retrieval rank."""
    order = unique_hits(match.hit for key in ORDER for match in by_route.get(key, []))
    order += [h for h in chosen if all(o.article_id != h.article_id for o in order)]
    claims = [Claim(focus.lead_statement(question, articles[h.article_id]).text, h) for h in order]
    if claims:
        # The first article speaks for the answer: every statement of it that touches the question,
        # in the article's order (bench/answer.py: ROUGE-L rises from one statement to three).
        first = articles[claims[0].hit.article_id]
        kept = {s.text for s in focus.best(question, first, FIRST_STATEMENTS) if s.score > 0}
        if len(kept) > 1:
            claims[0] = Claim("；".join(strip_end(s) for s in focus.statements(first) if s in kept), claims[0].hit)
    return claims


def _basis(parts: list[Part]) -> list[Hit]:
    """Every cited hit once, in the order the sections cite them."""
    return unique_hits(h for part in parts for h in part.hits)

"""The extractive engine: from retrieved articles to an answer page — the verdict, the decisive article's clause,
sections by the question's issues, 怎么办, 法律依据, what was searched — with no LLM and no text that is not the
law's own or a fixed phrase.

    basis     the decisive article first (the one whose own words decide the question; else retrieval's
              first), then the hits close to it in score; an interpretation brings the article it
              interprets, a penal route its sibling routes — only when the question asks about them
    verdict   verdict.py, from the decisive article's structure, or none
    摘要      the verdict and the decisive clause quoted whole (summary.py)
    sections  例外情形, the routes that apply, 立案标准, 相关规定 (sections.py), nothing said twice
    steps     where to go, the time limit, the evidence (steps.py), for a person's own dispute
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from fawen.answer import expand, focus
from fawen.answer.expand import Search
from fawen.answer.intent import asks_law
from fawen.answer.question import Asked, read
from fawen.answer.routes import ORDER, RouteMatch, recognise
from fawen.answer.sections import EXCEPTIONS, OTHERS, TITLES, Page, Part, cited, route_lines
from fawen.answer.steps import for_page
from fawen.answer.summary import summarize
from fawen.answer.text import overlap, unique_hits
from fawen.answer.thresholds import Threshold, thresholds_for
from fawen.answer.verdict import Verdict, about_another, decide
from fawen.answer.vet import Auditor, vet
from fawen.cite.lexical import overlap as shared_words
from fawen.corpus.store import Corpus
from fawen.models import DEFAULT_KINDS, KINDS, Answer, Article, Hit
from fawen.text.numerals import CN_DIGITS, cn_to_int

if TYPE_CHECKING:
    from fawen.answer.kit import Kit

NOT_FOUND = "未检索到相关规定。"
DISCLAIMER = ("本回答由法问依据检索到的现行法律条文自动生成，仅供参考，不构成法律意见；条文以官方公布文本为准，"
              "具体案件请咨询执业律师。")
MAX_BASIS = 3        # articles retrieval puts in the basis; following the law may add to them
# A hit below this share of the top hit's score serves no claim of the page (bench/answer.py: basis precision
# and recall on STARD's two dev halves cross near 0.9; 0.8 adds 1.3 articles a page for 0.1 recall).
RELATIVE_SCORE = 0.9
EXPANSION_OVERLAP = 0.1  # share of the question an article reached by following the law must share
LAY_OVERLAP = 0.5    # overlap needed when the question has no legal cue (see intent.py)
VERDICT_FROM = 3     # the first hits the decisive article may be taken from, when its words decide the question
# Share of the question's words (IDF-weighted) the decisive article must hold before its verdict is given: on
# the labelled questions of both sets, the verdicts drawn from articles below it came from retrieval misses.
VERDICT_TOPIC = 0.05
STATEMENT_WORDS = 6  # content bigrams of the question (with the legal names of its lay words) the deciding clause
                     # must share when the article as a whole holds less than VERDICT_TOPIC of the question
LEAD_TOPIC = 0.15  # share of the question a hit must hold to replace a first hit that holds none of it
PENAL_ISSUES = frozenset({"报警", "刑事", "治安", "公安"})
# What a statement answering each kind of question says.
ISSUE_TEXT = {
    "definition": re.compile(r"是指|所称[^。；]{0,30}?是|^[^，。；]{2,30}是[^。；]{4,}的(?:合同|行为|权利|组织|财产|人)"),
    "period": re.compile(r"[一二三四五六七八九十百0-9]+(?:日|天|个月|年)(?:内|以内|之内)?|期间为|期限|时效"),
    "amount": re.compile(r"[一二三四五六七八九十百千万0-9]+(?:元|倍)|百分之|标准|比例|数额"),
    "who": re.compile(r"由[^。；，]{1,24}?(?:承担|负责|管辖|决定|支付|赔偿)"),
}
EXCEPTION_QUOTE = 220
MORE = "具体规定"      # the label of the decisive article's further 款 when it opens no route
MORE_CLAUSES = 2     # further 款 of the decisive article a page quotes
_QUALIFIER = re.compile(r"^(?:情节(?:较重|严重|特别严重|较轻)|前款|有前款|依照前款|违反前款)")  # characters of a 款 holding a 但书 quoted whole under 例外情形
_AMENDMENT = re.compile(r"修正案|修改.{0,12}的决定")
ANSWER_POOL = 10     # hits a penal question's routes may come from
PENAL_SCORE = 0.75   # share of the top score a penal article further down needs
PENAL_EXTRA = 2      # penal articles added that way
CIVIL = "民事"       # the route of a civil claim (routes.ORDER)


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
        if _AMENDMENT.search(hit.law):
            continue  # 「将刑法第X条修改为：…」 changes a law; the article it writes is what is cited
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


def decisive(kit: Kit, asked: Asked, chosen: list[Hit], articles: dict[int, Article]
             ) -> tuple[list[Hit], Verdict | None]:
    """The basis with the decisive article first, and its verdict: the first of the top hits whose own words
    decide the question, else retrieval's first (with no verdict)."""
    for hit in chosen[:VERDICT_FROM]:
        found = verdict_of(kit, asked, hit, articles[hit.article_id])
        if found is not None:
            return [hit] + [h for h in chosen if h.article_id != hit.article_id], found
    # A question for a definition, a period, an amount or who: the article whose statement gives one.
    wanted = ISSUE_TEXT.get(asked.kind)
    first = focus.lead_statement(asked.question, articles[chosen[0].article_id])
    if wanted is not None and not wanted.search(first.text):
        for hit in chosen[1:VERDICT_FROM]:
            if wanted.search(focus.lead_statement(asked.question, articles[hit.article_id]).text):
                return [hit] + [h for h in chosen if h.article_id != hit.article_id], None
    return chosen, None


def verdict_of(kit: Kit, asked: Asked, hit: Hit, article: Article) -> Verdict | None:
    """The article's verdict, given only when the article is about the question at all: an article that
    shares almost none of the question's words (IDF-weighted, as the auditor weighs them) is a retrieval miss,
    and a verdict drawn from it would answer another question."""
    found = decide(asked, hit, article)
    if found is None:
        return None
    if topic(kit, asked, hit, article) >= VERDICT_TOPIC:
        return found
    # A long narrative question holds many words no article has (「我们厂几乎天天加班到晚上十点…」), so its share
    # in the article is small even when the deciding clause names the very matter in the statute's words
    # (延长工作时间, 工资报酬): that clause sharing several of the question's words, or of their legal names, is
    # about the question.
    return found if shared_words(asked.wording, found.statement.text) >= STATEMENT_WORDS else None


def topic(kit: Kit, asked: Asked, hit: Hit, article: Article) -> float:
    """How much of the question (IDF-weighted, as the auditor weighs it) the article holds. Only the user's own
    words count: with the legal names of lay words (社保 → 社会保险) the everyday set's verdicts went from 6
    right of 12 to 6 right of 16, each new one from an article of the right field that decides another case."""
    from fawen.cite.lexical import weighted_coverage

    return weighted_coverage(asked.question, " ".join([hit.law, *article.path, article.text]), kit.quote_index)


def worded_first(kit: Kit, asked: Asked, hits: list[Hit]) -> list[Hit]:
    """Retrieval's hits, with the first one replaced when it holds none of the question's words while one of
    the next hits (VERDICT_FROM) holds them (VERDICT_TOPIC): an article the citation priors put first
    (劳动合同法第七条, 劳动关系的建立, for 公司拖欠工资可以去哪里投诉) decides nothing, and the one that
    does takes its place and its score. (Below VERDICT_TOPIC rather than none at all, it cost STARD's
    decisive-first 0.70 → 0.64: lay wording and the article a lawyer cites often share little.)"""
    if len(hits) < 2:
        return hits
    corpus = kit.corpus
    if topic(kit, asked, hits[0], corpus.article_by_id(hits[0].article_id)) > 0:
        return hits
    for hit in hits[1:VERDICT_FROM]:
        if topic(kit, asked, hit, corpus.article_by_id(hit.article_id)) >= LEAD_TOPIC:
            return [replace(hit, score=hits[0].score)] + [h for h in hits[1:] if h.article_id != hit.article_id]
    return hits


def compose(kit: Kit, question: str, hits: list[Hit], as_of: str, search: Search | None = None,
            audit: Auditor | None = None, first: list[Hit] | None = None) -> Answer:
    """Build the answer page from retrieved hits (best first).

    `search(query, k, as_of)` looks for the sibling routes of a penal route the question asks about
    (expand.py). `audit(text, question, as_of)` vets the finished page once (vet.py): whatever it flags is
    dropped. `first`: the retrieval hits of the question (the request's one search), which relevance
    judging reuses.
    """
    corpus = kit.corpus
    asked = read(question)
    chosen = select(question, worded_first(kit, asked, hits))
    if not chosen:
        return not_found(question, corpus, as_of)
    retrieved = {h.article_id for h in hits}
    relevant = _relevance(kit, question, as_of, retrieved, first) if audit is None else (lambda _: True)
    articles: dict[int, Article] = {h.article_id: corpus.article_by_id(h.article_id) for h in chosen}
    chosen, verdict = decisive(kit, asked, chosen, articles)
    penal = bool(PENAL_ISSUES & asked.issues) or asked.kind == "consequence"
    if penal:
        # A question about the police or a crime looks a little further down for the penal articles.
        chosen += [h for h in hits[:ANSWER_POOL] if h.score >= PENAL_SCORE * hits[0].score
                   and not _AMENDMENT.search(h.law)
                   and any(m.key in expand.PENAL for m in recognise(h, corpus.laws[h.law_id].department))
                   and all(c.article_id != h.article_id for c in chosen)][:PENAL_EXTRA]
        # The civil route is the third remedy open (名誉权 → 民事起诉): its best article in the same pool joins
        # when no article chosen opens it.
        opened = {m.key for h in chosen for m in recognise(h, corpus.laws[h.law_id].department)}
        if CIVIL not in opened:
            chosen += [h for h in hits[:ANSWER_POOL] if h.score >= PENAL_SCORE * hits[0].score
                       and not _AMENDMENT.search(h.law) and all(c.article_id != h.article_id for c in chosen)
                       and any(m.key == CIVIL for m in recognise(h, corpus.laws[h.law_id].department))][:1]
    # An interpretation's own article comes after it (the interpretation decides; the law it reads gives force).
    chosen = _after_interpretations(corpus, chosen, as_of, relevant)
    by_route = _routes(corpus, chosen)
    if penal:
        # The same conduct word for word in the sibling penal law first, then a search naming that law; the
        # article an interpretation sets thresholds for is the main one for the conduct (_thresholds orders).
        _thresholds(kit, question, by_route, as_of, relevant)
        # Penal articles about a special subject the question does not name (英雄烈士, 军人) are another case.
        for key in expand.PENAL:
            if key in by_route:
                by_route[key] = [m for m in by_route[key] if not _about_another(question, articles, corpus, m)]
                if not by_route[key]:
                    del by_route[key]
        chosen = [h for h in chosen if h.article_id == chosen[0].article_id or any(
            m.hit.article_id == h.article_id for ms in by_route.values() for m in ms) or not any(
            m.key in expand.PENAL for m in recognise(h, corpus.laws[h.law_id].department))]
        matches = [m for k in expand.PENAL for m in by_route.get(k, [])]
        same = [h for h in expand.parallels(corpus, kit.quote_index, question, matches, set(by_route), as_of,
                                            EXPANSION_OVERLAP) if relevant(h.article_id)
                and all(c.article_id != h.article_id for c in chosen)]
        chosen += same
        _add_routes(corpus, by_route, same)
        if search is not None:
            more = [h for h in expand.siblings(corpus, question, chosen, set(by_route), search, as_of,
                                               EXPANSION_OVERLAP) if relevant(h.article_id)]
            chosen += more
            _add_routes(corpus, by_route, more)
        if verdict is None:
            for key in ("治安", "刑事"):
                for match in by_route.get(key, []):
                    article = articles.get(match.hit.article_id) or corpus.article_by_id(match.hit.article_id)
                    verdict = verdict or verdict_of(kit, asked, match.hit, article)
            if verdict is not None:
                chosen = [verdict.hit] + [h for h in chosen if h.article_id != verdict.hit.article_id]
    thresholds = _thresholds(kit, question, by_route, as_of, relevant) if penal or asked.kind == "conditions" else []
    chosen = unique_hits(chosen + [t.hit for t in thresholds])
    for hit in chosen:
        articles.setdefault(hit.article_id, corpus.article_by_id(hit.article_id))
    top = chosen[0]
    statement = verdict.statement if verdict is not None else focus.lead_statement(asked.wording, articles[top.article_id])
    summary = summarize(top, articles[top.article_id], statement, verdict)
    page = Page(summary, top)
    parts = _sections(page, question, asked, chosen, by_route, thresholds, articles, top, statement)
    steps = []
    for step in for_page(kit.guides, asked, chosen, set(by_route), as_of):
        step.text = page.trimmed(step.text)  # 「法律另有规定的，依照其规定」 is said once on a page
        if step.text:
            steps.append(step)
    removed: list[dict[str, str]] = []
    if audit is not None and (any(h.article_id not in retrieved for p in parts for h in p.hits)
                              or _quotes_references(summary, parts)):
        summary, removed = vet(question, as_of, summary, parts, audit)
        parts = [p for p in parts if p.hits]
        if not summary:
            return not_found(question, corpus, as_of)
    # 法律依据: the articles the page's claims rest on, decisive first (the steps cite their own articles).
    basis = unique_hits([top] + [h for p in parts for h in p.hits])
    where = searched(corpus, as_of, len(basis), "extractive")
    if removed:
        where["removed"] = removed
    return Answer(question, as_of, summary, [p.section() for p in parts], basis, [], DISCLAIMER, where,
                  verdict.to_json() if verdict is not None else None, [s.to_json() for s in steps])


def _about_another(question: str, articles: dict[int, Article], corpus: Corpus, match: RouteMatch) -> bool:
    article = articles.get(match.hit.article_id) or corpus.article_by_id(match.hit.article_id)
    return about_another(question, focus.lead_statement(question, article).text)


def _after_interpretations(corpus: Corpus, chosen: list[Hit], as_of: str, relevant: Callable[[int], bool]
                           ) -> list[Hit]:
    out: list[Hit] = []
    for hit in chosen:
        if all(h.article_id != hit.article_id for h in out):
            out.append(hit)
        target = expand.interpreted(corpus, hit, as_of)
        if target is not None and relevant(target.article_id) and all(h.article_id != target.article_id
                                                                      for h in out + chosen):
            out.append(target)
    return out


def _routes(corpus: Corpus, hits: list[Hit]) -> dict[str, list[RouteMatch]]:
    by_route: dict[str, list[RouteMatch]] = {}
    _add_routes(corpus, by_route, hits)
    return by_route


def _add_routes(corpus: Corpus, by_route: dict[str, list[RouteMatch]], hits: list[Hit]) -> None:
    for hit in hits:
        for match in recognise(hit, corpus.laws[hit.law_id].department):
            by_route.setdefault(match.key, []).append(match)


def _sections(page: Page, question: str, asked: Asked, chosen: list[Hit], by_route: dict[str, list[RouteMatch]],
              thresholds: list[Threshold], articles: dict[int, Article], top: Hit, quoted: focus.Statement
              ) -> list[Part]:
    """The sections: the decisive article's exceptions, the routes that apply, the other articles."""
    decisive = articles[top.article_id]
    # The decisive article's 但书 and exceptions, each with the 款 it qualifies (a 但书 read alone says nothing).
    for index, para in enumerate(decisive.paragraphs):
        if re.search(r"但是|除外|不适用", para.text + "".join(para.items)):
            clause = focus.whole(decisive, focus.Statement(para.text.strip(), 0.0, True, index, -1),
                                 limit=EXCEPTION_QUOTE)
            page.add(EXCEPTIONS, cited(clause, top), top)
    # The decisive article's other 款 that speak to the question or qualify the quoted one (情节较重的…, 前款…).
    title = next((TITLES[m.key] for key in ORDER if key != "程序" and asked.kind != "definition"
                  for m in by_route.get(key, []) if m.hit.article_id == top.article_id), MORE)
    added = 0
    # 款 that open with the same clause as one already on the page (「在道路上发生交通事故，未造成人身伤亡的…」
    # beside 「在道路上发生交通事故，仅造成轻微财产损失的…」) are parallel cases of it: the one quoted is the
    # question's, the others would repeat its lead-in for cases the question is not about.
    leads = {_lead(quoted.text)}
    for para in decisive.paragraphs:
        text = para.text.strip()
        if para.items or not text or added >= MORE_CLAUSES or _qualifies_another_item(text, quoted):
            continue
        lead = _lead(text)
        if lead and lead in leads and not _QUALIFIER.match(text):
            continue
        if (_QUALIFIER.match(text) or overlap(question, text) > 0) and page.add(title, cited(text, top), top):
            added += 1
            leads.add(lead)
    # Routes apply where the question is about a person's dispute, not to a definition.
    if asked.kind != "definition":
        for key in ORDER:
            if key in by_route and key != "程序":
                route_lines(page, question, key, by_route[key], articles,
                            thresholds if key == "刑事" else [])
    for hit in chosen:
        if hit.article_id == top.article_id or page.cites(hit):
            continue
        statement = focus.lead_statement(question, articles[hit.article_id])
        page.add(OTHERS, cited(statement.text, hit), hit)
    return page.finished()


_ITEM_QUALIFIER = re.compile(rf"^有?前款第([{CN_DIGITS}]+)项")


def _lead(text: str) -> str:
    """The opening clause of a 款 (up to its first ，or ：), when it is long enough to be a lead-in; else ''."""
    lead = re.split(r"[，：]", text.strip(), maxsplit=1)[0]
    return lead if len(lead) >= 6 else ""


def _qualifies_another_item(text: str, quoted: focus.Statement) -> bool:
    """Whether a 款 qualifies one 项 of the 款 before it (「有前款第五项规定的滋扰…行为的，…禁止接触」) while the
    page quotes another 项 of it (（二）诽谤): it says nothing of the case the page is about."""
    found = _ITEM_QUALIFIER.match(text)
    return found is not None and quoted.item >= 0 and cn_to_int(found.group(1)) != quoted.item + 1


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

    The page must hold nothing `fawen check` would flag; articles reached by following the law (sibling
    routes, interpretations, thresholds) are judged as the auditor judges a citation, once each.
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

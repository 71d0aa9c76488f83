"""Following the law from what retrieval found: a judicial interpretation leads to the article it
interprets (「应当认定为刑法第二百四十六条第一款规定的“情节严重”」), and a penalty route leads to its sibling
routes — the same conduct under 治安管理处罚法, 刑法 and 民法典 — looked up through retrieval with the law named."""

from __future__ import annotations

import re
from collections.abc import Callable

from fawen.answer.routes import RouteMatch, recognise
from fawen.answer.text import content, overlap
from fawen.answer.thresholds import INTERPRETING_KINDS, REF, law_named, meant
from fawen.cite.quote_index import QuoteIndex
from fawen.corpus.store import Corpus
from fawen.models import Hit
from fawen.text.labels import number_suffix

# A search restricted by naming a law in the query: (query, k, as_of) → hits.
Search = Callable[[str, int, str], list[Hit]]
# The three laws a conduct may answer under; a question that opens one of these routes is checked for the others.
SIBLINGS = {"治安": "治安管理处罚法", "刑事": "刑法", "民事": "民法典"}
PENAL = ("治安", "刑事")
SIBLING_K = 3


def interpreted(corpus: Corpus, hit: Hit, as_of: str) -> Hit | None:
    """The article of a 法律 that an interpretation article cites first, as it stands on `as_of` (an older
    number followed through the correspondence, thresholds.meant), or None."""
    if hit.kind not in INTERPRETING_KINDS:
        return None
    names: dict[str, int | None] = {}
    for match in REF.finditer(hit.text):
        law_id = law_named(corpus, match.group(1), names)
        if law_id is None or corpus.laws[law_id].kind != "法律":
            continue
        numbers = number_suffix(match.group(2), match.group(3))
        article = meant(corpus, law_id, *numbers, hit, as_of) if numbers else None
        if article is not None:
            return corpus.hit(article, hit.score)
    return None


def with_interpreted(corpus: Corpus, chosen: list[Hit], as_of: str) -> list[Hit]:
    """The chosen hits, each interpretation preceded by the article it interprets (once)."""
    out: list[Hit] = []
    for hit in chosen:
        target = interpreted(corpus, hit, as_of)
        if target is not None and all(h.article_id != target.article_id for h in out + chosen):
            out.append(target)
        if all(h.article_id != hit.article_id for h in out):
            out.append(hit)
    return out


PARALLEL_CANDIDATES = 30
_CONSEQUENCE = re.compile(r"[，,](?:情节|处|构成|依照|由|应当|可以|并处|给予)")


def conduct_clause(evidence: str) -> str:
    """The conduct part of a penalty sentence: what comes before 「，情节…」「，处…」."""
    match = _CONSEQUENCE.search(evidence)
    return (evidence[:match.start()] if match else evidence).removesuffix("的")


def parallels(corpus: Corpus, quotes: QuoteIndex, question: str, matches: list[RouteMatch], routes: set[str],
              as_of: str, min_overlap: float) -> list[Hit]:
    """The same conduct, word for word, in the sibling penal law (刑法 ⇄ 治安管理处罚法), in force on `as_of`.

    Found through the auditor's quote index (shared runs of 12+ characters), so 「公然侮辱他人或者捏造事实诽谤他人」
    in 刑法第二百四十六条 leads to the 治安管理处罚法 article with the same words.
    """
    found: list[Hit] = []
    routes = set(routes)
    for match in matches:
        missing = [k for k in PENAL if k not in routes and k != match.key]
        clause = conduct_clause(match.evidence)
        if match.key not in PENAL or not missing or len(clause) < 12:
            continue
        for article_id, _ in quotes.candidates(clause, PARALLEL_CANDIDATES):
            article = corpus.article_by_id(article_id)
            version = corpus.version_in_force(article.law_id, as_of)
            law = corpus.laws[article.law_id]
            if version is None or version.id != article.version_id or law.kind != "法律":
                continue
            if not any(SIBLINGS[k] in law.title for k in missing):
                continue
            hit = corpus.hit(article, match.hit.score)
            if overlap(question, hit.text) < min_overlap or any(h.article_id == hit.article_id for h in found):
                continue
            keys = {m.key for m in recognise(hit, law.department)}.intersection(missing)
            if keys:
                found.append(hit)
                routes.update(keys)
                break
    return found


def conduct(question: str, hits: list[Hit], limit: int = 2) -> str:
    """The question's words that the found articles use too (「诽谤」), longest first: what the conduct is called."""
    words = [w for w in content(question).split() if w]
    found: set[str] = set()
    for word in words:
        for i in range(len(word)):
            for j in range(len(word), i + 1, -1):
                piece = word[i:j]
                if any(piece in h.text for h in hits):
                    found.add(piece)
                    break
    ranked = sorted(found, key=lambda w: (-len(w), w))
    kept = [w for w in ranked if not any(w != o and w in o for o in ranked)]
    return " ".join(kept[:limit])


def siblings(corpus: Corpus, question: str, chosen: list[Hit], routes: set[str], search: Search, as_of: str,
             min_overlap: float) -> list[Hit]:
    """Articles opening the sibling routes of a penalty route already found, one per route.

    A sibling is added when its route is missing, or when it is the article an interpretation of the
    named law interprets (the main article for that conduct, e.g. 刑法第二百四十六条 behind the 网络诽谤
    解释) and no article that retrieval found is interpreted that way.
    """
    if not routes.intersection(PENAL):
        return []
    term = conduct(question, chosen) or question
    found: list[Hit] = []
    for key, law in SIBLINGS.items():
        for hit in search(f"{law} {term}", SIBLING_K, as_of):
            target = interpreted(corpus, hit, as_of)
            via_interpretation = target is not None
            hit = target or hit
            if law not in hit.law or any(h.article_id == hit.article_id for h in chosen + found):
                continue
            if key in routes and not via_interpretation:
                continue
            if overlap(question, hit.text) < min_overlap:
                continue
            department = corpus.laws[hit.law_id].department
            if any(m.key == key for m in recognise(hit, department)):
                found.append(hit)
                break
    return found

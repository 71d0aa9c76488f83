"""Candidates and features for one query, and the linear ranking over them.

Candidates: the best few hundred articles by text, passage (款/项) and heading match; the best article
of each matching law; articles cited by the best ones (links.py); articles whose learned lay wording
matches or that the training questions most like this one cited; the articles whose vectors are nearest
the query's (dense.py; the union, not a re-scoring of the lexical ones); the articles next to the strongest
ones. The query's words are widened first by legal terms: the hand glossary (glossary.py), the mined
lexicon and misspellings by sound (concepts.py).
Each gets the features in learned.FEATURES (measured, and derived from those: ranks, squares, products)
and the score is their weighted sum, with weights learned by learn/retrieval.py (outside the package). Then two rules shape
the first page: one law's many near-matches are spread out (LAW_REPEAT_PENALTY), and a law a lay action
leads to (报警 → 治安管理处罚法, glossary.py) gets its best-matching article on it. Ties are broken by
article id.
"""

from __future__ import annotations

import re
from collections import defaultdict
from concurrent.futures import Future
from dataclasses import dataclass

import numpy as np

from fawen.models import KINDS
from fawen.retrieve import dense as dense_mod
from fawen.retrieve import concepts as concepts_mod
from fawen.retrieve import glossary, terms
from fawen.retrieve.dense import DenseView
from fawen.retrieve.index import Index
from fawen.retrieve.learned import CROSSED, FEATURES, RANKED, SQUARED, Learned

TEXT_CANDIDATES = 300
LEARNED_CANDIDATES = 100
LAW_CANDIDATES = 30
LINK_SOURCES = 30
ACROSS_WORDS = 0.7  # weight of a query bigram that spans two words
LAW_REPEAT_PENALTY = 0.3  # first-page score lowered per better article of the same law
FIRST_PAGE = 10
ROUTE_MIN_MATCH = 1.0  # text + passage match (each normalised to 1) a route law's article needs
ROUTE_WORD_WEIGHT = 0.3  # weight of the lay route word itself (报警) in article text
NEIGHBOURS = 20  # training questions most like the query whose cited articles count (Learned.neighbour_scores)
NEIGHBOUR_POWER = 1.0
NEARBY_SOURCES = 20  # the strongest articles whose neighbours (NEARBY_OFFSETS) become candidates
NEARBY_OFFSETS = (-2, -1, 1, 2)
GLOSSARY_WEIGHT = 0.5  # weight of a legal word added for a lay word (glossary.py)
CONCEPT_WEIGHT = 0.3  # weight of a legal term the mined lexicon ties to a question word (concepts.py)
RESPELT_WEIGHT = 1.0  # a legal term the question misspelt by sound counts as the user's own word
RARE_DF = 2  # a bigram in at most this many articles searched is no word of the statutes (a misspelling)
DENSE_CANDIDATES = 100  # the articles nearest the query's vector that become candidates (the union)
_KIND = {name: KINDS.index(name) for name in KINDS}
# The question's issue: what it asks of the law (a penalty, a remedy), and the articles that state that
# consequence (处…罚款/拘留/有期徒刑; 赔偿/返还/承担…责任), matched by BM25 over their bigrams, so that among
# the articles matching the act, the one giving the consequence asked about comes first.
ASKS_PENALTY = re.compile(r"罚|判|坐牢|拘留|犯法|违法|犯罪|报警|处理|抓|刑")
ASKS_REMEDY = re.compile(r"赔|补偿|退[钱款还]|还钱|要回|索要|讨回|违约金|找谁|负责|承担")
PENALTY_WORDS = {b: 1.0 for b in ("罚款", "拘留", "徒刑", "拘役", "管制", "处罚", "吊销", "追究", "刑事")}
REMEDY_WORDS = {b: 1.0 for b in ("赔偿", "补偿", "返还", "违约", "承担", "责任", "退还", "支付")}
_COL = {name: i for i, name in enumerate(FEATURES)}


@dataclass
class Query:
    """A normalised query and what was found about it before ranking: the laws it names, the laws its lay
    actions lead to, and its vector (or the pending embedding of it)."""

    text: str
    named_laws: frozenset[int] = frozenset()
    route_laws: frozenset[int] = frozenset()
    vector: Future[np.ndarray] | np.ndarray | None = None

    def embedding(self) -> np.ndarray | None:
        """The query's vector; None (with a warning) when embedding it failed."""
        if isinstance(self.vector, Future):
            try:
                self.vector = self.vector.result()
            except Exception as exc:  # noqa: BLE001 - the encoder failing must leave lexical search working
                dense_mod.warn(f"稠密检索失败，仅用词汇检索 (dense retrieval failed, lexical only): {exc}")
                self.vector = None
        return self.vector


def dense_scores(view: DenseView | None, query: Query) -> tuple[np.ndarray | None, np.ndarray]:
    """Per article, how near its vector is to the query's, scaled so that the DENSE_CANDIDATES-th nearest
    scores 0 and the nearest 1 (raw cosines of e5 crowd into 0.7–0.9, and where depends on the query); and
    the nearest DENSE_CANDIDATES positions. (None, empty) without vectors."""
    vector = query.embedding() if view is not None and view.positions.size else None
    if view is None or vector is None:
        return None, np.zeros(0, dtype=np.int64)
    cos = view.cosines(vector)
    known = np.where(np.isnan(cos), -np.inf, cos)
    nearest = _top(known, DENSE_CANDIDATES)
    nearest = nearest[np.isfinite(known[nearest])]
    if not nearest.size:
        return None, nearest
    top, floor = float(known[nearest].max()), float(known[nearest].min())
    scaled = np.clip((known - floor) / max(top - floor, 1e-6), 0.0, 1.0).astype(np.float32)
    return scaled, nearest


def _norm(scores: np.ndarray) -> np.ndarray:
    top = float(scores.max(initial=0.0))
    return scores / top if top > 0 else scores


def features(index: Index, learned: Learned, query: Query | str, dense: DenseView | None = None
             ) -> tuple[np.ndarray, np.ndarray]:
    """Candidate positions and their feature matrix (rows follow FEATURES). Every article of `index` may be
    a candidate: search narrows the index (and `dense`) to what is searched first (Index.subset)."""
    query = Query(query) if isinstance(query, str) else query
    text, named_laws = query.text, query.named_laws
    cut = index.cutter.cut(text)
    bigrams = terms.weighted_bigrams(text, cut, ACROSS_WORDS)
    for bigram, weight in glossary.terms(text).items():
        bigrams.setdefault(bigram, GLOSSARY_WEIGHT * weight)
    words = terms.content_words(cut)
    _add_concepts(bigrams, index, text, words, cut)
    for bigram in glossary.route_words(text) & bigrams.keys():
        bigrams[bigram] *= ROUTE_WORD_WEIGHT
    # Routes (报警 → 公安机关, 治安管理) steer which laws match (titles, headings), not which article:
    # inside a law the user's own words decide.
    expanded = dict(bigrams)
    for bigram, weight in glossary.routes(text).items():
        expanded.setdefault(bigram, GLOSSARY_WEIGHT * weight)
    text_s = _norm(index.text.scores(bigrams))
    head_s = _norm(index.head_scores(expanded))
    part_s = _norm(index.best_part(index.part.scores(bigrams)))
    zeros = np.zeros(index.size, dtype=np.float32)
    exp_b = exp_w = law_bag = zeros
    if learned.exp_bigram is not None and learned.exp_word is not None:
        exp_b = _norm(learned.to_docs(learned.exp_bigram.scores(bigrams), index.size))
        exp_w = _norm(learned.to_docs(learned.exp_word.scores(words), index.size))
    if learned.law_bag is not None:
        law_bag = _norm(learned.law_scores(learned.law_bag.scores(bigrams)))
    section_bag = zeros
    if learned.section_bag is not None:
        section_bag = _norm(learned.section_scores(learned.section_bag.scores(bigrams)))

    base = text_s + 0.5 * part_s + 0.5 * head_s + 0.5 * law_bag + 0.5 * section_bag
    firsts = _law_firsts(index, text_s, head_s)
    top_text = _top(base, TEXT_CANDIDATES)
    picks = [top_text, firsts[:LAW_CANDIDATES]]
    # Articles cited by the best-matching ones (a 司法解释 article brings in the statute it interprets).
    linked = np.zeros(index.size, dtype=np.float32)
    sources = np.sort(top_text[np.argsort(-base[top_text], kind="stable")[:LINK_SOURCES]])
    which, targets = index.cited(sources)
    if targets.size:
        np.maximum.at(linked, targets, np.maximum(base[sources][which], 0.0))
        picks.append(targets[linked[targets] > 0])
    near = learned.neighbour_scores(bigrams, NEIGHBOURS, NEIGHBOUR_POWER)
    knn = learned.to_docs(near, index.size) if near is not None else zeros  # not rescaled: weak stays weak
    learned_s = exp_b + exp_w + knn
    if learned_s.max(initial=0.0) > 0:
        top_learned = _top(learned_s, LEARNED_CANDIDATES)
        picks.append(top_learned[learned_s[top_learned] > 0])
    # The articles just before and after the strongest ones: what a lawyer cites comes in runs
    # (产品质量法 第三十三条 to 第三十九条).
    dense_s, nearest = dense_scores(dense, query)
    if dense_s is not None:
        picks.append(nearest)
    strength = base + learned_s + (dense_s if dense_s is not None else zeros)
    strongest = _top(strength, NEARBY_SOURCES)
    around = [index.shifted(strongest, offset) for offset in NEARBY_OFFSETS]
    picks.extend(found[found >= 0] for found in around)
    cand = np.unique(np.concatenate(picks))
    nearby = np.zeros(cand.size, dtype=np.float32)
    for offset in NEARBY_OFFSETS:
        other = index.shifted(cand, offset)
        nearby = np.maximum(nearby, np.where(other >= 0, strength[other], 0.0))
    keep = (strength[cand] > 0) | (nearby > 0)
    cand, nearby = cand[keep], nearby[keep]
    if cand.size == 0:
        return cand, np.zeros((0, len(FEATURES)), dtype=np.float32)

    X = np.zeros((cand.size, len(FEATURES)), dtype=np.float32)
    X[:, _COL["text"]] = text_s[cand]
    X[:, _COL["head"]] = head_s[cand]
    X[:, _COL["part"]] = part_s[cand]
    # An article's learned lay wording counts by how many training questions taught it (n / (n + 1)): the
    # wording of one question alone (a lawyer citing 产品质量法第四十条 for a 七天无理由退货 question) is weak
    # evidence, yet normalised it scores as high as the wording many questions share.
    support = np.ones(cand.size, dtype=np.float32)
    if learned.article_prior is not None:
        taught = np.expm1(learned.article_prior[cand])
        support = taught / (taught + 1.0)
    X[:, _COL["exp_bigram"]] = exp_b[cand] * support
    X[:, _COL["exp_word"]] = exp_w[cand] * support
    X[:, _COL["law_bag"]] = law_bag[cand]
    X[:, _COL["neighbours"]] = knn[cand]
    X[:, _COL["nearby"]] = nearby / max(float(strength.max(initial=0.0)), 1e-9)
    X[:, _COL["section_bag"]] = section_bag[cand]
    if ASKS_PENALTY.search(text):
        X[:, _COL["penalty"]] = _norm(index.text.scores(PENALTY_WORDS))[cand]
    if ASKS_REMEDY.search(text):
        X[:, _COL["remedy"]] = _norm(index.text.scores(REMEDY_WORDS))[cand]
    if dense_s is not None and dense is not None:
        X[:, _COL["dense"]] = dense_s[cand]
        X[:, _COL["no_vector"]] = ~dense.has()[cand]
    laws = index.law_id[cand]
    slot, law_slot = np.unique(laws, return_inverse=True)
    best = np.zeros(slot.size, dtype=np.float32)
    np.maximum.at(best, law_slot, text_s[cand] + 0.5 * head_s[cand])
    X[:, _COL["law_best"]] = best[law_slot]
    X[:, _COL["law_first"]] = np.isin(cand, firsts)
    X[:, _COL["linked"]] = linked[cand] / max(float(base.max(initial=0.0)), 1e-9)
    X[:, _COL["cited_by"]] = index.cited_by[cand]
    if learned.article_prior is not None:
        X[:, _COL["article_prior"]] = learned.article_prior[cand]
    if learned.law_prior is not None:
        X[:, _COL["law_prior"]] = learned.law_prior[cand]
    if learned.hub is not None:
        X[:, _COL["hub"]] = learned.hub[cand]
    kinds = index.kind[cand]
    X[:, _COL["interpretation"]] = kinds == _KIND["司法解释"]
    X[:, _COL["regulation"]] = kinds == _KIND["行政法规"]
    X[:, _COL["constitution"]] = (kinds == _KIND["宪法"]) | (kinds == _KIND["立法解释"])
    if named_laws:
        X[:, _COL["law_named"]] = np.isin(laws, list(named_laws))
    order = np.lexsort((index.article_id[cand], -base[cand]))
    rank = np.empty(cand.size, dtype=np.float32)
    rank[order] = np.arange(cand.size, dtype=np.float32)
    X[:, _COL["rank"]] = 1.0 / np.log2(rank + 2.0)
    bridged: dict[str, float] = defaultdict(float)
    for word in words:
        for bigram, weight in learned.bridge.get(word, ()):
            bridged[bigram] += weight
    if bridged:
        X[:, _COL["bridge"]] = _norm(index.text.scores(dict(bridged)))[cand]
    _derive(X)
    return cand, X


def _add_concepts(bigrams: dict[str, float], index: Index, text: str, words: list[str], cut: list[str]) -> None:
    """Add the bigrams of legal terms the question misspelt by sound (赔尝 → 赔偿) and of those the mined
    lexicon ties to its lay words (房东 → 出租人), below the user's own words."""
    lexicon = concepts_mod.load()
    if CONCEPT_WEIGHT <= 0:
        return
    field = index.text

    def rare(bigram: str) -> bool:
        tid = field.vocab.get(bigram)
        return tid is None or int(field.indptr[tid + 1] - field.indptr[tid]) <= RARE_DF
    for term in lexicon.respell(text, rare, cut, index.readings):
        for bigram in terms.bigrams(term):
            bigrams[bigram] = max(bigrams.get(bigram, 0.0), RESPELT_WEIGHT)
    # Route words (报警, 微信) say what the user wants to do or where it happened, not the issue: the lexicon's
    # terms for them (报警 → 投诉, 人身安全) would pull in articles about something else.
    route = glossary.route_words(text)
    for term in lexicon.expand([w for w in words if not set(terms.bigrams(w)) <= route]):
        for bigram in terms.bigrams(term):
            bigrams.setdefault(bigram, CONCEPT_WEIGHT)


def _derive(X: np.ndarray) -> None:
    """Fill the derived columns (learned.RANKED, SQUARED, CROSSED) from the measured ones; rows are in
    article id order, so a stable sort breaks ties by id."""
    for name in RANKED:
        values = X[:, _COL[name]]
        order = np.argsort(-values, kind="stable")
        place = np.empty(values.size, dtype=np.float32)
        place[order] = np.arange(values.size, dtype=np.float32)
        X[:, _COL[f"rank:{name}"]] = np.where(values > 0, 1.0 / np.log2(place + 2.0), 0.0)
    for name in SQUARED:
        X[:, _COL[f"square:{name}"]] = X[:, _COL[name]] ** 2
    for a, b in CROSSED:
        X[:, _COL[f"{a}*{b}"]] = X[:, _COL[a]] * X[:, _COL[b]]


def rank(index: Index, learned: Learned, query: Query | str, k: int, dense: DenseView | None = None
         ) -> list[tuple[int, float]]:
    """The k best (position, score) pairs, best first, ties broken by article id; the query's route laws
    (laws a lay action leads to, 报警 → 治安管理处罚法) each get their best-matching article on the first page."""
    query = Query(query) if isinstance(query, str) else query
    route_laws = query.route_laws
    cand, X = features(index, learned, query, dense)
    if cand.size == 0:
        return []
    score = X @ learned.weights_for(bool(X[:, _COL["dense"]].any()))
    order = np.lexsort((index.article_id[cand], -score))
    if LAW_REPEAT_PENALTY > 0:
        order = _spread(score, order, index.law_id[cand], LAW_REPEAT_PENALTY, FIRST_PAGE)
    out = [(int(cand[i]), float(score[i])) for i in order]
    if route_laws:
        words = X[:, _COL["text"]] + X[:, _COL["part"]]
        out = _lift_routes(out, _route_picks(cand, index.law_id[cand], words, route_laws))
    return _non_increasing(out[:k])


def _non_increasing(ranked: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """Scores as callers see them: the first-page reordering may put an article above a better-scored
    one; its score is capped at the one above so that scores never rise down the list."""
    out: list[tuple[int, float]] = []
    for position, score in ranked:
        out.append((position, min(score, out[-1][1]) if out else score))
    return out


def _route_picks(cand: np.ndarray, laws: np.ndarray, words: np.ndarray, route_laws: frozenset[int]) -> list[int]:
    """Per route law, its candidate best matching the user's own words, when that match is a real one."""
    picks = []
    for law in sorted(route_laws):
        inside = np.flatnonzero(laws == law)
        if inside.size:
            best = inside[np.argmax(words[inside])]
            if words[best] >= ROUTE_MIN_MATCH:
                picks.append(int(cand[best]))
    return picks


def _lift_routes(ranked: list[tuple[int, float]], picks: list[int]) -> list[tuple[int, float]]:
    """Move each picked position onto the first page (its last places), keeping scores non-increasing."""
    page = ranked[:FIRST_PAGE]
    missing = [p for p in picks if p not in {q for q, _ in page}]
    if not missing:
        return ranked
    keep = [item for item in ranked if item[0] not in missing]
    cut = max(0, min(len(keep), FIRST_PAGE) - len(missing))
    floor = keep[cut - 1][1] if cut else (keep[0][1] if keep else 0.0)
    lifted = [(p, floor) for p in missing]
    return keep[:cut] + lifted + keep[cut:]


def _spread(score: np.ndarray, order: np.ndarray, laws: np.ndarray, penalty: float, page: int) -> np.ndarray:
    """Reorder the first page: each article is lowered by `penalty` for every better-scored article of the
    same law, so that one law's many near-matches do not push every other law off the first page. Past
    the first page the order is the plain score order."""
    head = order[:page * 3].tolist()
    seen: dict[int, int] = {}
    adjusted: list[tuple[float, int, int]] = []
    for i in head:
        law = int(laws[i])
        adjusted.append((-(float(score[i]) - penalty * seen.get(law, 0)), len(adjusted), i))
        seen[law] = seen.get(law, 0) + 1
    first = [i for _, _, i in sorted(adjusted)[:page]]
    chosen = set(first)
    return np.asarray(first + [i for i in order.tolist() if i not in chosen], dtype=np.int64)


def _law_firsts(index: Index, text_s: np.ndarray, head_s: np.ndarray) -> np.ndarray:
    """The best-matching article of each law (by text), best laws first: a law-level view of the query,
    so that 诽谤 reaches 治安管理处罚法 as well as 刑法 and 民法典 even when one law's articles fill the top."""
    hits = np.flatnonzero(text_s >= 0.2)
    if hits.size == 0:
        return hits
    order = hits[np.lexsort((index.article_id[hits], -text_s[hits], index.law_id[hits]))]
    laws = index.law_id[order]
    first = order[np.concatenate(([True], laws[1:] != laws[:-1]))]
    by_law = text_s[first] + 0.5 * head_s[first]
    return first[np.lexsort((index.article_id[first], -by_law))]


def _top(scores: np.ndarray, n: int) -> np.ndarray:
    if scores.size <= n:
        return np.arange(scores.size)
    return np.argpartition(-scores, n)[:n]


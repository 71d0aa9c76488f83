"""Is a cited article about the question at all? (finding `irrelevant`)

Four signals, each scaled to 0–1; a citation's relevance is the largest of them:
  article   the cited article's rank among the retrieval hits for the question: 1 − (rank − 1) / K_SEARCH;
  law       the best rank of any article of the cited law among those hits, at half weight (a lawyer often
            cites a neighbour of the article retrieval ranks first);
  question  the share of the question's words (character bigrams, IDF-weighted over all articles) found in
            the law's title, the article's headings and its text;
  page      the same share for the page's own prose (its text without any citation or quoted passage).
A citation is `irrelevant` when its relevance is below THRESHOLD: retrieval does not place the cited law
anywhere near the question, and neither the question nor the page shares words with the article.

THRESHOLD is measured by bench/check.py: the highest value keeping false positives ≤ 2 % on the real
citations of LawBench 3-8 consultation pages (questions retrieval was never trained on; even-numbered pages)
came out at 0.0309, used here rounded down to 0.03. On the odd-numbered pages it flags 1.5 % of the real
citations and 87 % of citations replaced by a random unrelated article; on STARD-derived pages (retrieval
learned from those questions, so they only check it) 0 % and 88 %.
Without a retrieval index (not built, or built by an older fawen) only the word signals are used, and an
article is called irrelevant only when it shares no weighted word at all with the question or the page.
The retrieval hits of the question may be given (`first`): an answer page is judged against the hits it was
composed from, so the question is searched once per request.
"""

from __future__ import annotations

from dataclasses import dataclass

from typing import TYPE_CHECKING

from fawen.cite.lexical import weighted_coverage
from fawen.errors import FawenError
from fawen.models import DEFAULT_KINDS, Article, Hit

if TYPE_CHECKING:
    from fawen.cite.kit import Kit

K_SEARCH = 100
LAW_WEIGHT = 0.5
THRESHOLD = 0.03
MAX_CONTEXT = 20000          # characters of page prose used as a signal
# Retrieval runs only when the word signals stay below this; a score at or above it may therefore be a lower
# bound (the words alone already clear any threshold up to SKIP_SEARCH).
SKIP_SEARCH = 0.15
_WORDS_ONLY = 1e-9


@dataclass
class Relevance:
    score: float
    article_rank: int | None
    law_rank: int | None
    question_words: float
    page_words: float
    threshold: float
    retrieval: bool = True

    @property
    def irrelevant(self) -> bool:
        return self.score < self.threshold

    def explain(self) -> str:
        words = f"问题词语重合 {self.question_words:.0%}；正文词语重合 {self.page_words:.0%}"
        if not self.retrieval:
            return f"与问题和正文没有共同词语（{words}；无检索索引，仅按词语判断）"
        where = f"检索排名第 {self.article_rank}" if self.article_rank else f"未进入检索前 {K_SEARCH}"
        law = f"同一法律最高排名第 {self.law_rank}" if self.law_rank else "同一法律无条文进入检索结果"
        return f"相关度 {self.score:.3f} 低于阈值 {self.threshold}（{where}；{law}；{words}）"


class RelevanceJudge:
    """Judges articles against one question (and the page's prose) on one date; searches once per kind group."""

    def __init__(self, kit: Kit, question: str, date: str, context: str = "", threshold: float = THRESHOLD,
                 first: list[Hit] | None = None) -> None:
        self.kit = kit
        self.corpus = kit.corpus
        self.question = question
        self.date = date
        self.context = context[:MAX_CONTEXT]
        self.threshold = threshold
        self._hits: dict[tuple[str, ...], list[Hit] | None] = {}
        if first is not None:  # the request's own search of the question (DEFAULT_KINDS, K_SEARCH hits)
            self._hits[DEFAULT_KINDS] = first[:K_SEARCH]

    def judge(self, article: Article) -> Relevance:
        law = self.corpus.laws[article.law_id]
        text = " ".join([law.title, *article.path, article.text])
        index = self.kit.quote_index
        question_words = weighted_coverage(self.question, text, index)
        page_words = weighted_coverage(self.context, text, index, fold=False) if self.context.strip() else 0.0
        signals = [question_words, page_words]
        article_rank = law_rank = None
        threshold, retrieval = self.threshold, True
        if max(signals) < SKIP_SEARCH:
            # Words alone do not settle it: ask retrieval (the expensive part, so only here).
            kinds = DEFAULT_KINDS if law.kind in DEFAULT_KINDS else (law.kind,)
            hits = self._search(kinds)
            if hits is None:
                # No retrieval index: the threshold was measured with retrieval, so words alone may only
                # call an article irrelevant when it shares no weighted word with the question or the page.
                threshold, retrieval = min(threshold, _WORDS_ONLY), False
            for i, hit in enumerate(hits or [], start=1):
                if article_rank is None and hit.article_id == article.id:
                    article_rank = i
                if law_rank is None and hit.law_id == article.law_id:
                    law_rank = i
        if article_rank:
            signals.append(1 - (article_rank - 1) / K_SEARCH)
        if law_rank:
            signals.append(LAW_WEIGHT * (1 - (law_rank - 1) / K_SEARCH))
        return Relevance(round(max(signals), 4), article_rank, law_rank, round(question_words, 4),
                         round(page_words, 4), threshold, retrieval)

    def _search(self, kinds: tuple[str, ...]) -> list[Hit] | None:
        """Retrieval hits for the question, or None when retrieval is not available for this corpus."""
        if kinds not in self._hits:
            try:
                self._hits[kinds] = self.kit.search(self.question, K_SEARCH, self.date, kinds)
            except (FawenError, OSError, ValueError):
                self._hits[kinds] = None
        return self._hits[kinds]

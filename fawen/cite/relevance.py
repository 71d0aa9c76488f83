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
It is `irrelevant` too when retrieval does not rank the article itself and the page says nothing of what the
article is about: the share of the article's own words (weighted as above) found in the question and the
page's prose is below ARTICLE_WORDS. That catches an article of a law the question does concern but about
another matter (民法典第一百八十八条, 诉讼时效, under a question on 彩礼), which the law signal lets pass. It needs
the page's prose, so an article judged on the question alone (the answer engine's added articles) is not
judged by it.
An article of the same law from another chapter shares the law's own vocabulary with the page (劳动合同,
用人单位), which keeps that share above ARTICLE_WORDS. So the article's words are weighted once more, by how
few of its law's articles hold them (cite/law_words.py): what is left is the article's own subject. An
article retrieval does not rank is `irrelevant` too when that share found on the page is below OWN_WORDS,
or below OWN_WORDS_CROWDED while at least CROWDED articles of its law are among the hits (the question is
about this law, and retrieval finds many of its articles, not this one).

THRESHOLD is measured by bench/check.py: the highest value keeping false positives ≤ 2 % on the real
citations of LawBench 3-8 consultation pages (questions retrieval was never trained on; even-numbered pages)
came out at 0.0309, used here rounded down to 0.03. ARTICLE_WORDS: on those LawBench pages, at 0.006 the rule
flags 2 real citations more (民法典第三百九十四条, 抵押权, cited for a rent 押金; 第二百九十六条, 相邻关系, for a dog
run over in a car park: both wrong) and lifts the share of citations replaced by another article of the same
law from another chapter that are flagged from 10 % to 22 %. On the odd-numbered pages it flags 1.5 % of the real
citations and 87 % of citations replaced by a random unrelated article; on STARD-derived pages (retrieval
learned from those questions, so they only check it) 0 % and 88 %.
Retrieval here is lexical (Library.search_ids), also where the corpus has article vectors: the thresholds
below were chosen on lexical ranks, and embedding every audited page's question would halve bulk throughput.
Without a retrieval index (not built, or built by an older fawen) only the word signals are used, and an
article is called irrelevant only when it shares no weighted word at all with the question or the page.
OWN_WORDS, OWN_WORDS_CROWDED and CROWDED were chosen on the LawBench tune pages (bench/check.py's lawbench_clean
and lawbench_same_law citations, even-numbered pages): of the values tried (OWN_WORDS .005–.025, the crowded
share .02–.1 with 20–60 of the law's articles among the hits) the loosest flagging at most one real citation
more there (民法典第二百一十条, 不动产登记, for a question about signing a second-hand house contract); with
it the tune pages' citations replaced by an article of the same law from another chapter that are flagged went
from 17 % to 50 %. Looser values flag correct but general articles (民法典第五百一十一条, 合同的履行, for a
contract without a transfer date; 第二百一十一条), which a page may well cite.
The retrieval hits of the question may be given (`first`): an answer page is judged against the hits it was
composed from, so the question is searched once per request.
"""

from __future__ import annotations

from dataclasses import dataclass

from typing import TYPE_CHECKING

from fawen.cite.lexical import Words, bigram_codes, coverage_in, fresh_codes
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
ARTICLE_WORDS = 0.006
OWN_WORDS = 0.01
OWN_WORDS_CROWDED = 0.02
CROWDED = 20
# A bare number is read as an older numbering (renumbered, likely) when its text today is off topic (not ranked,
# words shared with the question and the page below OFF_TOPIC) and the provision it was in an older version
# ranks among the first ON_TOPIC_RANK (bench/check.py: old_number_question against clean_noquote).
OFF_TOPIC = 0.05
ON_TOPIC_RANK = 20
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
    article_words: float | None = None     # share of the article's words on the page (None: not measured)
    own_words: float | None = None         # the same, weighted by the article's own law too (None: not measured)
    law_hits: int = 0                      # articles of the cited law among the retrieval hits

    @property
    def irrelevant(self) -> bool:
        return self.score < self.threshold or self.elsewhere

    @property
    def off_topic(self) -> bool:
        """Retrieval does not rank the article and neither the question nor the page shares words with it."""
        return self.retrieval and self.article_rank is None and max(self.question_words, self.page_words) < OFF_TOPIC

    @property
    def on_topic(self) -> bool:
        """Retrieval ranks the article among the first ON_TOPIC_RANK for the question."""
        return self.article_rank is not None and self.article_rank <= ON_TOPIC_RANK

    @property
    def elsewhere(self) -> bool:
        """Retrieval does not rank the article and the page says nothing of what it is about."""
        if not self.retrieval or self.article_rank is not None:
            return False
        if self.article_words is not None and self.article_words < ARTICLE_WORDS:
            return True
        return self.own_words is not None and (self.own_words < OWN_WORDS or
                                               (self.own_words < OWN_WORDS_CROWDED and self.law_hits >= CROWDED))

    def explain(self) -> str:
        words = f"问题词语重合 {self.question_words:.0%}；正文词语重合 {self.page_words:.0%}"
        if self.elsewhere and self.score >= self.threshold:
            crowd = f"；同一法律有 {self.law_hits} 条进入检索结果" if self.law_hits else ""
            return (f"未进入检索前 {K_SEARCH}，条文内容在问题和正文中几乎没有出现（条文词语见于正文 "
                    f"{self.article_words or 0:.1%}，其中本条特有的词语 {self.own_words or 0:.1%}{crowd}；{words}）")
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
        self._page = f"{question} {self.context}" if self.context.strip() else ""
        self.threshold = threshold
        self._hits: dict[tuple[str, ...], list[tuple[int, int]] | None] = {}   # (article id, law id)
        if first is not None:  # the request's own search of the question (DEFAULT_KINDS, K_SEARCH hits)
            self._hits[DEFAULT_KINDS] = [(h.article_id, h.law_id) for h in first[:K_SEARCH]]
        # Read once per page, not once per citation: the question's and the prose's words and their weights.
        self._question = Words(bigram_codes(question), kit.quote_index)
        self._context = Words(fresh_codes(self.context), kit.quote_index) if self.context.strip() else None
        self._page_codes = bigram_codes(self._page, True) if self._page else None

    def judge(self, article: Article, rank: bool = False) -> Relevance:
        """How relevant `article` is; `rank`: look up its retrieval rank even when the words settle it."""
        law = self.corpus.laws[article.law_id]
        text = " ".join([law.title, *article.path, article.text])
        index = self.kit.quote_index
        text_codes = bigram_codes(text, True)
        question_words = self._question.coverage(text_codes)
        page_words = self._context.coverage(text_codes) if self._context is not None else 0.0
        signals = [question_words, page_words]
        article_rank = law_rank = None
        law_hits = 0
        threshold, retrieval, hits_ran = self.threshold, True, False
        if max(signals) < SKIP_SEARCH or rank:
            hits_ran = True
            # Words alone do not settle it: ask retrieval (the expensive part, so only here).
            kinds = DEFAULT_KINDS if law.kind in DEFAULT_KINDS else (law.kind,)
            hits = self._search(kinds)
            if hits is None:
                # No retrieval index: the threshold was measured with retrieval, so words alone may only
                # call an article irrelevant when it shares no weighted word with the question or the page.
                threshold, retrieval = min(threshold, _WORDS_ONLY), False
            for i, (article_id, law_id) in enumerate(hits or [], start=1):
                if article_rank is None and article_id == article.id:
                    article_rank = i
                if law_id == article.law_id:
                    law_rank = law_rank or i
                    law_hits += 1
        if article_rank:
            signals.append(1 - (article_rank - 1) / K_SEARCH)
        if law_rank:
            signals.append(LAW_WEIGHT * (1 - (law_rank - 1) / K_SEARCH))
        # What the article is about, said anywhere on the page (only worth measuring when retrieval ran).
        article_words = own_words = None
        if self._page_codes is not None and hits_ran and article_rank is None:
            article_words = coverage_in(article.text, self._page_codes, index)
            own_words = self.kit.law_words.own_coverage(article, self._page_codes, index)
        return Relevance(round(max(signals), 4), article_rank, law_rank, round(question_words, 4),
                         round(page_words, 4), threshold, retrieval, article_words, own_words, law_hits)

    def _search(self, kinds: tuple[str, ...]) -> list[tuple[int, int]] | None:
        """Retrieval hits for the question (article id, law id), or None when retrieval is not available."""
        if kinds not in self._hits:
            try:
                self._hits[kinds] = self.kit.search_ids(self.question, K_SEARCH, self.date, kinds)
            except (FawenError, OSError, ValueError):
                self._hits[kinds] = None
        return self._hits[kinds]

"""The relevance rules for an article retrieval does not rank (fawen/cite/relevance.py) and the law-relative
word weights behind them (fawen/cite/law_words.py), on the auditor's fixture corpus."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from fawen.cite.lexical import bigram_codes, weighted_coverage
from fawen.cite.relevance import ARTICLE_WORDS, CROWDED, OWN_WORDS, OWN_WORDS_CROWDED, THRESHOLD, Relevance
from fawen.library import Library
from tests.cite_helpers import TODAY, cite_home  # noqa: F401 - the fixture is used by name
from tests.conftest import open_library


@pytest.fixture
def corpus(cite_home: Path, monkeypatch: pytest.MonkeyPatch) -> Library:
    monkeypatch.setenv("FAWEN_HOME", str(cite_home))
    return open_library(cite_home)


def unranked(article_words: float, own_words: float | None, law_hits: int, score: float = 0.5) -> Relevance:
    """What the judge measures for an article retrieval does not rank, its law ranked (score from the law)."""
    return Relevance(score, None, 1, 0.0, 0.1, THRESHOLD, True, article_words, own_words, law_hits)


def test_an_article_whose_own_words_the_page_lacks_is_irrelevant() -> None:
    words = ARTICLE_WORDS * 3                        # the law's shared words keep the plain share above its rule
    assert not unranked(words, None, CROWDED).irrelevant
    assert unranked(words, OWN_WORDS / 2, 0).irrelevant
    assert not unranked(words, OWN_WORDS * 1.5, 0).irrelevant
    # Between the two shares it takes many of the law's articles among the hits, this one not among them.
    middle = (OWN_WORDS + OWN_WORDS_CROWDED) / 2
    assert unranked(words, middle, CROWDED).irrelevant
    assert not unranked(words, middle, CROWDED - 1).irrelevant
    assert not unranked(words, OWN_WORDS_CROWDED, CROWDED + 50).irrelevant
    assert "本条特有的词语" in unranked(words, middle, CROWDED).explain()


def test_a_ranked_article_or_one_judged_without_retrieval_is_not_judged_by_its_words() -> None:
    ranked = Relevance(0.9, 3, 1, 0.0, 0.0, THRESHOLD, True, None, 0.0, CROWDED)
    assert not ranked.irrelevant
    words_only = Relevance(0.5, None, None, 0.2, 0.2, 1e-9, False, 0.0, 0.0, 0)
    assert not words_only.irrelevant


def test_words_every_article_of_the_law_holds_weigh_nothing(corpus: Library) -> None:
    law = corpus.corpus.resolve_law("示例法")[0]
    version = corpus.corpus.version_in_force(law.id, TODAY)
    assert version is not None
    articles = corpus.corpus.articles(version.id)
    codes, counts, n = corpus.law_words.frequencies(version.id)
    assert n == len(articles) and len(codes) == len(counts) and np.all(np.diff(codes.astype(np.int64)) > 0)
    third = next(a for a in articles if a.number == 3 and a.suffix == 0)
    index = corpus.quote_index
    # The article's own text holds all of its words; a page of words the law's other articles share holds
    # less of what is the article's own than of its words by their weight over the whole corpus.
    assert corpus.law_words.own_coverage(third, bigram_codes(third.text, True), index) == pytest.approx(1.0)
    page = "有下列行为之一的，处五日以下拘留。"
    plain = weighted_coverage(third.text, page, index, fold=False)
    own = corpus.law_words.own_coverage(third, bigram_codes(page, True), index)
    assert 0 < own < plain
    assert corpus.law_words.own_coverage(third, bigram_codes("与此无关的一句话", True), index) == 0.0


def test_search_ids_are_the_hits_without_reading_the_articles(corpus: Library) -> None:
    kinds = ("法律", "司法解释")
    hits = corpus.search("散布谣言扰乱公共秩序怎么处罚", 10, TODAY, kinds)
    assert hits
    assert corpus.search_ids("散布谣言扰乱公共秩序怎么处罚", 10, TODAY, kinds) == [(h.article_id, h.law_id) for h in hits]

"""Which of an article's words are its own within its law: character-bigram document frequencies over the
articles of one law version, for the relevance signal that tells one article of a law from another.

Words every article of a law shares (劳动合同 in 劳动合同法, 合同 in 民法典's 合同编) say which law a page is
about, not which article: weighted by how few of the law's articles hold them, what remains is the article's
own subject (经济补偿, 试用期, 不动产登记).
"""

from __future__ import annotations

import threading

import numpy as np

from fawen.cite.lexical import bigram_codes, fresh_codes
from fawen.cite.quote_index import QuoteIndex
from fawen.corpus.store import Corpus
from fawen.models import Article


class LawWords:
    """Bigram document frequencies per law version, each computed on first use (the Library holds one)."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self._lock = threading.Lock()
        self._by_version: dict[int, tuple[np.ndarray, np.ndarray, int]] = {}

    def frequencies(self, version_id: int) -> tuple[np.ndarray, np.ndarray, int]:
        """(sorted bigram codes, in how many of the version's articles each occurs, number of articles)."""
        with self._lock:
            found = self._by_version.get(version_id)
        if found is not None:
            return found
        codes = [fresh_codes(a.text) for a in self.corpus.articles(version_id)]
        joined = np.concatenate(codes) if codes else np.empty(0, dtype=np.uint64)
        unique, counts = np.unique(joined, return_counts=True)
        found = (unique, counts, len(codes))
        with self._lock:
            self._by_version[version_id] = found
        return found

    def own_coverage(self, article: Article, page_codes: np.ndarray, index: QuoteIndex) -> float:
        """Share (0–1) of the article's bigrams found among `page_codes`, each weighted by its IDF over all
        articles times its IDF over the articles of the article's own law version."""
        codes = bigram_codes(article.text, True)
        if len(codes) == 0:
            return 0.0
        unique, counts, n = self.frequencies(article.version_id)
        at = np.minimum(np.searchsorted(unique, codes), max(len(unique) - 1, 0))
        df = np.where(unique[at] == codes, counts[at], 0) if len(unique) else np.zeros(len(codes))
        weights = index.idf(codes) * np.log((n + 1) / (df + 1.0))
        total = float(weights.sum())
        if total <= 0:
            return 0.0
        return float(weights[np.isin(codes, page_codes, assume_unique=True)].sum()) / total

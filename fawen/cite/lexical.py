"""Word overlap between texts, by character bigrams: the lexical relevance signals, and the evidence for
which version of a renumbered article a citation without a quote means."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from fawen.cite.quote_index import QuoteIndex, codepoints
from fawen.cite.quotes import compact
from fawen.text.normalize import normalize

# Bigrams so common in legal text and questions that sharing them says nothing about the subject.
_STOP = frozenset("""
的人 人民 法律 规定 本法 应当 或者 可以 以上 以下 有关 依照 依法 按照 根据 其他 进行 不得 之一 行为 情节 条件
单位 个人 组织 部门 国家 主管 管理 工作 以及 予以 对于 关于 由于 但是 并且 如果 没有 已经 当事 事人 什么 怎么
如何 是否 需要 一个 这个 那个 我们 你们 他们 自己 时候 问题 情况 请问 咨询 律师 谢谢 您好 合法 权益 相关
""".split())


@lru_cache(maxsize=8192)
def bigrams(text: str, simplified: bool = False) -> frozenset[str]:
    """Distinct content bigrams of a text (letters, digits and CJK only), without the stop list.

    `simplified`: the text is corpus text, already in simplified characters (skips that conversion)."""
    c = compact(text, simplified)
    return frozenset(c[i:i + 2] for i in range(len(c) - 1)) - _STOP


def overlap(context: str, text: str) -> int:
    """How many content bigrams of `context` also occur in `text` (corpus text)."""
    return len(bigrams(context) & bigrams(text, True))


def bigram_codes(text: str, simplified: bool = False) -> np.ndarray:
    """Distinct bigram codes (first << 16 | second) of a text's content characters, sorted."""
    return _article_codes(text) if simplified else _codes(normalize(text))


def fresh_codes(text: str) -> np.ndarray:
    """Distinct bigram codes of corpus text, not kept in the cache (a whole law read once would flush it)."""
    return _codes(text)


@lru_cache(maxsize=4096)
def _article_codes(text: str) -> np.ndarray:
    return _codes(text)


def _codes(text: str) -> np.ndarray:
    codes = codepoints(text)
    if len(codes) < 2:
        return np.empty(0, dtype=np.uint64)
    return np.unique((codes[:-1] << np.uint64(16)) | codes[1:])


class Words:
    """A query's bigram codes and their IDF weights, computed once for many `coverage` calls."""

    def __init__(self, codes: np.ndarray, index: QuoteIndex) -> None:
        self.codes = codes
        self.weights = index.idf(codes) if len(codes) else np.empty(0)
        self.total = float(self.weights.sum())

    def coverage(self, text_codes: np.ndarray) -> float:
        """Share (0–1) of the query's IDF weight whose bigrams are among `text_codes` (weighted_coverage)."""
        if self.total <= 0:
            return 0.0
        found = np.isin(self.codes, text_codes, assume_unique=True)
        return float(self.weights[found].sum()) / self.total


def coverage_in(query: str, text_codes: np.ndarray, index: QuoteIndex) -> float:
    """weighted_coverage of corpus text `query` in a text already read into bigram codes."""
    return Words(bigram_codes(query, True), index).coverage(text_codes)


def weighted_coverage(query: str, text: str, index: QuoteIndex, fold: bool = True) -> float:
    """Share (0–1) of the query's bigrams, weighted by IDF over all articles, that occur in `text` (corpus text).

    Rare words count: 工伤 shared with the article says much more than 法院 or 合同 do. `fold=False` skips the
    traditional→simplified step (slow on long page text; pages are almost always simplified already).
    """
    return Words(bigram_codes(query) if fold else _codes(query), index).coverage(bigram_codes(text, True))

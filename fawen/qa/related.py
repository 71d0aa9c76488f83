"""Related questions from the Q&A store: bm25 over the question's words (jieba, question filler left
out), then one question per near-duplicate cluster, each with its audit status.

The bm25 is computed here with numpy (issue 16: importing bm25s pulls in scipy, ~0.15 s of every cold `fawen
ask`, and its index build loops over the questions in Python). It computes what bm25s 0.3.16 did for this
index, to the bit: Lucene bm25 (k1 1.5, b 0.75), float32 scores summed in the query's word order, the
candidates chosen by the same np.argpartition (tests/test_qa.py compares the two).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

import numpy as np

from fawen.corpus.qa_store import StoredQuestion
from fawen.models import Related
from fawen.qa import cuts, dedup
from fawen.qa.clean import question_key
from fawen.qa.cuts import Cut, jieba_cut

CANDIDATES = 50
# Share of the question's IDF-weighted words a stored question must contain to count as related.
MIN_COVERAGE = 0.25
K1, B = 1.5, 0.75  # bm25 (Lucene), bm25s's defaults
# Words every kind of question uses; matching on them says nothing about the legal topic.
FILLER = frozenset(
    "可以 是否 什么 如何 怎么 怎么办 怎么样 怎样 能否 能不能 可不可以 需要 哪些 为什么 多少 应该 应当 有没有 "
    "是不是 会不会 要不要 情况 问题 请问 知道 没有 还是 或者 以及 这个 那个 这种 一下 时候 现在 我们 他们 自己".split())
def words(key: str, cut: Cut = jieba_cut) -> list[str]:
    """The content words of a question key, sorted and unique (one-character words carry no topic)."""
    return _content(cut([key])[0])


def _content(cut: Iterable[str]) -> list[str]:
    return sorted({w for w in cut if len(w) > 1 and w not in FILLER})


class RelatedIndex:
    """The store's questions, indexed once per store file version (the Library holds it)."""

    def __init__(self, questions: list[StoredQuestion], cut: Cut = jieba_cut, known: cuts.Cuts | None = None
                 ) -> None:
        """`cut` cuts the questions (the Library passes its index's cutter, retrieve/terms.py, for which jieba
        builds no dictionary) but those whose cut is `known` (qa/cuts.py: stored by `qa import`)."""
        self.questions = questions
        self._cut = cut
        made = cuts.complete(questions, known or {}, cut)
        self.doc_words = [set(_content(made[q.id][1])) for q in questions]
        df: Counter[str] = Counter()
        for w in self.doc_words:
            df.update(w)
        n = max(len(questions), 1)
        self.idf = {w: math.log(1 + n / c) for w, c in df.items()}
        self.default_idf = math.log(1 + n)
        self.scorer = Bm25(self.doc_words) if questions else None

    def coverage(self, query: set[str], doc: set[str]) -> float:
        total = sum(self.idf.get(g, self.default_idf) for g in query)
        return sum(self.idf.get(g, self.default_idf) for g in query & doc) / total if total else 0.0

    def related(self, question: str, k: int = 5) -> list[Related]:
        """Up to k stored questions like `question`, best first, one per cluster, its own cluster left out."""
        if self.scorer is None or k <= 0:
            return []
        key = question_key(question)
        query = set(words(key, self._cut))
        if not query:
            return []
        docs, scores = self.scorer.top(sorted(query), min(CANDIDATES, len(self.questions)))
        ranked = sorted(((float(s), int(d)) for d, s in zip(docs, scores, strict=True) if s > 0),
                        key=lambda pair: (-pair[0], self.questions[pair[1]].id))
        seen: set[int] = set()
        out: list[Related] = []
        for _, index in ranked:
            item = self.questions[index]
            if item.cluster in seen or self.coverage(query, self.doc_words[index]) < MIN_COVERAGE:
                continue
            seen.add(item.cluster)
            if item.qkey == key or dedup.jaccard(question, item.question) >= dedup.THRESHOLD:
                continue  # the question itself (or a rewording of it) is not "related"
            out.append(Related(item.question, item.url, item.status))
            if len(out) == k:
                break
        return out


class Bm25:
    """Lucene bm25 over documents of distinct words (an empty one counts one word long, as bm25s's "_")."""

    def __init__(self, docs: list[set[str]]) -> None:
        df: Counter[str] = Counter()
        for doc in docs:
            df.update(doc)
        n = len(docs)
        self.size = n
        self.vocab = {w: i for i, w in enumerate(sorted(df))}
        idf = np.array([math.log(1 + (n - df[w] + 0.5) / (df[w] + 0.5)) for w in self.vocab], dtype=np.float32)
        lengths = np.array([max(len(doc), 1) for doc in docs], dtype=np.float64)
        # bm25s: tf / (k1 * ((1 - b) + b * l_d / l_avg) + tf) with tf 1 (float32), computed in float64
        tfc = np.float32(1.0) / (K1 * ((1 - B) + B * lengths / lengths.mean()) + np.float32(1.0))
        owners = np.repeat(np.arange(n, dtype=np.int64), [len(doc) for doc in docs])
        terms = np.array([self.vocab[w] for doc in docs for w in doc], dtype=np.int64)
        order = np.argsort(terms, kind="stable")  # by word, then by document (owners ascend)
        self.docs = owners[order]
        self.data = (idf[terms].astype(np.float64) * tfc[owners]).astype(np.float32)[order]
        self.indptr = np.zeros(len(self.vocab) + 1, dtype=np.int64)
        np.cumsum(np.bincount(terms, minlength=len(self.vocab)), out=self.indptr[1:])

    def scores(self, words: list[str]) -> np.ndarray:
        """Every document's score for the query `words` (float32, added up in their order)."""
        out = np.zeros(self.size, dtype=np.float32)
        for w in words:
            t = self.vocab.get(w)
            if t is not None:
                start, end = self.indptr[t], self.indptr[t + 1]
                out[self.docs[start:end]] += self.data[start:end]
        return out

    def top(self, words: list[str], k: int) -> tuple[np.ndarray, np.ndarray]:
        """The k best documents (unordered) and their scores."""
        scores = self.scores(words)
        best = np.argpartition(scores, -k)[-k:]
        return best, scores[best]

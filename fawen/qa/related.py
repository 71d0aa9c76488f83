"""Related questions from the Q&A store: bm25 over the question's words (jieba, question filler left
out), then one question per near-duplicate cluster, each with its audit status."""

from __future__ import annotations

import math
import threading
from collections import Counter
from collections.abc import Iterable

import bm25s

from fawen.corpus.qa_store import StoredQuestion
from fawen.models import Related
from fawen.qa import cuts, dedup
from fawen.qa.clean import question_key
from fawen.qa.cuts import Cut, jieba_cut

CANDIDATES = 50
# Share of the question's IDF-weighted words a stored question must contain to count as related.
MIN_COVERAGE = 0.25
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
        self.retriever: bm25s.BM25 | None = None
        if questions:
            self.retriever = bm25s.BM25()
            self.retriever.index([sorted(w) or ["_"] for w in self.doc_words], show_progress=False)
        self._lock = threading.Lock()

    def coverage(self, query: set[str], doc: set[str]) -> float:
        total = sum(self.idf.get(g, self.default_idf) for g in query)
        return sum(self.idf.get(g, self.default_idf) for g in query & doc) / total if total else 0.0

    def related(self, question: str, k: int = 5) -> list[Related]:
        """Up to k stored questions like `question`, best first, one per cluster, its own cluster left out."""
        if self.retriever is None or k <= 0:
            return []
        key = question_key(question)
        query = set(words(key, self._cut))
        if not query:
            return []
        with self._lock:  # bm25s retrieval is not documented as thread-safe
            docs, scores = self.retriever.retrieve([sorted(query)], k=min(CANDIDATES, len(self.questions)),
                                                   show_progress=False, n_threads=1)
        ranked = sorted(((float(s), int(d)) for d, s in zip(docs[0], scores[0], strict=True) if s > 0),
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

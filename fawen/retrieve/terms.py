"""Terms for retrieval: character bigrams for articles, jieba words (with a legal dictionary) for questions.

Articles are indexed by character bigrams: they need no dictionary, tolerate lay wording and build in a
second or two for 150k articles; the benchmark shows a jieba word index adds nothing on top of them
(bench/retrieval.py, ablation rows). Questions are also cut into words by jieba, with a dictionary of law
names, headings and defined terms taken from the corpus, for the learned lay→legal bridge.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
from collections.abc import Iterable
from pathlib import Path

from fawen.text.normalize import normalize


def _import_jieba() -> None:
    """Import jieba without pkg_resources: jieba imports it (0.13 s, most of jieba's import) only to open its
    dict.txt, and falls back to opening the file beside its module when the import fails."""
    if "pkg_resources" in sys.modules:
        import jieba  # noqa: F401 - already paid for
        return
    sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # makes `import pkg_resources` fail
    try:
        import jieba  # noqa: F401
    finally:
        del sys.modules["pkg_resources"]


_import_jieba()
import jieba  # noqa: E402 - imported above without pkg_resources

jieba.setLogLevel(logging.WARNING)  # jieba logs its dictionary load at INFO

_RUNS = re.compile(r"[\u3400-\u9fff]+|[a-z0-9]+")
_WORD = re.compile(r"[\u3400-\u9fff]{2,}|[a-z0-9]{2,}")
# Question filler that carries no legal meaning (lay phrasing: 怎么办, 可以吗, 是否 …).
STOPWORDS = frozenset(
    "的 了 是 在 和 与 对 对于 由 从 被 把 及 或 或者 并 等 请问 我 我们 你 他 她 它 他们 这 那 这个 那个 个 之 其 "
    "什么 怎么 怎么办 怎样 如何 吗 呢 吧 啊 呀 应该 可以 是否 有 没有 如果 哪些 哪个 需要 能否 能不能 会不会 会 要 "
    "应当 多少 还是 就 都 也 又 还 已经 一个 一下 现在 时候 情况 问题 咨询 有关 关于 该 该怎么 为什么 谁 给 让 "
    "要求 能 可 不 办".split()
)


def bigrams(text: str) -> list[str]:
    """Character bigrams of each run of Han characters (and of ASCII words); single characters stay."""
    out: list[str] = []
    for run in _RUNS.findall(text.lower()):
        if len(run) == 1 or run.isascii():
            out.append(run)
        else:
            out.extend(run[i:i + 2] for i in range(len(run) - 1))
    return out


def query_bigrams(text: str) -> list[str]:
    """Bigrams of a question without filler bigrams (可以, 是否, 怎么 …), which match every other article."""
    return [b for b in bigrams(text) if b not in STOPWORDS]


class WordCutter:
    """jieba with fawen's legal dictionary; one instance per index, safe to share between threads."""

    def __init__(self, dictionary: Iterable[str] = ()) -> None:
        self._jieba = jieba.Tokenizer()
        self._lock = threading.Lock()
        self._words = sorted(set(dictionary))
        self._ready = False

    def _init(self) -> None:
        with self._lock:
            if self._ready:
                return
            self._jieba.initialize()
            for word in self._words:
                self._jieba.add_word(word, freq=max(2000, 200 * len(word)))
            self._ready = True

    def cut(self, text: str) -> list[str]:
        """jieba's words of a (normalised) text, filler included."""
        if not self._ready:
            self._init()
        words: list[str] = self._jieba.lcut(text.lower(), HMM=True)
        return words

    def words(self, text: str) -> list[str]:
        """Content words of a (normalised) text: jieba words of two or more characters, filler removed."""
        return content_words(self.cut(text))


def content_words(cut: list[str]) -> list[str]:
    """The words of a jieba cut of two or more characters that are not filler."""
    return [w for w in cut if _WORD.fullmatch(w) and w not in STOPWORDS]


def weighted_bigrams(text: str, cut: list[str], across: float) -> dict[str, float]:
    """Query bigrams weighted: 1 inside a word of the jieba `cut` of the text, `across` when spanning two
    words (以报 in 可以报警)."""
    inside = {b for w in cut if w not in STOPWORDS for b in bigrams(w)}
    return {b: (1.0 if b in inside else across) for b in query_bigrams(text)}


def query_text(query: str, limit: int) -> str:
    """The query as searched: the first `limit` characters, normalised (full-width, traditional)."""
    return normalize(query[:limit])


_HEADING = re.compile(r"^第[一二三四五六七八九十百零〇0-9]+[编章节分]\s*")
_DEFINED = re.compile(r"(?:本法|本条例|本规定|本解释|本办法)(?:所称|所说的)的?([\u4e00-\u9fff]{2,12})[，,]?(?:是指|包括)")


def dictionary_terms(titles: Iterable[str], headings: Iterable[str], texts: Iterable[str]) -> set[str]:
    """Legal words for jieba: law short names, heading words (第二章 劳动合同的订立 → 劳动合同的订立),
    and terms that articles define (本法所称劳动者，是指 → 劳动者)."""
    terms: set[str] = set()
    for title in titles:
        if 2 <= len(title) <= 16:
            terms.add(title)
    for heading in headings:
        core = _HEADING.sub("", heading).strip()
        if 2 <= len(core) <= 10 and re.fullmatch(r"[\u4e00-\u9fff]+", core):
            terms.add(core)
    for text in texts:
        for match in _DEFINED.finditer(text):
            terms.add(match.group(1))
    return terms


def read_dictionary(path: Path) -> list[str]:
    if not path.is_file():
        return []
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line]

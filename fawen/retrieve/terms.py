"""Terms for retrieval: character bigrams for articles, jieba words (with a legal dictionary) for questions.

Articles are indexed by character bigrams: they need no dictionary, tolerate lay wording and build in a
second or two for 150k articles; the benchmark shows a jieba word index adds nothing on top of them
(bench/retrieval.py, ablation rows). Questions are also cut into words by jieba, with a dictionary of law
names, headings and defined terms taken from the corpus, for the learned lay→legal bridge.

jieba's own dictionary is a dict of ~600k words and prefixes that it builds (or unmarshals from a cache file
in /tmp) at the first cut: ~0.8 s in every process. The build stores it, with the legal words added, as
sorted arrays (index/words.*, write_word_table), and a WordCutter looks words up there, memory-mapped.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from fawen.text.normalize import normalize
from fawen.version import code_key


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


WORDS = "words"  # index/words.*: jieba's dictionary with the legal words (write_word_table)
_WORDS_FORMAT = 1


def legal_freq(word: str) -> int:
    """The count a legal word gets in jieba's dictionary: enough to be cut as one word."""
    return max(2000, 200 * len(word))


@dataclass
class WordTable:
    """index/words.*: every key of jieba's FREQ with the legal words added (sorted), its count there, its count
    in jieba's own dictionary (-1 when not there), and both totals."""

    keys: np.ndarray
    legal: np.ndarray
    plain: np.ndarray
    legal_total: int
    plain_total: int

    def frequencies(self, texts: Iterable[str], legal: bool) -> dict[str, int]:
        """The part of jieba's FREQ (with the legal words, or jieba's own dictionary alone) that cutting the
        texts can read: every substring of them that is a key. jieba files every prefix of a word (count 0
        when no word), so substrings grown one character at a time from those found find them all."""
        counts = self.legal if legal else self.plain
        width = self.keys.dtype.itemsize // 4
        found: dict[str, int] = {}
        spans = [(text, start) for text in dict.fromkeys(texts) for start in range(len(text))]
        size = 1
        while spans and size <= width:
            grams = sorted({text[start:start + size] for text, start in spans})
            candidates = np.array(grams, dtype=self.keys.dtype)
            at = np.minimum(np.searchsorted(self.keys, candidates), self.keys.size - 1)
            hit = np.flatnonzero(self.keys[at] == candidates)
            level = {grams[i]: int(n) for i, n in zip(hit.tolist(), counts[at[hit]].tolist(), strict=True) if n >= 0}
            found.update(level)
            size += 1
            spans = [(text, start) for text, start in spans
                     if start + size <= len(text) and text[start:start + size - 1] in level]
        return found

    def tokenizer(self, texts: Iterable[str], legal: bool) -> jieba.Tokenizer:
        """A jieba tokenizer ready to cut the texts (and only those), with the legal words or jieba's own
        dictionary alone: its FREQ holds what they can look up, so jieba builds nothing."""
        tokenizer = jieba.Tokenizer()
        tokenizer.FREQ = self.frequencies(texts, legal)
        tokenizer.total = self.legal_total if legal else self.plain_total
        tokenizer.initialized = True
        return tokenizer


def legal_tokenizer(words: Iterable[str], tokenizer: jieba.Tokenizer | None = None) -> jieba.Tokenizer:
    """jieba with its own dictionary (that of `tokenizer`, initialised, when given) and the legal `words`
    added: ~0.8 s when jieba builds its dictionary."""
    tokenizer = tokenizer or jieba.Tokenizer()
    tokenizer.initialize()
    for word in sorted(set(words)):
        tokenizer.add_word(word, freq=legal_freq(word))
    return tokenizer


def write_word_table(words: Iterable[str], root: Path) -> None:
    """Write `root`/words.* for the legal `words` (what read_word_table loads)."""
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    plain, plain_total = dict(tokenizer.FREQ), tokenizer.total
    legal = legal_tokenizer(words, tokenizer)
    keys = sorted(legal.FREQ)  # jieba's own keys are among them: add_word only adds
    width = max(map(len, keys), default=1) or 1
    np.save(root / f"{WORDS}.keys.npy", np.array(keys, dtype=f"<U{width}"))
    np.save(root / f"{WORDS}.legal.npy", np.fromiter(map(legal.FREQ.__getitem__, keys), np.int64, len(keys)))
    np.save(root / f"{WORDS}.plain.npy", np.fromiter((plain.get(k, -1) for k in keys), np.int64, len(keys)))
    meta = {"format": _WORDS_FORMAT, "jieba": jieba.__version__, "code": code_key(__file__), "keys": len(keys),
            "legal_total": int(legal.total), "plain_total": int(plain_total)}
    (root / f"{WORDS}.json").write_text(json.dumps(meta), encoding="utf-8")


def read_word_table(root: Path) -> WordTable | None:
    """`root`/words.* memory-mapped, or None when the build wrote none (an older fawen), it is damaged, or it
    was made by another version of jieba (whose dictionary may differ) or of this module."""
    try:
        meta = json.loads((root / f"{WORDS}.json").read_text(encoding="utf-8"))
        if meta.get("format") != _WORDS_FORMAT or meta.get("jieba") != jieba.__version__ \
                or meta.get("code") != code_key(__file__):
            return None
        keys, legal, plain = (np.asarray(np.load(root / f"{WORDS}.{part}.npy", mmap_mode="r"))
                              for part in ("keys", "legal", "plain"))
    except (OSError, ValueError):
        return None
    if not keys.shape == legal.shape == plain.shape == (meta.get("keys"),) or not keys.size:
        return None
    return WordTable(keys, legal, plain, int(meta["legal_total"]), int(meta["plain_total"]))


class WordCutter:
    """jieba with fawen's legal dictionary; one instance per index, safe to share between threads. With the
    build's word table it cuts at once; without one (an index built by an older fawen) jieba builds its
    dictionary at the first cut."""

    def __init__(self, dictionary: Iterable[str] = (), table: WordTable | None = None) -> None:
        self._lock = threading.Lock()
        self._words = sorted(set(dictionary))
        self.table = table
        self._jieba: jieba.Tokenizer | None = None  # built at the first cut when there is no table

    def _built(self) -> jieba.Tokenizer:
        with self._lock:
            if self._jieba is None:
                self._jieba = legal_tokenizer(self._words)
            return self._jieba

    def cut(self, text: str) -> list[str]:
        """jieba's words of a (normalised) text, filler included."""
        text = text.lower()
        tokenizer = self.table.tokenizer([text], legal=True) if self.table is not None else self._jieba or self._built()
        words: list[str] = tokenizer.lcut(text, HMM=True)
        return words

    def words(self, text: str) -> list[str]:
        """Content words of a (normalised) text: jieba words of two or more characters, filler removed."""
        return content_words(self.cut(text))

    def search_words(self, texts: list[str]) -> list[list[str]]:
        """jieba's cut_for_search of each text with jieba's own dictionary, without the legal words (what the
        Q&A store's related questions are matched by, qa/related.py)."""
        tokenizer = self.table.tokenizer(texts, legal=False) if self.table is not None else jieba.dt
        return [list(tokenizer.cut_for_search(text)) for text in texts]


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

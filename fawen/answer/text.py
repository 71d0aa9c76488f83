"""Text helpers of the answer engine: sentences of an article, overlap with a question, citation labels,
hits once each."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from fawen.models import Hit
from fawen.text.normalize import normalize

_SENTENCE = re.compile(r"[^。；\n]+[。；]?")
# Question words that say nothing about the topic; overlap on them must not make an article look relevant.
_FILLER = re.compile(r"请问|可以|是否|能否|可否|能不能|可不可以|怎么办|怎么样|怎么|怎样|如何|什么|哪些|为什么|应该|"
                     r"应当|需要|有没有|是不是|会不会|要不要|吗|呢|嘛|吧|啊|我|你|他|她|的|了|被|把|有|在|要|会|去|"
                     r"和|与|或|及|就|都|也|还|又|该|谁|哪|么|一点|一些|一下")


def sentences(text: str) -> list[str]:
    """Sentences and 分句 of a legal text, split at 。 ； and line breaks, punctuation kept."""
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]


def content(question: str) -> str:
    """The question with filler words and punctuation removed (what topic overlap is computed on)."""
    text = _FILLER.sub(" ", normalize(question))
    return "".join(ch if ch.isalnum() else " " for ch in text)


@lru_cache(maxsize=1024)
def bigrams(text: str) -> frozenset[str]:
    """Character 2-grams of each run of letters (single characters stand for themselves)."""
    out: set[str] = set()
    for run in re.findall(r"\w+", text):
        if len(run) == 1:
            out.add(run)
        out.update(run[i:i + 2] for i in range(len(run) - 1))
    return frozenset(out)


def overlap(question: str, text: str) -> float:
    """Share of the question's content 2-grams that appear in `text` (0..1)."""
    q = bigrams(content(question))
    if not q:
        return 0.0
    t = bigrams(normalize(text))
    return len(q & t) / len(q)


def short_title(title: str) -> str:
    """A law title as people write it in running text: 中华人民共和国 dropped."""
    return title.removeprefix("中华人民共和国")


def cite(hit: Hit) -> str:
    """The citation string of a hit, in the form the auditor reads back: 《full title》第X条."""
    return f"《{hit.law}》{hit.article}"


def cite_short(hit: Hit) -> str:
    return f"《{short_title(hit.law)}》{hit.article}"


def strip_end(text: str) -> str:
    """A clause without its final 。；：，."""
    return text.rstrip("。；：，,;: ")


def unique_hits(hits: Iterable[Hit]) -> list[Hit]:
    """Each article's first hit, in order: later hits of an article already taken are dropped."""
    out: list[Hit] = []
    seen: set[int] = set()
    for hit in hits:
        if hit.article_id not in seen:
            seen.add(hit.article_id)
            out.append(hit)
    return out

"""How well a quoted passage matches an article's text: fuzzy, ignoring punctuation, spacing and small edits."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rapidfuzz import fuzz

from fawen.text.normalize import normalize

# MATCH is where a quote counts as the article's text. bench/check.py with it: no clean or lightly edited quote
# of a STARD gold article falls below it (0 of 1,729 each), and 1,003 of 1,004 quotes swapped in from another
# law and 821 of 843 paraphrases from lawyers' answers do.
MATCH = 80.0
# A passage found elsewhere must beat the cited article by this much before we say it comes from there.
MARGIN = 10.0
MIN_CHARS = 8                 # shorter quotes (「处五日以下拘留」) say too little to judge
COVER = 0.6
COVER_CHARS = 40             # …but never more than this many characters: a first paragraph is enough
# Sentence ends, colons before 项 lists, 项 markers and ellipses: quotes excerpt at these places.
_SENTENCE = re.compile(r"[。；;！？!?:：\n]+|[（(][一二三四五六七八九十]{1,3}[)）]|…+|\.{3,}")
_ELLIPSIS = re.compile(r"…+|\.{3,}|。{3,}|(?:\s*[……]\s*)+")


@lru_cache(maxsize=65536)
def compact(text: str, simplified: bool = False) -> str:
    """Only the characters that carry content: letters, digits, CJK; traditional folded to simplified."""
    folded = unicodedata.normalize("NFKC", text) if simplified else normalize(text)
    return "".join(ch for ch in folded.lower() if ch.isalnum())


def article_compact(text: str) -> str:
    """compact() for corpus texts, which are simplified already (skips the slow traditional→simplified step)."""
    return compact(text, simplified=True)


def segments(quote: str) -> list[str]:
    """The compacted pieces of a quote cut by ellipses (「……」 marks an omission, not text)."""
    return [c for c in (compact(part) for part in _ELLIPSIS.split(quote)) if len(c) >= 4]


def similarity(quote: str, article_text: str) -> float:
    """0–100: how well the quote matches the article's text, allowing small edits.

    The quote is cut into sentences (at 。；！？：, （一） markers and ellipses) and each is aligned with its best-matching window
    of the article (rapidfuzz partial_ratio), so a quote of excerpts (（一）…；（五）…) still matches. The score
    is the best length-weighted mean over the quote's first sentences that cover at least COVER of the article
    (or of the quote, if shorter; at most COVER_CHARS characters): pages run a quoted article straight into their own commentary
    (「…其他民事责任。律师解答…」), and what follows the article is not part of the quote.
    """
    target = article_compact(article_text)
    if not target:
        return 0.0
    slack = len(target) + max(8, len(target) // 5)
    pieces = [p[:slack] for p in (compact(x) for x in _SENTENCE.split(quote)) if len(p) >= 2]
    if not pieces:
        return 0.0
    need = min(COVER * min(len(target), sum(len(p) for p in pieces)), COVER_CHARS)
    best = total = length = 0.0
    for piece in pieces:
        score = 100.0 if piece in target else fuzz.partial_ratio(piece, target)
        total += score * len(piece)
        length += len(piece)
        if length >= need:
            best = max(best, total / length)
    return round(best, 1)


def judgeable(quote: str | None) -> bool:
    """Whether a quote is long enough to compare with an article."""
    return quote is not None and sum(len(p) for p in segments(quote)) >= MIN_CHARS

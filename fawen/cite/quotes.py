"""How well a quoted passage matches an article's text: fuzzy, ignoring punctuation, spacing and small edits."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
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


# --- where a matching quote still departs from the article (issue 13, cause 7; not used by verify.py yet) -----
# A quote can clear MATCH and still say something else: a number or a negation changed (the 1993 消费者权益保护法's
# 「一倍」 under today's 第五十五条, which says 「三倍」), or words inserted into the article's sentence.
_NUMERIC = frozenset("0123456789零〇一二三四五六七八九十百千万两半倍%‰")
_NEGATION = re.compile(r"不|无|未|非|免|禁止|除外")
MIN_INSERTED = 2             # inserted characters that count as words put into the article's mouth


@dataclass(frozen=True)
class Edit:
    """One place where a quote departs from the article: `quoted` in the quote stands for `article` in the text
    (one of them empty for an insertion or an omission); compacted characters, without punctuation."""

    quoted: str
    article: str

    @property
    def weighty(self) -> bool:
        """Whether the edit changes what the article says: a number for another (一倍 → 三倍), a negation put in
        or taken out (有 → 无, 不得 → 得), or words inserted. A typo (陪 for 赔) is not."""
        quoted, article = self.quoted, self.article
        if not article:
            return len(quoted) >= MIN_INSERTED or bool(_NEGATION.search(quoted))
        if not quoted:
            return bool(_NEGATION.search(article)) or bool(set(article) & _NUMERIC)
        if set(quoted) <= _NUMERIC and set(article) <= _NUMERIC:
            return True
        return bool(_NEGATION.search(quoted)) != bool(_NEGATION.search(article))


def edits(quote: str, article_text: str) -> list[Edit]:
    """Where each piece of the quote (cut at ellipses) departs from the stretch of the article it aligns with;
    what the quote leaves out before, after or between its pieces is an omission the ellipses declare, not an edit."""
    target = article_compact(article_text)
    out: list[Edit] = []
    for piece in segments(quote):
        if piece in target:
            continue
        # Compare with the stretch of the article the piece aligns with, a little wider (it may be longer or
        # shorter than the piece), so that a 一 in 第五十一条 far away does not pass for the quote's 一倍.
        where = fuzz.partial_ratio_alignment(piece, target)
        slack = max(4, len(piece) // 5)
        lo, hi = (0, len(target)) if where is None else (max(0, where.dest_start - slack),
                                                         min(len(target), where.dest_end + slack))
        window = target[lo:hi]
        blocks = [b for b in SequenceMatcher(None, piece, window, autojunk=False).get_matching_blocks() if b.size]
        while len(blocks) > 1 and blocks[-1].size == 1 and blocks[-1].b - (blocks[-2].b + blocks[-2].size) > 2:
            blocks.pop()                      # a stray character matched past the end of the quote's sentence
        while len(blocks) > 1 and blocks[0].size == 1 and blocks[1].b - (blocks[0].b + 1) > 2:
            blocks.pop(0)
        if not blocks:
            continue
        target_part = window
        # The article stretch the piece covers: from its first to its last matching block.
        for (a0, b0, n0), (a1, b1, _) in zip(blocks, blocks[1:]):
            quoted, article = piece[a0 + n0:a1], target_part[b0 + n0:b1]
            if quoted or article:
                out.append(Edit(quoted, article))
        head, tail = blocks[0], blocks[-1]
        if head.a:
            out.append(Edit(piece[:head.a], ""))
        if tail.a + tail.size < len(piece):
            out.append(Edit(piece[tail.a + tail.size:], ""))
    return out


def departs(quote: str, article_text: str) -> list[Edit]:
    """The edits of `edits` that change what the article says (see Edit.weighty)."""
    return [e for e in edits(quote, article_text) if e.weighty]


def older_wording(quote: str, current: str, older: list[str]) -> int | None:
    """The index in `older` of an earlier text of the provision that the quote reproduces where it departs from
    `current` (the quote's weighty edits against `current` are gone against that text, and it matches at least
    as well): the page quotes an older version under today's number. None when no older text explains them."""
    against_now = departs(quote, current)
    if not against_now:
        return None
    now = similarity(quote, current)
    for i, text in enumerate(older):
        if not departs(quote, text) and similarity(quote, text) >= max(now, MATCH):
            return i
    return None

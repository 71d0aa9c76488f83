"""Where a quote that matches an article still departs from its wording, and whether an older text of the
provision explains it (issue 13, cause 7).

A quote can clear quotes.MATCH and still say something else: a number or a negation changed (the 1993
消费者权益保护法's 「一倍」 under today's 第五十五条, which says 「三倍」), or words put into the article's sentence.
Real pages are loose in other ways that say nothing: they run a quote into their own commentary, skip items
without an ellipsis, write 1、 for （一）, 15 for 十五. So only the sentences of a quote that align closely with
the article are compared, only between two stretches that match (what precedes the first or follows the last
is the page's, not the article's), and numbers by their value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from fawen.cite.quotes import MATCH, article_compact, compact, similarity
from fawen.text.numerals import plain_value

# A quote is compared sentence by sentence: at sentence ends, colons, item markers (（一）, 1、, 一、) and ellipses.
_SENTENCE = re.compile(r"[。；;！？!?:：\n]+|[（(][一二三四五六七八九十\d]{1,3}[)）]|(?<![\d.])\d{1,2}[、.．](?!\d)|"
                       r"(?<![\u4e00-\u9fff])[一二三四五六七八九十]{1,3}、|…+|\.{3,}")
QUOTED = 85.0          # a sentence aligning less well than this with the article is the page's own words
NEAR = 95.0            # a quote whose sentences align this well with an older text is that text…
CLOSER = 2             # …when they differ from the text in force by this many characters more
LOOSE = 60.0           # how well a sentence of an older text aligns with the text in force, to show the change
HOLDS = 0.9            # …or a sentence aligning less well than QUOTED that holds this share of its stretch whole
MIN_PIECE = 8          # shorter sentences align anywhere
ANCHOR = 4             # an insertion counts only between matching stretches at least this long
MIN_INSERTED = 2       # inserted characters that count as words put into the article's mouth
CONTEXT = 4            # characters of the quote on each side of an edit that an older text must share
MAX_OMITTED = 4        # a longer omission is an excerpt; a shorter one can drop a 不 or a 十
_NUMERAL = frozenset("0123456789零〇一二三四五六七八九十百千万亿两")
_NEGATION = re.compile(r"不|无|未|非|免|禁止|除外")


@dataclass(frozen=True)
class Edit:
    """One place where a quote departs from the article: `quoted` in the quote stands for `article` in the text
    (one of them empty for an insertion or an omission); compacted characters, without punctuation.
    `anchored`: between matching stretches of at least ANCHOR characters on both sides; `context`: the quote's
    words around the edit."""

    quoted: str
    article: str
    anchored: bool = field(default=True, compare=False)
    context: str = field(default="", compare=False)

    @property
    def numeric(self) -> bool:
        """A number for another of a different value (一倍 → 三倍, 十五日 → 五日; 15 for 十五 is the same)."""
        if not self.quoted or not self.article:
            return False
        if not (set(self.quoted) <= _NUMERAL and set(self.article) <= _NUMERAL):
            return False
        return _value(self.quoted) != _value(self.article)

    @property
    def weighty(self) -> bool:
        """Whether the edit changes what the article says: a number for another, a negation put in or taken
        out (有 → 无, 不得 → 得), or words inserted between matching stretches. A typo (陪 for 赔) is not."""
        if self.numeric:
            return True
        quoted, article = self.quoted, self.article
        if bool(_NEGATION.search(quoted)) != bool(_NEGATION.search(article)):
            return len(article) <= MAX_OMITTED if not quoted else True
        return not article and self.anchored and len(quoted) >= MIN_INSERTED

    @property
    def size(self) -> int:
        return max(len(self.quoted), len(self.article))


def pieces(quote: str) -> list[str]:
    """The compacted sentences of a quote, long enough to align."""
    return [p for p in (compact(x) for x in _SENTENCE.split(quote)) if len(p) >= MIN_PIECE]


def verbatim(quote: str, article_text: str) -> bool:
    """Whether every sentence of the quote is in the article word for word (the usual case: nothing to compare)."""
    target = article_compact(article_text)
    return all(piece in target for piece in pieces(quote))


def edits(quote: str, article_text: str, quoted: float = QUOTED) -> list[Edit]:
    """Where the sentences of the quote that the article holds (align at `quoted` or better) depart from the
    stretch they align with."""
    target = article_compact(article_text)
    out: list[Edit] = []
    covered: list[tuple[int, int]] = []
    for piece in pieces(quote):
        at = target.find(piece)
        if at >= 0:
            span = (at, at + len(piece))
            if _again(span, covered):
                break
            covered.append(span)
            continue
        where = fuzz.partial_ratio_alignment(piece, target, score_cutoff=min(quoted, LOOSE))
        if where is None:
            continue                      # the page's own sentence, or another article's
        # The stretch the piece aligns with, a little wider (the piece may be longer or shorter than it).
        slack = max(4, len(piece) // 5)
        window = target[max(0, where.dest_start - slack):min(len(target), where.dest_end + slack)]
        found, holds = _gaps(piece, window)
        if where.score < quoted and holds < HOLDS:
            continue                      # neither close to the article nor holding a stretch of it whole
        if _again((where.dest_start, where.dest_end), covered):
            break                         # back to words quoted already: the page explaining them in its own
        covered.append((where.dest_start, where.dest_end))
        out += found
    return out


def _gaps(piece: str, window: str) -> tuple[list[Edit], float]:
    """The differences between two matching stretches of `piece` and `window` (not before the first or after
    the last: there the quote goes beyond the stretch it aligns with), and the share of the article's stretch
    from the first to the last that the matching stretches hold."""
    blocks = [b for b in SequenceMatcher(None, piece, window, autojunk=False).get_matching_blocks() if b.size]
    # A stray character matched far from the rest is not where the quote's sentence is.
    while len(blocks) > 1 and blocks[-1].size <= 2 and blocks[-1].b - (blocks[-2].b + blocks[-2].size) > 2:
        blocks.pop()
    while len(blocks) > 1 and blocks[0].size <= 2 and blocks[1].b - (blocks[0].b + blocks[0].size) > 2:
        blocks.pop(0)
    # One or two characters matching inside a changed stretch (给予处罚 → 作出处理) belong to the change.
    blocks = blocks[:1] + [b for b in blocks[1:-1] if b.size > 2] + blocks[-1:] if len(blocks) > 2 else blocks
    if not blocks:
        return [], 0.0
    span = blocks[-1].b + blocks[-1].size - blocks[0].b
    holds = sum(b.size for b in blocks) / span if span else 0.0
    out = []
    for (a0, b0, n0), (a1, b1, n1) in zip(blocks, blocks[1:]):
        qs, qe, ts, te = a0 + n0, a1, b0 + n0, b1
        if qs == qe and ts == te:
            continue
        # A number is compared whole: widen the edit over the numerals it touches on both sides.
        while qs > 0 and ts > 0 and piece[qs - 1] in _NUMERAL and window[ts - 1] == piece[qs - 1] \
                and (_touches(piece[qs:qe]) or _touches(window[ts:te])):
            qs, ts = qs - 1, ts - 1
        while qe < len(piece) and te < len(window) and piece[qe] in _NUMERAL and window[te] == piece[qe] \
                and (_touches(piece[qs:qe]) or _touches(window[ts:te])):
            qe, te = qe + 1, te + 1
        out.append(Edit(piece[qs:qe], window[ts:te], min(n0, n1) >= ANCHOR,
                        piece[max(0, qs - CONTEXT):qe + CONTEXT]))
    return out, holds


def _again(span: tuple[int, int], covered: list[tuple[int, int]]) -> bool:
    """Whether most of `span` of the article was quoted already."""
    lo, hi = span
    seen = sum(max(0, min(hi, e) - max(lo, s)) for s, e in covered)
    return seen * 2 > hi - lo


def _touches(text: str) -> bool:
    return bool(text) and (text[0] in _NUMERAL or text[-1] in _NUMERAL)


def departs(quote: str, article_text: str) -> list[Edit]:
    """The edits of `edits` that change what the article says (see Edit.weighty)."""
    return [e for e in edits(quote, article_text) if e.weighty]


def older_wording(quote: str, current: str, older: list[str]) -> tuple[int, list[Edit]] | None:
    """The index in `older` of an earlier text of the provision that the quote reproduces where it departs from
    `current`, with the edits against `current` it explains: the page quotes an older version. Either the quote
    is that text (see `closer`: words added since, 飞出 → 飞入或者飞出), or that text explains what it holds in the
    quote's words (the edit with CONTEXT characters around it) and the quote no longer departs from there: a
    weighty edit, or wording of at least MIN_INSERTED characters; then the quote must match it at least as well
    as `current` and depart from it in nothing weighty. None when no older text does."""
    for i, text in enumerate(older):
        if closer(quote, text, current):
            return i, edits(quote, current, LOOSE)
    now = similarity(quote, current)
    against_now = edits(quote, current)
    if not against_now:
        return None
    for i, text in enumerate(older):
        against_then = edits(quote, text)
        held = article_compact(text)
        explained = [e for e in against_now if e not in against_then and e.context in held]
        if not explained or any(e.weighty for e in against_then):
            continue
        if not any(e.weighty for e in explained) and sum(e.size for e in explained) < MIN_INSERTED:
            continue
        if similarity(quote, text) >= max(now, MATCH):
            return i, explained
    return None


def closer(quote: str, older: str, current: str) -> bool:
    """Whether the quote reproduces `older` (each sentence that either text holds within NEAR) and differs from
    `current` by CLOSER characters more (Levenshtein distance of each sentence to the stretch it aligns with)."""
    then_text, now_text = article_compact(older), article_compact(current)
    then = now = 0
    for piece in pieces(quote):
        a = fuzz.partial_ratio_alignment(piece, then_text)
        b = fuzz.partial_ratio_alignment(piece, now_text)
        if (a is None or a.score < QUOTED) and (b is None or b.score < QUOTED):
            continue                      # the page's own words
        if a is None or a.score < NEAR:
            return False
        then += Levenshtein.distance(piece, then_text[a.dest_start:a.dest_end])
        now += Levenshtein.distance(piece, now_text[b.dest_start:b.dest_end]) if b is not None else len(piece)
    return now >= then + CLOSER


def _value(numeral: str) -> int | None:
    return plain_value(numeral)

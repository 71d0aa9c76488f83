"""The passage a page quotes after a citation: after a colon or in quotation marks on the same line, the text
that follows a 法律依据 line (第N条 + the article), or — when the citation is a line of its own
(「《中华人民共和国公司法》第二十条」, 「根据《公司法》第二十条规定：」) — the line(s) below it.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fawen.cite.extract import RawCitation

MAX_QUOTE_CHARS = 2000

_QUOTE_INTRO = re.compile(r"[ \t\u3000]*(?:的|之)?[ \t\u3000]*(?:明确|中|亦|也)?(?:规定|载明|写道|指出|表述为|内容为)?"
                          r"[ \t\u3000]*(?:[：:][ \t\u3000]*(?=\S)|[，,]?[ \t\u3000]*(?=[“「『\"]))")
# After a citation that starts a line (法律依据 lists): 第N条 + space or colon + the article's text.
_HEADING_QUOTE = re.compile(
    r"(?:(?:[ \t\u3000]+|[ \t\u3000]*[：:][ \t\u3000]*|(?=【))(?:【[^】\n]{1,20}】[ \t\u3000]*)?"
    r"(?!的|规定|之规定|中规定|明确规定|等|款|项|及|和|与|或|、|，|,|。|；)(?=\S)"
    # 第九十一条饮酒后驾驶机动车的…: no separator at all, as flattened pages print it — but not 第九十一条规定…
    r"|(?![的之等款项及和与或、，,。；;：:中也亦还则所即第至到并均都已就作载指（(》〉”\s])"
    r"(?![^，。；\n]{0,6}(?:规定|指出|明确|表明|提到|说明|要求|可知|来看|而言))(?=\S))")
# The same for a citation that opens a sentence (…。《行政诉讼法》:第十八条 行政案件由…): only after a space or colon.
_SPACED_QUOTE = re.compile(
    r"(?:[ \t\u3000]+|[ \t\u3000]*[：:][ \t\u3000]*)(?:【[^】\n]{1,20}】[ \t\u3000]*)?"
    r"(?!的|规定|之规定|中规定|明确规定|等|款|项|及|和|与|或|、|，|,|。|；)(?=\S)")
# What may follow a citation that ends its line and still let the next line be its text: nothing, a colon, a
# version note, 的规定：/规定：/明确规定：, 【法条原文】.
_LINE_END = re.compile(r"[ \t\u3000]*(?:[（(][^（）()\n]{1,20}[)）])?[ \t\u3000]*(?:(?:的|之)?(?:明确|中|亦|也)?规定)?"
                       r"[ \t\u3000]*(?P<colon>[：:])?[ \t\u3000]*(?:【[^】\n]{1,20}】)?[ \t\u3000]*(?=\n)")
# A line that continues an article's text: a 项 (（一）…, 一、…, 1.…).
_ITEM_LINE = re.compile(r"[ \t\u3000]*(?:[（(][一二三四五六七八九十]{1,3}[)）]|[一二三四五六七八九十]{1,3}、|[0-9]{1,2}[.．、])")
_CITING = re.compile(r"(?:根据|依据|依照|按照|参照|适用|违反|援引|对照|参见|详见)")
_CITING_BEFORE = re.compile(r"(?:根据|依据|依照|按照|参照|适用|违反|援引|对照|参见|详见|据|依|按|照)我?国?\Z")
_ALNUM6 = re.compile(r"(?:[\W_]*[^\W_]){6}")      # six letters, digits or CJK characters (a quote says something)
_OWN = re.compile(r"[ \t\u3000]*[：:]?[ \t\u3000]*【|[ \t\u3000]+\S")
_MARKERS = " \t\u30000123456789.、．)）（(一二三四五六七八九十•·*-—"
_CLOSE = {"“": "”", "「": "」", "『": "』", '"': '"'}
_LEAD_IN = re.compile(r"[。；;！？!?][^。；;！？!?\n]{1,12}\Z")
_SENTENCE_START = re.compile(r"(?:^|[。；;！？!?\n”」])[ \t\u3000]*(?:另见|参见|又见|详见|另外|此外|同时|并且|另|又|还|见|再如|又如)?"
                             r"[ \t\u3000，,]*\Z")


def after_sentence(text: str, pos: int) -> bool:
    """Whether `pos` starts a sentence (after 。；！？ or a line break, maybe with 另见/此外/同时 …)."""
    return pos == 0 or _SENTENCE_START.search(text, max(0, pos - 12), pos) is not None


def attach_quotes(text: str, cites: list[RawCitation]) -> list[RawCitation]:
    """Give each citation the passage quoted after it; drop citations that lie inside an earlier quote."""
    # A quote runs to the end of its paragraph, to its closing quotation mark, or to the next citation that
    # starts a line or a sentence; 依照本法第N条 or 依照民法典第N条 inside a quoted article is part of that
    # article's text, not a citation of its own.
    named = {c.start: c for c in cites if c.line_start or
             (c.name_kind in ("title", "bare", "docno") and after_sentence(text, c.start))}
    named_starts = sorted(named)
    kept: list[RawCitation] = []
    quote_until = -1
    for i, cite in enumerate(cites):
        if cite.start < quote_until:
            continue
        kept.append(cite)
        following = cites[i + 1] if i + 1 < len(cites) else None
        if cite.name_kind == "list" or (following is not None and following.name_kind == "list"
                                        and following.start - cite.end < 4):
            continue  # a quote after a list belongs to the list as a whole
        found = _quote(text, _same_line(text, cite, named_starts))
        if found is None:
            found = _quote(text, _next_lines(text, cite, named_starts, named))
        if found is not None:
            cite.quote, cite.quote_start, quote_until = found
    return kept


def _quote(text: str, span: tuple[int, int] | None) -> tuple[str, int, int] | None:
    """(quote, its start, the span's end) when the span holds a quote that says something (six characters)."""
    if span is None:
        return None
    qs, end = span
    raw_quote = text[qs:end]
    quote = raw_quote.strip(" \t\u3000\r\n，,；;")
    if not _ALNUM6.match(quote):
        return None
    return quote, qs + raw_quote.find(quote[:1]), end


def _same_line(text: str, cite: RawCitation, named_starts: list[int]) -> tuple[int, int] | None:
    intro = _QUOTE_INTRO.match(text, cite.end)
    if intro is None and (cite.line_start or cite.name_kind == "heading") and not _cited_in_prose(text, cite):
        intro = _HEADING_QUOTE.match(text, cite.end)
    if intro is None and (cite.line_start or after_sentence(text, cite.start)):
        intro = _SPACED_QUOTE.match(text, cite.end)
    if intro is None:
        return None
    qs = intro.end()
    limit = min(len(text), qs + MAX_QUOTE_CHARS)
    nl = text.find("\n", qs, limit)
    end = nl if nl >= 0 else limit
    j = bisect_left(named_starts, qs)
    if j < len(named_starts) and named_starts[j] < end:
        end = named_starts[j]
        lead = _LEAD_IN.search(text, max(qs, end - 14), end)
        if lead is not None:
            end = lead.start() + 1      # keep 。 but not the 另见 that opens the next citation
    opener = text[qs] if qs < len(text) else ""
    if opener in _CLOSE:
        close = text.find(_CLOSE[opener], qs + 1, limit)
        if close >= 0:
            end = close
        qs += 1
    elif end == nl:
        end = _items_below(text, end, limit, named_starts[j] if j < len(named_starts) else len(text))
    return qs, end


def _cited_in_prose(text: str, cite: RawCitation) -> bool:
    """依照刑法第234条处理… / 根据《民法典》第五条…: a citing verb makes the words after the number the page's own
    sentence, not the article's text run on without a separator (as flattened 法律依据 lists print it)."""
    return _CITING.match(cite.raw) is not None or _CITING_BEFORE.search(text, max(0, cite.start - 4),
                                                                         cite.start) is not None


def _next_lines(text: str, cite: RawCitation, named_starts: list[int],
                named: dict[int, RawCitation]) -> tuple[int, int] | None:
    """A citation that is a line of its own (a heading, or ending in 规定：): its text is on the line(s) below."""
    tail = _LINE_END.match(text, cite.end)
    if tail is None or not (cite.line_start or cite.name_kind in ("heading", "sequence") or tail["colon"]):
        return None
    qs = tail.end()
    while qs < len(text) and text[qs] in " \t\u3000\r\n":
        qs += 1
    if qs >= len(text):
        return None
    limit = min(len(text), qs + MAX_QUOTE_CHARS)
    j = bisect_left(named_starts, qs)
    stop = named_starts[j] if j < len(named_starts) else len(text)
    end = _line_end(text, qs, limit)
    if stop < end and not text[qs:stop].strip(_MARKERS):
        if _of_its_own(text, named[stop]):
            return None                 # the next line is a citation of its own
        # …第五条\n刑法第二百六十四条规定的“多次盗窃”是指…: the article's text opens with another law's article.
        stop = next((s for s in named_starts[j + 1:] if s >= end), len(text))
    opener = text[qs]
    if opener in _CLOSE:
        close = text.find(_CLOSE[opener], qs + 1, limit)
        return (qs + 1, close) if close >= 0 else (qs + 1, end)
    return qs, _items_below(text, end, limit, stop)


def _of_its_own(text: str, cite: RawCitation) -> bool:
    """A citation followed by its own text (a space, a colon, 规定：, a quotation mark) or by nothing on its line,
    rather than by running words (…规定的…, …修改为…) that make it part of a sentence."""
    return _QUOTE_INTRO.match(text, cite.end) is not None or _OWN.match(text, cite.end) is not None \
        or _LINE_END.match(text, cite.end) is not None \
        or (len(text) - cite.end < 40 and not text[cite.end:].strip(" \t\u3000\r\n：:"))


def _items_below(text: str, end: int, limit: int, stop: int) -> int:
    """Extend a quote that ends a line over the lines below while they are the article's 项 (（一）…, 一、…);
    `stop` is where the next citation starts. (Any line after a colon would take in the heading of the next law
    in a 法律依据 list that quotes only each article's first sentence.)"""
    while end < limit:
        nxt = end
        while nxt < limit and text[nxt] in " \t\u3000\r\n":
            nxt += 1
        if nxt >= limit or nxt >= stop or not _ITEM_LINE.match(text, nxt):
            break
        end = _line_end(text, nxt, limit)
    return min(end, stop)


def _line_end(text: str, pos: int, limit: int) -> int:
    nl = text.find("\n", pos, limit)
    return nl if nl >= 0 else limit

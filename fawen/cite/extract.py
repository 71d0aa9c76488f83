"""Find every citation in plain text: 《X》第N条, bare 刑法第246条, 第N条第M款第K项, 之一, lists, ranges,
本法/该法 (the law last named), 法释〔YYYY〕N号, and the quoted passage that follows a citation.

Extraction needs no corpus: a bare name is returned as the run of characters before 第N条 (e.g.
「根据治安管理处罚法」) and `fawen.cite.resolve` picks the part that names a law. Every scan is a regular
expression or a bounded slice, so time stays linear in the text even for pathological input.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from fawen.text.numerals import cn_to_int

MAX_CITATIONS = 5000          # per text; a longer list is cut and the report says so
MAX_RANGE = 30                # 第一条至第三十条 expands; a longer range keeps its two ends only
MAX_QUOTE_CHARS = 2000
_LOOKBACK = 100               # characters before 第N条 searched for the law name
_LINE_LOOKBACK = 40           # a citation this close after a line start may be a heading line

NUM = r"[0-9０-９零〇一二三四五六七八九十百千万两]{1,10}"
_ART = re.compile(
    rf"第[ \t\u3000]*(?P<n>{NUM})[ \t\u3000]*[条條]"
    rf"(?:[ \t\u3000]*之[ \t\u3000]*(?P<s>{NUM}))?"
    rf"(?:[ \t\u3000]*第[ \t\u3000]*(?P<p>{NUM})[ \t\u3000]*款)?"
    rf"(?:[ \t\u3000]*第?[ \t\u3000]*[（(]?[ \t\u3000]*(?P<i>{NUM})[ \t\u3000]*[)）]?[ \t\u3000]*[项項])?"
)
# 第五十条、五十一条: a list item written without 第.
_CONT = re.compile(rf"[ \t\u3000]*(?P<sep>、|，|,|和|及|以及|与|或者|或)[ \t\u3000]*(?P<n>{NUM})[ \t\u3000]*[条條]"
                   rf"(?:之(?P<s>{NUM}))?")
_EXTRA_PARAS = re.compile(rf"(?:[ \t\u3000]*(?:、|，|和|及|与|或)[ \t\u3000]*第?[ \t\u3000]*{NUM}[ \t\u3000]*[款项項])+")
_TITLE = re.compile(r"《((?:[^《》\n]|《[^《》\n]{1,60}》){1,120})》")
_DOCNO = re.compile(r"法释[ \t\u3000]*[〔\[［(（][ \t\u3000]*(\d{4})[ \t\u3000]*[〕\]］)）][ \t\u3000]*(\d{1,4})[ \t\u3000]*号")
# What may stand between a law's name and 第N条: a version note, 的, a 编 name.
_GAP = re.compile(r"(?:[（(](?P<note>[^（）()\n]{1,40})[)）])?[ \t\u3000]*(?:的)?[ \t\u3000]*\Z")
_BIAN = re.compile(r"》[ \t\u3000]*(?:第[一二三四五六七]编)?[ \t\u3000]*(?:[\u4e00-\u9fff]{2,6}编)?[ \t\u3000]*\Z")
# 本法/该法 …, but not where those characters end a name: 基本法, 合同法, 共同法 …
_SELF = re.compile(r"(?P<ref>(?:(?<![基根])本|(?<![应活])该|(?<![因如彼由])此|(?<![合共协相等不认赞])同|上述|前述)"
                   r"(?:法律|法|条例|解释|规定|办法|决定|细则|规则|法典))\Z")
_LAW_SUFFIX = re.compile(r"(?:法|法典|条例|规定|解释|办法|决定|规则|细则|通则|准则|意见|批复|纲要|规程|修正案|安排|解答|答复)"
                         r"(?:[（(](?:[一二三四五六七八九十]{1,3}|试行|暂行)[)）])?\Z")
# A bare name may embed a 《…》 (最高人民法院关于适用《民法典》有关担保制度的解释第31条) and a 、 (最高人民法院、最高人民检察院…).
_BARE_RUN = re.compile(r"[\u4e00-\u9fff（）()〈〉《》、]{1,90}\Z")
_LIST_SEP = re.compile(r"^[ \t\u3000]*(?:、|，|,|和|及|以及|与|或者|或|至|到|－|—|-|~|～)[ \t\u3000]*\Z")
_RANGE_SEP = re.compile(r"至|到|－|—|-|~|～")
_LINE_PREFIX = re.compile(
    r"^[ \t\u3000]*(?:[0-9]{1,3}[.、．)）]|[（(][0-9一二三四五六七八九十]{1,3}[)）]|[一二三四五六七八九十]{1,3}、|"
    r"[•·*\-—]|(?:法律依据|法律规定|相关法条|相关法律|相关规定|参考法条|依据|法条)[：:])?[ \t\u3000]*\Z")
_BASIS_LABEL = re.compile(r"(?:法律依据|法律规定|相关法条|相关法律|参考法条|法条依据)[ \t\u3000]*[：:][ \t\u3000]*"
                          r"[^。；;\n《》]{0,12}\Z")
_QUOTE_INTRO = re.compile(r"[ \t\u3000]*(?:的|之)?[ \t\u3000]*(?:明确|中|亦|也)?(?:规定|载明|写道|指出|表述为|内容为)?"
                          r"[ \t\u3000]*(?:[：:][ \t\u3000]*(?=\S)|[，,]?[ \t\u3000]*(?=[“「『\"]))")
# After a citation that starts a line (法律依据 lists): 第N条 + space or colon + the article's text.
_HEADING_QUOTE = re.compile(
    r"(?:(?:[ \t\u3000]+|[ \t\u3000]*[：:][ \t\u3000]*|(?=【))(?:【[^】\n]{1,20}】[ \t\u3000]*)?"
    r"(?!的|规定|之规定|中规定|明确规定|等|款|项|及|和|与|或|、|，|,|。|；)(?=\S)"
    # 第九十一条饮酒后驾驶机动车的…: no separator at all, as flattened pages print it — but not 第九十一条规定…
    r"|(?![的之等款项及和与或、，,。；;中也亦还则所即第至到并均都已就作载指（(》〉”\s])"
    r"(?![^，。；\n]{0,6}(?:规定|指出|明确|表明|提到|说明|要求|可知|来看|而言))(?=\S))")
_CLOSE = {"“": "”", "「": "」", "『": "』", '"': '"'}
_LEAD_IN = re.compile(r"[。；;！？!?][^。；;！？!?\n]{1,12}\Z")
_SENTENCE_START = re.compile(r"(?:^|[。；;！？!?\n”」])[ \t\u3000]*(?:另见|参见|又见|详见|另外|此外|同时|并且|另|又|还|见|再如|又如)?"
                             r"[ \t\u3000，,]*\Z")


@dataclass
class Mention:
    """A place where a law is named: 《title》, 法释〔…〕号, or the bare name of a citation."""

    start: int
    end: int
    name: str
    kind: str            # 'title' | 'docno' | 'bare'
    alone: bool = False  # a title standing alone on its line: the heading of the 第N条 lines below it


@dataclass
class RawCitation:
    """One citation as written. `name_kind` says how its law was named:
    'title' 《…》, 'bare' 刑法第N条, 'docno' 法释〔…〕号, or inherited: 'self' 本法/该法,
    'list' 第五十条、第五十一条 or a range, 'heading' a 第N条 line under a law named above it, 'sequence'
    a 第N条 right after the quoted text of the previous article in a flattened 法律依据 list."""

    raw: str
    name: str
    name_kind: str
    ref_kind: str          # how the law it inherits was named ('title' | 'bare' | 'docno'); = name_kind otherwise
    number: int
    suffix: int = 0
    paragraph: int | None = None
    item: int | None = None
    start: int = 0
    end: int = 0
    version_note: str | None = None
    quote: str | None = None
    quote_start: int = 0
    line_start: bool = False


@dataclass
class Extraction:
    citations: list[RawCitation]
    truncated: bool = False


def extract(text: str, max_citations: int = MAX_CITATIONS) -> Extraction:
    """All citations in `text`, in order of appearance."""
    mentions = _mentions(text)
    mention_ends = [m.end for m in mentions]
    headings = [m for m in mentions if m.alone]
    heading_ends = [m.end for m in headings]
    out: list[RawCitation] = []
    truncated = False
    prev: RawCitation | None = None
    last_line: RawCitation | None = None      # the last citation that opened a line (法律依据 lists)
    for match in _ART.finditer(text):
        if len(out) >= max_citations:
            truncated = True
            break
        try:
            number = cn_to_int(match["n"])
            suffix = cn_to_int(match["s"]) if match["s"] else 0
            paragraph = cn_to_int(match["p"]) if match["p"] else None
            item = cn_to_int(match["i"]) if match["i"] else None
        except ValueError:
            continue
        if number <= 0 or number > 100000:
            continue
        start = match.start()
        i = bisect_left(heading_ends, start + 1) - 1
        heading = headings[i] if i >= 0 else None
        if last_line is not None and (heading is None or last_line.start > heading.start):
            heading = Mention(last_line.start, last_line.end, last_line.name, last_line.ref_kind)
        named = _name_before(text, start, mentions, mention_ends, prev, heading)
        if named is None:
            continue
        name, name_kind, ref_kind, name_start, note, range_from = named
        cite = RawCitation(text[name_start:match.end()], name, name_kind, ref_kind, number, suffix, paragraph,
                           item, name_start, match.end(), note,
                           line_start=name_kind == "sequence" or _at_line_start(text, name_start)
                           or _continues_basis(text, name_start, last_line))
        if name_kind == "bare":
            _add_mention(mentions, mention_ends, Mention(name_start, start, name, "bare"))
        if range_from is not None and prev is not None:
            out.extend(_expand_range(prev, cite, range_from))
        out.append(cite)
        if cite.line_start and name_kind != "list":
            last_line = cite
        prev = _continuations(text, cite, out)
    kept = _attach_quotes(text, out[:max_citations])
    return Extraction(kept, truncated or len(out) > max_citations)


def _mentions(text: str) -> list[Mention]:
    """Law names in 《》 (that look like laws) and 法释 numbers, sorted by position."""
    found = [Mention(m.start(), m.end(), m[1], "title", _alone(text, m.start(), m.end()))
             for m in _TITLE.finditer(text) if looks_like_law(m[1])]
    found += [Mention(m.start(), m.end(), f"法释〔{m[1]}〕{int(m[2])}号", "docno") for m in _DOCNO.finditer(text)]
    found.sort(key=lambda m: (m.end, m.start))
    return found


def _alone(text: str, start: int, end: int) -> bool:
    after = text[end:end + 20]
    nl = after.find("\n")
    rest = after if nl < 0 and end + 20 >= len(text) else after[:nl] if nl >= 0 else None
    return rest is not None and not rest.strip(" \t\u3000:：") and _at_line_start(text, start)


def _add_mention(mentions: list[Mention], ends: list[int], mention: Mention) -> None:
    """Insert `mention` into `mentions` (and its end into `ends`) in place, keeping both sorted by end."""
    i = bisect_left(ends, mention.end)
    mentions.insert(i, mention)
    ends.insert(i, mention.end)


def looks_like_law(name: str) -> bool:
    """Whether a 《…》 title names a law rather than a book, contract or form."""
    core = re.sub(r"[（(][^（）()]{0,40}[)）]$", "", name.strip())
    return bool(_LAW_SUFFIX.search(core)) or bool(_LAW_SUFFIX.search(name.strip()))


def _name_before(text: str, start: int, mentions: list[Mention], ends: list[int], prev: RawCitation | None,
                 heading: Mention | None) -> tuple[str, str, str, int, str | None, int | None] | None:
    """(name, name_kind, ref_kind, name_start, version_note, range_from) of the law a 第N条 at `start` cites."""
    window_start = max(0, start - _LOOKBACK)
    window = text[window_start:start]
    gap = _GAP.search(window)
    assert gap is not None  # every part of _GAP is optional
    note = gap["note"]
    head_end = window_start + gap.start()
    if note and not _is_version_note(note):
        # （九） in 刑法修正案（九） belongs to the name, not to a gap.
        note = None
        head_end = window_start + len(window.rstrip(" \t\u3000的"))
    bian = _BIAN.search(text, max(0, head_end - 20), head_end)
    if bian is not None and bian.end() == head_end:
        head_end = bian.start() + 1          # 《民法典》婚姻家庭编第…: the name ends at 》
    # 《title》 or 法释〔…〕号 ending right before the gap.
    i = bisect_left(ends, head_end)
    if i < len(ends) and ends[i] == head_end and mentions[i].kind in ("title", "docno"):
        m = mentions[i]
        return m.name, m.kind, m.kind, m.start, note, None
    head = text[max(0, head_end - _LOOKBACK):head_end]
    self_ref = _SELF.search(head)
    if self_ref is not None:
        ref_start = head_end - len(self_ref["ref"])
        last = _last_mention(mentions, ends, ref_start)
        if last is None:
            return None
        return last.name, "self", last.kind, ref_start, note, None
    run = _BARE_RUN.search(head)
    if run is not None:
        name = _strip_bian(run[0])
        if _LAW_SUFFIX.search(name):
            return name, "bare", "bare", head_end - len(run[0]), note, None
    if prev is not None and _LIST_SEP.match(text[prev.end:start]):
        sep = text[prev.end:start]
        range_from = prev.number if _RANGE_SEP.search(sep) else None
        return prev.name, "list", prev.ref_kind, start, prev.version_note, range_from
    if _at_line_start(text, start) and heading is not None:
        return heading.name, "heading", heading.kind, start, None, None
    if prev is not None and (prev.line_start or prev.name_kind in ("heading", "sequence")) \
            and start - prev.end <= MAX_QUOTE_CHARS and _ends_sentence_on_line(text[prev.end:start]):
        # 法律依据：《民法典》第二百零九条不动产物权……。第二百三十八条侵害物权…… (a flattened list of quoted articles)
        return prev.name, "sequence", prev.ref_kind, start, prev.version_note, None
    return None


def _ends_sentence_on_line(between: str) -> bool:
    """The quoted text of the previous article ends with a sentence, on the same line, right before 第N条."""
    tail = between.rstrip(" \t\u3000")
    return "\n" not in between and (tail.endswith(("。", "；", ";", "”", "」", "…", "...")))


def _strip_bian(run: str) -> str:
    """民法典合同编 → 民法典: a 编 name after a law's name is not part of it."""
    if run.endswith("编"):
        for k in range(2, 7):
            head = run[: -(k + 1)]
            if len(head) >= 2 and _LAW_SUFFIX.search(head):
                return head
    return run


def _is_version_note(note: str) -> bool:
    return bool(re.search(r"\d{4}|修正|修订|修改|版|法释", note))


def version_year(note: str | None) -> str | None:
    """'2018年修正' → '2018'."""
    if not note:
        return None
    m = re.search(r"(\d{4})", note)
    return m[1] if m else None


def _last_mention(mentions: list[Mention], ends: list[int], before: int) -> Mention | None:
    i = bisect_left(ends, before + 1) - 1
    return mentions[i] if i >= 0 else None


def _at_line_start(text: str, pos: int) -> bool:
    """True when only a list marker or a label such as 法律依据： stands between the line start and `pos`,
    or when a 法律依据： label opens the same line a few characters before (flattened pages)."""
    lo = max(0, pos - _LINE_LOOKBACK)
    nl = text.rfind("\n", lo, pos)
    if (nl >= 0 or lo == 0) and _LINE_PREFIX.match(text[nl + 1:pos]):
        return True
    return _BASIS_LABEL.search(text, lo, pos) is not None


def _expand_range(first: RawCitation, last: RawCitation, range_from: int) -> list[RawCitation]:
    """The articles strictly between the two ends of 第十条至第十五条."""
    lo, hi = range_from + 1, last.number
    if hi - lo + 1 > MAX_RANGE or hi <= lo:
        return []
    return [RawCitation(last.raw, last.name, "list", last.ref_kind, n, 0, None, None, last.start, last.end,
                        last.version_note) for n in range(lo, hi)]


def _continuations(text: str, cite: RawCitation, out: list[RawCitation]) -> RawCitation:
    """第五十条、五十一条 (items written without 第) and 第一款、第二款 (more 款 of the same article)."""
    last = cite
    pos = cite.end
    while True:
        paras = _EXTRA_PARAS.match(text, pos)
        if paras is not None:
            pos = paras.end()
            last.end = pos
            last.raw = text[last.start:pos] if last is cite else last.raw
            continue
        m = _CONT.match(text, pos)
        if m is None:
            return last
        try:
            number = cn_to_int(m["n"])
            suffix = cn_to_int(m["s"]) if m["s"] else 0
        except ValueError:
            return last
        item = RawCitation(text[m.start("n"):m.end()], cite.name, "list", cite.ref_kind, number, suffix,
                           start=m.start("n"), end=m.end(), version_note=cite.version_note)
        out.append(item)
        last = item
        pos = m.end()


def _continues_basis(text: str, pos: int, last_line: RawCitation | None) -> bool:
    """…的除外。《民法典》第二百三十八条侵害物权…: a citation that starts a sentence on the same line as a
    法律依据 list item is the next item of that list (pages that lost their line breaks)."""
    return (last_line is not None and pos - last_line.end <= MAX_QUOTE_CHARS
            and "\n" not in text[last_line.end:pos] and _after_sentence(text, pos))


def _after_sentence(text: str, pos: int) -> bool:
    """Whether `pos` starts a sentence (after 。；！？ or a line break, maybe with 另见/此外/同时 …)."""
    return pos == 0 or _SENTENCE_START.search(text, max(0, pos - 12), pos) is not None


def _attach_quotes(text: str, cites: list[RawCitation]) -> list[RawCitation]:
    """Give each citation the passage quoted after it; drop citations that lie inside an earlier quote."""
    # A quote runs to the end of its paragraph, to its closing quotation mark, or to the next citation that
    # starts a line or a sentence; 依照本法第N条 or 依照民法典第N条 inside a quoted article is part of that
    # article's text, not a citation of its own.
    named_starts = [c.start for c in cites if c.line_start or
                    (c.name_kind in ("title", "bare", "docno") and _after_sentence(text, c.start))]
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
        intro = _QUOTE_INTRO.match(text, cite.end)
        if intro is None and (cite.line_start or cite.name_kind == "heading"):
            intro = _HEADING_QUOTE.match(text, cite.end)
        if intro is None:
            continue
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
        raw_quote = text[qs:end]
        quote = raw_quote.strip(" \t\u3000\r，,；;")
        if sum(ch.isalnum() for ch in quote) >= 6:
            cite.quote = quote
            cite.quote_start = qs + raw_quote.find(quote[:1])
            quote_until = end
    return kept

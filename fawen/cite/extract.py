"""Find every citation in plain text: 《X》第N条, bare 刑法第246条 or 刑法234条, 第N条第M款第K项, 之一, lists
(第五十条、五十一条, 第36、37、38条), ranges, 本法/该法/该解释 (the law last named), 法释〔YYYY〕N号, a 第N条 that
continues a sentence or a block under a law named once, and the quoted passage that goes with a citation.

Extraction needs no corpus: a bare name is returned as the run of characters before 第N条 (e.g.
「根据治安管理处罚法」) and `fawen.cite.resolve` picks the part that names a law. Line breaks that cut a citation
are mended first (`fawen.cite.mend`); offsets always point into the text as given. Every scan is a regular
expression or a bounded slice, so time stays linear in the text even for pathological input.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from fawen.cite.mend import Mended, mend
from fawen.cite.names import ALIAS_NOTE, LAW_SUFFIX, Mention, add_mention, at_line_start, last_mention, mentions
from fawen.cite.passage import MAX_QUOTE_CHARS, after_sentence, attach_quotes
from fawen.text.numerals import cn_to_int

MAX_CITATIONS = 5000          # per text; a longer list is cut and the report says so
MAX_RANGE = 30                # 第一条至第三十条 expands; a longer range keeps its two ends only
_LOOKBACK = 100               # characters before 第N条 searched for the law name
_REACH = 300                  # a 第N条 continuing a paragraph inherits a law named at most this far back

_W = r"[ \t\u3000]"
NUM = r"[0-9０-９零〇一二三四五六七八九十百千万两]{1,10}"
_MORE_ITEMS = rf"(?:{_W}*(?:[、，,和及]{_W}*[（(]?|[（(]){_W}*{NUM}{_W}*[)）]?)*"
_TAIL = (rf"(?:{_W}*之{_W}*(?P<s>{NUM}))?"
         rf"(?:{_W}*第{_W}*(?P<p>{NUM}){_W}*(?:、{_W}*第?{_W}*{NUM}{_W}*)*款)?"
         rf"(?:{_W}*第?{_W}*[（(]?{_W}*(?P<i>{NUM}){_W}*[)）]?{_MORE_ITEMS}{_W}*[项項])?")
# 第N条, and 第36、37、38条 (several articles under one 第…条).
_ART = re.compile(rf"第{_W}*(?P<n>{NUM})(?P<more>(?:{_W}*、{_W}*第?{_W}*{NUM})*){_W}*[条條]" + _TAIL)
# 刑法234条, 《商标法》16 条, …与40条: a number without 第, taken only right after a law's name or in a list.
_NO_DI = re.compile(rf"(?<![第0-9０-９零〇一二三四五六七八九十百千万两.．])(?P<n>{NUM})(?P<more>){_W}*[条條](?![件款例文目理约])"
                    + _TAIL)
_NOT_ARTICLE = re.compile(r"[路线道街河腿命船鱼狗烟裤心]")   # 第二条路, 一条线: a 条 that counts things
# 第五十条、五十一条: a list item written without 第.
_CONT = re.compile(rf"{_W}*(?P<sep>、|，|,|和|及|以及|与|或者|或){_W}*(?P<n>{NUM}){_W}*[条條]"
                   rf"(?:之(?P<s>{NUM}))?")
_EXTRA_PARAS = re.compile(rf"(?:{_W}*(?:、|，|和|及|与|或){_W}*第?{_W}*{NUM}{_W}*[款项項])+")
# What may stand between a law's name and 第N条: a short name the page defines, a colon, 编/章/节 headings, 的.
_GAP = re.compile(rf"(?:{ALIAS_NOTE})?{_W}*(?:[：:]{_W}*)?"
                  rf"(?:第{_W}*{NUM}{_W}*[编章节](?:{_W}*[\u4e00-\u9fff、]{{1,20}}?)?{_W}*)*(?:的)?{_W}*\Z")
_NOTE = re.compile(rf"[（(](?P<note>[^（）()\n]{{1,40}})[)）]{_W}*\Z")
_BIAN = re.compile(r"》[ \t\u3000]*(?:第[一二三四五六七]编)?[ \t\u3000]*(?:[\u4e00-\u9fff]{2,6}编)?[ \t\u3000]*\Z")
# 本法/该法 …, but not where those characters end a name: 基本法, 合同法, 共同法 …
_SELF = re.compile(r"(?P<ref>(?:(?<![基根])本|(?<![应活])该|(?<![因如彼由])此|(?<![合共协相等不认赞])同|上述|前述)"
                   r"(?P<word>法律|法|条例|解释|规定|办法|决定|细则|规则|法典))\Z")
_SELF_ENDING = {"法律": "法|法典", "法": "法|法典", "法典": "法典"}
_GAP_ENDS = set(" \t\u3000：:的）)")
_CHAPTER_NEAR = re.compile(rf"第{_W}*{NUM}{_W}*[编章节]")
_SELF_WORDS = ("法律", "法", "条例", "解释", "规定", "办法", "决定", "细则", "规则", "法典")
# A bare name may embed a 《…》 (最高人民法院关于适用《民法典》有关担保制度的解释第31条) and a 、 (最高人民法院、最高人民检察院…).
_BARE_EXTRA = set("（）()〈〉《》、")
_LIST_SEP = re.compile(r"^[ \t\u3000]*(?:、|，|,|和|及|以及|与|或者|或|至|到|－|—|-|~|～)[ \t\u3000]*\Z")
# …第三十九条的过失性辞退与第四十条的…: another article of the same law later in the same clause.
_CLAUSE_LIST = re.compile(r"^[^，,。；;：:！？!?\n《》第]{0,20}(?:、|和|及|与|或)[ \t\u3000]*\Z")
_RANGE_SEP = re.compile(r"至|到|－|—|-|~|～")
# The words that may open a clause whose 第N条 continues the law named before (此外，第996条规定…; 不同于第…条).
_CONNECT = re.compile(r"(?:根据|依据|依照|按照|参照|适用|援引|引用|违反|违背|符合|触犯|不同于|相较于|对照|结合|比照|参见|详见|另见|见|在|而|又|还|"
                      r"并|且|同时|此外|另外|另|其中|因此|所以|故|即|如|例如|比如|也|亦|再|是|与|和|及|以及|或|或者|对|但|但是|"
                      r"而且|并且|更|则|就|据|依|按|照|其|首先|其次|再次|最后|[一二三四五六]是|同样|同理|对于|关于|至于|又如|再如)*")
_LINES = re.compile(r"[ \t\u3000\r]*\n[ \t\u3000\r\n]*")      # a line break, blank lines included
_BREAK = re.compile(r"《|〔\d{4}〕|[\[［]\d{4}[\]］]|号[）)]")
_CLAUSE_OPEN = set("，,。；;：:、（(）)”“」「 \t\u3000\n")


@dataclass
class RawCitation:
    """One citation as written. `name_kind` says how its law was named:
    'title' 《…》, 'bare' 刑法第N条, 'docno' 法释〔…〕号, or inherited: 'self' 本法/该法,
    'list' 第五十条、第五十一条 or a range, 'heading' a 第N条 line under a law named above it, 'sequence'
    a 第N条 right after the quoted text of the previous article in a flattened 法律依据 list, 'context' a 第N条
    continuing a paragraph that named the law before (…。此外，第996条规定…). `raw` is the citation with any line
    break inside it removed; `start`/`end` and `quote_start` are offsets into the text as given."""

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


@dataclass
class _Hit:
    start: int
    end: int
    number: int
    suffix: int
    paragraph: int | None
    item: int | None
    more: list[int]
    with_di: bool


@dataclass
class _Page:
    """What naming a law depends on: the text, the names on it, the headings, the short names it defines."""

    text: str
    mentions: list[Mention]
    ends: list[int]
    aliases: dict[str, Mention]


def extract(text: str, max_citations: int = MAX_CITATIONS) -> Extraction:
    """All citations in `text`, in order of appearance."""
    mended = mend(text)
    cites, truncated = _scan(mended.text, max_citations)
    kept = attach_quotes(mended.text, cites)
    if mended.origin is not None:
        for cite in kept:
            _to_original(cite, mended, text)
    return Extraction(kept, truncated)


def _scan(text: str, max_citations: int) -> tuple[list[RawCitation], bool]:
    found, aliases = mentions(text)
    page = _Page(text, found, [m.end for m in found], aliases)
    headings = [m for m in found if m.alone]
    heading_ends = [m.end for m in headings]
    out: list[RawCitation] = []
    prev: RawCitation | None = None
    last_line: RawCitation | None = None      # the last citation that opened a line (法律依据 lists)
    for hit in _hits(text):
        if len(out) >= max_citations:
            return out[:max_citations], True
        start = hit.start
        i = bisect_left(heading_ends, start + 1) - 1
        heading = headings[i] if i >= 0 else None
        if last_line is not None and (heading is None or last_line.start > heading.start):
            heading = Mention(last_line.start, last_line.end, last_line.name, last_line.ref_kind)
        named = _name_before(page, hit, prev, heading)
        if named is None:
            continue
        name, name_kind, ref_kind, name_start, note, range_from = named
        cite = RawCitation(text[name_start:hit.end], name, name_kind, ref_kind, hit.number, hit.suffix,
                           hit.paragraph, hit.item, name_start, hit.end, note,
                           line_start=name_kind == "sequence" or at_line_start(text, name_start)
                           or _continues_basis(text, name_start, last_line))
        if name_kind == "bare":
            add_mention(page.mentions, page.ends, Mention(name_start, start, name, "bare"))
        if range_from is not None and prev is not None:
            out.extend(_expand_range(prev, cite, range_from))
        out.append(cite)
        for number in hit.more:
            out.append(RawCitation(cite.raw, name, "list", ref_kind, number, 0, None, None, cite.start, cite.end,
                                   note))
        if cite.line_start and name_kind != "list":
            last_line = cite
        prev = _continuations(text, out[-1], out)
    return out[:max_citations], len(out) > max_citations


def _hits(text: str) -> list[_Hit]:
    """Every 第N条 (and N条 without 第), in order, overlapping ones dropped."""
    hits: list[_Hit] = []
    matches = sorted([(m, True) for m in _ART.finditer(text)] + [(m, False) for m in _NO_DI.finditer(text)],
                     key=lambda x: (x[0].start(), not x[1]))
    last_end = -1
    for match, with_di in matches:
        if match.start() < last_end:
            continue
        try:
            number = cn_to_int(match["n"])
            suffix = cn_to_int(match["s"]) if match["s"] else 0
            paragraph = cn_to_int(match["p"]) if match["p"] else None
            item = cn_to_int(match["i"]) if match["i"] else None
            more = [cn_to_int(x) for x in re.findall(NUM, match["more"])] if match["more"] else []
        except ValueError:
            continue
        if number <= 0 or number > 100000 or (_NOT_ARTICLE.match(text, match.end()) and not match["p"]
                                                and not match["i"]):
            continue
        if not with_di and len(match["n"]) < 2 and not match["n"].isdigit():
            continue                          # 《民法典》一条也没提: one Chinese numeral without 第 counts things
        hits.append(_Hit(match.start(), match.end(), number, suffix, paragraph, item,
                         [n for n in more if 0 < n <= 100000], with_di))
        last_end = match.end()
    return hits


def _name_before(page: _Page, hit: _Hit, prev: RawCitation | None,
                 heading: Mention | None) -> tuple[str, str, str, int, str | None, int | None] | None:
    """(name, name_kind, ref_kind, name_start, version_note, range_from) of the law a 第N条 at `start` cites."""
    text, start = page.text, hit.start
    head_end = start - _gap(text, start)
    note: str | None = None
    version = _NOTE.search(text, max(0, head_end - 44), head_end)
    if version is not None and _is_version_note(version["note"]):
        # （九） in 刑法修正案（九） belongs to the name; （2018年修正） does not.
        note, head_end = version["note"], version.start()
    bian = _BIAN.search(text, max(0, head_end - 20), head_end)
    if bian is not None and bian.end() == head_end:
        head_end = bian.start() + 1          # 《民法典》婚姻家庭编第…: the name ends at 》
    # 《title》 or 法释〔…〕号 ending right before the gap.
    i = bisect_left(page.ends, head_end)
    if i < len(page.ends) and page.ends[i] == head_end and page.mentions[i].kind in ("title", "docno"):
        m = page.mentions[i]
        return m.name, m.kind, m.kind, m.start, note, None
    head = text[max(0, head_end - _LOOKBACK, prev.end if prev is not None else 0):head_end]
    self_ref = _SELF.search(head, max(0, len(head) - 6)) if head.endswith(_SELF_WORDS) else None
    if self_ref is not None:
        ref_start = head_end - len(self_ref["ref"])
        word = self_ref["word"]
        last = last_mention(page.mentions, page.ends, ref_start, _SELF_ENDING.get(word, word))
        if last is None:
            return None
        return last.name, "self", last.kind, ref_start, note, None
    run = _bare_run(head)
    if run.lstrip("、"):
        name = _strip_bian(run.lstrip("、"))
        alias = _alias(page, name, start)
        if alias is not None:
            return alias.name, alias.kind, alias.kind, head_end - len(run), note, None
        if LAW_SUFFIX.search(name):
            return name, "bare", "bare", head_end - len(run), note, None
    between = text[prev.end:start] if prev is not None else ""
    if prev is not None and _LIST_SEP.match(between):
        range_from = prev.number if _RANGE_SEP.search(between) else None
        return prev.name, "list", prev.ref_kind, start, prev.version_note, range_from
    if prev is not None and _CLAUSE_LIST.match(between):
        return prev.name, "list", prev.ref_kind, start, prev.version_note, None
    if not hit.with_di:
        return None                           # 40条 alone is a law's article only right after its name
    if at_line_start(text, start):
        heading = heading or _colon_line_law(page, start)
        if heading is not None:
            return heading.name, "heading", heading.kind, start, None, None
    if prev is not None and (prev.line_start or prev.name_kind in ("heading", "sequence")) \
            and start - prev.end <= MAX_QUOTE_CHARS and _ends_sentence_on_line(between):
        # 法律依据：《民法典》第二百零九条不动产物权……。第二百三十八条侵害物权…… (a flattened list of quoted articles)
        return prev.name, "sequence", prev.ref_kind, start, prev.version_note, None
    return _context(page, start, prev)


def _gap(text: str, start: int) -> int:
    """The length of what stands between a law's name and the 第N条 at `start` (see _GAP), 0 when nothing."""
    last = text[start - 1] if start > 0 else ""
    if not last or (last not in _GAP_ENDS and _CHAPTER_NEAR.search(text, max(0, start - 30), start) is None):
        return 0                              # 》第…, 刑法第…: the usual case, decided without the long regex
    window_start = max(0, start - _LOOKBACK)
    gap = _GAP.search(text[window_start:start])
    assert gap is not None  # every part of _GAP is optional
    return start - window_start - gap.start()


def _bare_run(head: str) -> str:
    """The run of name characters that ends `head` (CJK, brackets, 、; at most 90): _BARE_RUN without backtracking."""
    i = len(head)
    while i > 0 and len(head) - i < 90 and ("\u4e00" <= head[i - 1] <= "\u9fff" or head[i - 1] in _BARE_EXTRA):
        i -= 1
    return head[i:]


def _alias(page: _Page, run: str, before: int) -> Mention | None:
    """The law a short name the page defined earlier (（以下简称…）) stands for, if `run` ends with one."""
    for alias, mention in page.aliases.items():
        if run.endswith(alias) and mention.end < before:
            return mention
    return None


def _colon_line_law(page: _Page, start: int) -> Mention | None:
    """1、第一千零二十一条… under a line that names a law and ends with a colon (…具体规定了…合同：)."""
    text = page.text
    line_start = text.rfind("\n", 0, start) + 1
    prev_end = line_start - 1
    while prev_end > 0 and text[prev_end - 1] in " \t\u3000\r\n":
        prev_end -= 1
    if prev_end <= 0 or text[prev_end - 1] not in "：:":
        return None
    prev_start = text.rfind("\n", 0, prev_end) + 1
    last = last_mention(page.mentions, page.ends, prev_end)
    return last if last is not None and last.start >= prev_start else None


def _context(page: _Page, start: int, prev: RawCitation | None) -> tuple[str, str, str, int, None, None] | None:
    """…此外，第996条规定… / 不同于第一千二百四十五条…: the law cited or named last in the same paragraph."""
    text = page.text
    run = re.search(r"[\u4e00-\u9fff]{0,12}\Z", text[max(0, start - 12):start])
    words = run[0] if run else ""
    if _CONNECT.fullmatch(words) is None:
        return None                           # 合同第五条, 双方在第三条: the words before name something else
    opener = start - len(words) - 1
    before = text[opener] if opener >= 0 else "\n"
    mention = last_mention(page.mentions, page.ends, start)
    if before == "》" and (mention is None or mention.end != opener + 1):
        return None                           # 《人格权研究》第十条: a book's chapter, not a law's article
    if before not in _CLAUSE_OPEN and before != "》":
        return None
    anchor: tuple[int, str, str, str | None] | None = None
    if prev is not None:
        anchor = (prev.end, prev.name, prev.ref_kind, prev.version_note)
    if mention is not None and (anchor is None or mention.end > anchor[0]):
        anchor = (mention.end, mention.name, mention.kind, None)
    if anchor is None or start - anchor[0] > _REACH or _BREAK.search(text, anchor[0], start):
        return None                           # too far, or another document named since
    breaks = _LINES.findall(text, anchor[0], start)
    if len(breaks) > 1 or (breaks and at_line_start(text, start)):
        return None                           # a paragraph further on, or a line of its own (see heading)
    return anchor[1], "context", anchor[2], start, None, None


def _ends_sentence_on_line(between: str) -> bool:
    """The quoted text of the previous article ends with a sentence, on the same line, right before 第N条."""
    tail = between.rstrip(" \t\u3000")
    return "\n" not in between and (tail.endswith(("。", "；", ";", "”", "」", "…", "...")))


def _strip_bian(run: str) -> str:
    """民法典合同编 → 民法典: a 编 name after a law's name is not part of it."""
    if run.endswith("编"):
        for k in range(2, 7):
            head = run[: -(k + 1)]
            if len(head) >= 2 and LAW_SUFFIX.search(head):
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
            and "\n" not in text[last_line.end:pos] and after_sentence(text, pos))


def _to_original(cite: RawCitation, mended: Mended, text: str) -> None:
    """Point a citation found in the mended text back into the text as given."""
    quote_end = cite.quote_start + len(cite.quote) if cite.quote else 0
    cite.start, cite.end = mended.at(cite.start), mended.end_at(cite.end)
    if cite.quote:
        cite.quote_start, end = mended.at(cite.quote_start), mended.end_at(quote_end)
        cite.quote = text[cite.quote_start:end]

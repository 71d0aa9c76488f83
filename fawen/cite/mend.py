"""Line breaks that cut a citation in two — inside a law's title (《中华人民共和国\\n公司法》), inside an article
number (第二十\\n条), between a law named in running text and its article (根据《公司法》\\n第二十条), inside a bare
name (依照治安管理\\n处罚法第四十二条) — removed before extraction, with a map back to the original offsets.

Pages get these from narrow columns, <br> in the middle of a sentence and text copied out of PDFs. A title or
name standing alone on its line is a heading, not a broken citation, and is left as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUMCH = "[0-9０-９零〇一二三四五六七八九十百千万两]"
_SUFFIX = r"(?:法|法典|条例|规定|解释|办法|决定|规则|细则|通则)"
_ARTICLE = rf"第[ \t\u3000]*{_NUMCH}{{1,10}}[ \t\u3000]*[条條]"
# 第二十\n条, 第\n二十条, 第二\n十条: the break lies between 第 and 条 with numerals only around it.
_NUMBER_BEFORE = re.compile(rf"第[ \t\u3000]*(?P<n>{_NUMCH}{{0,10}})\Z")
_NUMBER_AFTER = re.compile(rf"(?P<n>{_NUMCH}{{0,10}})[ \t\u3000]*[条條]")
# …《公司法》\n第二十条 / …治安管理处罚法\n第二十条: a name ending a line that holds more than that name.
_NAME_BEFORE = re.compile(rf"(?:》|{_SUFFIX})\Z")
_ARTICLE_AFTER = re.compile(_ARTICLE)
# 依照治安管理\n处罚法第四十二条: CJK on both sides, the next line going on to a law's name and 第N条.
_NAME_AFTER = re.compile(rf"[\u4e00-\u9fff]{{1,16}}?{_SUFFIX}[ \t\u3000]*{_ARTICLE}")
_BLANK = " \t\u3000\r\n"
_LABEL_ONLY = re.compile(r"^[ \t\u3000]*(?:[0-9]{1,3}[.、．)）]|[（(][0-9一二三四五六七八九十]{1,3}[)）]|"
                         r"[一二三四五六七八九十]{1,3}、|[•·*\-—]|(?:法律依据|法律规定|相关法条|相关法律|相关规定|参考法条|依据|法条)"
                         r"[：:])?[ \t\u3000]*$")
_CITING = re.compile(r"根据|依据|依照|按照|参照|适用|违反|援引|对照")
_CHAPTER = re.compile(r"^[ \t\u3000]*第[一二三四五六七八九十百零〇0-9]{1,6}[编章节]")
_PUNCT = re.compile(r"[，。；：、,;:]")
_MAX_TITLE = 80             # characters of a title on either side of a break


@dataclass
class Mended:
    """The text with broken citations joined, and where each of its characters was in the original."""

    text: str
    origin: list[int] | None = None      # None: nothing was joined, offsets are the same

    def at(self, pos: int) -> int:
        """The original offset of a position in the mended text (a start, or an end when used for one)."""
        if self.origin is None:
            return pos
        return self.origin[pos] if pos < len(self.origin) else self.origin[-1] + 1 if self.origin else 0

    def end_at(self, pos: int) -> int:
        """The original offset just after the character before `pos` (the end of a span)."""
        if self.origin is None or pos == 0:
            return pos
        return self.origin[pos - 1] + 1


def mend(text: str) -> Mended:
    """`text` with the line breaks that cut citations removed."""
    if "\n" not in text:
        return Mended(text)
    gaps = _title_gaps(text) if "《" in text else []
    nl = text.find("\n")
    while nl >= 0:
        start, end = nl, nl
        while start > 0 and text[start - 1] in " \t\u3000\r":
            start -= 1
        while end < len(text) and text[end] in _BLANK:
            end += 1
        if 0 < start and end < len(text) and _joins(text, start, end):
            gaps.append((start, end))
        nl = text.find("\n", end)
    if not gaps:
        return Mended(text)
    gaps.sort()
    parts: list[str] = []
    origin: list[int] = []
    pos = 0
    for start, end in gaps:
        start = max(start, pos)
        if end <= start:
            continue
        parts.append(text[pos:start])
        origin.extend(range(pos, start))
        pos = end
    parts.append(text[pos:])
    origin.extend(range(pos, len(text)))
    return Mended("".join(parts), origin)


def _joins(text: str, start: int, end: int) -> bool:
    """Whether the blank run text[start:end] (holding a line break) cuts a number, a name or name and article."""
    before = text[max(0, start - 12):start]
    number = _NUMBER_BEFORE.search(before)
    if number is not None:
        after = _NUMBER_AFTER.match(text, end)
        return after is not None and bool(number["n"] or after["n"])
    if _NAME_BEFORE.search(before) and _ARTICLE_AFTER.match(text, end):
        return _runs_on(text, start, title=text[start - 1] == "》")
    return "\u4e00" <= text[start - 1] <= "\u9fff" and _NAME_AFTER.match(text, end) is not None \
        and _prose_line(text, start)


def _line_before(text: str, line_end: int) -> str:
    return text[text.rfind("\n", 0, line_end) + 1:line_end]


def _runs_on(text: str, line_end: int, title: bool) -> bool:
    """Whether the name ending this line is part of a sentence (join) rather than a heading of its own."""
    line = _line_before(text, line_end).rstrip(" \t\u3000\r")
    if title:
        return not _LABEL_ONLY.match(line[:_outer_open(line)])
    # A bare name: only after a citing verb on the same line (…依照治安管理处罚法 / …由法律规定 is prose).
    return _CITING.search(line[-40:]) is not None


def _prose_line(text: str, line_end: int) -> bool:
    """A line of running text (not a 第X章 heading or a short title line) that a name may continue from."""
    line = _line_before(text, line_end)
    return not _CHAPTER.match(line) and (len(line) > 30 or _PUNCT.search(line) is not None) \
        and not re.search(f"{_SUFFIX}$", line)


def _outer_open(line: str) -> int:
    """Offset of the 《 that opens the last top-level title of the line (0 when there is none)."""
    depth = 0
    for i in range(len(line) - 1, -1, -1):
        if line[i] == "》":
            depth += 1
        elif line[i] == "《" and depth:
            depth -= 1
            if depth == 0:
                return i
    return 0


def _title_gaps(text: str) -> list[tuple[int, int]]:
    """Breaks inside a 《…》 that opens on one line and closes on the next (within _MAX_TITLE characters each)."""
    gaps: list[tuple[int, int]] = []
    pos = 0
    n = len(text)
    while pos < n:
        nl = text.find("\n", pos)
        if nl < 0:
            break
        line = text[pos:nl]
        open_at = _unclosed(line) if "《" in line and line.rfind("《") > line.rfind("》") or \
            line.count("《") > line.count("》") else None
        if open_at is not None and len(line) - open_at <= _MAX_TITLE:
            after = nl
            while after < n and text[after] in " \t\u3000\r\n":
                after += 1
            close = _closes(text, after, min(n, after + _MAX_TITLE), _depth(line[open_at:]))
            if close is not None and after > nl:
                stop = nl
                while stop > pos and text[stop - 1] in " \t\u3000\r":
                    stop -= 1
                gaps.append((stop, after))
        pos = nl + 1
    return gaps


def _unclosed(line: str) -> int | None:
    """Offset of the outermost 《 left open at the end of the line, if any."""
    depth = 0
    opened: int | None = None
    for i, ch in enumerate(line):
        if ch == "《":
            if depth == 0:
                opened = i
            depth += 1
        elif ch == "》" and depth:
            depth -= 1
    return opened if depth else None


def _depth(part: str) -> int:
    depth = 0
    for ch in part:
        depth += 1 if ch == "《" else -1 if ch == "》" and depth else 0
    return depth


def _closes(text: str, start: int, stop: int, depth: int) -> int | None:
    """Where the title left open (at `depth`) closes on the line starting at `start`, if it does by `stop`."""
    for i in range(start, stop):
        ch = text[i]
        if ch == "\n":
            return None
        if ch == "《":
            depth += 1
        elif ch == "》":
            depth -= 1
            if depth == 0:
                return i
    return None

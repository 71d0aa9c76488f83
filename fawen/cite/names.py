"""Where a page names a law: 《titles》, 法释〔YYYY〕N号, a bare name standing alone on its line (the heading of a
法律依据 block), short names the page defines itself (（以下简称《民间借贷规定》）) and back-references to a title
named before (《规定》第三条, 《解释》第五条 after the full title).

All of it is read from the page alone; which law a name means in the corpus is `fawen.cite.resolve`'s job.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

_TITLE = re.compile(r"《((?:[^《》\n]|《[^《》\n]{1,60}》){1,120})》")
_DOCNO = re.compile(r"法释[ \t\u3000]*[〔\[［(（][ \t\u3000]*(\d{4})[ \t\u3000]*[〕\]］)）][ \t\u3000]*(\d{1,4})[ \t\u3000]*号")
LAW_SUFFIX = re.compile(r"(?:法|法典|条例|规定|解释|办法|决定|规则|细则|通则|准则|意见|批复|纲要|规程|修正案|安排|解答|答复)"
                        r"(?:[（(](?:[一二三四五六七八九十]{1,3}|试行|暂行)[)）]|(?<=解释)[一二三四五六七八九十])?\Z")
# （以下简称《民间借贷规定》）, （下称民诉法解释）, （以下简称追诉标准（二））: a short name the page defines.
ALIAS_NOTE = (r"[（(][ \t\u3000]*(?:以下|下文|下)?[ \t\u3000]*(?:简称|称)[为：:]?[ \t\u3000]*[《“「\"]?"
              r"(?P<alias>(?:[^（）()《》“”「」\"\n]|[（(][^（）()\n]{1,6}[)）]){2,30}?)[》”」\"]?[ \t\u3000]*[)）]")
_ALIAS_AFTER = re.compile(r"[ \t\u3000]*(?:[（(][^（）()\n]{1,40}[)）][ \t\u3000]*)?" + ALIAS_NOTE)
# A line holding nothing but a law's name (maybe after 法律依据：, maybe with a colon): a block's heading.
_NAME_LINE = re.compile(r"^[ \t\u3000]*(?:(?:法律依据|法律规定|相关法条|相关法律|参考法条|法条依据|依据)[：:][ \t\u3000]*)?"
                        r"(?P<name>[\u4e00-\u9fff（）()、]{3,60})[ \t\u3000]*[：:]?[ \t\u3000]*$", re.MULTILINE)
_SAYS = re.compile(r"(.+?(?:法|法典|条例))的?规定$")     # 劳动法规定： names 劳动法
_NOT_A_NAME = re.compile(r"^(?:相关|有关|法律|以下|上述|前述|下列|具体|其他|本|该|此|我国|根据|依据|依照|按照|第)")
MAX_ALIASES = 100            # short names one page may define (each bare name is checked against all of them)
# Names that only point back at a title named earlier on the page.
_BACK = {"规定": "规定", "若干规定": "规定", "解释": "解释", "司法解释": "解释", "意见": "意见", "决定": "决定",
         "办法": "办法", "条例": "条例", "批复": "批复", "通知": "通知", "细则": "细则", "实施细则": "细则"}


@dataclass
class Mention:
    """A place where a law is named: 《title》, 法释〔…〕号, or a bare name (of a citation, or a heading line)."""

    start: int
    end: int
    name: str
    kind: str            # 'title' | 'docno' | 'bare'
    alone: bool = False  # standing alone on its line: the heading of the 第N条 lines below it


def looks_like_law(name: str) -> bool:
    """Whether a 《…》 title names a law rather than a book, contract or form."""
    core = re.sub(r"[（(][^（）()]{0,40}[)）]$", "", name.strip())
    # 《民法总则》 is a law; a bare 刑法总则 is a part of one, so 总则 counts only inside 《》.
    return bool(LAW_SUFFIX.search(core)) or bool(LAW_SUFFIX.search(name.strip())) or core.endswith("总则")


def mentions(text: str) -> tuple[list[Mention], dict[str, Mention]]:
    """Law names on the page, sorted by end, and the short names the page defines (alias → the law's mention)."""
    found = [Mention(m.start(), m.end(), m[1], "title", _alone(text, m.start(), m.end()))
             for m in _TITLE.finditer(text) if looks_like_law(m[1])]
    found += [Mention(m.start(), m.end(), f"法释〔{m[1]}〕{int(m[2])}号", "docno") for m in _DOCNO.finditer(text)]
    found += _name_lines(text, found)
    found.sort(key=lambda m: (m.end, m.start))
    aliases: dict[str, Mention] = {}
    for i, m in enumerate(found):
        if m.kind == "title" and i > 0 and m.name in _BACK:
            target = _last_ending(found[:i], _BACK[m.name])
            if target is not None:
                found[i] = Mention(m.start, m.end, target.name, target.kind, m.alone)
                continue
        if m.kind == "title" and m.name in aliases:
            target = aliases[m.name]
            found[i] = Mention(m.start, m.end, target.name, target.kind, m.alone)
            continue
        defined = _ALIAS_AFTER.match(text, m.end) if len(aliases) < MAX_ALIASES else None
        if defined is not None and m.kind in ("title", "docno"):
            aliases[defined["alias"].strip()] = found[i]
    return found, aliases


def _alone(text: str, start: int, end: int) -> bool:
    after = text[end:end + 20]
    nl = after.find("\n")
    rest = after if nl < 0 and end + 20 >= len(text) else after[:nl] if nl >= 0 else None
    return rest is not None and not rest.strip(" \t\u3000:：") and at_line_start(text, start)


def _name_lines(text: str, titles: list[Mention]) -> list[Mention]:
    """中华人民共和国道路交通安全法： alone on a line: a heading as much as a 《title》 alone is."""
    if "\n" not in text:
        return []
    taken = {(m.start, m.end) for m in titles}
    out = []
    for m in _NAME_LINE.finditer(text):
        name = m["name"]
        says = _SAYS.match(name)
        name = says[1] if says else name
        if not LAW_SUFFIX.search(name) or _NOT_A_NAME.match(name) or (m.start("name"), m.end("name")) in taken:
            continue
        out.append(Mention(m.start("name"), m.start("name") + len(name), name, "bare", True))
    return out


def _last_ending(found: list[Mention], word: str) -> Mention | None:
    """The last full title (not itself a back-reference) whose name ends with `word` (maybe with （一）)."""
    for m in reversed(found):
        if m.kind == "title" and m.name not in _BACK and re.search(f"{word}(?:[（(][一二三四五六七八九十]{{1,3}}[)）])?$",
                                                                  m.name):
            return m
    return None


def add_mention(mentions: list[Mention], ends: list[int], mention: Mention) -> None:
    """Insert `mention` into `mentions` (and its end into `ends`) in place, keeping both sorted by end."""
    i = bisect_left(ends, mention.end)
    mentions.insert(i, mention)
    ends.insert(i, mention.end)


def last_mention(mentions: list[Mention], ends: list[int], before: int, ending: str | None = None) -> Mention | None:
    """The last law named before `before`; with `ending` (解释, 规定, 法 …) the last whose name ends so, if any."""
    i = bisect_left(ends, before + 1) - 1
    if ending is not None:
        for j in range(i, max(-1, i - 50), -1):
            if re.search(f"{ending}(?:[（(][^（）()]{{1,6}}[)）])?$", mentions[j].name):
                return mentions[j]
    return mentions[i] if i >= 0 else None


_LINE_LOOKBACK = 40           # a citation this close after a line start may be a heading line
_LINE_PREFIX = re.compile(
    r"^[ \t\u3000]*(?:[0-9]{1,3}[.、．)）]|[（(][0-9一二三四五六七八九十]{1,3}[)）]|[一二三四五六七八九十]{1,3}、|"
    r"[•·*\-—]|(?:法律依据|法律规定|相关法条|相关法律|相关规定|参考法条|依据|法条)[：:])?[ \t\u3000]*\Z")
_BASIS_LABEL = re.compile(r"(?:法律依据|法律规定|相关法条|相关法律|参考法条|法条依据)[ \t\u3000]*[：:][ \t\u3000]*"
                          r"[^。；;\n《》]{0,12}\Z")


def at_line_start(text: str, pos: int) -> bool:
    """True when only a list marker or a label such as 法律依据： stands between the line start and `pos`,
    or when a 法律依据： label opens the same line a few characters before (flattened pages)."""
    lo = max(0, pos - _LINE_LOOKBACK)
    nl = text.rfind("\n", lo, pos)
    if (nl >= 0 or lo == 0) and _LINE_PREFIX.match(text[nl + 1:pos]):
        return True
    return _BASIS_LABEL.search(text, lo, pos) is not None

"""Cleaning scraped Q&A text: Excel carriage-return escapes, 「…查看全文」 truncation marks, empty article
numbers, site boilerplate, zero-width characters. Each fix that changes meaning is recorded as a note."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from fawen.text.normalize import normalize

# Excel/openpyxl writes a carriage return inside a cell as the escape _x000D_ (often cut to _x000D).
_EXCEL_ESCAPE = re.compile(r"_x000[dDaA9]_?")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
# Listing pages cut long answers and append a link; what follows the mark is not part of the answer.
_TRUNCATED = re.compile(r"(?:\.{2,}|…+|。{2,})?\s*[\[【（(]?\s*(?:查看全文|展开全文|阅读全文|查看更多|点击查看|展开更多)"
                        r"\s*[\]】）)]?\s*(?:>>|》|→)?\s*$")
# 「第条」「第 条」: the number was an image or a link the scraper dropped. We never guess it.
_EMPTY_NUMBER = re.compile(r"第\s*条")
_BOILERPLATE = re.compile(r"^(?:以上内容(?:仅供参考|由.{0,20}提供)|如需.{0,10}咨询|更多法律问题|免责声明|声明[:：]|"
                          r"本文(?:来源|由).{0,30}|(?:点击|扫码).{0,20}咨询).*$")
_SPACES = re.compile(r"[ \t\u3000\xa0]+")
_BLANK_LINES = re.compile(r"\n{3,}")
QUESTION_PARTICLES = "吗嘛么呢啊呀吧哈"


@dataclass
class Cleaned:
    text: str
    notes: list[str] = field(default_factory=list)
    truncated: bool = False


def clean_text(text: str) -> Cleaned:
    """Remove scraping artefacts from one answer or section body; notes say what was found."""
    notes: list[str] = []
    out = _EXCEL_ESCAPE.sub("\n", text.replace("\r\n", "\n").replace("\r", "\n"))
    out = _ZERO_WIDTH.sub("", out)
    lines = []
    for line in out.split("\n"):
        line = _SPACES.sub(" ", line).strip()
        if _BOILERPLATE.match(line):
            continue
        lines.append(line)
    out = _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
    truncated = False
    stripped = _TRUNCATED.sub("", out).rstrip()
    if stripped != out:
        truncated = True
        out = stripped
        notes.append("原文被截断（查看全文）(answer truncated by the source page)")
    missing = len(_EMPTY_NUMBER.findall(out))
    if missing:
        notes.append(f"{missing} 处条文编号缺失（第条）(article number missing in the source)")
    return Cleaned(out, notes, truncated)


def clean_question(text: str) -> str:
    """A question as shown: artefacts removed, whitespace collapsed, one line."""
    cleaned = clean_text(text).text
    return _SPACES.sub(" ", cleaned.replace("\n", " ")).strip()


_GREETING = re.compile(r"^(?:(?:请问|您好|你好|律师|咨询一下|我?想(?:问|咨询)一下|问一下|求助)[，,：:！!\s]*)+")
_TRAILING = re.compile(rf"[{QUESTION_PARTICLES}]*[？?！!。.…~～\s]*$")


def question_key(text: str) -> str:
    """The form compared for near-duplicates: simplified, no punctuation, greeting or final particle."""
    norm = normalize(clean_question(text))
    norm = _GREETING.sub("", norm)
    norm = _TRAILING.sub("", norm)
    return "".join(ch for ch in norm if ch.isalnum())


# A related question is listed as a person would ask it: a case file to analyse or a task prompt
# (「请对以下案件做出分析并给出可能的判决：…」, several hundred characters) is not one.
MAX_QUESTION_CHARS = 120
_TASK = re.compile(r"^(?:请(?:对|根据|结合|阅读|分析|判断)|以下|下列|案情|基本案情)")


def asks(question: str) -> bool:
    """Whether a record's question reads as a question someone asks (short, not a case or a task prompt)."""
    return 0 < len(question) <= MAX_QUESTION_CHARS and not _TASK.match(question)

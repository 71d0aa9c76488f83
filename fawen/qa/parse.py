"""Q&A records from files: JSON Lines of {question, answer, url?} and saved Q&A pages (HTML or Markdown)
with a title, 摘要, sections, 法律依据 and 相关问题."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selectolax.lexbor import LexborNode as Node

from fawen.qa.clean import clean_question, clean_text


@dataclass
class QARecord:
    """One question with its answer, as imported; `answer` is the full text that gets audited."""

    question: str
    answer: str
    url: str | None = None
    source: str = ""
    summary: str = ""
    sections: list[tuple[str, str]] = field(default_factory=list)
    basis: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class ParseIssue:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


PAGE_SUFFIXES = (".html", ".htm", ".md", ".txt")

# Heading words that mark the parts of a Q&A page; anything else is an ordinary section.
_SUMMARY = re.compile(r"^(?:摘要|导读|简要回答|简答|问题摘要|核心提示|律师解答摘要)")
_BASIS = re.compile(r"^(?:法律依据|相关法条|法条依据|相关法律规定|法律规定|依据)")
_RELATED = re.compile(r"^(?:相关(?:法律)?问题|相关咨询|相关阅读|相关推荐|猜你(?:想|喜欢)|延伸阅读|更多问题)")
_SKIP = re.compile(r"^(?:声明|免责声明|版权声明|特别声明|温馨提示|评论|分享|推荐律师|在线咨询)")
# Site names appended to <title>: "问题 - 某某法律网", "问题_某某网".
_TITLE_SUFFIX = re.compile(r"\s*(?:[-_|–—]+)\s*[^-_|–—]{1,20}(?:网|在线|平台|律师|法律|咨询)[^-_|–—]{0,10}$")


def read_records(path: Path, issues: list[ParseIssue]) -> Iterator[QARecord]:
    """Records of one file: .jsonl line by line, or one saved page. Problems go to `issues`."""
    suffix = path.suffix.lower()
    if suffix == ".json":
        yield from _json(path, issues)
    elif suffix in (".jsonl", ".ndjson"):
        yield from _jsonl(path, issues)
    elif suffix in PAGE_SUFFIXES:
        try:
            raw = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            issues.append(ParseIssue(str(path), 0, f"不是 UTF-8 文本 (not UTF-8): {exc.reason}"))
            return
        html = suffix in (".html", ".htm")
        record = parse_page(raw, html=html, source=str(path))
        if record is None:
            issues.append(ParseIssue(str(path), 0, "页面中找不到问题标题或回答 (no title or answer found)"))
        else:
            yield record
    else:
        issues.append(ParseIssue(str(path), 0, f"不支持的文件类型 (unsupported file type) {suffix or '(none)'}: "
                                 "use .jsonl, .html, .htm, .md or .txt"))


def _jsonl(path: Path, issues: list[ParseIssue]) -> Iterator[QARecord]:
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            try:
                line = raw.decode("utf-8").strip()
            except UnicodeDecodeError:
                issues.append(ParseIssue(str(path), number, "不是 UTF-8 文本 (not UTF-8)"))
                continue
            if not line:
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                issues.append(ParseIssue(str(path), number, f"JSON 格式错误 (bad JSON): {exc.msg}"))
                continue
            record = _checked(obj, str(path), number, issues, "每行应为 JSON 对象 (each line must be an object)")
            if record is not None:
                yield record


def _json(path: Path, issues: list[ParseIssue]) -> Iterator[QARecord]:
    """A .json file: one record object, or a list of them (DISC-Law-Eval's {id, input, output} list)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        issues.append(ParseIssue(str(path), 0, f"不是 UTF-8 文本 (not UTF-8): {exc.reason}"))
        return
    except json.JSONDecodeError as exc:
        issues.append(ParseIssue(str(path), exc.lineno, f"JSON 格式错误 (bad JSON): {exc.msg}"))
        return
    items = data if isinstance(data, list) else [data]
    for number, obj in enumerate(items, start=1):
        record = _checked(obj, str(path), number, issues, "每条记录应为 JSON 对象 (each record must be an object)")
        if record is not None:
            yield record


def _checked(obj: object, path: str, number: int, issues: list[ParseIssue], not_object: str) -> QARecord | None:
    """The record a parsed JSON value holds, or None with its issue noted (`not_object` when it is no object)."""
    if not isinstance(obj, dict):
        issues.append(ParseIssue(path, number, not_object))
        return None
    record = _record(obj, path, number)
    if isinstance(record, ParseIssue):
        issues.append(record)
        return None
    return record


# Field names for the question and the answer, in the order they are looked for.
QUESTION_FIELDS = ("question", "input", "title")
ANSWER_FIELDS = ("answer", "output")


def _record(obj: dict[str, object], path: str, number: int) -> QARecord | ParseIssue:
    """One {question, answer, url?} record (also {input, output}), or the issue that keeps it out."""
    question = next((obj[f] for f in QUESTION_FIELDS if f in obj), None)
    answer = next((obj[f] for f in ANSWER_FIELDS if f in obj), None)
    url = obj.get("url")
    if not isinstance(question, str) or not question.strip():
        return ParseIssue(path, number, "缺少 question 字段 (missing 'question')")
    if not isinstance(answer, str) or not answer.strip():
        return ParseIssue(path, number, "缺少 answer 字段 (missing 'answer')")
    if url is not None and not isinstance(url, str):
        return ParseIssue(path, number, "url 应为字符串 (url must be a string)")
    body = clean_text(answer)
    return QARecord(clean_question(question), body.text, url or None, f"{path}:{number}", notes=body.notes)


# --- saved pages -------------------------------------------------------------------------------------
Block = tuple[str, str]  # ("h", heading text) | ("p", paragraph) | ("li", list item)

_BLOCK_TAGS = "h1,h2,h3,h4,h5,h6,p,li,dt,dd,blockquote,pre,td"
_DROP_TAGS = ["script", "style", "noscript", "nav", "footer", "header", "form", "iframe", "svg", "button"]


def _html_blocks(raw: str) -> tuple[str, str, list[Block]]:
    tree = HTMLParser(raw)
    title_node = tree.css_first("title")
    title = title_node.text(strip=True) if title_node else ""
    url = ""
    for selector, attr in (('link[rel="canonical"]', "href"), ('meta[property="og:url"]', "content")):
        found = tree.css_first(selector)
        if found is not None and (found.attributes.get(attr) or "").startswith(("http://", "https://")):
            url = found.attributes.get(attr) or ""
            break
    tree.strip_tags(_DROP_TAGS)
    blocks: list[Block] = []
    for node in tree.css(_BLOCK_TAGS):
        if _inside_block(node):
            continue  # its text is part of the enclosing block already
        text = node.text(separator="", strip=True)
        if not text:
            continue
        tag = node.tag or ""
        kind = "h" if tag[:1] == "h" and tag[1:].isdigit() else ("li" if tag in ("li", "dt") else "p")
        blocks.append((kind, text))
    return title, url, blocks


def _inside_block(node: Node) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag in ("p", "li", "dt", "dd", "blockquote", "pre", "td") or (
                parent.tag and parent.tag[:1] == "h" and parent.tag[1:].isdigit()):
            return True
        parent = parent.parent
    return False


_MD_HEADING = re.compile(r"^#{1,6}\s+(.*)$")
_MD_ITEM = re.compile(r"^[-*+]\s+(.*)$")


def _markdown_blocks(raw: str) -> tuple[str, str, list[Block]]:
    blocks: list[Block] = []
    for line in raw.splitlines():
        line = line.strip()
        if not line:
            continue
        if heading := _MD_HEADING.match(line):
            blocks.append(("h", heading.group(1).strip()))
        elif item := _MD_ITEM.match(line):
            blocks.append(("li", item.group(1).strip()))
        else:
            blocks.append(("p", line))
    return "", "", blocks


def parse_page(raw: str, html: bool = True, source: str = "") -> QARecord | None:
    """Parse a saved Q&A page into a record: title → question; 摘要, sections, 法律依据, 相关问题."""
    page_title, url, blocks = _html_blocks(raw) if html else _markdown_blocks(raw)
    question = ""
    if blocks and blocks[0][0] == "h":
        question = blocks.pop(0)[1]
    elif page_title:
        question = _TITLE_SUFFIX.sub("", page_title)
    question = clean_question(question)
    part = "section"
    summary: list[str] = []
    sections: list[tuple[str, list[str]]] = []
    basis: list[str] = []
    related: list[str] = []
    for kind, text in blocks:
        if kind == "h":
            heading = text.strip("：: ")
            part = ("summary" if _SUMMARY.match(heading) else "basis" if _BASIS.match(heading)
                    else "related" if _RELATED.match(heading) else "skip" if _SKIP.match(heading) else "section")
            if part == "section":
                sections.append((heading, []))
            continue
        if part == "summary":
            summary.append(text)
        elif part == "basis":
            basis.append(text)
        elif part == "related":
            related.append(text)
        elif part == "section":
            label, _, rest = text.partition("：")
            if not sections and rest and _SUMMARY.match(label):
                summary.append(rest)  # a paragraph labelled inline ("摘要：…") before any heading
                continue
            if not sections:
                sections.append(("", []))
            sections[-1][1].append(text)
    notes: list[str] = []

    def cleaned(text: str) -> str:
        result = clean_text(text)
        notes.extend(n for n in result.notes if n not in notes)
        return result.text

    summary_text = cleaned("\n".join(summary))
    section_pairs = [(t, cleaned("\n".join(ps))) for t, ps in sections]
    section_pairs = [(t, b) for t, b in section_pairs if b]
    basis_items = [b for b in (cleaned(x) for x in basis) if b]
    related_items = [q for q in (clean_question(x) for x in related) if q]
    parts = [summary_text] + [f"{t}\n{b}" if t else b for t, b in section_pairs]
    if basis_items:
        parts.append("法律依据\n" + "\n".join(basis_items))
    answer = "\n\n".join(p for p in parts if p)
    if not question or not answer:
        return None
    return QARecord(question, answer, url or None, source, summary_text, section_pairs, basis_items, related_items,
                    notes)

"""Source `lawrefbook:PATH`: a LawRefBook checkout, one Markdown file per law version.

Format (法律法规模版.md): '# ' title (a second '# ' line is a subtitle), dated event lines, the marker
'<!-- INFO END -->', then '##'/'###' headings for 编/章/节 and one paragraph per article starting '第X条 ',
with 款 as continuation paragraphs and 项 as '（一）…' paragraphs. Several dated files of one law are several
versions; undated files of one title in one folder (the 民法典 编) are parts of one version.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from fawen.corpus.records import Issue, ParsedArticle, SourceDoc, split_paragraphs
from fawen.text.numerals import CN_DIGITS, cn_to_int

SOURCE = "lawrefbook"
INFO_END = "<!-- INFO END -->"
_ARTICLE = re.compile(rf"^第([{CN_DIGITS}]+)条(?:之([{CN_DIGITS}]+))?[ \u3000]+(.*)$")
_HEADING = re.compile(r"^(#{2,6})\s+(.*?)\s*$")
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_FILE_DATE = re.compile(r"\((\d{4}-\d{2}-\d{2})\)$")
_SKIP_FILES = {"法律法规模版.md", "README.md"}
_TOP_KINDS = {"宪法": "宪法", "司法解释": "司法解释", "行政法规": "行政法规", "部门规章": "部门规章",
              "案例": "案例", "DLC": "地方性法规"}


@dataclass
class _Part:
    doc: SourceDoc
    group: tuple[str, str, str]
    file: Path


def read(root: Path, issues: list[Issue]) -> Iterator[SourceDoc]:
    """Yield one SourceDoc per law version; malformed files are reported in `issues` and skipped."""
    root = Path(root)
    expired = _expired_catalogue(root)
    groups: dict[tuple[str, str, str], list[_Part]] = {}
    for file in sorted(root.rglob("*.md")):
        if file.name.startswith("_") or file.name in _SKIP_FILES:
            continue
        part = parse_file(file, root, issues, expired)
        if part is not None:
            groups.setdefault(part.group, []).append(part)
    for parts in groups.values():
        doc = _join(parts, issues)
        if doc is not None:
            yield doc


def parse_file(file: Path, root: Path, issues: list[Issue],
               expired: set[tuple[str, str]] | None = None) -> _Part | None:
    rel = str(file.relative_to(root))
    raw = file.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad_line = raw[: exc.start].count(b"\n") + 1
        issues.append(Issue(SOURCE, rel, bad_line, "不是 UTF-8 编码 (not UTF-8), file skipped"))
        return None
    lines = text.splitlines()
    titles: list[str] = []
    events: list[tuple[str, str]] = []
    body_start = None
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped.startswith(INFO_END):
            body_start = number
            break
        if stripped.startswith("# "):
            titles.append(re.sub(r"<!--.*?-->", "", stripped[2:]).strip())
        elif (date := _DATE.search(stripped)) is not None:
            events.append((f"{int(date[1]):04d}-{int(date[2]):02d}-{int(date[3]):02d}", stripped))
    if not titles or not titles[0]:
        issues.append(Issue(SOURCE, rel, 1, "缺少标题行 '# …' (no title line), file skipped"))
        return None
    if body_start is None:
        issues.append(Issue(SOURCE, rel, len(lines), f"缺少 {INFO_END} 标记 (no INFO END marker), file skipped"))
        return None

    articles = _parse_body(lines, body_start, rel, issues)
    if articles is None:
        return None
    if not articles:
        issues.append(Issue(SOURCE, rel, body_start, "没有条文 (no articles), file skipped", "warning"))
        return None

    stem = file.stem
    file_date_match = _FILE_DATE.search(stem)
    file_date = file_date_match[1] if file_date_match else ""
    short_name = _FILE_DATE.sub("", stem).strip()
    in_force = [d for d, t in events if "施行" in t]
    made = [d for d, t in events if "施行" not in t]
    published = file_date or (max(made) if made else (max(in_force) if in_force else ""))
    effective = max(in_force) if in_force else published
    effective = max(effective, published)
    top = file.relative_to(root).parts[0]
    kind = _TOP_KINDS.get(top, "法律")
    department = file.relative_to(root).parts[1] if top in ("DLC", "部门规章") else top
    status = "已废止" if expired and (short_name, published) in expired else "现行有效"
    doc = SourceDoc(titles[0], kind, department, published, effective, status, SOURCE, rel,
                    articles, short_name)
    return _Part(doc, (str(file.parent.relative_to(root)), titles[0], file_date), file)


def _parse_body(lines: list[str], start: int, rel: str, issues: list[Issue]) -> list[ParsedArticle] | None:
    articles: list[ParsedArticle] = []
    headings: list[tuple[int, str]] = []
    current: list[str] | None = None
    seen: set[tuple[int, int]] = set()

    def close() -> None:
        if current is not None and articles:
            body = [ln for ln in current if ln.strip()]
            articles[-1].paragraphs = split_paragraphs(body)
            articles[-1].text = "\n".join(ln.strip() for ln in body)

    for number, line in enumerate(lines[start:], start=start + 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("<!--"):
            continue
        heading = _HEADING.match(stripped)
        if heading:
            close()
            current = None
            level = len(heading[1])
            headings = [h for h in headings if h[0] < level] + [(level, heading[2])]
            continue
        match = _ARTICLE.match(stripped)
        if match:
            close()
            try:
                art_no = cn_to_int(match[1])
                suffix = cn_to_int(match[2]) if match[2] else 0
            except ValueError:
                issues.append(Issue(SOURCE, rel, number, f"无法识别的条号 (unreadable number) {match[1]!r}"))
                return None
            key = (art_no, suffix)
            if key in seen:
                issues.append(Issue(SOURCE, rel, number, f"重复条号 (duplicate article number) 第{match[1]}条, file skipped"))
                return None
            if articles and (art_no, suffix) < (articles[-1].number, articles[-1].suffix):
                issues.append(Issue(SOURCE, rel, number,
                                    f"条号倒退 (broken numbering): 第{match[1]}条 after 第{articles[-1].number}条, file skipped"))
                return None
            if articles and suffix == 0 and art_no > articles[-1].number + 1:
                issues.append(Issue(SOURCE, rel, number,
                                    f"条号跳跃 (gap in numbering): {articles[-1].number} → {art_no}", "warning"))
            seen.add(key)
            articles.append(ParsedArticle(art_no, suffix, [h[1] for h in headings], [], "", number))
            current = [match[3]]
        elif current is not None:
            current.append(stripped)
    close()
    return articles


def _join(parts: list[_Part], issues: list[Issue]) -> SourceDoc | None:
    """Join the files of one version (民法典 编 files) into one document."""
    if len(parts) == 1:
        return parts[0].doc
    parts.sort(key=lambda p: p.doc.articles[0].number)
    doc = parts[0].doc
    seen = {(a.number, a.suffix) for a in doc.articles}
    for part in parts[1:]:
        for article in part.doc.articles:
            if (article.number, article.suffix) in seen:
                issues.append(Issue(SOURCE, part.doc.source_ref, article.line,
                                    "重复条号 (duplicate article number across parts), file skipped"))
                return None
            seen.add((article.number, article.suffix))
        doc.articles.extend(part.doc.articles)
        doc.effective = max(doc.effective, part.doc.effective)
        doc.published = max(doc.published, part.doc.published)
    doc.source_ref = str(parts[0].file.parent.name) + "/"
    doc.short_name = parts[0].file.parent.name if parts[0].file.parent.name == doc.short_name else doc.short_name
    return doc


def _expired_catalogue(root: Path) -> set[tuple[str, str]]:
    """(short name, publish date) pairs the checkout's index.sqlite3 marks as expired."""
    index = root / "index.sqlite3"
    if not index.is_file():
        return set()
    try:
        conn = sqlite3.connect(f"file:{index}?mode=ro", uri=True)
        try:
            rows = conn.execute("SELECT name, publish FROM law WHERE expired = 1").fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return set()
    return {(name, publish or "") for name, publish in rows}

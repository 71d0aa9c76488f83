"""Source `lawrefbook:PATH`: a LawRefBook checkout, one Markdown file per law version.

Format (法律法规模版.md): '# ' title (a second '# ' line is a subtitle), dated event lines, the marker
'<!-- INFO END -->', then '##'/'###' headings for 编/章/节 and one paragraph per article starting '第X条 ',
with 款 as continuation paragraphs and 项 as '（一）…' paragraphs. Several dated files of one law are several
versions; undated files of one title in one folder (the 民法典 编) are parts of one version. A 修正案 or an
amending 决定 has numbered items ('一、将刑法第三百九十条修改为：…') instead of articles.

Each checkout (and each DLC pack) has a catalogue (fawen.corpus.lawrefbook_catalogue): 2025's
index.sqlite3 or 2026's db.sqlite3; its dates become 'catalogue' claims on the versions.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from fawen.corpus import dating
from fawen.corpus.dates import events as parse_events
from fawen.corpus.dates import shift
from fawen.corpus.lawrefbook_catalogue import Catalogue, read_catalogues
from fawen.corpus.records import Issue, ParsedArticle, SourceDoc, split_paragraphs, strip_headings
from fawen.text.labels import article_label
from fawen.text.numerals import CN_DIGITS, cn_to_int

SOURCE = "lawrefbook"
INFO_END = "<!-- INFO END -->"
_ARTICLE = re.compile(rf"^第([{CN_DIGITS}]+)条(?:之([{CN_DIGITS}]+))?[ \u3000]+(.*)$")
_ITEM = re.compile(r"^([一二三四五六七八九十百]+)、(.*)$")
# What follows 「第X条 」 when it is a reference, not a heading: 第（八）项, 第二款, 第三项 ….
_REFERENCE = re.compile(rf"^第\s*[（(]?[{CN_DIGITS}0-9]+[)）]?\s*(?:、|款|项)")
_AMENDING = re.compile(r"修正案|修改.*决定")
_HEADING = re.compile(r"^(#{2,6})\s+(.*?)\s*$")
_FILE_DATE = re.compile(r"\((\d{4}-\d{2}-\d{2})\)$")
_HEADER_LAG_DAYS = 90
_SKIP_FILES = {"法律法规模版.md", "README.md"}
_TOP_KINDS = {"宪法": "宪法", "司法解释": "司法解释", "行政法规": "行政法规", "部门规章": "部门规章",
              "案例": "案例", "DLC": "地方性法规"}


@dataclass
class _Part:
    doc: SourceDoc
    group: tuple[str, str]
    file: Path
    amended: bool = False
    effective_events: tuple[tuple[str, str], ...] = ()
    first_made: str = ""


def read(root: Path, issues: list[Issue]) -> Iterator[SourceDoc]:
    """Yield one SourceDoc per law version, folder by folder; malformed files go to `issues`, skipped."""
    root = Path(root)
    catalogue = read_catalogues(root, issues)
    for folder, names in _folders(root):
        groups: dict[tuple[str, str], list[_Part]] = {}
        for name in names:
            part = parse_file(folder / name, root, issues, catalogue)
            if part is not None:
                groups.setdefault(part.group, []).append(part)
        for parts in groups.values():
            doc = _join(parts, issues)
            if doc is not None:
                # Dated after joining: the 民法典's 施行 line is in one 编's header, its clause in 附则.
                dating.document_claims(doc, doc.source_ref, any(p.amended for p in parts),
                                       [e for p in parts for e in p.effective_events],
                                       first_made=min((p.first_made for p in parts if p.first_made), default=""))
                dating.settle(doc)
                if not doc.published:
                    issues.append(Issue(SOURCE, doc.source_ref, 1, "没有任何日期 (no date in the file or the "
                                        "catalogue): version undated", "warning"))
                yield doc


def _folders(root: Path) -> Iterator[tuple[Path, list[str]]]:
    """Each folder under `root` with its Markdown files, in a stable order."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        names = sorted(n for n in filenames
                       if n.endswith(".md") and not n.startswith("_") and n not in _SKIP_FILES)
        if names:
            yield Path(dirpath), names


def parse_file(file: Path, root: Path, issues: list[Issue],
               catalogue: Catalogue | None = None) -> _Part | None:
    """Parse one file; None (with an issue) when it is unreadable or holds no articles."""
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
    header: list[str] = []
    body_start = None
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped.startswith(INFO_END):
            body_start = number
            break
        if stripped.startswith("# "):
            titles.append(re.sub(r"<!--.*?-->", "", stripped[2:]).strip())
        elif stripped:
            header.append(stripped)
    if not titles or not titles[0]:
        issues.append(Issue(SOURCE, rel, 1, "缺少标题行 '# …' (no title line), file skipped"))
        return None
    if body_start is None:
        issues.append(Issue(SOURCE, rel, len(lines), f"缺少 {INFO_END} 标记 (no INFO END marker), file skipped"))
        return None

    articles = _parse_body(lines, body_start, rel, issues)
    if articles is None:
        return None
    if not articles and _AMENDING.search(titles[0]):
        articles = _parse_items(lines, body_start)
    if not articles:
        issues.append(Issue(SOURCE, rel, body_start, "没有条文 (no articles), file skipped", "warning"))
        return None

    stem = file.stem
    file_date_match = _FILE_DATE.search(stem)
    file_date = file_date_match[1] if file_date_match else ""
    short_name = _FILE_DATE.sub("", stem).strip()
    found = parse_events(header)
    made = [e.date for e in found if e.kind == "made"]
    in_force = [e.date for e in found if e.kind == "effective"]
    published = file_date or (max(made) if made else (max(in_force) if in_force else ""))
    top = file.relative_to(root).parts[0]
    kind = _TOP_KINDS.get(top, "法律")
    department = file.relative_to(root).parts[1] if top in ("DLC", "部门规章") else top
    doc = SourceDoc(titles[0], kind, department, published, published, "现行有效", SOURCE, rel,
                    articles, short_name, events=[e.line for e in found if e.kind == "made"])
    doc.published_from = "document" if published in made else ("catalogue" if file_date else "unverified")
    # An amended text says so in its header, or its file date is long after every header line (工伤保险条例
    # (2010-12-20).md lists only the 2003 公布); an interpretation's 公布 follows its 通过 by days.
    amended = any(re.search(r"修正|修订|修改", e.line) for e in found if e.kind == "made") or (
        bool(made) and published > shift(max(made), _HEADER_LAG_DAYS))
    if catalogue is not None:
        catalogue.claims_for(doc, file.parent.relative_to(root), stem, bool(file_date))
    return _Part(doc, (titles[0], file_date), file, amended,
                 tuple((e.date, e.line) for e in found if e.kind == "effective"), min(made) if made else "")


def _parse_body(lines: list[str], start: int, rel: str, issues: list[Issue]) -> list[ParsedArticle] | None:
    articles: list[ParsedArticle] = []
    headings: list[tuple[int, str]] = []
    current: list[str] | None = None
    seen: set[tuple[int, int]] = set()

    def close() -> None:
        if current is not None and articles:
            body = strip_headings("\n".join(ln for ln in current if ln.strip())).split("\n")
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
            try:
                art_no = cn_to_int(match[1])
                suffix = cn_to_int(match[2]) if match[2] else 0
            except ValueError:
                issues.append(Issue(SOURCE, rel, number, f"无法识别的条号 (unreadable number) {match[1]!r}"))
                return None
            key = (art_no, suffix)
            if current is not None and articles and (key in seen or key < (articles[-1].number, articles[-1].suffix)) \
                    and _REFERENCE.match(match[3]):
                # 「第四条 第（八）、第（九）项规定的消毒管理，按照…」: a 款 that opens by citing an earlier
                # article, written with a space, is no heading (四川省消毒管理条例 第六条).
                issues.append(Issue(SOURCE, rel, number, f"款首的条文引用 (a paragraph opening with a reference "
                                    f"to 第{match[1]}条) kept in {article_label(articles[-1].number, articles[-1].suffix)}",
                                    "warning"))
                current.append(stripped)
                continue
            close()
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


def _parse_items(lines: list[str], start: int) -> list[ParsedArticle]:
    """The numbered items of a 修正案 or amending 决定 ('一、…'), as articles 1, 2, …."""
    items: list[ParsedArticle] = []
    body: list[str] = []

    def close() -> None:
        if items:
            items[-1].paragraphs = split_paragraphs(body)
            items[-1].text = "\n".join(body)

    for number, line in enumerate(lines[start:], start=start + 1):
        stripped = line.strip()
        if not stripped or stripped.startswith(("<!--", "#")):
            continue
        match = _ITEM.match(stripped)
        if match:
            try:
                value = cn_to_int(match[1])
            except ValueError:
                value = 0
            if value == len(items) + 1:
                close()
                items.append(ParsedArticle(value, 0, [], [], "", number))
                body = [match[2]]
                continue
        if items:
            body.append(stripped)
    close()
    return items


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
        doc.published = max(doc.published, part.doc.published)
        doc.claims.extend(part.doc.claims)
        doc.events = sorted(set(doc.events) | set(part.doc.events))
        doc.first_effective = min(filter(None, (doc.first_effective, part.doc.first_effective)), default="")
    folder = parts[0].file.parent.name
    doc.source_ref = folder + "/"
    if folder in doc.title:
        doc.short_name = folder                 # 民法典/总则.md … → 民法典, not 总则
    return doc

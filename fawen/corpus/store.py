"""Read API over a built corpus: resolve law names, pick the version in force, fetch articles."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Any

from fawen import config, db
from fawen.corpus import aliases
from fawen.corpus.build import corpus_path
from fawen.dates import as_of as parse_as_of
from fawen.errors import BadInput, NotFound
from fawen.models import Article, Hit, Law, LawVersion, Paragraph
from fawen.text.labels import ArticleRef, parse_article_ref

_ART_COLS = "id, version_id, law_id, number, suffix, label, path, paragraphs, text"


class Corpus:
    """A read-only view of one built corpus file. Laws and versions are held in memory."""

    def __init__(self, path: Path) -> None:
        self.path = path
        # The generation directory opened (`current` is a symlink a rebuild may switch later): the
        # retrieval index beside this file is the one that matches it.
        self.generation = path.resolve().parent
        self.conn = db.open_readonly(path)
        self._lock = threading.Lock()
        self.meta: dict[str, str] = dict(self.conn.execute("SELECT key, value FROM meta").fetchall())
        self.laws: dict[int, Law] = {
            r["id"]: Law(r["id"], r["title"], r["kind"], r["department"], json.loads(r["aliases"]))
            for r in self.conn.execute("SELECT * FROM laws ORDER BY id")
        }
        self.versions: dict[int, LawVersion] = {}
        self.versions_by_law: dict[int, list[LawVersion]] = {}
        for r in self.conn.execute("SELECT * FROM versions ORDER BY law_id, effective, published, id"):
            v = LawVersion(r["id"], r["law_id"], r["title"], r["published"], r["effective"], r["status"],
                           r["source"], r["source_ref"])
            self.versions[v.id] = v
            self.versions_by_law.setdefault(v.law_id, []).append(v)
        self.alias_index: dict[str, list[int]] = {}
        for key, law_id in self.conn.execute("SELECT key, law_id FROM aliases ORDER BY law_id"):
            self.alias_index.setdefault(key, []).append(law_id)

    # --- laws -------------------------------------------------------------------------------
    def resolve_law(self, name: str) -> list[Law]:
        """Laws a name may mean: exact title/alias match, else laws whose title contains the name."""
        k = aliases.key(name)
        if not k:
            return []
        ids = self.alias_index.get(k)
        if ids:
            return [self.laws[i] for i in ids]
        matches = sorted({i for key, law_ids in self.alias_index.items() if k in key for i in law_ids})
        return [self.laws[i] for i in matches]

    def unique_law_id(self, key: str) -> int | None:
        """The id of the one law filed under a matching key (aliases.key form); None when none or several."""
        ids = self.alias_index.get(key)
        return ids[0] if ids and len(ids) == 1 else None

    def law(self, name: str) -> Law:
        """The one law a name means; NotFound when none, BadInput listing candidates when several."""
        found = self.resolve_law(name)
        if not found:
            raise NotFound(f"未找到法律 (no such law): {name}")
        if len(found) > 1:
            names = "、".join(law.title for law in found[:8])
            more = f" … (+{len(found) - 8})" if len(found) > 8 else ""
            raise BadInput(f"「{name}」可指多部法律 (ambiguous): {names}{more}")
        return found[0]

    # --- versions ---------------------------------------------------------------------------
    def version_in_force(self, law_id: int, as_of: str) -> LawVersion | None:
        """The last version effective on or before `as_of`, unless the law was repealed."""
        chosen = None
        for v in self.versions_by_law.get(law_id, []):
            if v.effective <= as_of:
                chosen = v
        if chosen is not None and chosen.status == "已废止":
            return None
        return chosen

    def versions_in_force(self, as_of: str) -> list[LawVersion]:
        out = []
        for law_id in self.versions_by_law:
            v = self.version_in_force(law_id, as_of)
            if v is not None:
                out.append(v)
        return out

    # --- articles ---------------------------------------------------------------------------
    def article(self, version_id: int, number: int, suffix: int = 0) -> Article | None:
        row = self._one(f"SELECT {_ART_COLS} FROM articles WHERE version_id = ? AND number = ? AND suffix = ?",
                        (version_id, number, suffix))
        return _article(row) if row else None

    def article_in_force(self, law_id: int, number: int, suffix: int, as_of: str) -> Article | None:
        """The article with this number in the version of the law in force on `as_of`, if any."""
        version = self.version_in_force(law_id, as_of)
        return self.article(version.id, number, suffix) if version else None

    def article_by_id(self, article_id: int) -> Article:
        row = self._one(f"SELECT {_ART_COLS} FROM articles WHERE id = ?", (article_id,))
        if row is None:
            raise NotFound(f"no article with id {article_id}")
        return _article(row)

    def articles(self, version_id: int) -> list[Article]:
        with self._lock:
            rows = self.conn.execute(f"SELECT {_ART_COLS} FROM articles WHERE version_id = ? "
                                     "ORDER BY number, suffix", (version_id,)).fetchall()
        return [_article(r) for r in rows]

    def article_in_versions(self, law_id: int, number: int, suffix: int = 0) -> list[tuple[LawVersion, Article]]:
        """The article with this number in every version of the law that has it, oldest first."""
        with self._lock:
            rows = self.conn.execute(f"SELECT {_ART_COLS} FROM articles WHERE law_id = ? AND number = ? "
                                     "AND suffix = ?", (law_id, number, suffix)).fetchall()
        found = [(self.versions[r["version_id"]], _article(r)) for r in rows]
        return sorted(found, key=lambda pair: (pair[0].effective, pair[0].id))

    def successors(self, article_id: int) -> list[tuple[Article, float]]:
        """Articles of the next version that correspond to this one, best first."""
        with self._lock:
            rows = self.conn.execute("SELECT new_id, score FROM correspondence WHERE old_id = ? "
                                     "ORDER BY score DESC, new_id", (article_id,)).fetchall()
        return [(self.article_by_id(r[0]), r[1]) for r in rows]

    def predecessors(self, article_id: int) -> list[tuple[Article, float]]:
        with self._lock:
            rows = self.conn.execute("SELECT old_id, score FROM correspondence WHERE new_id = ? "
                                     "ORDER BY score DESC, old_id", (article_id,)).fetchall()
        return [(self.article_by_id(r[0]), r[1]) for r in rows]

    def corresponding_in(self, article_id: int, version_id: int) -> tuple[Article, float] | None:
        """Follow correspondences forward or backward until reaching `version_id`."""
        target = self.versions[version_id]
        start = self.article_by_id(article_id)
        step = self.successors if self.versions[start.version_id].effective <= target.effective else self.predecessors
        current, score = start, 100.0
        for _ in range(len(self.versions_by_law.get(start.law_id, []))):
            if current.version_id == version_id:
                return current, score
            nxt = step(current.id)
            if not nxt:
                return None
            current, score = nxt[0][0], min(score, nxt[0][1])
        return (current, score) if current.version_id == version_id else None

    def hit(self, article: Article, score: float = 0.0) -> Hit:
        law = self.laws[article.law_id]
        version = self.versions[article.version_id]
        return Hit(law.title, law.kind, article.label, article.number, article.suffix, version.effective,
                   article.text, score, law.id, article.id, version.id, version.status, article.path)

    def get_article(self, law: str, article: str | int, as_of: str | None = None) -> Hit:
        """The article of the version in force on `as_of` (today by default), as a Hit."""
        date = parse_as_of(as_of)
        the_law = self.law(law)
        try:
            ref: ArticleRef = parse_article_ref(str(article))
        except ValueError as exc:
            raise BadInput(str(exc)) from exc
        versions = self.versions_by_law.get(the_law.id, [])
        version = self.version_in_force(the_law.id, date)
        if version is None:
            if versions and date < versions[0].effective:
                raise NotFound(f"{the_law.title} 在 {date} 尚未施行 (not yet in force); "
                               f"最早版本 {versions[0].effective} 施行")
            raise NotFound(f"{the_law.title} 在 {date} 已失效 (repealed)")
        found = self.article(version.id, ref.number, ref.suffix)
        if found is None:
            elsewhere = self.article_in_versions(the_law.id, ref.number, ref.suffix)
            hint = ""
            if elsewhere:
                hint = "；该条见于 " + "、".join(f"{v.effective} 版" for v, _ in elsewhere)
            raise NotFound(f"{the_law.title}（{version.effective} 版）没有{ref.label} (no such article){hint}")
        return self.hit(found)

    # --- summary ----------------------------------------------------------------------------
    def stats(self) -> dict[str, Any]:
        by_kind: dict[str, dict[str, int]] = {}
        laws_per_kind = Counter(law.kind for law in self.laws.values())
        versions_per_kind = Counter(self.laws[v.law_id].kind for v in self.versions.values())
        with self._lock:
            rows = self.conn.execute("SELECT l.kind, COUNT(*) FROM articles a JOIN laws l ON l.id = a.law_id "
                                     "GROUP BY l.kind").fetchall()
            issues = self.conn.execute("SELECT severity, COUNT(*) FROM build_issues GROUP BY severity").fetchall()
            corr = self.conn.execute("SELECT COUNT(*) FROM correspondence").fetchone()[0]
        articles_per_kind = dict(rows)
        for kind in sorted(laws_per_kind, key=lambda k: -laws_per_kind[k]):
            by_kind[kind] = {"laws": laws_per_kind[kind], "versions": versions_per_kind[kind],
                             "articles": articles_per_kind.get(kind, 0)}
        return {
            "laws": len(self.laws),
            "versions": len(self.versions),
            "articles": sum(articles_per_kind.values()),
            "correspondences": corr,
            "by_kind": by_kind,
            "corpus_date": self.meta.get("corpus_date", ""),
            "built_at": self.meta.get("built_at", ""),
            "sources": json.loads(self.meta.get("sources", "[]")),
            "build_issues": dict(issues),
        }

    def _one(self, sql: str, args: tuple[Any, ...]) -> sqlite3.Row | None:
        with self._lock:
            row: sqlite3.Row | None = self.conn.execute(sql, args).fetchone()
        return row


def _article(row: sqlite3.Row) -> Article:
    paragraphs = [Paragraph(p["text"], p["items"]) for p in json.loads(row["paragraphs"])]
    return Article(row["id"], row["version_id"], row["law_id"], row["number"], row["suffix"], row["label"],
                   json.loads(row["path"]), paragraphs, row["text"])


@lru_cache(maxsize=4)
def _open(path: str, mtime: float) -> Corpus:
    return Corpus(Path(path))


def open_corpus(home: Path | None = None) -> Corpus:
    """The current corpus under FAWEN_HOME (cached; reopened after a rebuild switches `current`)."""
    path = corpus_path(home or config.home()).resolve()
    return _open(str(path), path.stat().st_mtime)

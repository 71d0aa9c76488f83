"""The retrieval index: built once per corpus generation (by fawen/build.py), loaded by the Library.

<gen>/index/
  docs.npz           per article (row = position): article id, version id, law id, number, suffix, kind
  text.*.npy         BM25 (bm25.py) over character bigrams of the article text
  part.*.npy         BM25 over character bigrams of each 款 and 项 (passages); part_start.npy: first
                     passage of each article
  head.*.npy         BM25 over character bigrams of each section's law title and headings (编/章/节)
  section.npy        per article: its section (one law's articles under the same headings)
  sections.json      per section: [law id, "编 / 章 / 节"]
  links.npz          citations between articles (citing position → cited position), see links.py
  dictionary.txt     legal words for jieba (law names, headings, defined terms)
  words.*            jieba's dictionary with those words added, as sorted arrays (terms.write_word_table)
  readings.json      every toneless reading pypinyin may give a character (concepts.write_readings)
  meta.json          format version and counts

Structures a process would otherwise compute at load are stored too (the word table, the readings;
retrieve/stored.py: the default view, learned parts bound); an index written before them still loads, and
computes them in memory.

Every version and every kind is indexed; the version in force and the kinds asked for are a mask applied
at query time, so `as_of` and `kinds` cost nothing at build time.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from fawen.corpus.layout import CORPUS_FILE, INDEX_DIR
from fawen.corpus.store import Corpus
from fawen.errors import CorpusError
from fawen.models import KINDS
from fawen.retrieve import concepts, links, terms
from fawen.retrieve.bm25 import Field, build_bigram_field

FORMAT = 5
_FIELDS = ("text", "head", "part")


def build_index(gen: Path) -> None:
    """Write the retrieval indexes of the corpus in `gen` into `gen/index/`."""
    out = gen / INDEX_DIR
    out.mkdir(exist_ok=True)
    started = time.perf_counter()
    corpus = Corpus(gen / CORPUS_FILE)
    try:
        laws = corpus.laws
        rows = corpus.index_rows()
    finally:
        corpus.close()
    kind_code = {k: i for i, k in enumerate(KINDS)}
    columns: list[tuple[Any, ...]] = list(zip(*rows)) if rows else [() for _ in range(8)]
    np.savez(out / "docs.npz",
             article_id=np.asarray(columns[0], dtype=np.int64),
             version_id=np.asarray(columns[1], dtype=np.int32),
             law_id=np.asarray(columns[2], dtype=np.int32),
             number=np.asarray(columns[3], dtype=np.int32),
             suffix=np.asarray(columns[4], dtype=np.int16),
             kind=np.asarray([kind_code.get(laws[r[2]].kind, len(KINDS)) for r in rows], dtype=np.int8))
    paths = [json.loads(r[5]) for r in rows]
    keys = links.position_key(*(np.asarray(columns[i], dtype=np.int64) for i in (2, 3, 4)))
    src, dst = links.resolve(links.extract([r[6] for r in rows], [r[2] for r in rows], corpus.unique_law_id), keys)
    np.savez(out / "links.npz", src=src, dst=dst)
    sections: dict[tuple[int, str], int] = {}
    section = [sections.setdefault((r[2], " / ".join(p)), len(sections)) for r, p in zip(rows, paths, strict=True)]
    np.save(out / "section.npy", np.asarray(section, dtype=np.int32))
    (out / "sections.json").write_text(json.dumps([[law, path] for law, path in sections], ensure_ascii=False),
                                       encoding="utf-8")
    build_bigram_field([str(r[6]) for r in rows], out / "text")
    parts, starts = _passages(rows)
    np.save(out / "part_start.npy", np.asarray(starts, dtype=np.int64))
    build_bigram_field(parts, out / "part")
    # One heading document per section, not per article: titles repeat across a law's articles, and
    # scoring 20k sections instead of 150k articles keeps common title bigrams (人民, 共和) cheap.
    build_bigram_field([laws[law].title + " " + path.replace(" / ", " ") for law, path in sections], out / "head")
    short_titles = {law.title.replace("中华人民共和国", "") for law in laws.values()}
    headings = {h for p in paths for h in p}
    words = terms.dictionary_terms(short_titles, headings, (r[6] for r in rows))
    (out / "dictionary.txt").write_text("\n".join(sorted(words)) + "\n", encoding="utf-8")
    terms.write_word_table(words, out)
    concepts.write_readings(out)
    meta = {"format": FORMAT, "articles": len(rows), "laws": len(laws), "dictionary": len(words),
            "seconds": round(time.perf_counter() - started, 1)}
    (out / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


def _passages(rows: list[tuple[object, ...]]) -> tuple[list[str], list[int]]:
    """Each article's 款 and 项 as separate passages (the article text when it has none), with the index of
    each article's first passage: a short item (（二）捏造事实诽谤他人的) matches better alone than inside
    a long article."""
    parts: list[str] = []
    starts: list[int] = []
    for row in rows:
        starts.append(len(parts))
        paragraphs = json.loads(str(row[7]))
        before = len(parts)
        for paragraph in paragraphs:
            if paragraph.get("text"):
                parts.append(paragraph["text"])
            parts.extend(item for item in paragraph.get("items", []) if item)
        if len(parts) == before:
            parts.append(str(row[6]))
    return parts, starts


@dataclass
class Index:
    """The loaded index of one corpus generation."""

    path: Path
    article_id: np.ndarray
    version_id: np.ndarray
    law_id: np.ndarray
    number: np.ndarray
    suffix: np.ndarray
    kind: np.ndarray
    text: Field
    head: Field
    part: Field
    part_start: np.ndarray
    part_owner: np.ndarray
    cutter: terms.WordCutter
    section: np.ndarray
    sections: list[tuple[int, str]]
    link_src: np.ndarray
    link_dst: np.ndarray
    cited_by: np.ndarray
    readings: concepts.Readings | None = field(default=None, repr=False)  # None: an index built without them
    _by_key: links.KeyOrder | None = field(default=None, repr=False)

    def subset(self, keep: np.ndarray) -> Index:
        """The index narrowed to the articles where `keep` is True (the versions in force and the kinds
        searched): same scores, but every per-query array is the size of what is searched, not of the
        whole corpus (55k of 151k articles today). Positions are renumbered in order. The build stores
        the one searched by default (retrieve/stored.py), as this costs ~0.3 s."""
        positions = np.flatnonzero(keep)
        renumber = np.full(self.size, -1, dtype=np.int64)
        renumber[positions] = np.arange(positions.size)
        part_keep = keep[self.part_owner]
        starts = np.cumsum(part_keep, dtype=np.int64) - part_keep
        both = keep[self.link_src] & keep[self.link_dst]
        return self.narrowed(positions, self.text.subset(keep), self.part.subset(part_keep),
                             starts[self.part_start[positions]], renumber[self.part_owner[part_keep]].astype(np.int32),
                             renumber[self.link_src[both]].astype(np.int32),
                             renumber[self.link_dst[both]].astype(np.int32))

    def narrowed(self, positions: np.ndarray, text: Field, part: Field, part_start: np.ndarray,
                 part_owner: np.ndarray, link_src: np.ndarray, link_dst: np.ndarray) -> Index:
        """The index over the articles at `positions`, given its fields, passages and links (renumbered)."""
        return Index(self.path, self.article_id[positions], self.version_id[positions], self.law_id[positions],
                     self.number[positions], self.suffix[positions], self.kind[positions], text, self.head, part,
                     part_start, part_owner, self.cutter, self.section[positions], self.sections,
                     link_src, link_dst, self.cited_by[positions], self.readings)

    @property
    def size(self) -> int:
        return int(self.article_id.shape[0])

    def head_scores(self, query_terms: dict[str, float]) -> np.ndarray:
        """Per article, the score of its section's law title and headings."""
        scores: np.ndarray = self.head.scores(query_terms)[self.section]
        return scores

    def cited(self, sources: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(source index into `sources`, cited position) for the articles the given positions cite."""
        lo = np.searchsorted(self.link_src, sources, side="left")
        hi = np.searchsorted(self.link_src, sources, side="right")
        counts = hi - lo
        if not counts.sum():
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        which = np.repeat(np.arange(sources.size), counts)
        starts = np.repeat(lo - np.cumsum(counts) + counts, counts)
        return which, self.link_dst[np.arange(int(counts.sum())) + starts]

    def best_part(self, part_scores: np.ndarray) -> np.ndarray:
        """Per article, the best score of its passages (only passages that scored are looked at)."""
        out = np.zeros(self.size, dtype=np.float32)
        hit = np.flatnonzero(part_scores > 0)
        if hit.size:
            owners = self.part_owner[hit]
            first = np.concatenate(([0], np.flatnonzero(owners[1:] != owners[:-1]) + 1))
            out[owners[first]] = np.maximum.reduceat(part_scores[hit], first)
        return out

    def shifted(self, positions: np.ndarray, offset: int) -> np.ndarray:
        """The position of the article `offset` numbers after each given one in the same law (第N条 →
        第N+offset条, whole-numbered articles only), or -1; meant for a narrowed index, where a law has one
        version."""
        keys, order = self.by_key()
        if not keys.size:
            return np.full(positions.size, -1, dtype=np.int64)
        wanted = links.position_key(self.law_id[positions], self.number[positions] + offset, np.zeros_like(positions))
        at = np.minimum(np.searchsorted(keys, wanted), keys.size - 1)
        return np.where(keys[at] == wanted, order[at], -1)

    def by_key(self) -> links.KeyOrder:
        """The position keys sorted for lookup (links.positions_of), computed once."""
        if self._by_key is None:
            self._by_key = links.key_order(self.position_keys())
        return self._by_key

    def position_keys(self) -> np.ndarray:
        """One int64 per article identifying (law, number, suffix) across versions."""
        keys: np.ndarray = links.position_key(self.law_id, self.number, self.suffix)
        return keys


def load_index(gen: Path) -> Index:
    """Load `gen/index/` (memory-mapped); CorpusError when it is missing or from another format."""
    root = gen / INDEX_DIR
    try:
        meta = json.loads((root / "meta.json").read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT:
            raise CorpusError(f"检索索引格式过旧 (index format {meta.get('format')}, need {FORMAT}): "
                              "run `fawen corpus build --force`")
        docs = np.load(root / "docs.npz")
        fields = {name: Field.load(root / name) for name in _FIELDS}
        for name in ("section.npy", "part_start.npy", "links.npz"):
            if not (root / name).is_file():
                raise OSError(f"{name} missing")
        starts = np.load(root / "part_start.npy")
        cites = np.load(root / "links.npz")
    except (OSError, ValueError, KeyError) as exc:
        raise CorpusError(f"检索索引缺失或损坏 (retrieval index missing or unreadable) in {root}: {exc}; "
                          "run `fawen corpus build --force`") from exc
    return Index(root, docs["article_id"], docs["version_id"], docs["law_id"], docs["number"], docs["suffix"],
                 docs["kind"], fields["text"], fields["head"], fields["part"],
                 starts, _owners(starts, fields["part"].size),
                 _cutter(root),
                 np.load(root / "section.npy"),
                 [(int(law), str(path)) for law, path in json.loads((root / "sections.json").read_text("utf-8"))],
                 cites["src"], cites["dst"],
                 np.log1p(links.cited_by_laws(cites["src"], cites["dst"], docs["law_id"], docs["article_id"].size)),
                 concepts.read_readings(root))


def _cutter(root: Path) -> terms.WordCutter:
    """jieba with the legal words: over the build's word table, or (an older index) built at the first cut."""
    table = terms.read_word_table(root)
    return terms.WordCutter((), table) if table is not None else \
        terms.WordCutter(terms.read_dictionary(root / "dictionary.txt"))


def _owners(starts: np.ndarray, parts: int) -> np.ndarray:
    """The article position of each passage, from each article's first passage."""
    counts = np.diff(np.append(starts, parts))
    return np.repeat(np.arange(starts.size, dtype=np.int32), counts)

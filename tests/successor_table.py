"""The checked table tests/data/successor_pairs.tsv and the derived mapping's precision and recall on it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from fawen.corpus.merge import MergedLaw
from fawen.corpus.successors import ArticleLink

TABLE = Path(__file__).parent / "data" / "successor_pairs.tsv"


@dataclass(frozen=True)
class Pair:
    old_law: str
    old_article: int
    new_law: str
    new_articles: frozenset[int]
    note: str
    line: int


def load(path: Path = TABLE) -> list[Pair]:
    """Rows of the table; a malformed row raises ValueError naming its line."""
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != 5:
            raise ValueError(f"{path.name}:{number}: need 5 tab-separated fields")
        old, article, new, articles, note = cells
        out.append(Pair(old, int(article), new, frozenset(int(a) for a in articles.split(",")), note, number))
    return out


def score(pairs: Iterable[Pair], links: Iterable[ArticleLink],
          laws: Mapping[str, MergedLaw]) -> tuple[float, float, list[str]]:
    """Precision and recall of the derived links on the table's old articles, and the rows they miss."""
    derived: dict[tuple[str, int, str], set[int]] = {}
    for link in links:
        derived.setdefault((link.old_law, link.old_number, link.new_law), set()).add(link.new_number)
    found = wrong = missed = 0
    misses = []
    for pair in pairs:
        got = derived.get((laws[pair.old_law].key, pair.old_article, laws[pair.new_law].key), set())
        found += len(got & pair.new_articles)
        wrong += len(got - pair.new_articles)
        missed += len(pair.new_articles - got)
        if got != pair.new_articles:
            misses.append(f"{pair.old_law} {pair.old_article} → {sorted(pair.new_articles)}: derived {sorted(got)}")
    precision = found / (found + wrong) if found + wrong else 0.0
    recall = found / (found + missed) if found + missed else 0.0
    return precision, recall, misses

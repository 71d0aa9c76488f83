"""Citation extraction on real prose: recall and precision against hand labels of 150 STARD lawyer answers.

    .venv/bin/python bench/extraction.py [--misses] [--no-resolve]

The answers are read at run time from ../shared/data/stard/dev.jsonl (FAWEN_SHARED_DATA overrides); only the
labels are in the repository, one line per answer, {"query_id", "citations": [{"law", "title", "article",
"suffix", "paragraph", "item", "note"?}]}:
  bench/data/stard_citations.jsonl          100 answers; the extraction rules of issue 13 were written with
                                            these in view (in-sample);
  bench/data/stard_citations_heldout.jsonl   50 more, labelled after the rules were written and not used to
                                            tune them (a diff of the old and new extractor over all of
                                            dev.jsonl was reviewed for false positives, which showed a few).
Which answers: those whose answer contains 第…条 or 《 (355 of dev.jsonl), in file order; the 100 at positions
i * n // 100 for i in 0..99; the held-out 50 are every 5th of the other 255. Labelling rules, applied by
reading each answer:
  - a citation is a reference to one article of a law (第N条, N条, a list 第36、37、38条 counts once per article);
    a law named without an article is not one, nor 本条/前款/第二款 on its own, nor a page or case number;
  - every occurrence counts (the same article cited twice in an answer is two citations);
  - `law` is how the page names the law for that citation (for an inherited one, the name it inherits: 该法,
    第996条 a sentence after 《民法典》第1183条); `title` the full title it means, null when the page does not
    say (《司法解释》 alone, 本法 on a page that names no law) or for foreign law;
  - references inside a passage the page marks as quoted from a statute (in quotation marks, or after the
    citation's colon: “…没有本法第三十九条…规定的情形…”) are part of the quoted text, not citations of the
    page: the auditor checks the quote as a whole; unmarked, they count (…规定，…但有本规定第十二条情形的除外);
  - documents that are not law (会议纪要, 通知 with a 文号, books, cases) are not citations.
Matching: per answer, each label takes one unmatched extracted citation with the same article number and suffix
whose name is compatible (one key contains the other, or the extracted name contains the label's title).
With a corpus (FAWEN_HOME), labels whose title the corpus holds also measure resolution: the resolver must
return exactly that law; titles the corpus lacks are counted apart.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from fawen import config  # noqa: E402
from fawen.cite.extract import RawCitation, extract  # noqa: E402
from fawen.corpus import aliases  # noqa: E402

SETS = (("in-sample 100", REPO / "bench" / "data" / "stard_citations.jsonl"),
        ("held-out 50", REPO / "bench" / "data" / "stard_citations_heldout.jsonl"))
ARTICLE = re.compile(r"第[0-9零〇一二三四五六七八九十百千]+条")


@dataclass
class Pair:
    qid: int
    label: dict | None
    found: RawCitation | None


def chosen(items: list[dict]) -> tuple[list[dict], list[dict]]:
    """The answers each label set covers, chosen as the module docstring says."""
    pool = [it for it in items if it.get("answer") and (ARTICLE.search(it["answer"]) or "《" in it["answer"])]
    first = [i * len(pool) // 100 for i in range(100)]
    rest = [it for k, it in enumerate(pool) if k not in set(first)]
    return [pool[i] for i in first], rest[::5][:50]


def compatible(found: RawCitation, label: dict) -> bool:
    name = aliases.key(found.name)
    keys = [aliases.key(label["law"])] + ([aliases.key(label["title"])] if label.get("title") else [])
    return any(k and (k in name or name in k) for k in keys)


def match(qid: int, labels: list[dict], found: list[RawCitation]) -> list[Pair]:
    """Labels paired with extracted citations; unpaired labels (misses) and citations (extras) too."""
    free = list(found)
    pairs = []
    for label in labels:
        hit = next((c for c in free if (c.number, c.suffix) == (label["article"], label.get("suffix", 0))
                    and compatible(c, label)), None)
        if hit is not None:
            free.remove(hit)
        pairs.append(Pair(qid, label, hit))
    return pairs + [Pair(qid, None, c) for c in free]


def resolution(pairs: list[Pair]) -> tuple[int, int, int, list[str]] | None:
    """(right, judged, titles absent from the corpus, wrong ones) for matched labels, or None without a corpus."""
    try:
        from fawen import service
        library = service.library()
        corpus, resolver = library.corpus, library.resolver
    except Exception as exc:  # noqa: BLE001 - the bench runs without a corpus too
        print(f"(no corpus, resolution not measured: {exc})", file=sys.stderr)
        return None
    known = {aliases.key(law.title) for law in corpus.laws.values()}
    right = judged = absent = 0
    wrong = []
    for p in pairs:
        if p.label is None or p.found is None:
            continue
        title = p.label.get("title")
        if title is not None and aliases.key(title) not in known:
            absent += 1
            continue
        judged += 1
        got = resolver.resolve(p.found)
        laws = got.laws if got is not None else []
        ok = (len(laws) == 1 and aliases.key(laws[0].title) == aliases.key(title)) if title else len(laws) != 1
        right += ok
        if not ok:
            shown = "、".join(law.title for law in laws[:3]) or "none"
            wrong.append(f"{p.qid} {p.found.raw!r} → {shown} (expected {title})")
    return right, judged, absent, wrong


@dataclass
class Measured:
    answers: int
    pairs: list[Pair]
    resolved: tuple[int, int, int, list[str]] | None

    def row(self) -> dict[str, str]:
        pairs = self.pairs
        tp = sum(1 for p in pairs if p.label and p.found)
        n_labels = sum(1 for p in pairs if p.label)
        n_found = sum(1 for p in pairs if p.found)
        detail = [p for p in pairs if p.label and p.found and (p.label["paragraph"] or p.label["item"])]
        detail_ok = sum(1 for p in detail if p.found and p.label
                        and (p.found.paragraph, p.found.item) == (p.label["paragraph"], p.label["item"]))
        out = {"answers": str(self.answers),
               "labelled citations / extracted": f"{n_labels} / {n_found}",
               "recall": f"{tp / n_labels:.3f} ({tp}/{n_labels})" if n_labels else "-",
               "precision": f"{tp / n_found:.3f} ({tp}/{n_found})" if n_found else "-",
               "款/项 right where labelled": f"{detail_ok}/{len(detail)}"}
        if self.resolved is not None:
            right, judged, absent, _ = self.resolved
            out["resolved to the labelled law (extracted ones)"] = f"{right}/{judged}"
            out["labelled law absent from the corpus"] = str(absent)
        return out


def measure(path: Path, answers: dict[int, str], resolve: bool) -> Measured:
    labels = [json.loads(line) for line in path.open(encoding="utf-8")]
    if sorted(answers) != sorted(r["query_id"] for r in labels):
        sys.exit(f"bench/extraction.py: {path.name} does not cover the chosen answers (dev.jsonl changed?)")
    pairs: list[Pair] = []
    for record in labels:
        qid = record["query_id"]
        pairs += match(qid, record["citations"], extract(answers[qid]).citations)
    return Measured(len(labels), pairs, resolution(pairs) if resolve else None)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--misses", action="store_true", help="list every miss, extra citation and wrong law")
    parser.add_argument("--no-resolve", action="store_true", help="skip the resolution rows (no corpus needed)")
    args = parser.parse_args()
    data = Path(config.get("SHARED_DATA") or REPO.parent / "shared" / "data") / "stard" / "dev.jsonl"
    if not data.is_file():
        sys.exit(f"bench/extraction.py: {data} is absent (set FAWEN_SHARED_DATA)")
    items = [json.loads(line) for line in data.open(encoding="utf-8")]
    results = []
    for (name, path), answers in zip(SETS, chosen(items)):
        results.append((name, measure(path, {it["query_id"]: it["answer"] for it in answers}, not args.no_resolve)))
    table = Table(title="fawen citation extraction on hand-labelled STARD lawyer answers")
    table.add_column("measure")
    for name, _ in results:
        table.add_column(name, justify="right")
    table.add_column("goal")
    goals = {"recall": "≥ 0.95", "precision": "≥ 0.98"}
    rows = [m.row() for _, m in results]
    for key in rows[0]:
        table.add_row(key, *[r.get(key, "-") for r in rows], goals.get(key, ""))
    misses = [(name, p) for name, m in results for p in m.pairs if p.label and not p.found]
    table.caption = "misses: " + ("; ".join(f"{name.split()[0]}: {p.qid} {p.label['law']} {p.label['article']}"
                                           f"{' (' + p.label['note'] + ')' if p.label.get('note') else ''}"
                                           for name, p in misses if p.label) or "none")
    Console(width=150).print(table)
    if args.misses:
        for name, m in results:
            for p in m.pairs:
                if p.found and not p.label:
                    print(f"extra, {name}:", p.qid, p.found.raw, p.found.name_kind, p.found.number)
            for line in (m.resolved[3] if m.resolved else []):
                print(f"wrong law, {name}:", line)
    print("command: .venv/bin/python bench/extraction.py " + " ".join(sys.argv[1:]))


if __name__ == "__main__":
    main()

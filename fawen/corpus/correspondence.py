"""Article correspondences by text (not by number): between consecutive versions of one law, and from a
repealed law to the law that replaced it.

Within a law each old article maps to its most similar new one (rapidfuzz Indel similarity on compacted
text, ties broken by relative position); an old article that grew into a longer one (2012 治安管理处罚法
第一百零三条 → 2025 第一百二十二条, similarity 42 but wholly contained) is matched by containment.
Across laws (合同法 → 民法典) mappings may be one-to-many and many-to-one: an article maps to the new
article most like it (character 3-gram Dice, or containment when it was absorbed into a longer one),
and each of its 款/项 that reappears almost whole in another article (继承法第十七条's five kinds of
will → 民法典第一千一百三十四条 to 第一千一百三十九条) adds that one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Indel
from scipy import sparse

MIN_SCORE = 50.0
# Among near-equal candidates prefer the one at a similar relative position in the law.
_POSITION_WEIGHT = 5.0
# An old article this much contained in a new one continues there, however much the new one added.
MIN_CONTAINED = 0.8
MIN_CONTAINED_CHARS = 12
# Across laws (3-gram measures): article-level Dice, containment, and a 款/项's coverage.
GRAM = 3
MIN_DICE = 0.35
MIN_ACROSS_CONTAINED = 0.7
MIN_PART = 0.7
MIN_PART_CHARS = 10
PART_TIE = 0.05
_PUNCT = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """Text reduced for comparison: NFKC, no spaces or punctuation."""
    return _PUNCT.sub("", unicodedata.normalize("NFKC", text))


def correspond(old: Sequence[str], new: Sequence[str]) -> list[tuple[int, int, float]]:
    """Map each old article (by index) to its most similar new article: (old_i, new_j, score 0..100)."""
    if not old or not new:
        return []
    a = [fold(t) for t in old]
    b = [fold(t) for t in new]
    distance = process.cdist(a, b, scorer=Indel.distance, dtype=np.int32).astype(np.float32)
    len_a = np.array([len(t) for t in a], dtype=np.float32)[:, None]
    len_b = np.array([len(t) for t in b], dtype=np.float32)[None, :]
    total = np.maximum(len_a + len_b, 1.0)
    scores = 100.0 * (1.0 - distance / total)
    common = (len_a + len_b - distance) / 2.0
    contained = common / np.maximum(len_a, 1.0)
    pos_a = np.arange(len(a), dtype=np.float32)[:, None] / max(len(a) - 1, 1)
    pos_b = np.arange(len(b), dtype=np.float32)[None, :] / max(len(b) - 1, 1)
    penalty = _POSITION_WEIGHT * np.abs(pos_a - pos_b)
    best = (scores - penalty).argmax(axis=1)
    best_contained = (100.0 * contained - penalty).argmax(axis=1)
    out = []
    for i, j in enumerate(best):
        score = float(scores[i, j])
        if score >= MIN_SCORE:
            out.append((i, int(j), round(score, 1)))
            continue
        k = int(best_contained[i])
        if contained[i, k] >= MIN_CONTAINED and len(a[i]) >= MIN_CONTAINED_CHARS:
            out.append((i, k, round(float(scores[i, k]), 1)))
    return out


def correspond_across(old: Sequence[str], new: Sequence[str]) -> list[tuple[int, int, float]]:
    """Map articles of a repealed law to its successor's, one-to-many and many-to-one allowed:
    (old_i, new_j, score 0..100), each pair once, best first for each old article."""
    if not old or not new:
        return []
    a = [fold(t) for t in old]
    b = [fold(t) for t in new]
    common, size_a, size_b = _shared_grams(a, b)
    dice = 2.0 * common / np.maximum(size_a[:, None] + size_b[None, :], 1.0)
    contained = common / np.maximum(size_a[:, None], 1.0)
    found: dict[tuple[int, int], float] = {}
    for i in range(len(a)):
        j = int(dice[i].argmax())
        if dice[i, j] >= MIN_DICE:
            found[(i, j)] = float(dice[i, j])
            continue
        k = int(contained[i].argmax())
        if contained[i, k] >= MIN_ACROSS_CONTAINED and len(a[i]) >= MIN_CONTAINED_CHARS:
            found[(i, k)] = float(dice[i, k])
    parts, owners = [], []
    for i, text in enumerate(old):
        for line in text.split("\n"):
            part = fold(line)
            if len(part) >= MIN_PART_CHARS:
                parts.append(part)
                owners.append(i)
    if parts:
        part_common, part_size, _ = _shared_grams(parts, b)
        coverage = part_common / np.maximum(part_size[:, None], 1.0)
        for p, i in enumerate(owners):
            # Among the articles that hold the part as well as the best one does, the one most like the whole
            # old article: 「违反法律、行政法规的强制性规定」 recurs in many articles of the 民法典.
            best = float(coverage[p].max())
            if best < MIN_PART:
                continue
            ties = np.flatnonzero(coverage[p] >= best - PART_TIE)
            j = int(ties[dice[i, ties].argmax()])
            if (i, j) not in found:
                found[(i, j)] = float(dice[i, j])
    ordered = sorted(found.items(), key=lambda kv: (kv[0][0], -kv[1], kv[0][1]))
    return [(i, j, round(100.0 * score, 1)) for (i, j), score in ordered]


def _shared_grams(a: Sequence[str], b: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For every pair (a_i, b_j): the number of character n-grams they share; and each side's count."""
    vocab: dict[str, int] = {}
    left = _incidence(a, vocab)
    right = _incidence(b, vocab)
    left.resize((len(a), len(vocab)))
    right.resize((len(b), len(vocab)))
    common = np.asarray((left @ right.T).todense(), dtype=np.float32)
    return (common, np.asarray(left.sum(axis=1), dtype=np.float32).ravel(),
            np.asarray(right.sum(axis=1), dtype=np.float32).ravel())


def _incidence(texts: Sequence[str], vocab: dict[str, int]) -> sparse.csr_matrix:
    rows: list[int] = []
    cols: list[int] = []
    for i, text in enumerate(texts):
        grams = {text[k:k + GRAM] for k in range(max(len(text) - GRAM + 1, 1))} if text else set()
        for gram in grams:
            rows.append(i)
            cols.append(vocab.setdefault(gram, len(vocab)))
    data = np.ones(len(rows), dtype=np.float32)
    return sparse.csr_matrix((data, (rows, cols)), shape=(len(texts), max(len(vocab), 1)))

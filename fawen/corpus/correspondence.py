"""Article correspondence between consecutive versions of a law, by text similarity (not by number)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from rapidfuzz import fuzz, process

from fawen.text.normalize import compact

MIN_SCORE = 50.0
# Among near-equal candidates prefer the one at a similar relative position in the law.
_POSITION_WEIGHT = 5.0


def correspond(old: Sequence[str], new: Sequence[str]) -> list[tuple[int, int, float]]:
    """Map each old article (by index) to its most similar new article: (old_i, new_j, score 0..100)."""
    if not old or not new:
        return []
    a = [compact(t) for t in old]
    b = [compact(t) for t in new]
    scores = process.cdist(a, b, scorer=fuzz.ratio, dtype=np.float32)
    pos_a = np.arange(len(a), dtype=np.float32)[:, None] / max(len(a) - 1, 1)
    pos_b = np.arange(len(b), dtype=np.float32)[None, :] / max(len(b) - 1, 1)
    adjusted = scores - _POSITION_WEIGHT * np.abs(pos_a - pos_b)
    best = adjusted.argmax(axis=1)
    out = []
    for i, j in enumerate(best):
        score = float(scores[i, j])
        if score >= MIN_SCORE:
            out.append((i, int(j), round(score, 1)))
    return out

"""Citations between articles of the corpus, found at index time: 「依照刑法第二百四十六条的规定」,
「《中华人民共和国民法典》第一千零二十四条」, 「本法第十条」.

They give two retrieval signals: an article that other laws cite often is a central one (刑法第二百四十六条
for 诽谤, not 第二百九十九条之一), and a 司法解释 article that matches a query brings in the article it
interprets. A citation is linked to the article with that number in every version of the cited law; the
version mask at query time keeps the one in force.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from fawen.corpus import aliases
from fawen.text.labels import NUM, number_suffix

_CITE = re.compile(rf"(?:《(?P<book>[^》]{{2,60}})》\s*|(?P<own>本法|本条例|本规定|本解释|本办法|本细则|本决定))?"
                   rf"第(?P<n>{NUM})条(?:之(?P<s>{NUM}))?")
_NAME_END = ("法", "条例", "规定", "解释", "办法", "决定", "细则", "法典")
_MAX_NAME = 40


def extract(texts: Sequence[str], law_ids: Sequence[int], unique_law_id: Callable[[str], int | None]
            ) -> list[tuple[int, int, int, int]]:
    """(citing row, cited law id, number, suffix) for every explicit citation; citations of the article's
    own law count only when written 本法第…条 or with the law's name (bare 第…条 is too often 前款/本条)."""
    out: list[tuple[int, int, int, int]] = []
    for row, (text, own_law) in enumerate(zip(texts, law_ids, strict=True)):
        if "条" not in text:
            continue
        for match in _CITE.finditer(text):
            law: int | None
            if match["own"]:
                law = own_law
            elif match["book"]:
                law = unique_law_id(aliases.key(match["book"]))
            else:
                law = _name_before(unique_law_id, text[max(0, match.start() - _MAX_NAME):match.start()])
            if law is None:
                continue
            numbers = number_suffix(match["n"], match["s"])
            if numbers is None:
                continue
            out.append((row, law, *numbers))
    return out


def _name_before(unique_law_id: Callable[[str], int | None], prefix: str) -> int | None:
    """The law whose name ends the prefix (「依照刑法」 → 刑法), longest name first."""
    if not prefix.endswith(_NAME_END):
        return None
    for start in range(len(prefix) - 1):
        law = unique_law_id(prefix[start:])
        if law is not None:
            return law
    return None


def position_key(law: Any, number: Any, suffix: Any) -> Any:
    """The one int64 identifying an article place (law, 第N条之M) across versions, for ints or for arrays
    of them (cast to int64 first: law ids times a million overflow int32)."""
    law, number, suffix = (np.asarray(x, dtype=np.int64) if isinstance(x, np.ndarray) else int(x)
                           for x in (law, number, suffix))
    return law * 1_000_000 + number * 100 + suffix


KeyOrder = tuple[np.ndarray, np.ndarray]  # position keys sorted, and the positions in that order


def key_order(keys: np.ndarray) -> KeyOrder:
    """Position keys sorted for lookup (stably: a key's versions stay in position order)."""
    order = np.argsort(keys, kind="stable")
    return keys[order], order


def positions_of(by_key: KeyOrder, key: int) -> np.ndarray:
    """Every position whose key is `key` (each version having that article), in position order."""
    sorted_keys, order = by_key
    lo, hi = np.searchsorted(sorted_keys, [key, key + 1])
    found: np.ndarray = order[lo:hi]
    return found


def resolve(found: list[tuple[int, int, int, int]], keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Citations as (citing position, cited position) arrays, sorted by citing position; `keys` are the
    index's position keys (law, number, suffix) — a citation reaches every version having that article."""
    by_key = key_order(keys)
    src: list[np.ndarray] = []
    dst: list[np.ndarray] = []
    for row, law, number, suffix in found:
        targets = positions_of(by_key, position_key(law, number, suffix))
        if targets.size:
            src.append(np.full(targets.size, row, dtype=np.int32))
            dst.append(targets.astype(np.int32))
    if not src:
        return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32)
    s, d = np.concatenate(src), np.concatenate(dst)
    keep = s != d
    s, d = s[keep], d[keep]
    by_src = np.lexsort((d, s))
    return s[by_src], d[by_src]


def cited_by_laws(src: np.ndarray, dst: np.ndarray, law_id: np.ndarray, size: int) -> np.ndarray:
    """Per article, how many other laws cite it (citations inside its own law are not authority)."""
    if src.size == 0:
        return np.zeros(size, dtype=np.float32)
    foreign = law_id[src] != law_id[dst]
    pairs = np.unique(np.stack([dst[foreign], law_id[src][foreign]]), axis=1)
    return np.bincount(pairs[0], minlength=size).astype(np.float32)

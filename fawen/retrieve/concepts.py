"""Lay words to the legal terms statutes use for them, and legal terms misspelt by sound (concepts.json).

concepts.json is mined by learn/lexicon.py (outside the package; its docstring names the sources): `lay` ties
a question word to the legal terms that answers to such questions use and the question did not (房东 →
出租人); `terms` holds every legal term of the corpus with its toneless pinyin, so that a stretch of the
question that is no word of the statutes but sounds like a legal term is read as that term (赔尝 → 赔偿).
glossary.py is the small hand table beside it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

CONCEPTS_FILE = Path(__file__).with_name("concepts.json")
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
SOUND_LENGTHS = (2, 3, 4)  # lengths of the question's stretches compared by sound


@dataclass
class Concepts:
    """The lexicon: lay word → legal terms; pinyin → legal terms; the legal terms themselves."""

    lay: dict[str, list[str]] = field(default_factory=dict)
    by_sound: dict[str, list[str]] = field(default_factory=dict)
    known: frozenset[str] = frozenset()

    def expand(self, words: list[str]) -> list[str]:
        """Legal terms tied to the question's words (in order, once each), none the question has already."""
        out: list[str] = []
        for word in words:
            for term in self.lay.get(word, ()):
                if term not in out and term not in words:
                    out.append(term)
        return out

    def respell(self, text: str, rare: Callable[[str], bool], words: list[str] | None = None) -> list[str]:
        """Legal terms that a stretch of the text sounds like but is not written as: the stretch is no legal
        term, some bigram of it is `rare` in the statutes (so 权利 is never read as 权力), and it does not cut
        through a word of `words` (the jieba cut of the text: 可以报警's 以报 is no misspelt 易爆)."""
        if not self.by_sound:
            return []
        from pypinyin import lazy_pinyin

        out: list[str] = []
        for run in _HAN_RUN.findall(text):
            sounds = lazy_pinyin(run)
            if len(sounds) != len(run):
                continue
            spans = _word_spans(run, words) if words is not None else []
            for size in SOUND_LENGTHS:
                for i in range(len(run) - size + 1):
                    stretch = run[i:i + size]
                    if stretch in self.known or not any(rare(stretch[j:j + 2]) for j in range(size - 1)):
                        continue
                    if any(a < i < b or a < i + size < b for a, b in spans):
                        continue
                    for term in self.by_sound.get(" ".join(sounds[i:i + size]), ()):
                        if term != stretch and term not in out:
                            out.append(term)
        return out


def _word_spans(run: str, words: list[str]) -> list[tuple[int, int]]:
    """Where the multi-character words of a cut lie in `run` (the cut of the whole text, matched in order)."""
    spans: list[tuple[int, int]] = []
    at = 0
    for word in words:
        found = run.find(word, at)
        if found < 0:
            continue
        if len(word) > 1:
            spans.append((found, found + len(word)))
        at = found + len(word)
    return spans


@lru_cache(maxsize=4)
def load(path: Path = CONCEPTS_FILE) -> Concepts:
    """The lexicon in `path`; an empty one when the file is absent or unreadable (retrieval then goes
    without it: it only adds words)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Concepts()
    lay = {str(word): [str(t[0]) for t in found] for word, found in data.get("lay", {}).items()}
    by_sound: dict[str, list[str]] = {}
    for term, sound in sorted(data.get("terms", {}).items()):
        by_sound.setdefault(str(sound), []).append(str(term))
    # A sound shared by several legal terms says nothing about which one was meant.
    by_sound = {sound: terms for sound, terms in by_sound.items() if len(terms) == 1}
    return Concepts(lay, by_sound, frozenset(data.get("terms", {})))

"""Lay words to the legal terms statutes use for them, and legal terms misspelt by sound (concepts.json).

concepts.json is mined by learn/lexicon.py (outside the package; its docstring names the sources): `lay` ties
a question word to the legal terms that answers to such questions use and the question did not (房东 →
出租人); `terms` holds every legal term of the corpus with its toneless pinyin, so that a stretch of the
question that is no word of the statutes but sounds like a legal term is read as that term (赔尝 → 赔偿).
glossary.py is the small hand table beside it.

Reading a question by sound needs pypinyin, whose dictionaries cost ~0.25 s to load in every process. The build
stores every toneless reading pypinyin may give each character (index/readings.json, write_readings), and a
question none of whose stretches could sound like a legal term is not read by pypinyin at all (most are not).
"""

from __future__ import annotations

import hashlib
import importlib.util
import itertools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from fawen.version import code_key

CONCEPTS_FILE = Path(__file__).with_name("concepts.json")
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
SOUND_LENGTHS = (2, 3, 4)  # lengths of the question's stretches compared by sound
READINGS_FILE = "readings.json"
_READINGS_FORMAT = 1
_MAX_COMBINATIONS = 256  # readings of a stretch tried before assuming it may sound like a term


class Readings:
    """Every toneless reading pypinyin may give each character, alone or in any of its phrases (a character
    it does not know is read as itself): what lazy_pinyin gives a stretch is among their combinations."""

    def __init__(self, codes: np.ndarray, group: np.ndarray, groups: list[tuple[str, ...]]) -> None:
        self._codes = codes  # code points, sorted
        self._group = group  # per code point, its readings in `groups`
        self._groups = groups

    def of(self, char: str) -> tuple[str, ...]:
        at = int(np.searchsorted(self._codes, ord(char)))
        if at < self._codes.size and int(self._codes[at]) == ord(char):
            return self._groups[int(self._group[at])]
        return (char,)

    def may_sound_like(self, stretch: str, sounds: dict[str, list[str]]) -> bool:
        """Whether some reading of `stretch` is a key of `sounds` (False: pypinyin would find none)."""
        options = [self.of(char) for char in stretch]
        count = 1
        for found in options:
            count *= len(found)
        if count > _MAX_COMBINATIONS:
            return True
        return any(" ".join(combination) in sounds for combination in itertools.product(*options))


def _pypinyin_fingerprint() -> str | None:
    """The installed pypinyin (its version line and dictionary sizes), found without importing it."""
    spec = importlib.util.find_spec("pypinyin")
    if spec is None or spec.origin is None:
        return None
    folder = Path(spec.origin).parent
    digest = hashlib.blake2b(digest_size=8)
    try:
        digest.update((folder / "__init__.py").read_bytes())
        for name in ("pinyin_dict.json", "phrases_dict.json"):
            digest.update(f"{name}:{(folder / name).stat().st_size};".encode())
    except OSError:
        return None
    return digest.hexdigest()


def write_readings(root: Path) -> None:
    """Write `root`/readings.json from the installed pypinyin (at build time)."""
    from pypinyin import Style, phrases_dict, pinyin_dict
    from pypinyin.style import convert

    toneless: dict[str, str] = {}

    def plain(toned: str) -> str:
        if toned not in toneless:
            toneless[toned] = convert(toned, Style.NORMAL, strict=True)  # as lazy_pinyin converts
        return toneless[toned]
    readings: dict[str, set[str]] = {}
    for code, found in pinyin_dict.pinyin_dict.items():
        readings.setdefault(chr(code), set()).update(map(plain, found.split(",")))
    for phrase, per_char in phrases_dict.phrases_dict.items():
        for char, options in zip(phrase, per_char):
            readings.setdefault(char, set()).update(map(plain, options))
    groups: dict[str, list[str]] = {}
    for char, sounds in readings.items():
        groups.setdefault(" ".join(sorted(sounds)), []).append(char)
    data = {"format": _READINGS_FORMAT, "pypinyin": _pypinyin_fingerprint(), "code": code_key(__file__),
            "readings": {sounds: "".join(sorted(chars)) for sounds, chars in sorted(groups.items())}}
    (root / READINGS_FILE).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def read_readings(root: Path) -> Readings | None:
    """`root`/readings.json, or None when absent (an older build), damaged, or made from another pypinyin."""
    try:
        data = json.loads((root / READINGS_FILE).read_text(encoding="utf-8"))
        if data.get("format") != _READINGS_FORMAT or data.get("pypinyin") != _pypinyin_fingerprint() \
                or data["pypinyin"] is None or data.get("code") != code_key(__file__):
            return None
        groups = list(data["readings"].items())
        chars = "".join(chars for _, chars in groups)
    except (OSError, ValueError, KeyError, AttributeError, TypeError):
        return None
    codes = np.frombuffer(chars.encode("utf-32-le"), dtype=np.uint32)
    group = np.repeat(np.arange(len(groups), dtype=np.int32), [len(chars) for _, chars in groups])
    order = np.argsort(codes, kind="stable")
    return Readings(codes[order], group[order], [tuple(sounds.split(" ")) for sounds, _ in groups])


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

    def respell(self, text: str, rare: Callable[[str], bool], words: list[str] | None = None,
                readings: Readings | None = None) -> list[str]:
        """Legal terms that a stretch of the text sounds like but is not written as: the stretch is no legal
        term, some bigram of it is `rare` in the statutes (so 权利 is never read as 权力), and it does not cut
        through a word of `words` (the jieba cut of the text: 可以报警's 以报 is no misspelt 易爆). With the
        build's `readings`, a run none of whose stretches may sound like a term is not read by pypinyin."""
        if not self.by_sound:
            return []
        out: list[str] = []
        for run in _HAN_RUN.findall(text):
            spans = _word_spans(run, words) if words is not None else []
            stretches = [(i, size) for size in SOUND_LENGTHS for i in range(len(run) - size + 1)
                         if self._may_be_misspelt(run[i:i + size], i, spans, rare)]
            if not stretches or readings is not None and not any(
                    readings.may_sound_like(run[i:i + size], self.by_sound) for i, size in stretches):
                continue
            from pypinyin import lazy_pinyin

            sounds = lazy_pinyin(run)
            if len(sounds) != len(run):
                continue
            for i, size in stretches:
                for term in self.by_sound.get(" ".join(sounds[i:i + size]), ()):
                    if term != run[i:i + size] and term not in out:
                        out.append(term)
        return out

    def _may_be_misspelt(self, stretch: str, at: int, spans: list[tuple[int, int]],
                         rare: Callable[[str], bool]) -> bool:
        if stretch in self.known or not any(rare(stretch[j:j + 2]) for j in range(len(stretch) - 1)):
            return False
        end = at + len(stretch)
        return not any(a < at < b or a < end < b for a, b in spans)


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


@lru_cache(maxsize=1)
def load_sounds() -> None:
    """Load pypinyin's dictionaries now (~50 MiB, ~0.25 s), as reading a question by sound (Concepts.respell)
    does on first use: a server worker does it before its first request (service.Fawen.warm_up)."""
    from pypinyin import lazy_pinyin

    lazy_pinyin("法")


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

"""Normalisation of user text: full-width → half-width, traditional → simplified, collapsed spaces."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

_T2S = opencc.OpenCC("t2s")
_SPACES = re.compile(r"\s+")
# Punctuation that NFKC would turn into ASCII but that Chinese legal text keeps full-width.
_KEEP = str.maketrans({",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"})


@lru_cache(maxsize=4096)
def normalize(text: str) -> str:
    """Fold full-width letters and digits to ASCII, traditional to simplified, runs of spaces to one."""
    folded = unicodedata.normalize("NFKC", text).translate(_KEEP)
    simplified = _T2S.convert(folded)
    return _SPACES.sub(" ", simplified).strip()


def compact(text: str) -> str:
    """Text reduced for fuzzy comparison: no whitespace or punctuation."""
    return "".join(ch for ch in text if ch.isalnum())

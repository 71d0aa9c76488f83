"""Query understanding by names: laws a query names, and direct lookup of 「民法典第1254条」「刑法二百四十六条」."""

from __future__ import annotations

import re

from fawen.corpus import aliases
from fawen.corpus.store import Corpus
from fawen.models import Article
from fawen.retrieve import glossary
from fawen.text.labels import NUM, number_suffix

# 第二百四十六条 / 246条 / 二百四十六条之一 — the law name is whatever alias ends right before it.
_ARTICLE = re.compile(rf"第?\s*(?P<n>{NUM})\s*条(?:\s*之\s*(?P<s>{NUM}))?")
_MAX_NAME = 60
_MIN_NAMED = 3  # shorter keys (法, 刑法 aside) match too much ordinary text to count as naming a law


# The alias keys naming exactly one law, filed under their first _SHORTEST characters: (key, law id).
Names = dict[str, list[tuple[str, int]]]


def named_laws(corpus: Corpus, names: Names, text: str) -> frozenset[int]:
    """Ids of the laws whose title or alias appears in the text (e.g. 劳动合同法, 民间借贷规定); `names` is
    names_by_start(corpus)."""
    key = aliases.key(text)
    found: set[int] = set()
    for i in range(len(key) - _SHORTEST + 1):
        for name, law_id in names.get(key[i:i + _SHORTEST], ()):
            if key.startswith(name, i):
                found.add(law_id)
    for short in ("刑法", "民法典", "宪法"):  # two-character names too common to miss
        if short in key:
            found.update(corpus.alias_index.get(short, [])[:1])
    return frozenset(found)


_SHORTEST = _MIN_NAMED - 1  # the two-character keys that name one law (刑法, 水法) count too


def names_by_start(corpus: Corpus) -> Names:
    """The alias keys naming exactly one law (up to _MAX_NAME characters), filed under their first
    characters, so that finding the names in a text costs one lookup per character."""
    table: Names = {}
    for name, ids in corpus.alias_index.items():
        if len(ids) == 1 and _SHORTEST <= len(name) <= _MAX_NAME:
            table.setdefault(name[:_SHORTEST], []).append((name, ids[0]))
    return table


def route_laws(corpus: Corpus, text: str) -> frozenset[int]:
    """Ids of the laws a lay action in the text leads to (fawen/text/glossary.py ROUTE_LAWS: 报警 → 治安管理处罚法)."""
    found = set()
    for name in glossary.route_laws(text):
        law_id = corpus.unique_law_id(aliases.key(name))
        if law_id is not None:
            found.add(law_id)
    return frozenset(found)


def direct(corpus: Corpus, text: str, as_of: str) -> list[Article]:
    """Articles the text cites by law and number, in the version in force on `as_of`, in order of mention."""
    out: list[Article] = []
    seen: set[int] = set()
    for match in _ARTICLE.finditer(text):
        law_id = _law_before(corpus, text[max(0, match.start() - _MAX_NAME):match.start()])
        if law_id is None:
            continue
        numbers = number_suffix(match["n"], match["s"])
        article = corpus.article_in_force(law_id, *numbers, as_of) if numbers else None
        if article is not None and article.id not in seen:
            seen.add(article.id)
            out.append(article)
    return out


def _law_before(corpus: Corpus, prefix: str) -> int | None:
    """The law whose name ends the prefix (longest name first): 「依照民法典」 → 民法典."""
    prefix = prefix.rstrip(" 《》的")
    for start in range(len(prefix)):
        law_id = corpus.unique_law_id(aliases.key(prefix[start:]))
        if law_id is not None:
            return law_id
    return None

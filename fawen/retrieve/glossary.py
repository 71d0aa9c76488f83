"""How search weighs the lay-wording glossary (fawen/text/glossary.py).

- TERMS, the legal name of what happened (借…钱 → 借款): added to the query, at a lower weight than the user's
  own words, for every field;
- ROUTES, where a lay action leads (报警 → 公安机关, 治安管理): they steer which laws match (titles and
  headings) but not which article, so 「诽谤…报警」 reaches 治安管理处罚法's article on 诽谤, not every article
  that mentions 公安机关. A route law's article best matching the user's own words is put on the first page
  (rank._lift_routes).
"""

from __future__ import annotations

from fawen.retrieve.terms import bigrams
from fawen.text.glossary import legal_terms, route_laws, route_spans, route_targets

__all__ = ["route_laws", "route_words", "routes", "terms"]


def _bigrams_of(words: list[str]) -> dict[str, float]:
    return {bigram: 1.0 for word in words for bigram in bigrams(word)}


def route_words(text: str) -> set[str]:
    """Bigrams of the lay route words themselves (报警 in 「可以报警吗」): they say what the user wants to do,
    not what the legal issue is, so article text matching them (消防法's 火警) is beside the point."""
    return set(_bigrams_of(route_spans(text)))


def terms(text: str) -> dict[str, float]:
    """Bigrams of the legal names of what the text describes in lay words."""
    return _bigrams_of(legal_terms(text))


def routes(text: str) -> dict[str, float]:
    """Bigrams of the authorities and laws the text's lay actions lead to."""
    return _bigrams_of(route_targets(text))

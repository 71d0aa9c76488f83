"""The statement of an article that speaks to the question: for a 「有下列行为之一的，处…：」 list, the
matching 项 joined to its consequence; otherwise the best 款 or sentence. Text is the article's own."""

from __future__ import annotations

import re
from dataclasses import dataclass

from fawen.answer.text import overlap, sentences, strip_end
from fawen.models import Article

# 「有下列行为之一的，处五日以下拘留…：」: the consequence sits between 之一的， and the closing colon.
_LIST_LEAD = re.compile(r"^(?P<head>.*?下列[^，：]{0,12}之一的?)[，,](?P<then>.+?)[：:]?$")
_ITEM_NUMBER = re.compile(r"^[（(][一二三四五六七八九十百]+[）)]\s*")


@dataclass
class Statement:
    text: str       # what the answer says, built only from the article's words
    score: float    # overlap with the question
    exact: bool     # True when `text` is a verbatim substring of the article


def statements(article: Article) -> list[str]:
    """Candidate statements of an article, in order: joined 项 of list paragraphs, else its sentences."""
    out: list[str] = []
    for para in article.paragraphs:
        lead = para.text.strip()
        if para.items:
            match = _LIST_LEAD.match(lead)
            for item in para.items:
                clause = strip_end(_ITEM_NUMBER.sub("", item.strip()))
                if match:
                    then = strip_end(match.group("then"))
                    clause = clause if clause.endswith("的") else clause + "的"
                    out.append(f"{clause}，{then}")
                else:
                    out.append(f"{strip_end(lead)}：{clause}")
            continue
        out.extend(strip_end(s) for s in sentences(lead) if strip_end(s))
    if not out:
        out = [strip_end(s) for s in sentences(article.text) if strip_end(s)]
    return out


def best(question: str, article: Article, limit: int = 1) -> list[Statement]:
    """The statements that overlap the question most, best first (ties: earlier first)."""
    found = statements(article)
    scored = sorted(((overlap(question, s), i, s) for i, s in enumerate(found)), key=lambda t: (-t[0], t[1]))
    flat = _flat(article.text)
    return [Statement(s, score, s in flat) for score, _, s in scored[:limit]]


def lead_statement(question: str, article: Article) -> Statement:
    """The best statement, or the first paragraph when nothing overlaps the question."""
    top = best(question, article, 1)
    if top and top[0].score > 0:
        return top[0]
    first = strip_end(article.paragraphs[0].text if article.paragraphs else article.text)
    return Statement(first, 0.0, True)


def _flat(text: str) -> str:
    return text.replace("\n", "")

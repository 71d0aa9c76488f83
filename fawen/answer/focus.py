"""The statement of an article that speaks to the question — for a 「有下列行为之一的，处…：」 list, the matching
项 joined to its consequence; otherwise the best 款 or sentence — and the clause that carries it, quoted whole
(the 款 with its 但书, the 项 with the lead that gives it force). Text is the article's own."""

from __future__ import annotations

import re
from dataclasses import dataclass

from fawen.answer.text import overlap, sentences, strip_end
from fawen.models import Article

# 「有下列行为之一的，处五日以下拘留…：」: the consequence sits between 之一的， and the closing colon.
_LIST_LEAD = re.compile(r"^(?P<head>.*?下列[^，：]{0,12}之一的?)[，,](?P<then>.+?)[：:]?$")
_ITEM_NUMBER = re.compile(r"^[（(][一二三四五六七八九十百]+[）)]\s*")
# A 款 that qualifies the one before it: 「前款罪，告诉的才处理，但是…除外」「有前款规定情形的…」.
_QUALIFIES = re.compile(r"^(?:前款|有前款|依照前款|违反前款|但是|但)")
MAX_QUOTE = 160       # characters of a 款 quoted whole; a longer one is quoted by its statement and 但书
MAX_FOLLOWING = 90    # characters of a qualifying next 款 added to the quote


@dataclass
class Statement:
    text: str            # what the answer says, built only from the article's words
    score: float         # overlap with the question
    exact: bool          # True when `text` is a verbatim substring of the article
    paragraph: int = -1  # index of the 款 it comes from (-1: the article as a whole)
    item: int = -1       # index of the 项 within that 款, or -1


def units(article: Article) -> list[tuple[str, int, int]]:
    """Candidate statements of an article with the 款 and 项 they come from, in order."""
    out: list[tuple[str, int, int]] = []
    for p, para in enumerate(article.paragraphs):
        lead = para.text.strip()
        if para.items:
            match = _LIST_LEAD.match(lead)
            for i, item in enumerate(para.items):
                clause = strip_end(_ITEM_NUMBER.sub("", item.strip()))
                if match:
                    then = strip_end(match.group("then"))
                    clause = clause if clause.endswith("的") else clause + "的"
                    out.append((f"{clause}，{then}", p, i))
                else:
                    out.append((f"{strip_end(lead)}：{clause}", p, i))
            continue
        out.extend((strip_end(s), p, -1) for s in sentences(lead) if strip_end(s))
    if not out:
        out = [(strip_end(s), -1, -1) for s in sentences(article.text) if strip_end(s)]
    return out


def statements(article: Article) -> list[str]:
    """Candidate statements of an article, in order: joined 项 of list paragraphs, else its sentences."""
    return [text for text, _, _ in units(article)]


def best(question: str, article: Article, limit: int = 1) -> list[Statement]:
    """The statements that overlap the question most, best first (ties: earlier first)."""
    found = units(article)
    scored = sorted(((overlap(question, u[0]), i, u) for i, u in enumerate(found)), key=lambda t: (-t[0], t[1]))
    flat = _flat(article.text)
    return [Statement(u[0], score, u[0] in flat, u[1], u[2]) for score, _, u in scored[:limit]]


def lead_statement(question: str, article: Article) -> Statement:
    """The best statement, or the first paragraph when nothing overlaps the question."""
    top = best(question, article, 1)
    if top and top[0].score > 0:
        return top[0]
    first = strip_end(article.paragraphs[0].text if article.paragraphs else article.text)
    return Statement(first, 0.0, True, 0 if article.paragraphs else -1, -1)


def whole(article: Article, statement: Statement, limit: int = MAX_QUOTE) -> str:
    """The clause carrying `statement`, quoted whole, without its final punctuation.

    A 项 comes with the lead of its 款 (which says what follows from it); a sentence comes with the rest of
    its 款 — its 但书 above all — when the 款 is short enough, else with the sentences of the 款 holding
    但/除外; a next 款 that qualifies this one (「前款罪，告诉的才处理…」) is added when short.
    """
    if statement.paragraph < 0 or statement.paragraph >= len(article.paragraphs):
        return statement.text
    para = article.paragraphs[statement.paragraph]
    if statement.item >= 0 and statement.item < len(para.items):
        lead = para.text.strip().rstrip("：:")
        return f"{lead}：{strip_end(para.items[statement.item].strip())}"
    text = strip_end(para.text.strip())
    if para.items:
        # A lead with its list (「下列事项由业主共同决定：」): the list is what the lead says.
        listed = f"{para.text.strip().rstrip('：:')}：{'；'.join(strip_end(i.strip()) for i in para.items)}"
        return listed if len(listed) <= limit + MAX_FOLLOWING else text
    if len(text) > limit:
        kept = [s for s in sentences(para.text) if strip_end(s) == statement.text or re.search(r"但|除外", s)]
        text = "".join(s if s.endswith(("。", "；")) else s + "。" for s in kept).rstrip("。；") or statement.text
    following = article.paragraphs[statement.paragraph + 1] if statement.paragraph + 1 < len(article.paragraphs) \
        else None
    if following is not None and not following.items and _QUALIFIES.match(following.text.strip()) \
            and len(following.text) <= MAX_FOLLOWING:
        text = f"{text}。{strip_end(following.text.strip())}"
    return text


def _flat(text: str) -> str:
    return text.replace("\n", "")

"""The 摘要: the verdict first (for a yes/no question the law decides), then the decisive article's clause quoted
whole with its citation — one or two sentences, the law's own words and fixed phrases only."""

from __future__ import annotations

from fawen.answer.focus import Statement, whole
from fawen.answer.text import cite_short, strip_end
from fawen.answer.verdict import Verdict
from fawen.models import Article, Hit

MAX_SUMMARY_QUOTE = 160  # characters of the decisive clause the 摘要 quotes whole; longer, its statement


def summarize(decisive: Hit, article: Article, statement: Statement, verdict: Verdict | None) -> str:
    """「不可以。对当事人的同一个违法行为，不得给予两次以上罚款的行政处罚（《行政处罚法》第二十九条）。」"""
    quote = whole(article, statement, MAX_SUMMARY_QUOTE)
    if len(quote) > MAX_SUMMARY_QUOTE + 40:
        quote = statement.text
    if len(quote) > MAX_SUMMARY_QUOTE + 40:
        quote = quote.split("；")[0]  # a long 款 of several 分句: its first, still the article's own words
    lead = verdict.sentence() if verdict is not None else ""
    return f"{lead}{strip_end(quote)}（{cite_short(decisive)}）。"

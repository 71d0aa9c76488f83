"""check(): every citation of a text or HTML page, verified as of a date, with findings."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from fawen import config
from fawen.cite import claims, quotes
from fawen.cite.extract import RawCitation, extract
from fawen.cite.html import html_to_text, looks_like_html
from fawen.cite.relevance import RelevanceJudge
from fawen.cite.report import CheckReport
from fawen.cite.verify import Verdict, Verifier, add_finding
from fawen.dates import as_of as parse_as_of
from fawen.errors import BadInput, TooLarge
from fawen.models import Hit

if TYPE_CHECKING:
    from fawen.cite.kit import Kit

_CONTEXT = 120          # characters on each side of a citation that count as its context
_TITLES = re.compile(r"《[^《》\n]{1,120}》")


def check(kit: Kit, text: str, question: str | None = None, as_of: str | None = None,
          event_date: str | None = None, first: list[Hit] | None = None) -> CheckReport:
    """Find and verify every citation in `text` (plain text or an HTML page).

    Args:
        kit: the corpus generation to verify against (the Library).
        text: the text; HTML is detected, its scripts and styles dropped, its <h1>/<title> used as the
            question when none is given.
        question: what the text answers; enables the `irrelevant` finding.
        as_of: the date the law is read at (YYYY-MM-DD, default today).
        event_date: when the facts happened; when given, citations are verified against the versions in
            force on that date instead of `as_of`.
        first: the retrieval hits of `question` on that date, when the caller searched it already.

    Raises:
        BadInput: empty text, or a bad date.
        TooLarge: text over FAWEN_MAX_CHECK_BYTES.
    """
    body, page_question = _read(text)
    date = parse_as_of(as_of)
    event = parse_as_of(event_date) if event_date else None
    question = _question(question) or _question(page_question)
    on = event or date
    extraction = extract(body)
    resolver = kit.resolver
    verifier = Verifier(kit.corpus, kit.quote_index, on)
    judge = (RelevanceJudge(kit, question, on, _prose(body, extraction.citations), first=first)
             if question else None)
    report = CheckReport([], question, date, event, extraction.truncated,
                         judge.threshold if judge else None)
    verdicts: list[tuple[RawCitation, Verdict]] = []
    for raw in extraction.citations:
        resolved = resolver.resolve(raw)
        if resolved is None:
            continue  # not a law: 《起诉状》第二条, 公司章程第五条
        verdicts.append((raw, verifier.verify(raw, resolved, _context(body, raw, question))))
    _claims(kit, on, body, verdicts)
    for _, verdict in verdicts:
        if judge is not None:
            _judge(verdict, judge, verifier)
        if verdict.citation.status == "unchecked":
            verdict.citation.status = "ok"
        report.citations.append(verdict.citation)
    return report


def _claims(kit: Kit, date: str, body: str, verdicts: list[tuple[RawCitation, Verdict]]) -> None:
    """Amounts a citation's sentence pins on an article that holds none of them (misattributed_claim)."""
    laws = [(raw, verdict.law.id if verdict.law else None) for raw, verdict in verdicts]
    for at, (raw, verdict) in enumerate(verdicts):
        cite = verdict.citation
        if verdict.meant is None or any(f.kind in ("misattributed", "not_in_force") for f in cite.findings):
            continue
        span = claims.sentence(body, raw.start, raw.end)
        claim = body[span[0]:span[1]] + (" " + raw.quote if raw.quote else "")
        if not claims.has_threshold(claim) or claims.other_laws(laws, at, span):
            continue
        found = claims.find(kit.corpus, kit.references, date, verdict.meant, claim)
        if found is None:
            continue
        source = kit.corpus.laws[found.source.law_id].title
        shown = "、".join(dict.fromkeys(claims.shown(a) for a in found.amounts))
        add_finding(cite, "misattributed_claim", f"「{shown}」不是{cite.law}{verdict.meant.label}的规定，而出自《{source}》"
                    f"{found.source.label} (claim attributed to the wrong article)", f"《{source}》{found.source.label}")


def _judge(verdict: Verdict, judge: RelevanceJudge, verifier: Verifier) -> None:
    cite = verdict.citation
    if verdict.meant is None or any(f.kind in ("misattributed", "not_in_force") for f in cite.findings):
        return
    relevance = judge.judge(verdict.meant)
    cite.relevance = relevance.score
    if not cite.findings and not quotes.judgeable(cite.quote) and relevance.off_topic:
        # A bare number whose text today is about something else, while an older version's text under that
        # number (now elsewhere) is what the question asks about: the page likely uses the old numbering.
        for version, now in verifier.older_numbering(verdict):
            moved = judge.judge(now, rank=True)
            if moved.on_topic:
                add_finding(cite, "renumbered", f"{cite.article}现行文本与问题无关，{version.effective} 版的{cite.article}"
                            f"与问题相关，现为{now.label}：很可能沿用了旧条号 (likely renumbered; 检索排名第 "
                            f"{moved.article_rank})", f"《{cite.law}》{now.label}")
                verdict.meant = now
                cite.relevance = moved.score
                return
    if relevance.irrelevant:
        add_finding(cite, "irrelevant", f"{cite.law}{verdict.meant.label}与问题「{_short(judge.question)}」"
                    f"无关 (unrelated to the question): {relevance.explain()}")


def _read(text: str) -> tuple[str, str | None]:
    if not isinstance(text, str):
        raise BadInput("输入必须是文本 (text must be a string)")
    limit = config.get_int("MAX_CHECK_BYTES")
    if len(text) > limit or (len(text) * 4 > limit and len(text.encode("utf-8", "surrogatepass")) > limit):
        raise TooLarge(f"输入过大 (input too large): 超过 {limit} 字节 (FAWEN_MAX_CHECK_BYTES)")
    if not text.strip():
        raise BadInput("输入为空 (empty input): 请提供要检查的文本或网页")
    if looks_like_html(text):
        body, question = html_to_text(text)
        if not body.strip():
            raise BadInput("网页没有正文 (the HTML page has no text)")
        return body, question
    return text, None


def _question(question: str | None) -> str | None:
    if question is None:
        return None
    text = " ".join(str(question).split())
    return text[: config.get_int("MAX_QUERY_CHARS")] or None


def _context(body: str, raw: RawCitation, question: str | None) -> str:
    """The words around a citation (same paragraph, ±_CONTEXT characters) and the question."""
    lo = max(0, raw.start - _CONTEXT)
    hi = min(len(body), raw.end + _CONTEXT)
    start = body.rfind("\n", lo, raw.start) + 1 or lo
    end = body.find("\n", raw.end, hi)
    around = body[max(lo, start):raw.start] + " " + body[raw.end:end if end >= 0 else hi]
    return f"{question or ''} {around}".strip()


def _prose(body: str, cites: list[RawCitation]) -> str:
    """The page's own words: its text without citations, quoted passages or law titles."""
    spans = sorted([(c.start, c.end) for c in cites] +
                   [(c.quote_start, c.quote_start + len(c.quote)) for c in cites if c.quote])
    parts, pos = [], 0
    for start, end in spans:
        if start > pos:
            parts.append(body[pos:start])
        pos = max(pos, end)
    parts.append(body[pos:])
    return _TITLES.sub(" ", " ".join(parts))


def _short(text: str, n: int = 30) -> str:
    return text if len(text) <= n else text[:n] + "…"

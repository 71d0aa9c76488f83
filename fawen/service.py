"""The facade every front door uses (cli, api, mcp): search, ask, check, get_article, corpus stats.

Front doors call these functions only; each one opens the current corpus (cached) and delegates.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from fawen import config
from fawen.corpus.store import Corpus, open_corpus
from fawen.models import Hit


def corpus(home: Path | None = None) -> Corpus:
    return open_corpus(home)


def get_article(law: str, article: str | int, as_of: str | None = None) -> Hit:
    """The article of `law` in the version in force on `as_of` (default today)."""
    return corpus().get_article(law, article, as_of)


def stats() -> dict[str, Any]:
    return corpus().stats()


def home() -> Path:
    return config.home()


# --- retrieval (fawen/retrieve) ------------------------------------------------------------------------
def search(query: str, k: int = 10, as_of: str | None = None, kinds: list[str] | None = None) -> list[Hit]:
    """The k articles that best answer a lay question, from the versions in force on `as_of`, best first.

    `kinds` defaults to 宪法, 法律, 立法解释, 司法解释, 行政法规; a query longer than FAWEN_MAX_QUERY_CHARS is cut.
    """
    from fawen.retrieve.search import search as run_search

    return run_search(corpus(), query, k=k, as_of=as_of, kinds=kinds)


# --- answers and the Q&A knowledge base (fawen/answer, fawen/qa) ------------------------------------
if TYPE_CHECKING:
    from fawen.models import Answer, Citation, Related
    from fawen.qa.importer import ImportReport

ANSWER_CANDIDATES = 10


def ask(question: str, as_of: str | None = None, engine: str = "extractive", related_k: int = 5) -> Answer:
    """An answer page for a legal question: summary, sections by route, 法律依据, related questions.

    `engine` is "extractive" (default, offline) or "llm" (an OpenAI-compatible endpoint from FAWEN_LLM_*).
    """
    from fawen.answer import compose, llm
    from fawen.dates import as_of as parse_as_of
    from fawen.errors import BadInput

    text = compose.validate(question)
    date = parse_as_of(as_of)
    if engine not in ("extractive", "llm"):
        raise BadInput(f"未知的引擎 (unknown engine) {engine!r}: use extractive or llm")
    the_corpus = corpus()
    hits = search(text, k=ANSWER_CANDIDATES, as_of=date)
    if engine == "llm":
        chosen = compose.select(text, hits)
        result = (llm.answer(text, chosen, the_corpus, date, _citations_of) if chosen
                  else compose.not_found(text, the_corpus, date, engine="llm"))
    else:
        result = compose.compose(text, hits, the_corpus, date,
                                 lambda query, k, day: search(query, k=k, as_of=day), _citations_of)
    if result.basis:
        result.related = related(text, k=related_k)
    return result


def related(question: str, k: int = 5) -> list[Related]:
    """Up to k questions from the Q&A knowledge base like `question`, one per near-duplicate cluster."""
    from fawen.qa.related import related as find_related

    return find_related(question, k=k, home=config.home())


def qa_import(path: str | Path, audit: bool = True) -> ImportReport:
    """Import {question, answer, url?} JSONL files or saved Q&A pages into FAWEN_HOME/qa.sqlite.

    Each answer's citations are audited on import and the findings stored with it.
    """
    from fawen.qa.importer import import_path

    auditor = (lambda text, q: [c.to_json() for c in _citations_of(text, q, None)]) if audit else None
    return import_path(Path(path), config.home(), auditor)


def _citations_of(text: str, question: str | None, as_of: str | None) -> list[Citation]:
    """The auditor's citations of a text (fawen.cite through `check`), each with its findings."""
    report = check(text, question=question, as_of=as_of)
    return list(report.citations)


# --- citation audit (fawen/cite) ---------------------------------------------------------------------
if TYPE_CHECKING:
    from collections.abc import Iterator

    from fawen.cite.bulk import Page
    from fawen.cite.report import CheckReport


def check(text: str, question: str | None = None, as_of: str | None = None,
          event_date: str | None = None) -> CheckReport:
    """Every citation in `text` (plain text or HTML) verified as of `as_of` (default today).

    Findings: not_found, not_in_force, renumbered, quote_mismatch, misattributed, irrelevant (needs a
    question, or the page's <h1>/<title>), ambiguous. `event_date` verifies against the law in force when
    the facts happened. Raises BadInput (empty text, bad date) or TooLarge (over FAWEN_MAX_CHECK_BYTES).
    """
    from fawen.cite.audit import check as audit

    return audit(corpus(), text, question=question, as_of=as_of, event_date=event_date)


def check_pages(target: str, question: str | None = None, as_of: str | None = None,
                event_date: str | None = None) -> tuple[int, Iterator[tuple[Page, CheckReport | None]]]:
    """(number of pages, each page with its report) for a directory or a JSONL of {question, text}.

    A page that cannot be read or checked comes with report None and `page.error` set; `question` is used
    for pages that bring none of their own.
    """
    from fawen.cite import bulk
    from fawen.errors import FawenError

    total, pages = bulk.pages(target)
    the_corpus = corpus()

    def run() -> Iterator[tuple[Page, CheckReport | None]]:
        from fawen.cite.audit import check as audit

        for page in pages:
            if page.error is not None:
                yield page, None
                continue
            try:
                yield page, audit(the_corpus, page.text, page.question or question, as_of, event_date)
            except FawenError as exc:
                page.error = exc
                yield page, None

    return total, run()

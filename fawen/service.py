"""The facade every front door uses (cli, api, mcp): search, ask, check, get_article, stats, build, qa import.

`Fawen(home)` is the engine of one FAWEN_HOME: each call takes the Library of the current generation once
(fawen/library.py) and checks its input once (fawen/request.py), so a request never mixes two generations
and never searches the same question twice. The module-level functions delegate to a default Fawen for the
FAWEN_HOME of the environment; the CLI, the HTTP API and the MCP server each hold their own.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from fawen import config
from fawen.errors import BadInput, FawenError
from fawen.library import Home, Library
from fawen.models import DEFAULT_KINDS, Answer, Hit, Related
from fawen.request import Query, check_date, check_k, check_kinds, check_text

if TYPE_CHECKING:
    from fawen.build import BuildReport, Notice
    from fawen.corpus.fetch import Fetched
    from fawen.corpus.lookup import Lookup
    from fawen.corpus.writer import Progress
    from fawen.cite.bulk import Page
    from fawen.cite.report import CheckReport
    from fawen.models import Citation
    from fawen.qa.importer import ImportReport

ANSWER_CANDIDATES = 10  # retrieved articles an answer is composed from
FIRST_SEARCH = 100      # hits of the one search of a question: the answer's candidates and relevance judging
ENGINES = ("extractive", "llm")
WARM_UP_QUESTION = "微信诽谤可以报警吗"  # a server worker answers it before its first request (warm_up)


class Fawen:
    """The engine of one FAWEN_HOME."""

    def __init__(self, home: Path | None = None) -> None:
        self.home = Home(home if home is not None else config.home())

    def library(self) -> Library:
        """The Library of the current generation (CorpusError naming the repair when there is none)."""
        return self.home.library()

    # --- statutes -------------------------------------------------------------------------------
    def search(self, query: object, k: int = 10, as_of: object = None, kinds: object = None,
               field: str = "query") -> list[Hit]:
        """The k articles that best answer a lay question, from the versions in force on `as_of`, best first.

        `kinds` defaults to 宪法, 法律, 立法解释, 司法解释, 行政法规. BadInput (TooLarge) for input the request
        policy refuses (fawen/request.py).
        """
        q = Query.of(query, as_of, kinds, field)
        return self.library().search(q.text, check_k(k), q.as_of, q.kinds)

    def get_article(self, law: object, article: object, as_of: object = None) -> Hit:
        """The article of `law` in the version in force on `as_of` (default today)."""
        name = check_text(law, "law")
        label = check_text(str(article) if isinstance(article, int) else article, "article")
        return self.library().corpus.get_article(name, label, check_date(as_of))

    def look_up(self, law: object, article: object, as_of: object = None) -> Lookup:
        """Everything known about one article of `law` on `as_of`: the article in force (`.hit`), or why
        there is none (`.message`: not collected, not yet in force, repealed — with the successor's
        articles), and where an article read on a past date stands today (`.now`). `fawen law` shows it."""
        name = check_text(law, "law")
        label = check_text(str(article) if isinstance(article, int) else article, "article")
        return self.library().corpus.look_up(name, label, check_date(as_of))

    def dates(self, law: object = None, kinds: object = None, only: str | None = None) -> list[dict[str, Any]]:
        """The versions whose 施行 date is unverified or about which the sources disagree, with the
        disagreements (dates, and texts article by article); of one law, or of the given kinds; `only`
        'unverified' or 'disagreements' keeps one of the two."""
        from fawen.corpus.dates_report import ONLY, uncertain_versions

        if only is not None and only not in ONLY:
            raise BadInput(f"未知的筛选 (unknown --only) {only!r}: use {' or '.join(ONLY)}")
        corpus = self.library().corpus
        law_id = corpus.law(check_text(law, "law")).id if law is not None else None
        return uncertain_versions(corpus, law_id, check_kinds(kinds) if kinds else None, only)

    def stats(self) -> dict[str, Any]:
        return self.library().corpus.stats()

    def build_issues(self) -> list[dict[str, Any]]:
        """What the build of the current corpus found wrong in its sources: {source, file, line, severity,
        message}, in the order found (files are named relative to their source, never by server path)."""
        keys = ("source", "file", "line", "severity", "message")
        return [dict(zip(keys, row, strict=True)) for row in self.library().corpus.build_issues()]

    def summary(self) -> dict[str, Any]:
        """Counts and dates of the corpus (computed once per generation)."""
        return self.library().summary

    def warm_up(self) -> None:
        """Make, before a server worker's first request, everything a search or an answer makes on first use:
        the index, the structures answers use, the Q&A store's related questions, pypinyin's dictionaries.
        Otherwise the first requests are slow and a worker's memory grows under load until every lazy part has
        been made (issue 16: pypinyin alone, loaded by the first question that may sound like a legal term, is
        ~50 MiB per worker)."""
        from fawen.retrieve.concepts import load_sounds

        lib = self.library()
        try:
            self.ask(WARM_UP_QUESTION)  # its search makes what a search request needs
        except FawenError:  # an empty or search-less corpus still serves /law and /healthz
            pass
        load_sounds()
        _ = lib.summary

    # --- answers --------------------------------------------------------------------------------
    def ask(self, question: object, as_of: object = None, engine: str = "extractive", related_k: int = 5,
            field: str = "问题") -> Answer:
        """An answer page for a legal question: summary, sections by route, 法律依据, related questions.

        `engine` is "extractive" (default, offline) or "llm" (an OpenAI-compatible endpoint from FAWEN_LLM_*).
        """
        from fawen.answer import compose, llm

        q = Query.of(question, as_of, None, field)
        if engine not in ENGINES:
            raise BadInput(f"未知的引擎 (unknown engine) {engine!r}: use extractive or llm")
        lib = self.library()
        first = lib.search(q.text, FIRST_SEARCH, q.as_of, q.kinds)
        hits = first[:ANSWER_CANDIDATES]

        def audit(text: str, asked: str, day: str) -> list[Citation]:
            same = asked == q.text and day == q.as_of
            return list(_audit(lib, text, asked, day, first=first if same else None).citations)

        page = compose.compose(lib, q.text, hits, q.as_of,
                               lambda query, k, day: lib.search(query, k, day, DEFAULT_KINDS), audit, first)
        if engine == "llm":
            # The model writes from the articles the extractive page rests on, under its verdict (llm.py).
            result = (llm.answer(q.text, page.basis, lib.corpus, q.as_of, audit, extractive=page) if page.basis
                      else compose.not_found(q.text, lib.corpus, q.as_of, engine="llm"))
        else:
            result = page
        if result.basis:
            result.related = _related(lib, q.text, related_k)
        return result

    def related(self, question: object, k: int = 5) -> list[Related]:
        """Up to k questions from the Q&A knowledge base like `question`, one per near-duplicate cluster."""
        return _related(self.library(), check_text(question), k)

    def qa_import(self, path: str | Path, audit: bool = True) -> ImportReport:
        """Import {question, answer, url?} JSONL files or saved Q&A pages into FAWEN_HOME/qa.sqlite.

        Each answer's citations are audited on import (against the current corpus) and the findings stored.
        """
        from fawen.qa.importer import import_path

        if not Path(path).exists():  # an input that is not there is bad input (exit 2), not an unknown law
            raise BadInput(f"文件不存在 (no such file or directory): {path}")
        auditor = None
        if audit:
            lib = self.library()

            def auditor(text: str, question: str) -> list[dict[str, Any]]:
                return [c.to_json() for c in _audit(lib, text, question, None).citations]
        return import_path(Path(path), self.home.path, auditor)

    # --- citation audit -------------------------------------------------------------------------
    def check(self, text: str, question: object = None, as_of: object = None,
              event_date: object = None) -> CheckReport:
        """Every citation in `text` (plain text or HTML) verified as of `as_of` (default today).

        Findings: not_found, not_in_force, renumbered, outdated_quote, quote_mismatch, misattributed,
        misattributed_claim, irrelevant (needs a question, or the page's <h1>/<title>), ambiguous. `event_date` verifies against the law in force when
        the facts happened. Raises BadInput (empty text, bad date) or TooLarge (over FAWEN_MAX_CHECK_BYTES).
        """
        asked = check_text(question, "question") if question is not None else None
        event = check_date(event_date, "event_date") if event_date else None
        return _audit(self.library(), text, asked, check_date(as_of), event)

    def check_pages(self, target: str, question: object = None, as_of: object = None,
                    event_date: object = None) -> tuple[int, Iterator[tuple[Page, CheckReport | None]]]:
        """(number of pages, each page with its report) for a directory or a JSONL of {question, text}.

        A page that cannot be read or checked comes with report None and `page.error` set; `question` is used
        for pages that bring none of their own.
        """
        from fawen.cite import bulk

        asked = check_text(question, "question") if question is not None else None
        date = check_date(as_of)
        event = check_date(event_date, "event_date") if event_date else None
        total, pages = bulk.pages(target)
        lib = self.library()

        def run() -> Iterator[tuple[Page, CheckReport | None]]:
            for page in pages:
                if page.error is not None:
                    yield page, None
                    continue
                try:
                    yield page, _audit(lib, page.text, page.question or asked, date, event)
                except FawenError as exc:
                    page.error = exc
                    yield page, None

        return total, run()

    # --- building -------------------------------------------------------------------------------
    def build(self, specs: list[str], progress: Progress | None = None, force: bool = False,
              default: bool = True, notice: Notice | None = None, today: str | None = None) -> BuildReport:
        """Build the corpus into a new generation of this home (see fawen/build.py); `specs` empty rebuilds
        the sources of the current generation."""
        from fawen.build import build

        return build(specs, self.home.path, progress, force, today, default, notice)

    def fetch(self, urls: list[str] | None = None, progress: Progress | None = None, force: bool = False,
              notice: Notice | None = None) -> Fetched:
        """Download and verify the pinned LawRefBook snapshot into this home's sources/ (fawen/corpus/fetch.py);
        `urls` replaces upstream's archive URLs (a mirror, a file:// URL or a local archive)."""
        from fawen.build import fetch

        return fetch(self.home.path, tuple(urls) if urls else None, progress, force, notice)

    def embed(self, limit: int | None = None, threads: int | None = None,
              progress: Callable[[int, int], None] | None = None) -> tuple[int, int, int]:
        """Embed the articles searched by default that the vector cache lacks (the laws questions cite most
        first, at most `limit`) and assemble the current generation's vectors: (embedded now, embedded,
        searched)."""
        from fawen.retrieve.dense import passage_encoder

        model = passage_encoder(threads or os.cpu_count() or 1)
        return self.library().embed(model.passage, limit, progress)


def _audit(lib: Library, text: str, question: str | None, as_of: str | None, event_date: str | None = None,
           first: list[Hit] | None = None) -> CheckReport:
    from fawen.cite.audit import check

    return check(lib, text, question=question, as_of=as_of, event_date=event_date, first=first)


def _related(lib: Library, question: str, k: int) -> list[Related]:
    index = lib.related
    return index.related(question, k) if index is not None else []


# --- the default engine, for the FAWEN_HOME of the environment ----------------------------------------
_default: Fawen | None = None
_default_lock = threading.Lock()


def default() -> Fawen:
    """The Fawen of FAWEN_HOME (a new one when FAWEN_HOME changed)."""
    global _default
    home = config.home()
    with _default_lock:
        if _default is None or _default.home.path != home:
            _default = Fawen(home)
        return _default


def library() -> Library:
    return default().library()


def search(query: str, k: int = 10, as_of: str | None = None, kinds: list[str] | None = None) -> list[Hit]:
    """The k articles that best answer a lay question, from the versions in force on `as_of`, best first."""
    return default().search(query, k, as_of, kinds)


def ask(question: str, as_of: str | None = None, engine: str = "extractive", related_k: int = 5) -> Answer:
    """An answer page for a legal question (see Fawen.ask)."""
    return default().ask(question, as_of, engine, related_k)


def check(text: str, question: str | None = None, as_of: str | None = None,
          event_date: str | None = None) -> CheckReport:
    """Every citation in `text` verified as of `as_of` (see Fawen.check)."""
    return default().check(text, question, as_of, event_date)


def get_article(law: str, article: str | int, as_of: str | None = None) -> Hit:
    """The article of `law` in the version in force on `as_of` (default today)."""
    return default().get_article(law, str(article), as_of)


def stats() -> dict[str, Any]:
    return default().stats()


def related(question: str, k: int = 5) -> list[Related]:
    return default().related(question, k)


def qa_import(path: str | Path, audit: bool = True) -> ImportReport:
    return default().qa_import(path, audit)


def read_input(target: str, stdin: BinaryIO | None = None) -> str:
    """The text of one file, or of stdin when `target` is '-' (BadInput/TooLarge when it cannot be)."""
    from fawen.cite import bulk

    return bulk.read_one(target, stdin)


def is_bulk(target: str) -> bool:
    """Whether `target` holds many pages (a directory or a JSONL file)."""
    from fawen.cite import bulk

    return bulk.is_bulk(target)


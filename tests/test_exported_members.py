"""The public API is what fawen.__all__ says, and each name is importable."""

from __future__ import annotations

import fawen


def test_all_names_exist() -> None:
    for name in fawen.__all__:
        assert hasattr(fawen, name), name


def test_public_functions() -> None:
    assert {"search", "ask", "check", "get_article"} <= set(fawen.__all__)
    for name in ("search", "ask", "check", "get_article"):
        assert callable(getattr(fawen, name))
        assert getattr(fawen, name).__doc__


def test_no_private_names_exported() -> None:
    assert not [name for name in fawen.__all__ if name.startswith("_") and name != "__version__"]

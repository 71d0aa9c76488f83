"""Index building at corpus-build time (called by fawen.corpus.build)."""

from __future__ import annotations

from pathlib import Path


def build_index(gen: Path) -> None:
    """Write the retrieval indexes of the corpus in `gen` into `gen/index/`."""
    (gen / "index").mkdir(exist_ok=True)

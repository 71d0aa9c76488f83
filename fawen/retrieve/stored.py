"""What the build stores beside the index so that a process answers without computing it first (issue 16):

    index/view-<digest>/      the index narrowed to the articles searched by default on the day of the build
                              (Index.subset of search.allowed's mask; <digest> names the mask)
    index/learned-<key>/      learned.json bound to this index (learned.bind; <key> hashes the file)

Both are read memory-mapped when they match what is asked: the digest of the mask of the date and kinds
searched, the hash of the learned.json installed, and the code that computes them (version.code_key: a
stored part made by other code is not trusted). Otherwise the Library computes them in memory as before:
an index built by an older fawen, a date when other versions are in force, a relearned learned.json, an
edited bind. A stored part that matches but cannot be read is computed too, with a warning.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
from dataclasses import fields
from pathlib import Path
from typing import Any

import numpy as np

from fawen.corpus import aliases
from fawen.retrieve import bm25, index as index_mod, learned as learned_mod, links
from fawen.retrieve.bm25 import Field, Vocab
from fawen.retrieve.index import Index
from fawen.retrieve.learned import Cited, Learned
from fawen.version import code_key

FORMAT = 1
VIEW_PREFIX = "view-"
LEARNED_PREFIX = "learned-"
_META = "meta.json"
_VIEW_ARRAYS = ("part_start", "part_owner", "link_src", "link_dst")

log = logging.getLogger("fawen.stored")


def view_code() -> str:
    """The code that narrows an index (Index.subset, Field.subset) and stores it."""
    return code_key(__file__, bm25.__file__, index_mod.__file__)


def learned_code() -> str:
    """The code that binds learned.json to an index (learned.bind: laws by alias, articles by key)."""
    return code_key(__file__, bm25.__file__, learned_mod.__file__, links.__file__, aliases.__file__)


def _damaged(root: Path, problem: object) -> None:
    log.warning("fawen: 建库时存储的 %s 无法读取，已在内存中重新计算 (stored by the build but unreadable: %s; "
                "computed in memory instead) — `fawen corpus build --force` stores it again", root, problem)


def _array(path: Path) -> np.ndarray:
    """A stored array, memory-mapped (as a plain ndarray view: slicing a np.memmap costs a Python object)."""
    return np.asarray(np.load(path, mmap_mode="r"))


def _meta(root: Path, **expected: object) -> dict[str, Any] | None:
    """The folder's meta.json when it has every `expected` value; None when it is absent or describes
    something else (silently: another date or learned.json, older code), or is damaged (with a warning)."""
    try:
        text = (root / _META).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        _damaged(root, exc)
        return None
    try:
        meta = json.loads(text)
        if not isinstance(meta, dict):
            raise ValueError("not an object")
    except ValueError as exc:
        _damaged(root, f"{_META}: {exc}")
        return None
    if meta.get("format") != FORMAT or any(meta.get(name) != value for name, value in expected.items()):
        return None
    return meta


def _write_meta(root: Path, meta: dict[str, Any]) -> None:
    (root / _META).write_text(json.dumps({"format": FORMAT, **meta}, ensure_ascii=False), encoding="utf-8")


def _fresh(root: Path) -> Path:
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    return root


# --- fields ---------------------------------------------------------------------------------------
def _write_field(field: Field, root: Path, name: str, vocab: bool) -> int:
    """Save a field's postings (and, when `vocab`, its vocabulary sorted for Vocab); returns its size."""
    if vocab:
        sorted_vocab = field.vocab if isinstance(field.vocab, Vocab) else Vocab.of(field.vocab)
        np.save(root / f"{name}.terms.npy", sorted_vocab.terms)
        columns = sorted_vocab.columns if sorted_vocab.columns is not None \
            else np.arange(sorted_vocab.terms.size, dtype=np.int64)
        np.save(root / f"{name}.columns.npy", columns)
    for part in ("data", "indices", "indptr"):
        np.save(root / f"{name}.{part}.npy", getattr(field, part))
    return field.size


def _read_field(root: Path, name: str, size: int, vocab: Vocab | None = None) -> Field:
    """A stored field, memory-mapped; ValueError when its arrays do not fit together."""
    if vocab is None:
        vocab = Vocab(_array(root / f"{name}.terms.npy"), _array(root / f"{name}.columns.npy"))
        if vocab.columns is None or vocab.columns.shape != vocab.terms.shape:
            raise ValueError(f"{name}: vocabulary and columns differ in length")
    data, indices, indptr = (_array(root / f"{name}.{part}.npy") for part in ("data", "indices", "indptr"))
    # bm25s's indptr (the learned fields) has one offset per term, ours one more.
    if indptr.ndim != 1 or indptr.size not in (len(vocab), len(vocab) + 1) \
            or not data.shape == indices.shape == (int(indptr[-1]) if indptr.size else 0,):
        raise ValueError(f"{name}: postings do not fit the vocabulary")
    return Field(vocab, data, indices, indptr, size)


# --- narrowed views -------------------------------------------------------------------------------
def view_dir(index_root: Path, digest: str) -> Path:
    return index_root / f"{VIEW_PREFIX}{digest[:32]}"


def write_view(index: Index, mask: np.ndarray, digest: str) -> Path:
    """Store Index.subset(mask) under view-<digest>/ (the text and passage postings, renumbered positions)."""
    narrowed = index.subset(mask)
    root = _fresh(view_dir(index.path, digest))
    np.save(root / "positions.npy", np.flatnonzero(mask))
    for name in _VIEW_ARRAYS:
        np.save(root / f"{name}.npy", getattr(narrowed, name))
    sizes = {name: _write_field(getattr(narrowed, name), root, name, vocab=False) for name in ("text", "part")}
    _write_meta(root, {"digest": digest, "code": view_code(), "articles": narrowed.size, "of": index.size,
                       "sizes": sizes})
    return root


def read_view(index: Index, digest: str) -> Index | None:
    """The stored Index.subset of the mask named `digest`, memory-mapped; None when the build stored none
    for it (or other code did), or it is damaged (with a warning)."""
    root = view_dir(index.path, digest)
    meta = _meta(root, digest=digest, code=view_code(), of=index.size)
    if meta is None:
        return None
    try:
        positions = _array(root / "positions.npy")
        text, part = (_read_field(root, name, int(meta["sizes"][name]), getattr(index, name).vocab)
                      for name in ("text", "part"))
        rest = {name: _array(root / f"{name}.npy") for name in _VIEW_ARRAYS}
        articles = int(meta["articles"])
        if positions.shape != (articles,) or rest["part_start"].shape != (articles,) or text.size != articles \
                or rest["part_owner"].shape != (part.size,) or rest["link_src"].shape != rest["link_dst"].shape:
            raise ValueError("arrays of different lengths")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        _damaged(root, exc)
        return None
    return index.narrowed(positions, text, part, **rest)


# --- learned parts bound to the index -------------------------------------------------------------
def learned_key(path: Path | None = None) -> str | None:
    """A hash of learned.json (learned.LEARNED_FILE when no `path`; None when there is none): what the bound
    parts were made from."""
    try:
        return hashlib.blake2b((path or learned_mod.LEARNED_FILE).read_bytes(), digest_size=16).hexdigest()
    except OSError:
        return None


def learned_dir(index_root: Path, key: str) -> Path:
    return index_root / f"{LEARNED_PREFIX}{key}"


def write_learned(learned: Learned, index_root: Path, key: str) -> Path:
    """Store the learned parts bound to the index under learned-<key>/."""
    root = _fresh(learned_dir(index_root, key))
    kinds: dict[str, Any] = {}
    for slot in fields(Learned):
        value = getattr(learned, slot.name)
        if value is None:
            kinds[slot.name] = None
        elif isinstance(value, Field):
            kinds[slot.name] = {"field": _write_field(value, root, slot.name, vocab=True)}
        elif isinstance(value, Cited):
            np.save(root / f"{slot.name}.indptr.npy", value.indptr)
            np.save(root / f"{slot.name}.indices.npy", value.indices)
            kinds[slot.name] = {"cited": value.articles}
        elif isinstance(value, np.ndarray):
            np.save(root / f"{slot.name}.npy", value)
            kinds[slot.name] = "array"
        else:  # the bridge (a dict) and the unseen-term score (a float)
            kinds[slot.name] = {"json": value}
    _write_meta(root, {"key": key, "code": learned_code(), "parts": kinds})
    return root


def read_learned(index_root: Path, key: str) -> Learned | None:
    """The stored learned parts for learned.json of hash `key`, memory-mapped; None when none were stored
    for it (or other code stored them), or they are damaged (with a warning)."""
    root = learned_dir(index_root, key)
    meta = _meta(root, key=key, code=learned_code())
    if meta is None:
        return None
    values: dict[str, Any] = {}
    try:
        for name, kind in meta["parts"].items():
            if kind is None:
                values[name] = None
            elif kind == "array":
                values[name] = _array(root / f"{name}.npy")
            elif "field" in kind:
                values[name] = _read_field(root, name, int(kind["field"]))
            elif "cited" in kind:
                values[name] = Cited(_array(root / f"{name}.indptr.npy"), _array(root / f"{name}.indices.npy"),
                                     int(kind["cited"]))
            else:
                values[name] = kind["json"]
        if "bridge" in values:
            values["bridge"] = {w: [(t, float(a)) for t, a in pairs] for w, pairs in values["bridge"].items()}
        return Learned(**values)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        _damaged(root, exc)
        return None

"""Where a built corpus lives under FAWEN_HOME, and how a generation proves it is whole.

FAWEN_HOME/
  current -> gen-<time>-<random>/   symlink, switched atomically once a build has fully succeeded
  gen-…/corpus.sqlite               laws, versions, articles, aliases, correspondence, build issues
  gen-…/index/                      retrieval and quote indexes
  gen-…/manifest.json               written last: sources, build time, and every file with its size and
                                    checksum; a generation without it is half-built
  build.lock                        held (flock) by the one build running; says who holds it
  qa.sqlite                         the Q&A store, kept apart so that a rebuild does not drop it
  vectors/                          dense article vectors, cached across builds by content hash
  sources/lawrefbook-<commit>/      a LawRefBook snapshot downloaded and verified by `fawen corpus fetch`
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fawen.errors import CorpusError

CORPUS_FILE = "corpus.sqlite"
CURRENT = "current"
INDEX_DIR = "index"
MANIFEST = "manifest.json"
LOCK = "build.lock"
GENERATION_PREFIX = "gen-"
MANIFEST_FORMAT = 1
SOURCES_DIR = "sources"   # snapshots of sources fetched by `fawen corpus fetch` (fawen/corpus/fetch.py)
_CHUNK = 1 << 20


def current_link(home: Path) -> Path:
    return home / CURRENT


def current_generation(home: Path) -> Path | None:
    """The generation `current` points to, or None when there is none (cheap: one readlink)."""
    try:
        target = os.readlink(current_link(home))
    except OSError:
        return None
    return home / target


def generations(home: Path) -> list[Path]:
    """Every generation directory under the home, oldest first."""
    try:
        return sorted(p for p in home.glob(f"{GENERATION_PREFIX}*") if p.is_dir() and not p.is_symlink())
    except OSError:
        return []


def no_corpus(home: Path) -> CorpusError:
    return CorpusError(f"尚未建立索引 (no corpus at {home}). 运行 `fawen corpus build` (run `fawen corpus build` first).")


def unreadable(gen: Path) -> CorpusError:
    return CorpusError(f"无权读取语料库 (permission denied): {gen}. 请让建立它的用户运行 `fawen corpus build` 重建，"
                       "新建的语料库对所有用户可读 (rebuild it with `fawen corpus build`: new builds are world-readable)")


@dataclass
class Manifest:
    """What a finished build wrote: its sources and every file of the generation with size and checksum."""

    sources: list[str]
    built_at: str
    fingerprint: str
    files: dict[str, dict[str, Any]]

    def to_json(self) -> dict[str, Any]:
        return {"format": MANIFEST_FORMAT, "sources": self.sources, "built_at": self.built_at,
                "fingerprint": self.fingerprint, "files": self.files}


def checksum(path: Path) -> str:
    digest = hashlib.blake2b(digest_size=16)
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def write_manifest(gen: Path, sources: list[str], built_at: str, fingerprint: str) -> Manifest:
    """Record every file of the finished generation (size, checksum), atomically, as its last step."""
    files = {}
    for path in sorted(p for p in gen.rglob("*") if p.is_file() and p.name != MANIFEST):
        files[str(path.relative_to(gen))] = {"size": path.stat().st_size, "checksum": checksum(path)}
    manifest = Manifest(sources, built_at, fingerprint, files)
    tmp = gen / f".{MANIFEST}.tmp"
    tmp.write_text(json.dumps(manifest.to_json(), ensure_ascii=False, indent=1), encoding="utf-8")
    os.chmod(tmp, 0o644)
    os.replace(tmp, gen / MANIFEST)
    return manifest


def read_manifest(gen: Path) -> Manifest | None:
    """The generation's manifest, or None when it has none (half-built, or built by an older fawen)."""
    try:
        data = json.loads((gen / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
        return None
    return Manifest(list(data.get("sources", [])), str(data.get("built_at", "")), str(data.get("fingerprint", "")),
                    dict(data.get("files", {})))


def check_sizes(gen: Path, manifest: Manifest) -> str | None:
    """Cheap integrity check when opening: every recorded file is there with its size. The problem, or None."""
    for name, info in manifest.files.items():
        try:
            size = (gen / name).stat().st_size
        except OSError:
            return f"{name} 缺失 (missing)"
        if size != info.get("size"):
            return f"{name} 大小为 {size} 字节，应为 {info.get('size')} (size {size}, expected {info.get('size')})"
    return None


def check_contents(gen: Path, manifest: Manifest) -> str | None:
    """Full integrity check (at build time): sizes, then every file's checksum. The problem, or None."""
    problem = check_sizes(gen, manifest)
    if problem:
        return problem
    for name, info in manifest.files.items():
        if checksum(gen / name) != info.get("checksum"):
            return f"{name} 内容已改变 (checksum mismatch)"
    return None


def require_whole(home: Path) -> tuple[Path, Manifest]:
    """The current generation and its manifest, after the cheap check; CorpusError naming the repair."""
    gen = current_generation(home)
    if gen is None or not (gen / CORPUS_FILE).exists():
        if gen is not None and gen.is_dir() and not os.access(gen, os.R_OK | os.X_OK):
            raise unreadable(gen)
        raise no_corpus(home)
    if not os.access(gen, os.R_OK | os.X_OK) or not os.access(gen / CORPUS_FILE, os.R_OK):
        raise unreadable(gen)
    manifest = read_manifest(gen)
    if manifest is None:
        raise CorpusError(f"语料库不完整或由旧版本建立 (incomplete corpus, or built by an older fawen): {gen}. "
                          "运行 `fawen corpus build` 重建 (run `fawen corpus build` to rebuild it)")
    problem = check_sizes(gen, manifest)
    if problem:
        raise CorpusError(f"语料库文件已损坏 (corpus damaged): {gen}: {problem}. "
                          "运行 `fawen corpus build` 重建 (run `fawen corpus build` to rebuild it)")
    return gen, manifest

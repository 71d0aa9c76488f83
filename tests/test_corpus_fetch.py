"""`fawen corpus fetch`: a pinned snapshot downloaded, verified and put in place — tested against archives
made here (tar.gz as GitHub serves them, zip), a file:// URL and a refused connection; no network."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from fawen.build import build, fetch
from fawen.corpus import fetch as snapshots
from fawen.corpus.fetch import MARKER, Snapshot, tree_digest
from fawen.corpus.layout import current_generation
from fawen.errors import CorpusError
from tests.lawrefbook_layouts import write_checkout


@pytest.fixture(scope="module")
def upstream(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository checkout as upstream has it: data, and files the reader does not use."""
    root = write_checkout(tmp_path_factory.mktemp("upstream") / "Laws-24f2939", "2026")
    (root / "README.md").write_text("# Laws\n", encoding="utf-8")
    (root / "scripts").mkdir()
    (root / "scripts" / "update.py").write_text("print('not data')\n", encoding="utf-8")
    (root / ".github").mkdir()
    (root / ".github" / "notes.md").write_text("# not data\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def snapshot(upstream: Path) -> Snapshot:
    digest, files, size = tree_digest(upstream)
    return Snapshot("LawRefBook/Laws", "24f2939", "2026-06-03", (), digest, files, size)


def archive(upstream: Path, into: Path, kind: str = "tar") -> Path:
    """An archive with one top folder, as GitHub makes them."""
    if kind == "zip":
        path = into / "laws.zip"
        with zipfile.ZipFile(path, "w") as zf:
            for file in sorted(upstream.rglob("*")):
                zf.write(file, str(file.relative_to(upstream.parent)))
        return path
    path = into / "laws.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        tar.add(upstream, arcname=upstream.name)
    return path


def test_data_files_exclude_what_the_reader_does_not_use(upstream: Path, snapshot: Snapshot) -> None:
    names = {str(rel) for rel, _ in snapshots.data_files(upstream)}
    assert "db.sqlite3" in names and "DLC/某市地方法规/db.sqlite3" in names and "刑法/示例刑法.md" in names
    assert not {"README.md", "scripts/update.py", ".github/notes.md"} & names
    assert snapshot.files == len(names) == 10


@pytest.mark.parametrize("kind", ["tar", "zip"])
def test_fetch_verifies_and_puts_the_snapshot_in_place(upstream: Path, snapshot: Snapshot, tmp_path: Path,
                                                       kind: str) -> None:
    home = tmp_path / "home"
    got = fetch(home, (str(archive(upstream, tmp_path, kind)),), snapshot=snapshot)
    assert got.path == home / "sources" / "lawrefbook-24f2939" and got.files == snapshot.files
    assert (got.path / MARKER).is_file() and (got.path / "刑法" / "示例刑法.md").is_file()
    assert not (got.path / "README.md").exists() and not (got.path / "scripts").exists()
    assert snapshots.verified(got.path, snapshot)
    assert not [p for p in (home / "sources").iterdir() if p.name.startswith(".")]   # no work files left
    again = fetch(home, ("http://127.0.0.1:9/never-asked",), snapshot=snapshot)
    assert again.url is None and again.path == got.path                  # already here: nothing downloaded


def test_fetch_from_a_file_url_then_build_from_it(upstream: Path, snapshot: Snapshot, tmp_path: Path) -> None:
    home = tmp_path / "home"
    url = archive(upstream, tmp_path).as_uri()
    got = fetch(home, (url,), snapshot=snapshot)
    assert got.url == url
    report = build([f"lawrefbook:{got.path}"], home, default=False, today="2026-11-29")
    assert report.laws == 7 and report.successions == 1


def test_broken_download_keeps_the_previous_snapshot_and_corpus(upstream: Path, snapshot: Snapshot,
                                                                tmp_path: Path) -> None:
    home = tmp_path / "home"
    good = archive(upstream, tmp_path)
    fetched = fetch(home, (str(good),), snapshot=snapshot)
    build([f"lawrefbook:{fetched.path}"], home, default=False, today="2026-11-29")
    generation = current_generation(home)
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(CorpusError, match=r"damaged or incomplete.*the current corpus is kept|"
                                          r"the current corpus is kept.*damaged or incomplete"):
        fetch(home, (str(cut),), snapshot=snapshot, force=True)
    assert snapshots.verified(fetched.path, snapshot)                     # the verified copy is still there
    assert current_generation(home) == generation


def test_other_data_is_refused(upstream: Path, snapshot: Snapshot, tmp_path: Path) -> None:
    changed = tmp_path / "changed" / upstream.name
    write_checkout(changed, "2026")
    (changed / "刑法" / "示例刑法.md").write_text("# 示例刑法\n\n<!-- INFO END -->\n\n第一条 改过的文本。\n",
                                                 encoding="utf-8")
    home = tmp_path / "home"
    with pytest.raises(CorpusError, match=r"differ from the pinned snapshot LawRefBook/Laws@24f2939.*expected 10 files"):
        fetch(home, (str(archive(changed, tmp_path)),), snapshot=snapshot)
    assert not (home / "sources" / "lawrefbook-24f2939").exists()


def test_unreachable_and_not_an_archive(snapshot: Snapshot, tmp_path: Path) -> None:
    home = tmp_path / "home"
    with pytest.raises(CorpusError, match="cannot connect") as refused:
        fetch(home, ("http://127.0.0.1:9/laws.tar.gz",), snapshot=snapshot)
    assert "127.0.0.1:9" in refused.value.message
    text = tmp_path / "page.html"
    text.write_text("<html>not found</html>", encoding="utf-8")
    with pytest.raises(CorpusError, match="neither a tar nor a zip"):
        fetch(home, (str(text),), snapshot=snapshot)
    with pytest.raises(CorpusError, match="no such file"):
        fetch(home, (str(tmp_path / "absent.tar.gz"),), snapshot=snapshot)
    # Every URL is tried in order; the error lists each one's problem.
    with pytest.raises(CorpusError, match="cannot connect.*neither a tar nor a zip"):
        fetch(home, ("http://127.0.0.1:9/a.tar.gz", str(text)), snapshot=snapshot)


def test_pinned_snapshot_is_the_shared_one() -> None:
    assert snapshots.PINNED.commit == "24f2939" and len(snapshots.PINNED.digest) == 64
    assert all(u.endswith("24f2939.tar.gz") for u in snapshots.PINNED.urls)
    shared = Path(os.environ.get("FAWEN_SHARED_DATA") or Path(__file__).resolve().parents[2] / "shared" / "data")
    readme = shared / "lawrefbook-2026" / "README.txt"
    if readme.is_file():
        assert "24f2939" in readme.read_text(encoding="utf-8")


def test_cli_fetch_failure_exits_2_and_keeps_the_corpus(fixture_home: Path, tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("<html></html>", encoding="utf-8")
    generation = current_generation(fixture_home)
    env = {**os.environ, "FAWEN_HOME": str(fixture_home)}
    result = subprocess.run([sys.executable, "-m", "fawen.cli", "corpus", "fetch", "--url", str(page)],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "the current corpus is kept" in result.stderr and "neither a tar nor a zip" in result.stderr
    assert current_generation(fixture_home) == generation

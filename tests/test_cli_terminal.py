"""The command line as a person meets it: start-up that imports only what a command needs, one exit-code
policy, progress on stderr (bars on a terminal, lines in a log), `fawen corpus issues`, counts in words."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from fawen import terminal
from fawen.errors import BadInput, CorpusError, NotFound, TooLarge
from tests.conftest import REPO
from tests.fixtures import write_lawrefbook


def fawen(*args: str, home: Path, stdin: str | None = None, env: dict[str, str] | None = None
          ) -> subprocess.CompletedProcess[str]:
    """The console script's entry point (fawen.cli:main) in a subprocess, stderr not a terminal."""
    return subprocess.run([sys.executable, "-c", "from fawen.cli import main; main()", *args], capture_output=True,
                          text=True, env={**os.environ, "FAWEN_HOME": str(home), **(env or {})}, timeout=180,
                          cwd=str(REPO), input=stdin)


# --- start-up -----------------------------------------------------------------------------------------
def imported_by(args: list[str], home: Path) -> set[str]:
    code = ("import sys; from fawen.cli import main\nsys.argv = ['fawen', *sys.argv[1:]]\ntry:\n    main()\n"
            "except SystemExit:\n    pass\nprint(' '.join(sorted(sys.modules)), file=sys.stderr)")
    result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "FAWEN_HOME": str(home)}, cwd=str(REPO))
    return set(result.stderr.strip().splitlines()[-1].split())


def test_law_and_help_load_nothing_heavy(fixture_home: Path) -> None:
    """`fawen law` answers from SQLite alone: no numpy, jieba, bm25s, cn2an (a third of a second to import),
    pydantic (typer's default argument parsing), rich or the web framework."""
    heavy = {"numpy", "scipy", "jieba", "bm25s", "cn2an", "pydantic", "fastapi", "mcp", "rich"}
    assert not heavy & imported_by(["law", "示例法", "3", "--as-of", "2026-02-01", "--json"], fixture_home)
    assert not (heavy - {"rich"}) & imported_by(["--help"], fixture_home)
    asked = imported_by(["ask", "在微信群里公然侮辱他人会被拘留吗", "--json"], fixture_home)
    assert "jieba" in asked and not {"datasketch", "cn2an", "pydantic", "fastapi", "mcp"} & asked  # no Q&A store


def test_plain_argument_parsing_keeps_typer_rules(fixture_home: Path) -> None:
    """The plain converters refuse what typer's did, with exit 2 and the option named."""
    not_int = fawen("search", "诽谤", "--k", "many", home=fixture_home)
    assert not_int.returncode == 2 and "--k" in not_int.stderr and "not an integer" in not_int.stderr
    port = fawen("serve", "--port", "70000", home=fixture_home)
    assert port.returncode == 2 and "--port" in port.stderr and "out of range" in port.stderr
    ok = fawen("search", "侮辱", "--k", "2", "--kind", "法律", "--as-of", "2026-02-01", "--json", home=fixture_home)
    assert ok.returncode == 0 and 1 <= len(json.loads(ok.stdout)) <= 2
    missing = fawen("law", "示例法", home=fixture_home)
    assert missing.returncode == 2 and "ARTICLE" in missing.stderr


# --- exit codes ---------------------------------------------------------------------------------------
def test_exit_code_policy() -> None:
    assert terminal.exit_code(NotFound("x")) == 1
    for exc in (BadInput("x"), TooLarge("x"), CorpusError("x")):
        assert terminal.exit_code(exc) == 2
    assert terminal.partial(0) == 0 and terminal.partial(0, findings=True) == 3
    assert terminal.partial(1) == 2 and terminal.partial(3, findings=True) == 2  # skipped input comes first


def test_qa_import_that_skipped_records_exits_2(tmp_path: Path) -> None:
    records = tmp_path / "qa.jsonl"
    good = json.dumps({"question": "诽谤怎么办", "answer": "依照《示例法》第三条。"}, ensure_ascii=False)
    records.write_text(f"{good}\nnot json\n", encoding="utf-8")
    result = fawen("qa", "import", str(records), "--no-audit", home=tmp_path / "home")
    assert result.returncode == 2, result.stderr
    assert "1 added" in result.stdout and "from 1 record in 1 file" in result.stdout and "1 skipped" in result.stdout
    assert "skipped" in result.stderr and "qa.jsonl:2" in result.stderr
    clean = tmp_path / "clean.jsonl"
    clean.write_text(good + "\n", encoding="utf-8")
    assert fawen("qa", "import", str(clean), "--no-audit", home=tmp_path / "home").returncode == 0
    missing = fawen("qa", "import", str(tmp_path / "absent.jsonl"), home=tmp_path / "home")
    assert missing.returncode == 2 and "no such file" in missing.stderr


def test_check_counts_in_words_and_exit_codes(fixture_home: Path) -> None:
    one = fawen("check", "-", "--as-of", "2026-02-01", home=fixture_home, stdin="依照《示例法》第九十九条处理。")
    assert one.returncode == 3 and "1 处问题" in one.stdout and "1 finding)" in one.stdout
    assert "1 findings" not in one.stdout and "1 citations" not in one.stdout
    clean = fawen("check", "-", "--as-of", "2026-02-01", home=fixture_home, stdin="依照《示例法》第三条处理。")
    assert clean.returncode == 0 and "0 findings" in clean.stdout


def test_a_bug_exits_70_with_its_traceback(fixture_home: Path) -> None:
    code = ("import sys; import fawen.service as s; s.Fawen.stats = lambda self: 1 / 0; "
            "sys.argv = ['fawen', 'corpus', 'stats']; from fawen.cli import main; main()")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "FAWEN_HOME": str(fixture_home)}, cwd=str(REPO))
    assert result.returncode == 70
    assert "ZeroDivisionError" in result.stderr and "internal error" in result.stderr


# --- progress -----------------------------------------------------------------------------------------
class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_progress_lines_in_a_log_have_stage_rate_and_eta() -> None:
    buffer, clock = io.StringIO(), Clock()
    console = Console(file=buffer, force_terminal=False, width=300)
    with terminal.Progress(console, every=5, clock=clock, heartbeat=False) as tick:
        assert not tick.live
        tick("writing", 0, 100)
        clock.now += 2
        tick("writing", 20, 100)       # under 5 s since the last line: nothing
        clock.now += 4
        tick("writing", 60, 100)       # 6 s: a line with rate and ETA
        clock.now += 4
        tick("writing", 100, 100)
        tick("indexing", 0, 0)         # a new stage ends the last one
        clock.now += 6
        tick.beat()                    # a stage that reports nothing still shows it is alive
        clock.now += 1
    lines = buffer.getvalue().splitlines()
    assert lines == ["fawen: [writing] …",
                     "fawen: [writing] 60/100 (60%), 10.0/s, ETA 4s, 6s elapsed",
                     "fawen: [writing] done: 100 in 10.0s (10.0/s)",
                     "fawen: [indexing] …",
                     "fawen: [indexing] … 6s elapsed",
                     "fawen: [indexing] done: in 7.0s"]


def test_progress_bars_advance_on_a_terminal() -> None:
    buffer, clock = io.StringIO(), Clock()
    console = Console(file=buffer, force_terminal=True, width=120)
    with terminal.Progress(console, clock=clock) as tick:
        assert tick.live
        tick("writing", 0, 342)
        tick("writing", 171, 342)
        bars = tick._bars
        assert bars is not None and bars.tasks[0].completed == 171 and bars.tasks[0].total == 342
        clock.now += 3
        tick("indexing", 1, 2)
        assert bars.tasks[-1].completed == 1 and bars.tasks[-1].total == 2  # not the last stage's total
    shown = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", buffer.getvalue())
    assert "✓ writing: 171 in 3.0s" in shown


def test_build_without_a_terminal_logs_its_stages(tmp_path: Path) -> None:
    """`make demo > log`, CI: a build's stderr says what it is doing, stage by stage, as plain lines."""
    source = write_lawrefbook(tmp_path / "lawrefbook")
    result = fawen("corpus", "build", "--only", "--source", f"lawrefbook:{source}", home=tmp_path / "home")
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("fawen: [")]
    stages = [line.split("]")[0].removeprefix("fawen: [") for line in lines if line.endswith("…")]
    assert stages == ["reading lawrefbook", "linking successors", "writing", "indexing"], lines
    assert any(line.startswith("fawen: [writing] done: 2 in ") for line in lines), lines
    assert any(line.startswith("fawen: [indexing] done: 4 in ") for line in lines), lines
    assert "\x1b[" not in result.stderr  # no terminal control codes in a log
    assert "2 laws, 3 versions" in result.stdout and "1 warning;" in result.stdout
    assert "`fawen corpus issues`" in result.stdout


# --- corpus issues ------------------------------------------------------------------------------------
def test_corpus_issues_lists_file_line_and_what(fixture_home: Path) -> None:
    listed = fawen("corpus", "issues", home=fixture_home)
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert "lawrefbook:行政法/重复条号法.md:9: [error] 重复条号 (duplicate article number) 第二条, file skipped" in lines
    assert len(lines) == 6 and "6 issues" in listed.stderr
    warnings = json.loads(fawen("corpus", "issues", "--severity", "warning", "--json", home=fixture_home).stdout)
    assert [set(w) for w in warnings] == [{"source", "file", "line", "severity", "message"}]
    assert warnings[0]["severity"] == "warning" and not warnings[0]["file"].startswith("/")
    bad = fawen("corpus", "issues", "--severity", "fatal", home=fixture_home)
    assert bad.returncode == 2 and "error or warning" in bad.stderr


@pytest.mark.parametrize("n,noun,text", [(1, "finding", "1 finding"), (2, "finding", "2 findings"),
                                         (0, "law", "0 laws"), (1, "law", "1 law")])
def test_count(n: int, noun: str, text: str) -> None:
    assert terminal.count(n, noun) == text


def test_serve_on_a_busy_port_exits_2(fixture_home: Path) -> None:
    """uvicorn would log the bind error and exit 1, which the policy keeps for 'not found'."""
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        result = fawen("serve", "--port", str(busy.getsockname()[1]), home=fixture_home)
    assert result.returncode == 2 and "cannot listen" in result.stderr and "Traceback" not in result.stderr


def test_build_on_a_terminal_shows_bars(tmp_path: Path) -> None:
    """With stderr on a terminal (a pseudo-terminal here) the build draws bars and a ✓ line per stage."""
    import pty

    source = write_lawrefbook(tmp_path / "lawrefbook")
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-c", "from fawen.cli import main; main()", "corpus", "build", "--only",
                             "--source", f"lawrefbook:{source}"], stdout=subprocess.PIPE, stderr=follower,
                            env={**os.environ, "FAWEN_HOME": str(tmp_path / "home"), "COLUMNS": "100"}, cwd=str(REPO))
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        shown += chunk
    out, _ = proc.communicate(timeout=180)
    os.close(leader)
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", shown.decode("utf-8", "replace"))
    assert proc.returncode == 0, text
    assert "━━" in text and "✓ writing: 2 in" in text and "✓ indexing: 4 in" in text, text
    assert b"2 laws, 3 versions" in out

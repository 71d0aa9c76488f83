"""`fawen check --from/--out/...` through the real console script: kill -9 midway and resume, a SQLite input,
progress lines without a terminal, and the editors' HTML report in headless chromium."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fawen.archive.digest import digest
from fawen.archive.report import render_report
from tests import archive_helpers as ah
from tests.cite_helpers import TODAY, cite_home  # noqa: F401 - the fixture is used by name
from tests.doors_helpers import launched_chromium, watched_page
from tests.test_archive import children

ATTACK = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned=2">'


def fawen(*args: str, home: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "FAWEN_HOME": str(home), "COLUMNS": "200"}
    return subprocess.Popen([sys.executable, "-m", "fawen.cli", "check", *args, "--as-of", TODAY],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)


def finish(proc: subprocess.Popen[bytes]) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=300)
    return proc.returncode, out.decode(), err.decode()


def test_kill_9_midway_then_resume_loses_and_doubles_nothing(cite_home: Path, tmp_path: Path) -> None:  # noqa: F811
    records = ah.generate(600, seed=5)
    source = ah.write_jsonl(records, tmp_path / "pages.jsonl")
    code, _, err = finish(fawen("--from", str(source), "--out", str(tmp_path / "reference.jsonl"), "--workers", "1",
                                home=cite_home))
    assert code == 2, err   # the generated archive has two unreadable pages
    out, checkpoint = tmp_path / "out.jsonl", tmp_path / "out.jsonl.checkpoint.json"
    proc = fawen("--from", str(source), "--out", str(out), "--workers", "2", "--batch-size", "10", home=cite_home)
    deadline = time.monotonic() + 240
    done, workers = 0, []
    while time.monotonic() < deadline and proc.poll() is None:
        workers = children(proc.pid) or workers
        try:
            done = json.loads(checkpoint.read_text(encoding="utf-8"))["pages"]
        except (OSError, ValueError):
            done = 0
        if done >= 100:
            break
        time.sleep(0.01)
    assert proc.poll() is None, "the run ended before it could be killed midway"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert len(workers) == 2
    for _ in range(100):   # the workers die with the driver (PR_SET_PDEATHSIG)
        if not any(Path(f"/proc/{pid}").exists() and "fawen.archive.worker" in _cmdline(pid) for pid in workers):
            break
        time.sleep(0.05)
    else:
        pytest.fail(f"worker processes {workers} outlived the killed driver")
    state = json.loads(checkpoint.read_text(encoding="utf-8"))
    killed_at, written = state["pages"], out.read_bytes()
    assert 100 <= killed_at < 600 and len(written) >= state["position"]
    unfinished = {json.loads(line)["page"] for line in written[state["position"]:].splitlines() if line.endswith(b"}")}

    code, stdout, err = finish(fawen("--from", str(source), "--out", str(out), "--workers", "2", "--batch-size",
                                     "10", "--json", home=cite_home))
    summary = json.loads(stdout)
    assert code == 2 and summary["resumed_at"] == killed_at and summary["run_pages"] == 600 - killed_at, err
    assert out.read_bytes() == (tmp_path / "reference.jsonl").read_bytes()   # nothing lost, nothing doubled
    # Redone: only rows of the one batch after the checkpoint (10 pages), if it had been written at all.
    batch = {f"page-{i:04d}" for i in range(killed_at, killed_at + 10)}
    assert unfinished <= batch and summary["dropped_rows"] <= sum(1 for r in ah.read_jsonl(out) if r["page"] in batch)
    assert summary["pages"] == 600 and summary["errors"] == 2


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def test_sqlite_input_json_summary_and_plain_progress(cite_home: Path, tmp_path: Path) -> None:  # noqa: F811
    records = [r for r in ah.generate(120, seed=3) if r.get("text", "").strip()]
    db = ah.write_sqlite(records, tmp_path / "site.db")
    query = f"sqlite:{db}::SELECT id, question, body AS text FROM answers WHERE site = 'example' ORDER BY id"
    code, stdout, err = finish(fawen("--from", query, "--out", str(tmp_path / "rows.jsonl"), "--workers", "1",
                                     "--json", home=cite_home))
    summary = json.loads(stdout)
    assert code == 3, err   # findings, no unreadable page
    assert summary["pages"] == len(records) and summary["errors"] == 0 and summary["pages_with_findings"] > 0
    # Not a terminal: plain lines with the rate and the ETA.
    assert re.search(r"checked \d+/\d+ pages \(\d+%\), [\d.]+ pages/s, elapsed [\d:]+, ETA [\d:?]+", err), err
    rows = ah.read_jsonl(tmp_path / "rows.jsonl")
    assert {r["page"] for r in rows} == {r["id"] for r in records}
    assert list(rows[0]) == ["page", "source", "n", "raw", "law", "article", "status", "kind", "message",
                             "suggestion", "current", "findings"]
    # Without --out the rows go to stdout as JSON Lines, the summary to stderr.
    code, stdout, err = finish(fawen("--from", query, "--workers", "1", "--json", home=cite_home))
    assert code == 3 and [json.loads(line) for line in stdout.splitlines()] == rows
    bad = finish(fawen("--from", f"sqlite:{db}::SELECT nonsense FROM answers", home=cite_home))
    assert bad[0] == 2 and "SQL error" in bad[2] and "Traceback" not in bad[2]


def _report_rows() -> list[dict[str, Any]]:
    def row(page: str, n: int, kind: str | None, raw: str, law: str | None = "中华人民共和国示例法") -> dict[str, Any]:
        findings = [{"kind": kind, "message": f"{kind} {raw}", "suggestion": "《中华人民共和国示例法》第三条"}] if kind else []
        return {"page": page, "source": f"site:{page}", "n": n, "raw": raw, "law": law, "article": "第二条",
                "status": kind or "ok", "kind": kind, "message": findings[0]["message"] if kind else None,
                "suggestion": findings[0]["suggestion"] if kind else None,
                "current": "有下列行为之一的，处五日以下拘留或者一千元以下罚款" if kind else None, "findings": findings}

    return [row("calm", 1, None, "《示例法》第三条"), row("one", 1, "renumbered", "《示例法》第二条"),
            row(ATTACK, 1, "renumbered", f"《示例法》第二条{ATTACK}"), row(ATTACK, 2, "not_found", "《示例法》第九十九条"),
            row(ATTACK, 3, "irrelevant", "《示例法》第三条"),
            {**row("broken", 0, None, ""), "status": "error", "message": f"bad JSON {ATTACK}", "raw": None}]


def test_report_is_self_contained_and_escaped() -> None:
    html = render_report(digest(_report_rows()), {"pages": 4, "checked": 3, "errors": 1, "citations": 5,
                                                  "pages_with_findings": 2}, {"source": ATTACK, "as_of": TODAY})
    assert "<script" not in html and "<img src=x" not in html and "&lt;script&gt;" in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), "no external assets"
    assert html.count("<svg") == 2 and "<metadata" not in html
    worst = html.index('id="worst"')
    assert html.index(f"<h3>{'&lt;script&gt;'}", worst) < html.index("<h3>one</h3>", worst)   # worst first


@pytest.fixture(scope="module")
def page() -> Iterator[Any]:
    """A headless chromium page, closed with this module (tests/doors_helpers.py's browser is per session: two
    sessions of playwright's sync API cannot run at once)."""
    with launched_chromium() as chromium, watched_page(chromium) as pg:
        yield pg


@pytest.mark.browser
def test_report_renders_in_a_browser(page: Any, cite_home: Path, tmp_path: Path) -> None:  # noqa: F811
    pytest.importorskip("matplotlib", reason="matplotlib not installed: pip install 'fawen[archive]'")
    records = ah.generate(200, seed=11)
    records[5] = {"id": ATTACK, "question": "网上诽谤他人转发五百次怎么处理", "text": "依据《示例法》第九十九条。" * 8}
    source = ah.write_jsonl(records, tmp_path / "pages.jsonl")
    report = tmp_path / "report.html"
    code, _, err = finish(fawen("--from", str(source), "--out", str(tmp_path / "rows.jsonl"), "--workers", "1",
                                "--report", str(report), home=cite_home))
    assert code == 2 and report.is_file(), err
    page.goto(report.as_uri())
    assert page.evaluate("window.__pwned") is None
    assert page.locator("svg.chart").count() == 2
    kinds = page.locator("#kinds table").inner_text()
    assert "renumbered" in kinds and "条号已变" in kinds
    first = page.locator("#worst article.page").first
    assert first.locator("tbody tr").count() >= 2
    assert "现行条文" in first.inner_text() and "《中华人民共和国示例法》第三条" in page.locator("#worst").inner_text()
    assert first.locator("h3").inner_text() == ATTACK   # the worst page first, its id shown as text
    assert page.locator("#outdated").inner_text().count("中华人民共和国示例法") >= 1
    box = page.locator("svg.chart").first.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 100
    assert page.fawen_errors == []

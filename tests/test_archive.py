"""Auditing a whole archive (fawen/archive) on a few hundred generated pages over the auditor's fixture corpus:
every input format, serial = worker processes = Ray, resuming after a crash, --since, the report."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from fawen.archive import inputs
from fawen.archive.run import AuditOptions, AuditResult, audit
from fawen.archive.since import build_law_changes, changed_since
from fawen.library import Home
from fawen.errors import BadInput
from tests import archive_helpers as ah
from tests.cite_helpers import TODAY, cite_home  # noqa: F401 - the fixture is used by name

N = 300


@pytest.fixture
def home(cite_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:  # noqa: F811
    monkeypatch.setenv("FAWEN_HOME", str(cite_home))
    return cite_home


@pytest.fixture(scope="module")
def records() -> list[dict[str, Any]]:
    return ah.generate(N)


def run(source: Path | str, out: Path, **options: Any) -> AuditResult:
    options.setdefault("as_of", TODAY)
    options.setdefault("batch_size", 25)
    return audit(AuditOptions(str(source), out, **options))


def children(pid: int) -> list[int]:
    """Live archive worker processes whose parent is `pid`."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid and b"fawen.archive.worker" in _cmdline(entry):
                found.append(int(entry.name))
    return found


def _cmdline(entry: Path) -> bytes:
    try:
        return (entry / "cmdline").read_bytes()
    except OSError:
        return b""


def test_serial_and_worker_processes_write_the_same_rows(home: Path, records: list[dict[str, Any]],
                                                          tmp_path: Path) -> None:
    source = ah.write_jsonl(records, tmp_path / "pages.jsonl")
    serial = run(source, tmp_path / "serial.jsonl", workers=1)
    parallel = run(source, tmp_path / "parallel.jsonl", workers=2)
    assert serial.mode == "serial" and parallel.mode == "processes" and len(parallel.worker_pids) == 2
    assert (tmp_path / "serial.jsonl").read_bytes() == (tmp_path / "parallel.jsonl").read_bytes()
    assert serial.summary.to_json() | {"seconds": 0} == parallel.summary.to_json() | {"seconds": 0}
    assert serial.summary.pages == N and serial.summary.errors == 2 and serial.exit_code == 2
    rows = ah.read_jsonl(tmp_path / "serial.jsonl")
    assert [r["page"] for r in rows] == sorted(r["page"] for r in rows)   # input order
    assert {r["page"] for r in rows if r["status"] == "error"} == {f"page-{N // 3:04d}", f"page-{N // 2:04d}"}
    renumbered = [r for r in rows if r["kind"] == "renumbered"]
    assert renumbered and all(r["suggestion"] == "《中华人民共和国示例法》第三条" for r in renumbered)
    # The text in force of the suggested article, from the corpus (the 2026 version's 第三条).
    assert renumbered[0]["current"].startswith("有下列行为之一的，处五日以下拘留或者一千元以下罚款")
    assert all(r["current"] is None and r["kind"] is None for r in rows if r["status"] == "ok")
    assert {r["kind"] for r in rows} >= {"not_found", "ambiguous", "misattributed", "irrelevant", "renumbered"}
    assert children(os.getpid()) == []   # the workers are gone
    summary = json.loads((tmp_path / "serial.jsonl.summary.json").read_text(encoding="utf-8"))
    assert summary["citations"] == len([r for r in rows if r["status"] != "error"])


def test_every_input_format_gives_the_same_rows(home: Path, records: list[dict[str, Any]], tmp_path: Path) -> None:
    pytest.importorskip("pyarrow", reason="pyarrow not installed: pip install 'fawen[archive]'")
    pages = tmp_path / "dir"
    pages.mkdir()
    for r in records[:40]:
        (pages / f"{r['id']}.html").write_text(r.get("text") or "", encoding="utf-8")
    sources = {
        "jsonl": ah.write_jsonl(records, tmp_path / "pages.jsonl"),
        "csv": ah.write_csv(records, tmp_path / "pages.csv"),
        "parquet": ah.write_parquet(records, tmp_path / "pages.parquet"),
        "sqlite": f"sqlite:{ah.write_sqlite(records, tmp_path / 'site.db')}::SELECT id, question, body AS text "
                  "FROM answers ORDER BY id",
    }
    results = {}
    for name, source in sources.items():
        run(source, tmp_path / f"{name}.jsonl")
        # The source column says where a page is; an error row's message, why (a CSV has no null text).
        results[name] = [{k: v for k, v in r.items() if k != "source" and (k != "message" or r["n"])}
                         for r in ah.read_jsonl(tmp_path / f"{name}.jsonl")]
    assert results["jsonl"] == results["csv"] == results["parquet"] == results["sqlite"]
    assert ah.read_jsonl(tmp_path / "sqlite.jsonl")[0]["source"].endswith("site.db: row 1")
    run(pages, tmp_path / "dir.jsonl")
    by_dir = ah.read_jsonl(tmp_path / "dir.jsonl")
    assert {r["page"] for r in by_dir} == {f"{r['id']}.html" for r in records[:40]}   # ids: relative paths
    assert by_dir[0]["source"] == str(pages / "page-0000.html")


def test_bad_sources_say_what_is_wrong(home: Path, records: list[dict[str, Any]], tmp_path: Path) -> None:
    db = ah.write_sqlite(records[:5], tmp_path / "site.db")
    cases = [
        (f"sqlite:{db}::SELECT id, body FROM answers", "no 'text' column"),
        (f"sqlite:{db}::SELECT id, text FROM nowhere", "SQL error"),
        (f"sqlite:{db}", "needs a query"),
        (f"sqlite:{db}::DELETE FROM answers", "SQL error"),
        (str(tmp_path / "missing.jsonl"), "no such file"),
        (str(db), "needs a query"),
    ]
    for spec, words in cases:
        with pytest.raises(BadInput) as raised:
            run(spec, tmp_path / "out.jsonl", restart=True)
        assert words in raised.value.message, (spec, raised.value.message)
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE VIEW pages AS SELECT id, question, body AS text FROM answers")
    assert inputs.open_source(f"sqlite:{db}::pages").count() == 5   # a table or view name reads all its rows
    bad_csv = tmp_path / "bad.csv"
    bad_csv.write_text("id,body\n1,x\n", encoding="utf-8")
    with pytest.raises(BadInput, match="no 'text' column"):
        inputs.open_source(str(bad_csv))


def test_parquet_output_holds_the_same_rows(home: Path, records: list[dict[str, Any]], tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet", reason="pyarrow not installed: pip install 'fawen[archive]'")
    source = ah.write_jsonl(records, tmp_path / "pages.jsonl")
    run(source, tmp_path / "rows.jsonl")
    run(source, tmp_path / "rows.parquet")
    assert not (tmp_path / "rows.parquet.parts").exists()
    table = pq.read_table(tmp_path / "rows.parquet")
    as_json = ah.read_jsonl(tmp_path / "rows.jsonl")
    assert table.num_rows == len(as_json)
    for got, want in zip(table.to_pylist(), as_json):
        want["findings"] = [{"suggestion": None, **f} for f in want["findings"]]
        assert got == want


def test_a_crash_between_output_and_checkpoint_redoes_one_batch(home: Path, records: list[dict[str, Any]],
                                                                 tmp_path: Path) -> None:
    source = ah.write_jsonl(records, tmp_path / "pages.jsonl")
    reference = run(source, tmp_path / "reference.jsonl")
    out = tmp_path / "out.jsonl"
    batches = 0

    def stop_after_three(done: int, total: int) -> None:
        nonlocal batches
        batches += 1
        if batches > 3:   # the first call reports the start; then one call per committed batch
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        audit(AuditOptions(str(source), out, as_of=TODAY, batch_size=25), stop_after_three)
    checkpoint = json.loads((tmp_path / "out.jsonl.checkpoint.json").read_text(encoding="utf-8"))
    assert checkpoint["pages"] == 75 and checkpoint["position"] == out.stat().st_size
    # As if killed after writing the fourth batch and half a row of the fifth, before the checkpoint.
    lines = (tmp_path / "reference.jsonl").read_bytes().splitlines(keepends=True)
    done = len(out.read_bytes().splitlines())
    fourth = [line for line in lines[done:] if json.loads(line)["page"] < "page-0100"]
    with out.open("ab") as handle:
        handle.write(b"".join(fourth) + lines[done + len(fourth)][:40])
    resumed = run(source, out)
    assert resumed.resumed_at == 75 and resumed.dropped_rows == len(fourth) and resumed.run_pages == N - 75
    assert out.read_bytes() == (tmp_path / "reference.jsonl").read_bytes()
    assert resumed.summary.to_json() | {"seconds": 0} == reference.summary.to_json() | {"seconds": 0}
    again = run(source, out)
    assert again.already_complete and again.run_pages == 0 and again.summary.pages == N


def test_a_checkpoint_of_other_options_or_input_is_refused(home: Path, records: list[dict[str, Any]],
                                                           tmp_path: Path) -> None:
    source = ah.write_jsonl(records, tmp_path / "pages.jsonl")
    out = tmp_path / "out.jsonl"
    run(source, out, restart=True)
    with pytest.raises(BadInput, match="other options; question"):
        run(source, out, question="别的问题")
    (tmp_path / "out.jsonl.checkpoint.json").unlink()
    with pytest.raises(BadInput, match="without a checkpoint"):
        run(source, out)
    run(source, out, restart=True, batch_size=10)
    state = json.loads((tmp_path / "out.jsonl.checkpoint.json").read_text(encoding="utf-8"))
    state["complete"], state["pages"], state["last_page"] = False, 20, "page-9999"
    (tmp_path / "out.jsonl.checkpoint.json").write_text(json.dumps(state), encoding="utf-8")
    with pytest.raises(BadInput, match="input changed"):
        run(source, out)


def test_ctrl_c_stops_the_worker_processes(home: Path, records: list[dict[str, Any]], tmp_path: Path) -> None:
    source = ah.write_jsonl(records, tmp_path / "pages.jsonl")
    seen: list[int] = []

    def interrupt(done: int, total: int) -> None:
        seen.extend(children(os.getpid()))
        if done:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        audit(AuditOptions(str(source), tmp_path / "out.jsonl", workers=2, as_of=TODAY, batch_size=10), interrupt)
    assert len(set(seen)) >= 2 and children(os.getpid()) == []


def test_since_rechecks_only_pages_citing_changed_laws(home: Path, records: list[dict[str, Any]],
                                                        tmp_path: Path) -> None:
    source = ah.write_jsonl(records, tmp_path / "pages.jsonl")
    run(source, tmp_path / "all.jsonl")
    result = run(source, tmp_path / "since.jsonl", since="2025-01-01", workers=2)
    citing = {r["id"] for r in records if any(f"{law}》" in (r.get("text") or "") for law in ah.CHANGED_AFTER_2025)}
    rows = ah.read_jsonl(tmp_path / "since.jsonl")
    checked = {r["page"] for r in rows if r["status"] != "error"}
    assert checked == citing and 0 < len(citing) < N
    assert result.summary.unchanged == N - len(citing) - 2 and result.summary.checked == len(citing)
    everything = [r for r in ah.read_jsonl(tmp_path / "all.jsonl") if r["page"] in citing]
    assert [r for r in rows if r["status"] != "error"] == everything
    nothing = run(source, tmp_path / "none.jsonl", since="2026-06-01")
    assert nothing.summary.checked == 0 and nothing.exit_code == 2   # the two unreadable pages remain


def test_law_changes_come_from_version_dates(home: Path) -> None:
    corpus = Home(home).library().corpus
    changes = build_law_changes(corpus)
    assert changes["中华人民共和国示例法"] == "2026-01-01"
    assert changes["甲省河道管理条例"] == "2019-03-01"
    # The 示例法 revision and the interpretation setting its amounts both take effect on 2026-01-01.
    assert changed_since(changes, "2025-12-31") == {"中华人民共和国示例法", "最高人民法院关于办理滋扰案件适用法律若干问题的解释"}
    assert changed_since(changes, "2026-01-01") == frozenset()
    assert changed_since({"旧法": None}, "2999-01-01") == {"旧法"}   # repealed, date unknown: re-check


def test_ray_local_mode_writes_the_same_rows(home: Path, records: list[dict[str, Any]], tmp_path: Path) -> None:
    pytest.importorskip("ray", reason="Ray not installed: pip install 'fawen[ray]'")
    source = ah.write_jsonl(records, tmp_path / "pages.jsonl")
    run(source, tmp_path / "serial.jsonl")
    try:
        result = run(source, tmp_path / "ray.jsonl", ray="local", workers=2)
    except BadInput as exc:
        if "cannot start or reach Ray" in exc.message:
            pytest.skip(f"Ray cannot start here: {exc.message}")
        raise
    assert result.mode == "ray"
    assert (tmp_path / "ray.jsonl").read_bytes() == (tmp_path / "serial.jsonl").read_bytes()


def test_one_output_is_written_by_one_run_at_a_time(home: Path, records: list[dict[str, Any]],
                                                      tmp_path: Path) -> None:
    from fawen.archive.checkpoint import Lock

    source = ah.write_jsonl(records[:20], tmp_path / "pages.jsonl")
    with Lock(tmp_path / "out.jsonl"):
        with pytest.raises(BadInput, match="another run is writing"):
            run(source, tmp_path / "out.jsonl")
    assert run(source, tmp_path / "out.jsonl").summary.pages == 20
    with pytest.raises(BadInput, match="need --out"):
        audit(AuditOptions(str(source), None, report=tmp_path / "r.html"))

"""`fawen check` through the real console script on the auditor's fixture corpus: exit codes, the JSON
contract of DESIGN.md, stdin, bulk mode and bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.cite_helpers import TODAY, cite_home  # noqa: F401 - the fixture is used by name

CLEAN = "《中华人民共和国示例法》第三条：有下列行为之一的，处五日以下拘留或者一千元以下罚款"
WRONG = "《示例法》第二条：有下列行为之一的，处五日以下拘留或者一千元以下罚款。另见《示例法》第九十九条。"


def fawen(*args: str, home: Path, stdin: bytes | None = None,
          env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    full = {**os.environ, "FAWEN_HOME": str(home), "COLUMNS": "200", **(env or {})}
    return subprocess.run([sys.executable, "-m", "fawen.cli", *args], capture_output=True, input=stdin,
                          env=full, timeout=120)


def test_json_contract_and_exit_3_on_findings(cite_home: Path, tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(WRONG, encoding="utf-8")
    result = fawen("check", str(page), "--as-of", TODAY, "--json", home=cite_home)
    assert result.returncode == 3, result.stderr.decode()
    data = json.loads(result.stdout)
    assert list(data) == ["citations"]
    first, second = data["citations"]
    assert list(first) == ["raw", "law", "article", "status", "findings"]
    assert first["status"] == "renumbered" and first["law"] == "中华人民共和国示例法" and first["article"] == "第二条"
    assert first["findings"] == [{"kind": "renumbered", "message": first["findings"][0]["message"],
                                  "suggestion": "《中华人民共和国示例法》第三条"}]
    assert second["findings"][0]["kind"] == "not_found" and "suggestion" not in second["findings"][0]


def test_clean_stdin_exits_0_and_the_table_names_the_status(cite_home: Path) -> None:
    result = fawen("check", "-", "--as-of", TODAY, home=cite_home, stdin=CLEAN.encode())
    assert result.returncode == 0, result.stderr.decode()
    assert "ok" in result.stdout.decode() and "中华人民共和国示例法" in result.stdout.decode()
    gbk = fawen("check", "-", "--as-of", TODAY, "--json", home=cite_home, stdin=CLEAN.encode("gb18030"))
    assert gbk.returncode == 0 and json.loads(gbk.stdout)["citations"][0]["status"] == "ok"


def test_question_and_event_date_options(cite_home: Path, tmp_path: Path) -> None:
    page = tmp_path / "q.txt"
    page.write_text("《甲省河道管理条例》第二条\n《示例法》第三条之一", encoding="utf-8")
    result = fawen("check", str(page), "--question", "网上诽谤他人转发五百次怎么处理", "--event-date", "2020-01-01",
                   "--as-of", TODAY, "--json", home=cite_home)
    assert result.returncode == 3
    assert [c["status"] for c in json.loads(result.stdout)["citations"]] == ["irrelevant", "not_in_force"]


def test_bad_input_exits_2_without_traceback(cite_home: Path, tmp_path: Path) -> None:
    binary = tmp_path / "x.bin"
    binary.write_bytes(b"\x00\x01\x02PK\x03\x04" * 100)
    big = tmp_path / "big.txt"
    big.write_text(CLEAN * 100, encoding="utf-8")
    cases = [
        (fawen("check", str(binary), home=cite_home), "binary"),
        (fawen("check", "-", home=cite_home, stdin=b"  \n"), "empty"),
        (fawen("check", str(tmp_path / "missing.txt"), home=cite_home), "no such file"),
        (fawen("check", "-", "--as-of", "2026-13-01", home=cite_home, stdin=CLEAN.encode()), "YYYY-MM-DD"),
        (fawen("check", str(big), home=cite_home, env={"FAWEN_MAX_CHECK_BYTES": "2000"}), "too large"),
        (fawen("check", "-", home=cite_home, stdin=b"\xff\xfe\xfa" * 10), "GB18030"),
    ]
    for result, words in cases:
        err = result.stderr.decode()
        assert result.returncode == 2, (words, err)
        assert words in err and "Traceback" not in err


def test_bulk_directory_and_jsonl_print_a_summary(cite_home: Path, tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.txt").write_text(CLEAN, encoding="utf-8")
    (pages / "b.html").write_text(f"<html><title>示例</title><body><p>{WRONG}</p></body></html>", encoding="utf-8")
    records = [{"question": "网上诽谤他人转发五百次怎么处理", "text": "《甲省河道管理条例》第二条"}, {"text": CLEAN}]
    (pages / "c.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    human = fawen("check", str(pages), "--as-of", TODAY, home=cite_home)
    out = human.stdout.decode()
    assert human.returncode == 3, human.stderr.decode()
    assert "pages/second" in out and "renumbered" in out and "irrelevant" in out
    as_json = fawen("check", str(pages / "c.jsonl"), "--as-of", TODAY, "--json", home=cite_home)
    lines = [json.loads(line) for line in as_json.stdout.decode().splitlines()]
    assert [line["citations"][0]["status"] for line in lines] == ["irrelevant", "ok"]
    summary = json.loads(as_json.stderr.decode().strip().splitlines()[-1])["summary"]
    assert summary["pages"] == 2 and summary["findings"]["irrelevant"] == 1 and summary["citations"] == 2


def test_bulk_with_a_bad_record_reports_it_and_exits_2(cite_home: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "《示例法》第三条"}\nnot json\n{"question": "x"}\n', encoding="utf-8")
    result = fawen("check", str(bad), "--as-of", TODAY, "--json", home=cite_home)
    err = result.stderr.decode()
    assert result.returncode == 2 and "bad JSON" in err and '"text"' in err and "Traceback" not in err
    assert len(result.stdout.decode().splitlines()) == 1

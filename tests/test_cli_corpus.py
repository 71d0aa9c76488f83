"""`fawen law` and `fawen corpus` through the real console script, on the fixture corpus."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def fawen(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FAWEN_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "fawen.cli", *args], capture_output=True, text=True, env=env,
                          timeout=120)


def test_law_json(fixture_home: Path) -> None:
    result = fawen("law", "示例法", "第三条之一", "--as-of", "2026-02-01", "--json", home=fixture_home)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["article"] == "第三条之一" and data["version"] == "2026-01-01" and "侮辱信息" in data["text"]


def test_law_text_and_errors(fixture_home: Path) -> None:
    ok = fawen("law", "示例法", "2", "--as-of", "2020-01-01", home=fixture_home)
    assert ok.returncode == 0 and "五百元以下罚款" in ok.stdout and "已修改" in ok.stdout
    missing = fawen("law", "示例法", "99", home=fixture_home)
    assert missing.returncode == 1 and "没有第九十九条" in missing.stderr and "Traceback" not in missing.stderr
    early = fawen("law", "示例法", "1", "--as-of", "1999-01-01", home=fixture_home)
    assert early.returncode == 1 and "尚未施行" in early.stderr
    bad_date = fawen("law", "示例法", "1", "--as-of", "2020-02-30", home=fixture_home)
    assert bad_date.returncode == 2 and "YYYY-MM-DD" in bad_date.stderr


def test_corpus_stats_json(fixture_home: Path) -> None:
    result = fawen("corpus", "stats", "--json", home=fixture_home)
    assert result.returncode == 0
    assert json.loads(result.stdout)["by_kind"]["法律"]["versions"] == 2


def test_no_corpus_message(tmp_path: Path) -> None:
    result = fawen("law", "刑法", "1", home=tmp_path)
    assert result.returncode == 2 and "fawen corpus build" in result.stderr and "Traceback" not in result.stderr


def test_build_bad_source_and_bad_home(tmp_path: Path) -> None:
    result = fawen("corpus", "build", "--source", "nowhere:x", home=tmp_path)
    assert result.returncode == 2 and "unknown source" in result.stderr
    missing = fawen("corpus", "build", "--source", f"lawrefbook:{tmp_path / 'absent'}", home=tmp_path)
    assert missing.returncode == 2 and "no such directory" in missing.stderr
    blocker = tmp_path / "file"
    blocker.write_text("")
    unwritable = fawen("corpus", "build", home=blocker)
    assert unwritable.returncode == 2 and "not writable" in unwritable.stderr

"""The corpus build and store on the fixture corpus written by tests/fixtures.py."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from fawen.build import build
from fawen.corpus.layout import CORPUS_FILE, current_link
from fawen.corpus.store import Corpus
from fawen.errors import BadInput, CorpusError, NotFound
from fawen.library import Home
from tests.fixtures import write_lawrefbook


def test_versions_ordered_and_statuses(fixture_corpus: Corpus) -> None:
    law = fixture_corpus.law("示例法")
    versions = fixture_corpus.versions_by_law[law.id]
    assert [(v.published, v.effective, v.status) for v in versions] == [
        ("2012-10-26", "2013-01-01", "已修改"), ("2025-06-27", "2026-01-01", "现行有效")]


def test_version_in_force_by_date(fixture_corpus: Corpus) -> None:
    hit = fixture_corpus.get_article("中华人民共和国示例法", "第三条", "2026-06-01")
    assert "一千元以下罚款" in hit.text and hit.version == "2026-01-01"
    old = fixture_corpus.get_article("示例法", "2", "2020-01-01")
    assert "五百元以下罚款" in old.text and old.version == "2013-01-01"


def test_article_with_suffix_and_paragraphs(fixture_corpus: Corpus) -> None:
    hit = fixture_corpus.get_article("示例法", "第三条之一", "2026-06-01")
    assert hit.article == "第三条之一" and hit.suffix == 1
    article = fixture_corpus.article_by_id(fixture_corpus.get_article("示例法", "3", "2026-06-01").article_id)
    assert len(article.paragraphs) == 2
    assert article.paragraphs[0].items == ["（一）散布谣言扰乱公共秩序的；", "（二）公然侮辱他人或者捏造事实诽谤他人的。"]
    assert article.path == ["第二章 处罚"]


def test_hit_json_contract(fixture_corpus: Corpus) -> None:
    data = fixture_corpus.get_article("示例法", "1", "2026-06-01").to_json()
    assert set(data) == {"law", "kind", "article", "number", "suffix", "version", "text", "score", "published",
                         "effective_verified", "effective_from", "ends", "status"}
    assert data["law"] == "中华人民共和国示例法" and data["kind"] == "法律" and data["number"] == 1


def test_missing_law_article_and_early_date(fixture_corpus: Corpus) -> None:
    with pytest.raises(NotFound, match="未找到法律"):
        fixture_corpus.get_article("不存在法", "1")
    with pytest.raises(NotFound, match="没有第九十九条"):
        fixture_corpus.get_article("示例法", "99", "2026-06-01")
    with pytest.raises(NotFound, match="尚未施行"):
        fixture_corpus.get_article("示例法", "1", "2000-01-01")
    with pytest.raises(NotFound, match="见于 2026-01-01 施行版"):
        fixture_corpus.get_article("示例法", "4", "2020-01-01")
    with pytest.raises(BadInput):
        fixture_corpus.get_article("示例法", "第X条")


def test_interpretation_short_names(fixture_corpus: Corpus) -> None:
    full = "最高人民法院关于审理示例纠纷案件适用法律若干问题的解释"
    law = fixture_corpus.law(full)
    assert law.kind == "司法解释"
    assert fixture_corpus.law("关于审理示例纠纷案件适用法律若干问题的解释").id == law.id
    assert fixture_corpus.law("示例纠纷解释").id == law.id
    assert "五百次" in fixture_corpus.get_article(full, "1").text


def test_correspondence_follows_text_not_number(fixture_corpus: Corpus) -> None:
    law = fixture_corpus.law("示例法")
    old, new = fixture_corpus.versions_by_law[law.id]
    old_second = fixture_corpus.article(old.id, 2)
    assert old_second is not None
    mapped = fixture_corpus.successors(old_second.id)
    assert mapped[0][0].label == "第三条"
    back = fixture_corpus.corresponding_in(mapped[0][0].id, old.id)
    assert back is not None and back[0].id == old_second.id


def test_malformed_files_reported_and_skipped(fixture_corpus: Corpus) -> None:
    corpus = fixture_corpus
    by_file = {file: (line, message) for _, file, line, severity, message in corpus.build_issues()
               if severity == "error"}
    assert set(by_file) == {"行政法/无标题法.md", "行政法/无标记法.md", "行政法/重复条号法.md",
                            "行政法/条号倒退法.md", "行政法/乱码法.md"}
    assert by_file["行政法/重复条号法.md"][0] == 9
    assert by_file["行政法/乱码法.md"][0] == 5 and "UTF-8" in by_file["行政法/乱码法.md"][1]
    assert by_file["行政法/条号倒退法.md"][0] == 9
    for name in ("重复条号法", "条号倒退法", "无标记法"):
        assert not corpus.resolve_law(name)


def test_stats(fixture_corpus: Corpus) -> None:
    stats = fixture_corpus.stats()
    assert stats["laws"] == 2 and stats["versions"] == 3 and stats["articles"] == 3 + 5 + 2
    assert stats["by_kind"]["司法解释"] == {"laws": 1, "versions": 1, "articles": 2}
    assert stats["corpus_date"] == "2025-06-27"
    assert stats["build_issues"]["error"] == 5


def test_failed_build_keeps_previous_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_lawrefbook(tmp_path / "lrb", malformed=False)
    home = tmp_path / "home"
    build([f"lawrefbook:{root}"], home, default=False)
    before = os.readlink(current_link(home))

    def explode(gen: Path) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr("fawen.retrieve.index.build_index", explode)
    with pytest.raises(RuntimeError):
        build([f"lawrefbook:{root}"], home, default=False, force=True)
    assert os.readlink(current_link(home)) == before
    assert (current_link(home) / CORPUS_FILE).is_file()
    assert [p.name for p in home.glob("gen-*")] == [before]


def test_unchanged_sources_skip_rebuild(tmp_path: Path) -> None:
    root = write_lawrefbook(tmp_path / "lrb", malformed=False)
    home = tmp_path / "home"
    assert not build([f"lawrefbook:{root}"], home, default=False).skipped
    assert build([f"lawrefbook:{root}"], home, default=False).skipped


def test_a_new_learned_json_is_a_reason_to_rebuild(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The build binds learned.json to the index; after an upgrade that ships another one, the next build
    rebuilds instead of saying 'up to date' and leaving every process to bind it again (~1 s each)."""
    from fawen.retrieve import learned as learned_mod

    root = write_lawrefbook(tmp_path / "lrb", malformed=False)
    home = tmp_path / "home"
    assert not build([f"lawrefbook:{root}"], home, default=False).skipped
    shipped = tmp_path / "learned.json"
    shipped.write_bytes(learned_mod.LEARNED_FILE.read_bytes() + b"\n")
    monkeypatch.setattr(learned_mod, "LEARNED_FILE", shipped)
    assert not build([f"lawrefbook:{root}"], home, default=False).skipped
    assert build([f"lawrefbook:{root}"], home, default=False).skipped


def test_bad_sources(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="unknown source"):
        build(["wikipedia"], tmp_path)
    with pytest.raises(BadInput, match="no such directory"):
        build([f"lawrefbook:{tmp_path / 'nope'}"], tmp_path)


def test_unwritable_home(tmp_path: Path) -> None:
    """A read-only FAWEN_HOME: the build says so. As root (CI) it runs without root's file-access override."""
    import shutil
    import subprocess

    from tests.test_home import clear, fawen

    if os.geteuid() == 0 and shutil.which("setpriv") is None:
        pytest.skip("setpriv (util-linux) is needed to run a command without root's file-access override")
    home = tmp_path / "ro"
    home.mkdir()
    home.chmod(0o500)
    try:
        result = fawen("corpus", "build", "--source", "chinalaw", home=home, ordinary=True)
        assert clear(result) and "not writable" in result.stderr, result.stderr
    finally:
        subprocess.run(["chmod", "-R", "u+w", str(home)], check=True)


def test_unwritable_home_is_a_file(tmp_path: Path) -> None:
    home = tmp_path / "file"
    home.write_text("x")
    with pytest.raises(BadInput, match="not writable"):
        build(["chinalaw"], home)


def test_no_corpus_yet(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="fawen corpus build"):
        Home(tmp_path).library()



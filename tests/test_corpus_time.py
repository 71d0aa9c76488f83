"""The law across time in a built corpus: dates with provenance, the version in force by its dates and ends,
a distinct answer for each reason none is, repealed laws with their successors' articles — through the store,
`get_article`, the retrieval mask and `fawen law` / `fawen corpus dates`. On small made-up checkouts
(tests/lawrefbook_layouts.py, tests/fixtures.py)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from fawen.build import build
from fawen.corpus import lawrefbook
from fawen.corpus.in_force import END_UNKNOWN, IN_FORCE, NOT_COLLECTED, NOT_YET, REPEALED
from fawen.corpus.merge import merge
from fawen.corpus.store import Corpus
from fawen.corpus.writer import Counts, write_merged
from fawen.errors import NotFound
from fawen.library import Home
from tests.fixtures import HEADER
from tests.lawrefbook_layouts import write_checkout
from tests.test_corpus_merge import PENAL, chinalaw_doc

TODAY = "2026-11-29"
OLD_RULES = HEADER.format(title="示例旧条例", events="1990年1月1日 国务院发布") + """\
第一条 为了示例，制定本条例。

第二条 本条例自发布之日起施行。
"""


def checkout(root: Path) -> Path:
    """The 2026-layout checkout, plus a regulation its catalogue calls repealed without a date."""
    write_checkout(root, "2026")
    (root / "行政法规" / "示例旧条例(1990-01-01).md").parent.mkdir(parents=True, exist_ok=True)
    (root / "行政法规" / "示例旧条例(1990-01-01).md").write_text(OLD_RULES, encoding="utf-8")
    conn = sqlite3.connect(root / "db.sqlite3")
    conn.execute("INSERT INTO category VALUES ('cx', '行政法规', '行政法规', 1, NULL, 0)")
    conn.execute("INSERT INTO law (id, level, name, publish, valid_from, ver, category_id, valid_to) "
                 "VALUES ('lx', '行政法规', '示例旧条例', '1990-01-01', NULL, 1, 'cx', '1970-01-01')")
    conn.commit()
    conn.close()
    return root


@pytest.fixture(scope="module")
def time_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = checkout(tmp_path_factory.mktemp("checkout"))
    home = tmp_path_factory.mktemp("time-home")
    build([f"lawrefbook:{root}"], home, default=False, today=TODAY)
    return home


@pytest.fixture
def corpus(time_home: Path) -> Corpus:
    return Home(time_home).library().corpus


def law_id(corpus: Corpus, name: str) -> int:
    return corpus.law(name).id


def test_versions_keep_their_dates_and_where_each_came_from(corpus: Corpus) -> None:
    penal = corpus.versions_by_law[law_id(corpus, "示例刑法")][-1]
    assert (penal.published, penal.effective, penal.effective_from) == ("2023-12-29", "2024-03-01", "document")
    assert penal.effective_verified and penal.label == "2024-03-01 施行"
    # Where each date came from is kept in the store and read on demand (not when the corpus opens).
    assert penal.dates_where == {}
    where = corpus.dates_where()[penal.id]["effective"]
    assert "修正案" in where or "示例刑法" in where
    old, new = corpus.versions_by_law[law_id(corpus, "示例管理法")]
    assert (old.effective_from, old.ends, new.ends) == ("unverified", "2025-12-31", None)
    assert old.label == "2012-10-26 公布（施行日期未核实）" and not old.effective_verified
    contract = corpus.versions_by_law[law_id(corpus, "示例合同法")][-1]
    assert (contract.ends, contract.ends_from, corpus.ends(contract)) == ("2020-12-31", "document", "2020-12-31")
    assert corpus.laws[law_id(corpus, "示例刑法")].first_effective == "1997-10-01"


def test_version_on_answers_by_dates_and_ends(corpus: Corpus) -> None:
    def reason(name: str, date: str) -> str:
        return corpus.version_on(law_id(corpus, name), date).reason

    assert reason("示例刑法", "2024-03-01") == IN_FORCE
    assert reason("示例刑法", "2020-01-01") == NOT_COLLECTED      # in force since 1997, that text not collected
    assert reason("示例刑法", "1990-01-01") == NOT_YET
    assert reason("示例法典", "2020-12-31") == NOT_YET
    assert reason("示例合同法", "2020-12-31") == IN_FORCE
    assert reason("示例合同法", "2021-01-01") == REPEALED
    assert reason("示例旧条例", "2000-01-01") == END_UNKNOWN
    ended = corpus.version_on(law_id(corpus, "示例合同法"), "2021-01-01")
    assert ended.version is None and ended.last is not None and ended.last.published == "1999-03-15"
    # The 2012 text was in force the day before the 2025 one took effect: its end, not its status, decides.
    assert corpus.version_in_force(law_id(corpus, "示例管理法"), "2025-12-31") is not None


def test_versions_in_force_follow_the_ends(corpus: Corpus) -> None:
    def titles(date: str) -> set[str]:
        return {corpus.laws[v.law_id].title for v in corpus.versions_in_force(date)}

    assert "中华人民共和国示例合同法" in titles("2020-12-31")
    assert "中华人民共和国示例合同法" not in titles("2021-01-01")
    assert "中华人民共和国示例法典" in titles("2021-01-01")
    assert "示例旧条例" not in titles("2000-01-01")         # repealed on a day unknown: never asserted in force


def test_search_does_not_reach_a_repealed_law_after_its_end(time_home: Path) -> None:
    library = Home(time_home).library()
    before = library.search("恶意串通 第三人利益 合同无效", 5, "2020-06-01", ("法律",))
    after = library.search("恶意串通 第三人利益 合同无效", 5, "2021-06-01", ("法律",))
    assert "中华人民共和国示例合同法" in {h.law for h in before}
    assert "中华人民共和国示例合同法" not in {h.law for h in after}


def test_get_article_says_why_there_is_none(corpus: Corpus) -> None:
    with pytest.raises(NotFound, match="该日期适用的版本未收录.*已收录的版本.*2024-03-01 施行") as collected:
        corpus.get_article("示例刑法", "2", "2020-01-01")
    assert "尚未施行" not in collected.value.message
    with pytest.raises(NotFound, match="尚未施行.*自 1997-10-01 起施行"):
        corpus.get_article("示例刑法", "2", "1990-01-01")
    with pytest.raises(NotFound, match=r"已于 2021-01-01 废止（施行至 2020-12-31）.*示例法典取代.*第二条现见.*示例法典第三条"):
        corpus.get_article("示例合同法", "2", "2021-01-01")
    with pytest.raises(NotFound, match="废止日期未核实"):
        corpus.get_article("示例旧条例", "1", "2000-01-01")
    with pytest.raises(NotFound, match="没有第九条"):
        corpus.get_article("示例合同法", "9", "2000-01-01")
    assert "合同无效" in corpus.get_article("示例合同法", "2", "2020-12-31").text


def test_python_api_says_the_same(time_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import fawen

    monkeypatch.setenv("FAWEN_HOME", str(time_home))
    with pytest.raises(NotFound, match="该日期适用的版本未收录"):
        fawen.get_article("示例刑法", "2", as_of="2020-01-01")
    with pytest.raises(NotFound, match="示例法典第三条"):
        fawen.get_article("示例合同法", 2)
    assert fawen.get_article("示例合同法", 2, as_of="2020-12-31").ends == "2020-12-31"


def test_hit_carries_the_dates_honestly(corpus: Corpus) -> None:
    known = corpus.get_article("示例刑法", "2", "2024-03-01")
    assert (known.date_label, known.to_json()["effective_verified"], known.to_json()["published"]) == (
        "2024-03-01 施行", True, "2023-12-29")
    unknown = corpus.get_article("示例管理法", "2", "2020-01-01").to_json()
    assert (unknown["effective_verified"], unknown["effective_from"], unknown["ends"]) == (False, "unverified",
                                                                                         "2025-12-31")
    assert corpus.get_article("示例管理法", "2", "2020-01-01").date_label == "2012-10-26 公布（施行日期未核实）"


def test_successors_across_laws(corpus: Corpus) -> None:
    contract, code = law_id(corpus, "示例合同法"), law_id(corpus, "示例法典")
    [succession] = corpus.law_successors(contract)
    assert (succession.new.id, succession.date) == (code, "2021-01-01") and "同时废止" in succession.source
    assert [s.old.id for s in corpus.law_predecessors(code)] == [contract]
    assert corpus.law_successors(code) == []
    old = corpus.get_article("示例合同法", "2", "2020-01-01")
    [link] = corpus.successors_across(old.article_id, "2026-01-01")
    assert (link.law.id, link.article.label, link.kind, link.current) == (code, "第三条", "one_to_one", True)
    assert link.version.effective == "2021-01-01" and link.score > 0
    assert corpus.successors_across(corpus.get_article("示例法典", "2", "2026-01-01").article_id) == []


def test_disagreements_are_kept_by_article(tmp_path: Path) -> None:
    docs = list(lawrefbook.read(write_checkout(tmp_path / "src", "2026"), []))
    stale = chinalaw_doc("中华人民共和国示例刑法", "2023-12-29", PENAL)
    file = tmp_path / "corpus.sqlite"
    write_merged(file, merge([stale, *docs], TODAY, []), ["test"], "x", lambda *a: None, Counts())
    stored = Corpus(file)
    penal = stored.law("示例刑法")
    found = {(d.article, d.topic, d.chosen, d.other) for d in stored.disagreements(penal.id)}
    assert ("第二条", "text", "lawrefbook", "chinalaw") in found
    assert ("", "amendment", "lawrefbook", "chinalaw") in found
    assert all(d.version_id == stored.versions_by_law[penal.id][-1].id for d in stored.disagreements(penal.id))
    assert stored.versions_by_law[penal.id][-1].sources == ["chinalaw", "lawrefbook"]
    stored.close()


def fawen(*args: str, home: Path, input: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FAWEN_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "fawen.cli", *args], capture_output=True, text=True, env=env,
                          timeout=120, input=input)


def test_cli_law_in_force_with_an_honest_date(time_home: Path) -> None:
    known = fawen("law", "示例刑法", "2", home=time_home)
    assert known.returncode == 0 and "(2024-03-01 施行, 现行有效)" in known.stdout
    unknown = fawen("law", "示例管理法", "2", "--as-of", "2020-01-01", home=time_home)
    assert unknown.returncode == 0 and "2012-10-26 公布（施行日期未核实）" in unknown.stdout
    assert "2012-10-26 施行" not in unknown.stdout
    # Read on a past date, it also shows today's text.
    assert "现行文本 (now reads) 第二条  (2026-01-01 施行)" in unknown.stdout and "一千元以下罚款" in unknown.stdout


def test_cli_law_repealed_shows_the_end_and_the_successors(time_home: Path) -> None:
    result = fawen("law", "示例合同法", "2", "--as-of", "2026-01-01", home=time_home)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "施行至 2020-12-31" in result.stdout and "合同无效" in result.stdout          # as last in force
    assert "中华人民共和国示例法典 第三条" in result.stdout and "一对一" in result.stdout
    assert "违反法律、行政法规的强制性规定的民事法律行为无效" in result.stdout          # the successor's text
    data = json.loads(fawen("law", "示例合同法", "2", "--as-of", "2026-01-01", "--json", home=time_home).stdout)
    assert (data["answer"], data["version"]["ends"], data["replaced_by"]) == (
        "repealed", "2020-12-31", [{"law": "中华人民共和国示例法典", "date": "2021-01-01"}])
    assert [(s["law"], s["article"], s["kind"]) for s in data["successors"]] == [
        ("中华人民共和国示例法典", "第三条", "one_to_one")]
    then = fawen("law", "示例合同法", "2", "--as-of", "2015-01-01", home=time_home)
    assert then.returncode == 0 and "该法已于 2021-01-01 废止" in then.stdout and "示例法典 第三条" in then.stdout


def test_cli_law_not_collected_and_not_yet(time_home: Path) -> None:
    collected = fawen("law", "示例刑法", "2", "--as-of", "2020-01-01", home=time_home)
    assert collected.returncode == 1 and "该日期适用的版本未收录" in collected.stderr
    assert "尚未施行" not in collected.stderr
    early = fawen("law", "示例法典", "2", "--as-of", "2020-01-01", "--json", home=time_home)
    assert early.returncode == 1 and "尚未施行" in early.stderr
    assert json.loads(early.stdout)["answer"] == "not_yet_in_force"


def test_cli_law_renumbered_article_shows_where_it_is_now(fixture_home: Path) -> None:
    result = fawen("law", "示例法", "2", "--as-of", "2020-01-01", "--json", home=fixture_home)
    data = json.loads(result.stdout)
    assert data["article"] == "第二条" and data["now"]["article"] == "第三条" and data["now"]["renumbered"]
    text = fawen("law", "示例法", "2", "--as-of", "2020-01-01", home=fixture_home)
    assert "现为 (now) 第三条" in text.stdout and "一千元以下罚款" in text.stdout


def test_cli_corpus_dates(time_home: Path) -> None:
    result = fawen("corpus", "dates", "--json", home=time_home)
    assert result.returncode == 0
    rows = {(r["law"], r["version"]): r for r in json.loads(result.stdout)}
    old = rows[("中华人民共和国示例管理法", "2012-10-26")]
    assert (old["effective_verified"], old["effective_from"], old["label"]) == (
        False, "unverified", "2012-10-26 公布（施行日期未核实）")
    contract = rows[("中华人民共和国示例合同法", "1999-03-15")]
    assert contract["effective_verified"] and any(d["topic"] == "ends" and "valid_to" in d["detail"]
                                                  for d in contract["disagreements"])
    assert ("中华人民共和国示例法典", "2020-05-28") not in rows          # verified, no disagreement
    only = json.loads(fawen("corpus", "dates", "--only", "unverified", "--json", home=time_home).stdout)
    assert only and all(not r["effective_verified"] for r in only)
    text = fawen("corpus", "dates", "--law", "示例合同法", home=time_home)
    assert "[ends] document vs lawrefbook" in text.stdout and "1 version" in text.stderr
    bad = fawen("corpus", "dates", "--only", "nothing", home=time_home)
    assert bad.returncode == 2 and "--only" in bad.stderr


def test_check_leads_a_repealed_law_to_its_successor(time_home: Path) -> None:
    # fawen check on a citation of the repealed law: not_in_force, naming the successor's article in force.
    result = fawen("check", "--json", "--as-of", "2026-01-01", "-", home=time_home,
                   input="根据《示例合同法》第二条的规定，该合同无效。")
    assert result.returncode == 3, result.stderr
    [cite] = json.loads(result.stdout)["citations"]
    [finding] = cite["findings"]
    assert finding["kind"] == "not_in_force" and "已失效" in finding["message"]
    assert "该条内容现见《中华人民共和国示例法典》第三条" in finding["message"]
    assert finding["suggestion"] == "《中华人民共和国示例法典》第三条"
    # Before the repeal it is in force and nothing is found.
    before = fawen("check", "--json", "--as-of", "2020-06-01", "-", home=time_home,
                   input="根据《示例合同法》第二条的规定，该合同无效。")
    assert before.returncode == 0 and not json.loads(before.stdout)["citations"][0]["findings"]

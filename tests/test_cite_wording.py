"""wording.edits/departs/older_wording (issue 13, cause 7): a quote that clears the similarity threshold but
changes a number or a negation, puts words into the article, or reproduces an older version's wording — and the
looseness of real pages that must not count (commentary run on, items skipped, 1、 for （一）, 15 for 十五)."""

from __future__ import annotations

from fawen.cite import quotes, wording
from fawen.cite.wording import Edit

# 消费者权益保护法（2013）第五十五条, its first two paragraphs as the corpus holds them.
ARTICLE = ("经营者提供商品或者服务有欺诈行为的，应当按照消费者的要求增加赔偿其受到的损失，增加赔偿的金额为消费者购买商品的价款"
           "或者接受服务的费用的三倍；增加赔偿的金额不足五百元的，为五百元。法律另有规定的，依照其规定。\n"
           "经营者明知商品或者服务存在缺陷，仍然向消费者提供，造成消费者或者其他受害人死亡或者健康严重损害的，受害人有权要求"
           "经营者依照本法第四十九条、第五十一条等法律规定赔偿损失，并有权要求所受损失二倍以下的惩罚性赔偿。")
# The 1993 law's wording of the same rule (its 第四十九条): 一倍, not 三倍.
OLD_WORDING = "经营者提供商品或者服务有欺诈行为的，应当按照消费者的要求增加赔偿其受到的损失，增加赔偿的金额为消费者购买商品的价款或者接受服务的费用的一倍。"
# 工伤保险条例 第十四条 (abridged to four items).
ITEMS = ("职工有下列情形之一的，应当认定为工伤：\n（一）在工作时间和工作场所内，因工作原因受到事故伤害的；\n"
         "（二）工作时间前后在工作场所内，从事与工作有关的预备性或者收尾性工作受到事故伤害的；\n（三）患职业病的；\n"
         "（四）在上下班途中，受到非本人主要责任的交通事故伤害的。")


def test_an_older_versions_amount_clears_the_threshold_but_departs() -> None:
    assert quotes.similarity(OLD_WORDING, ARTICLE) >= quotes.MATCH       # what the similarity alone says: ok
    assert wording.departs(OLD_WORDING, ARTICLE) == [Edit("一", "三")]


def test_inserted_words_and_a_changed_negation_depart() -> None:
    inserted = OLD_WORDING.replace("要求增加", "要求在任何情况下都增加").replace("一倍", "三倍")
    assert quotes.similarity(inserted, ARTICLE) >= 90
    assert wording.departs(inserted, ARTICLE) == [Edit("在任何情况下都", "")]
    negated = "造成消费者或者其他受害人死亡或者健康严重损害的，受害人无权要求经营者依照本法第四十九条、第五十一条等法律规定赔偿损失"
    assert wording.departs(negated, ARTICLE) == [Edit("无", "有")]


def test_a_number_is_compared_whole_and_by_value() -> None:
    fewer = ARTICLE.split("\n")[1].replace("二倍以下", "十二倍以下")
    assert wording.departs(fewer, ARTICLE) == [Edit("十二", "二")]
    assert wording.departs(ARTICLE.replace("五百元", "500元"), ARTICLE) == []


def test_punctuation_omissions_and_typos_do_not_depart() -> None:
    excerpt = "经营者提供商品或者服务有欺诈行为的,应当按照消费者的要求增加赔偿其受到的损失……法律另有规定的，依照其规定。"
    assert wording.edits(excerpt, ARTICLE) == []
    typo = "经营者提供商品或者服务有欺诈行为的，应当按照消费者的要求增加陪偿其受到的损失"
    assert wording.edits(typo, ARTICLE) == [Edit("陪", "赔")]
    assert wording.departs(typo, ARTICLE) == []
    # A 一 elsewhere in the article (第五十一条) is not taken for the quote's.
    assert wording.departs(ARTICLE.split("\n")[0], ARTICLE) == []


def test_the_looseness_of_real_pages_does_not_depart() -> None:
    # Commentary run straight on after the quote, even when it restates the article in other words.
    run_on = ARTICLE.split("\n")[0] + "律师解答经营者有欺诈行为的，消费者可以要求增加赔偿，增加赔偿的金额为价款的三倍，最低五百元。"
    assert wording.departs(run_on, ARTICLE) == []
    restated = ARTICLE.split("\n")[0] + "律师解答经营者提供商品或者服务有欺诈行为的，就应当按照消费者的要求增加赔偿其受到的损失。"
    assert wording.departs(restated, ARTICLE) == []
    # Items skipped without an ellipsis, written 1、 2、 instead of （一）（四）.
    skipped = "职工有下列情形之一的，应当认定为工伤：1、在工作时间和工作场所内，因工作原因受到事故伤害的；" \
              "2、在上下班途中，受到非本人主要责任的交通事故伤害的。"
    assert wording.departs(skipped, ITEMS) == []


def test_the_older_wording_is_found_among_earlier_texts() -> None:
    # The 1993 law's 第四十九条 was that one sentence.
    found = wording.older_wording(OLD_WORDING, ARTICLE, ["经营者提供商品或者服务有欺诈行为的，应当按照消费者的要求增加赔偿。",
                                                         OLD_WORDING])
    assert found == (1, [Edit("一", "三")])
    assert wording.older_wording(OLD_WORDING, ARTICLE, []) is None
    typo = "经营者提供商品或者服务有欺诈行为的，应当按照消费者的要求增加陪偿其受到的损失"
    assert wording.older_wording(typo, ARTICLE, [OLD_WORDING]) is None      # nothing the older text explains
    # Reworded without a number or a negation: the older text explains wording of two or more characters.
    now = "经调解未达成协议的，公安机关应当依照本法的规定对违反治安管理行为作出处理，并告知当事人可以就民事争议依法向人民法院提起民事诉讼。"
    then = now.replace("作出处理", "给予处罚")
    assert wording.older_wording(then, now, [then]) == (0, [Edit("给予处罚", "作出处理")])

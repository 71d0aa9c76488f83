"""quotes.edits/departs (issue 13, cause 7, a prototype verify.py does not use yet): a quote that clears the
similarity threshold but changes a number or a negation, or puts words into the article."""

from __future__ import annotations

from fawen.cite import quotes

# 消费者权益保护法（2013）第五十五条, its first two paragraphs as the corpus holds them.
ARTICLE = ("经营者提供商品或者服务有欺诈行为的，应当按照消费者的要求增加赔偿其受到的损失，增加赔偿的金额为消费者购买商品的价款"
           "或者接受服务的费用的三倍；增加赔偿的金额不足五百元的，为五百元。法律另有规定的，依照其规定。\n"
           "经营者明知商品或者服务存在缺陷，仍然向消费者提供，造成消费者或者其他受害人死亡或者健康严重损害的，受害人有权要求"
           "经营者依照本法第四十九条、第五十一条等法律规定赔偿损失，并有权要求所受损失二倍以下的惩罚性赔偿。")
# The 1993 law's wording of the same rule (its 第四十九条): 一倍, not 三倍.
OLD_WORDING = "经营者提供商品或者服务有欺诈行为的，应当按照消费者的要求增加赔偿其受到的损失，增加赔偿的金额为消费者购买商品的价款或者接受服务的费用的一倍。"


def test_an_older_versions_amount_clears_the_threshold_but_departs() -> None:
    assert quotes.similarity(OLD_WORDING, ARTICLE) >= quotes.MATCH       # what the verifier checks today: ok
    assert quotes.departs(OLD_WORDING, ARTICLE) == [quotes.Edit("一", "三")]


def test_inserted_words_and_a_changed_negation_depart() -> None:
    inserted = OLD_WORDING.replace("要求增加", "要求在任何情况下都增加").replace("一倍", "三倍")
    assert quotes.similarity(inserted, ARTICLE) >= 90
    assert quotes.departs(inserted, ARTICLE) == [quotes.Edit("在任何情况下都", "")]
    negated = "造成消费者或者其他受害人死亡或者健康严重损害的，受害人无权要求经营者依照本法第四十九条、第五十一条等法律规定赔偿损失"
    assert quotes.departs(negated, ARTICLE) == [quotes.Edit("无", "有")]


def test_punctuation_omissions_and_typos_do_not_depart() -> None:
    excerpt = "经营者提供商品或者服务有欺诈行为的,应当按照消费者的要求增加赔偿其受到的损失……法律另有规定的，依照其规定。"
    assert quotes.edits(excerpt, ARTICLE) == []
    typo = "经营者提供商品或者服务有欺诈行为的，应当按照消费者的要求增加陪偿其受到的损失"
    assert quotes.edits(typo, ARTICLE) == [quotes.Edit("陪", "赔")]
    assert quotes.departs(typo, ARTICLE) == []
    # A 一 elsewhere in the article (第五十一条) is not taken for the quote's.
    assert quotes.departs(ARTICLE.split("\n")[0], ARTICLE) == []


def test_the_older_wording_is_found_among_earlier_texts() -> None:
    # The 1993 law's 第四十九条 was that one sentence.
    assert quotes.older_wording(OLD_WORDING, ARTICLE, ["经营者提供商品或者服务有欺诈行为的，应当按照消费者的要求增加赔偿。",
                                                       OLD_WORDING]) == 1
    assert quotes.older_wording(OLD_WORDING, ARTICLE, []) is None
    typo = "经营者提供商品或者服务有欺诈行为的，应当按照消费者的要求增加陪偿其受到的损失"
    assert quotes.older_wording(typo, ARTICLE, [OLD_WORDING]) is None      # nothing weighty to explain

"""Article correspondences by text: within a law's versions and from a repealed law to its successor."""

from __future__ import annotations

from fawen.corpus.correspondence import correspond, correspond_across

OLD = [
    "为了维护示例秩序，制定本法。",
    "有下列行为之一的，处五日以下拘留或者五百元以下罚款：\n（一）散布谣言扰乱公共秩序的；\n（二）公然侮辱他人的。",
    "对被决定给予行政拘留处罚的人，由作出决定的公安机关送达拘留所执行。",
]
NEW = [
    "为了维护示例秩序，保障公共安全，制定本法。",
    "示例管理工作由公安机关负责，县级以上人民政府应当予以保障。",
    "有下列行为之一的，处五日以下拘留或者一千元以下罚款：\n（一）散布谣言扰乱公共秩序的；\n（二）公然侮辱他人的。",
    "对被决定给予行政拘留处罚的人，由作出决定的公安机关送拘留所执行；执行期满，拘留所应当按时解除拘留，"
    "发给解除拘留证明书。被拘留人在拘留期间的合法权益受法律保护。",
]


def test_within_a_law_by_text_not_number() -> None:
    assert [(i, j) for i, j, _ in correspond(OLD, NEW)] == [(0, 0), (1, 2), (2, 3)]


def test_an_article_absorbed_into_a_longer_one_still_maps() -> None:
    # Similarity alone is below the threshold (the new text doubled); containment carries it.
    [(i, j, score)] = [p for p in correspond(OLD, NEW) if p[0] == 2]
    assert (i, j) == (2, 3) and score < 60


def test_one_article_split_into_several() -> None:
    old = ["遗嘱形式如下。\n自书遗嘱由遗嘱人亲笔书写，签名，注明年、月、日。\n"
           "代书遗嘱应当有两个以上见证人在场见证，由其中一人代书。\n公证遗嘱由遗嘱人经公证机关办理。"]
    new = ["自书遗嘱由遗嘱人亲笔书写，签名，注明年、月、日。",
           "代书遗嘱应当有两个以上见证人在场见证，由其中一人代书，并由遗嘱人签名。",
           "打印遗嘱应当有两个以上见证人在场见证。",
           "公证遗嘱由遗嘱人经公证机构办理。"]
    assert sorted(j for _, j, _ in correspond_across(old, new)) == [0, 1, 3]


def test_several_articles_merged_into_one() -> None:
    old = ["向人民法院请求保护民事权利的诉讼时效期间为二年，法律另有规定的除外。",
           "诉讼时效期间从知道或者应当知道权利被侵害时起计算。但是，从权利被侵害之日起超过二十年的，人民法院不予保护。",
           "本法自1987年1月1日起施行。"]
    new = ["向人民法院请求保护民事权利的诉讼时效期间为三年。法律另有规定的，依照其规定。\n"
           "诉讼时效期间自权利人知道或者应当知道权利受到损害以及义务人之日起计算。但是，自权利受到损害之日起"
           "超过二十年的，人民法院不予保护。",
           "民事主体从事民事活动，应当遵循诚信原则。"]
    pairs = correspond_across(old, new)
    assert {(i, j) for i, j, _ in pairs} == {(0, 0), (1, 0)}


def test_nothing_to_map() -> None:
    assert correspond([], NEW) == [] and correspond_across(OLD, []) == []
    assert correspond_across(["完全无关的一条规定，讲的是另一件事情。"], ["国家保护野生动物及其栖息地。"]) == []

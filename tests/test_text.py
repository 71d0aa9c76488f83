import pytest

from fawen.text import ArticleRef, article_label, cn_to_int, int_to_cn, normalize, parse_article_ref


@pytest.mark.parametrize("cn,n", [("一", 1), ("十", 10), ("十五", 15), ("一百一十", 110), ("二百四十六", 246),
                                  ("一千零二十四", 1024), ("一千二百六十", 1260), ("246", 246)])
def test_numerals_both_ways(cn: str, n: int) -> None:
    assert cn_to_int(cn) == n
    if not cn.isdigit():
        assert int_to_cn(n) == cn


def test_bad_numeral() -> None:
    with pytest.raises(ValueError):
        cn_to_int("诽谤")


@pytest.mark.parametrize("text,ref", [
    ("246", ArticleRef(246)),
    ("第二百四十六条", ArticleRef(246)),
    ("第一百二十条之一", ArticleRef(120, 1)),
    ("120之一", ArticleRef(120, 1)),
    ("第1254条", ArticleRef(1254)),
    ("第五十条第二款第三项", ArticleRef(50, 0, 2, 3)),
    ("第50条第2款第（三）项", ArticleRef(50, 0, 2, 3)),
])
def test_parse_article_ref(text: str, ref: ArticleRef) -> None:
    assert parse_article_ref(text) == ref


@pytest.mark.parametrize("text", ["", "第条", "刑法", "0", "第零条"])
def test_parse_article_ref_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_article_ref(text)


def test_label() -> None:
    assert article_label(120, 1) == "第一百二十条之一"
    assert article_label(50) == "第五十条"


def test_normalize_full_width_and_traditional() -> None:
    assert normalize("誹謗可以報警嗎？") == "诽谤可以报警吗？"
    assert normalize("刑法第２４６条") == "刑法第246条"
    assert normalize("  a \t b ") == "a b"


def test_numerals_agree_with_cn2an() -> None:
    """The canonical forms are converted without cn2an (slow to import); every result equals cn2an's."""
    import random

    import cn2an

    numbers = [*range(0, 12_000), *random.Random(7).sample(range(12_000, 10**8), 3000), 10**8, 10**8 + 7]
    for n in numbers:
        assert int_to_cn(n) == cn2an.an2cn(n), n
        assert cn_to_int(int_to_cn(n)) == n
    for text in ("两百", "两千零二", "二〇二一", "一二三", "壹佰", "一百零", "两万五", "一十", "两", "3千", "一亿"):
        assert cn_to_int(text) == cn2an.cn2an(text, "smart"), text
    for text in ("百", "万", "百百"):
        with pytest.raises(ValueError):
            cn_to_int(text)


def test_numerals_do_not_import_cn2an() -> None:
    import subprocess
    import sys

    code = ("import sys; from fawen.text import cn_to_int, int_to_cn; "
            "assert cn_to_int('一千零二十四') == 1024 and int_to_cn(246) == '二百四十六'; print('cn2an' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("text,legal", [
    ("老公经常打我，这次又动手了", "家庭暴力"),
    ("在超市顺手拿了两百块钱的东西", "盗窃"),
    ("一件事能罚两回钱吗", "两次以上罚款"),
    ("朋友没驾照偷偷开我的车", "未取得驾驶资格"),
    ("退租时三千块压金不退", "押金"),
])
def test_glossary_names_lay_wording_in_legal_terms(text: str, legal: str) -> None:
    from fawen.text.glossary import legal_terms

    assert legal in legal_terms(text)


def test_glossary_gap_allows_three_characters_and_no_more() -> None:
    from fawen.text.glossary import legal_terms

    assert "逃逸" in legal_terms("撞了人就跑了")
    assert "逃逸" not in legal_terms("撞了一下门框，后来跑步去了")

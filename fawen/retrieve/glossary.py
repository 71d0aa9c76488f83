"""A small hand table of lay wording and the legal words statutes use for it.

It complements the bridge learned from data (learn.py), which only knows words its training questions
used; entries are general lay usage, not taken from any benchmark question. Two kinds of entries:
- TERMS: the legal name of what happened (借…钱 → 借款): added to the query, at a lower weight than the
  user's own words, for every field;
- ROUTES: where a lay action leads (报警 → 公安机关, 治安管理): they steer which laws match (titles and
  headings) but not which article, so 「诽谤…报警」 reaches 治安管理处罚法's article on 诽谤, not every
  article that mentions 公安机关.
  A route may also name the law it leads to (报警 → 治安管理处罚法): that law's article best matching the
  user's own words is put on the first page (rank._lift_routes).
A key may hold "…" for up to three characters in between (借…钱 matches 借我钱, 借了两万块钱 does not).
"""

from __future__ import annotations

import re
from functools import lru_cache

from fawen.retrieve.terms import bigrams

TERMS: dict[str, tuple[str, ...]] = {
    "借…钱": ("借款", "民间借贷"),
    "欠…钱": ("借款", "债务"),
    "不还": ("返还", "偿还"),
    "老赖": ("失信", "被执行人", "强制执行"),
    "骂人": ("侮辱",),
    "造谣": ("捏造事实", "诽谤"),
    "打架": ("殴打", "伤害"),
    "打人": ("殴打", "伤害"),
    "被打": ("殴打", "伤害"),
    "偷…东西": ("盗窃",),
    "被骗": ("诈骗",),
    "骗…钱": ("诈骗",),
    "辞退": ("解除劳动合同",),
    "开除": ("解除劳动合同",),
    "工资": ("劳动报酬",),
    "加班": ("延长工作时间", "加班费"),
    "社保": ("社会保险",),
    "房东": ("出租人", "租赁"),
    "租房": ("租赁", "承租人"),
    "车祸": ("交通事故",),
    "酒驾": ("饮酒", "驾驶", "机动车"),
    "醉驾": ("醉酒", "驾驶", "机动车"),
    "狗咬": ("饲养动物", "损害"),
    "狗": ("饲养的动物",),
    "猫": ("饲养的动物",),
    "老板": ("用人单位",),
    "快递": ("承运人", "寄递"),
    "师傅": ("承揽人", "定作人"),
    "网购": ("网络", "电子商务", "消费者"),
    "假货": ("假冒", "欺诈"),
    "坐牢": ("有期徒刑",),
    "赔钱": ("赔偿",),
}

ROUTE_LAWS: dict[str, tuple[str, ...]] = {
    "报警": ("治安管理处罚法",),
    "警察": ("治安管理处罚法",),
    "派出所": ("治安管理处罚法",),
    "劳动仲裁": ("劳动争议调解仲裁法",),
}

ROUTES: dict[str, tuple[str, ...]] = {
    "报警": ("公安机关", "治安管理"),
    "警察": ("公安机关", "人民警察"),
    "派出所": ("公安机关", "治安管理"),
    "告他": ("起诉", "人民法院"),
    "打官司": ("诉讼", "人民法院"),
    "判几年": ("刑事责任", "刑法"),
    "劳动仲裁": ("劳动争议", "仲裁"),
    "微信": ("信息网络",),
    "朋友圈": ("信息网络",),
    "网上": ("信息网络",),
}


@lru_cache(maxsize=1)
def _compiled() -> tuple[list[tuple[re.Pattern[str], tuple[str, ...]]], list[tuple[re.Pattern[str], tuple[str, ...]]]]:
    def compile_table(table: dict[str, tuple[str, ...]]) -> list[tuple[re.Pattern[str], tuple[str, ...]]]:
        return [(re.compile(re.escape(key).replace("…", ".{0,3}")), legal) for key, legal in table.items()]
    return compile_table(TERMS), compile_table(ROUTES)


def _bigrams_of(text: str, table: list[tuple[re.Pattern[str], tuple[str, ...]]]) -> dict[str, float]:
    out: dict[str, float] = {}
    for pattern, legal in table:
        if pattern.search(text):
            for word in legal:
                out.update(dict.fromkeys(bigrams(word), 1.0))
    return out


def route_words(text: str) -> set[str]:
    """Bigrams of the lay route words themselves (报警 in 「可以报警吗」): they say what the user wants to do,
    not what the legal issue is, so article text matching them (消防法's 火警) is beside the point."""
    out: set[str] = set()
    for pattern, _ in _compiled()[1]:
        for match in pattern.finditer(text):
            out.update(bigrams(match.group(0)))
    return out


def route_laws(text: str) -> list[str]:
    """Names of the laws the text's lay actions lead to (报警 → 治安管理处罚法)."""
    return sorted({law for key, laws in ROUTE_LAWS.items() if key in text for law in laws})


def terms(text: str) -> dict[str, float]:
    """Bigrams of the legal names of what the text describes in lay words."""
    return _bigrams_of(text, _compiled()[0])


def routes(text: str) -> dict[str, float]:
    """Bigrams of the authorities and laws the text's lay actions lead to."""
    return _bigrams_of(text, _compiled()[1])

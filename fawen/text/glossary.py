"""A small hand table of lay wording and the legal words statutes use for it (language data, read by retrieval
and by answers).

It complements the bridge learned from data (learn/retrieval.py), which only knows words its training
questions used; entries are general lay usage, not taken from any benchmark question. Two kinds of entries:
- TERMS: the legal name of what happened (借…钱 → 借款);
- ROUTES: where a lay action leads (报警 → 公安机关, 治安管理); a route may also name the law it leads to
  (ROUTE_LAWS: 报警 → 治安管理处罚法).
A key may hold "…" for up to three characters in between (借…钱 matches 借我钱, 借了两万块钱 does not).
fawen/retrieve/glossary.py says how search weighs them.
"""

from __future__ import annotations

import re
from functools import lru_cache

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



Table = list[tuple[re.Pattern[str], tuple[str, ...]]]


@lru_cache(maxsize=1)
def _compiled() -> tuple[Table, Table]:
    def compile_table(table: dict[str, tuple[str, ...]]) -> Table:
        return [(re.compile(re.escape(key).replace("…", ".{0,3}")), legal) for key, legal in table.items()]
    return compile_table(TERMS), compile_table(ROUTES)


def _legal(text: str, table: Table) -> list[str]:
    return list(dict.fromkeys(word for pattern, legal in table if pattern.search(text) for word in legal))


def legal_terms(text: str) -> list[str]:
    """The legal names of what the text describes in lay words (社保 → 社会保险), in table order."""
    return _legal(text, _compiled()[0])


def route_targets(text: str) -> list[str]:
    """The authorities and laws the text's lay actions lead to (报警 → 公安机关, 治安管理)."""
    return _legal(text, _compiled()[1])


def route_spans(text: str) -> list[str]:
    """The lay route words as the text writes them (报警 in 「可以报警吗」)."""
    return [match.group(0) for pattern, _ in _compiled()[1] for match in pattern.finditer(text)]


def route_laws(text: str) -> list[str]:
    """Names of the laws the text's lay actions lead to (报警 → 治安管理处罚法)."""
    return sorted({law for key, laws in ROUTE_LAWS.items() if key in text for law in laws})

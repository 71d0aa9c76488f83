"""Short names users write for a law: generated from titles plus a small curated list."""

from __future__ import annotations

import re

from fawen.text.normalize import normalize

# Short names no rule derives from the title. Keys are what users write; values are the title
# with 中华人民共和国 dropped (matched against generated keys, so one entry serves every version).
CURATED: dict[str, str] = {
    "刑诉法": "刑事诉讼法",
    "民诉法": "民事诉讼法",
    "行诉法": "行政诉讼法",
    "治安法": "治安管理处罚法",
    "治安处罚法": "治安管理处罚法",
    "消保法": "消费者权益保护法",
    "消法": "消费者权益保护法",
    "个保法": "个人信息保护法",
    "个人信息法": "个人信息保护法",
    "道交法": "道路交通安全法",
    "交通安全法": "道路交通安全法",
    "劳动合同法": "劳动合同法",
    "反垄断法": "反垄断法",
    "反不正当竞争法": "反不正当竞争法",
    "食安法": "食品安全法",
    "行政复议法": "行政复议法",
    "民诉法解释": "最高人民法院关于适用《民事诉讼法》的解释",
    "民事诉讼法解释": "最高人民法院关于适用《民事诉讼法》的解释",
    "刑诉法解释": "最高人民法院关于适用《刑事诉讼法》的解释",
    "担保制度解释": "最高人民法院关于适用《民法典》有关担保制度的解释",
    "民间借贷规定": "最高人民法院关于审理民间借贷案件适用法律若干问题的规定",
    "网络诽谤解释": "最高人民法院、最高人民检察院关于办理利用信息网络实施诽谤等刑事案件适用法律若干问题的解释",
}

_PRC = "中华人民共和国"
_QUOTES = re.compile(r"[《》〈〉<>“”\"'「」『』\s·]")
_ISSUERS = re.compile(r"^(最高人民法院、最高人民检察院|最高人民检察院、最高人民法院|最高人民法院|最高人民检察院)")


def key(name: str) -> str:
    """Matching key of a law name: normalised, without 中华人民共和国, quotes, brackets or spaces."""
    text = normalize(name).replace(_PRC, "")
    text = text.replace("(", "（").replace(")", "）")
    return _QUOTES.sub("", text)


def generate(title: str, short_name: str = "") -> set[str]:
    """Keys under which a law can be found, from its title and its source's short name."""
    keys = {key(title)}
    if short_name:
        keys.add(key(short_name))
    core = key(title)
    stripped = _ISSUERS.sub("", core)
    if stripped != core:
        keys.add(stripped)                       # 关于审理…的规定
        if stripped.startswith("关于"):
            keys.add(stripped[2:])              # 审理…的规定
        keys.add(short_form(stripped))          # 民间借贷规定, 民事诉讼法解释
    return {k for k in keys if len(k) >= 2}


_SHORT_RULES = (
    (re.compile(r"^关于"), ""),
    (re.compile(r"^(审理|办理|适用)"), ""),
    (re.compile(r"(案件)?(具体)?(适用|应用)法律(若干)?问题的"), ""),
    (re.compile(r"若干问题的"), ""),
    (re.compile(r"的(解释|规定)((（[一二三四五六七八九十]+）)?)$"), r"\1\2"),
)


def short_form(text: str) -> str:
    """关于审理民间借贷案件适用法律若干问题的规定 → 民间借贷规定."""
    for pattern, repl in _SHORT_RULES:
        text = pattern.sub(repl, text)
    return text


def curated_targets() -> dict[str, str]:
    """Curated short name → key of the title it stands for."""
    return {key(short): key(full) for short, full in CURATED.items()}

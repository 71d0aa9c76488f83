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
    "酒…开车": ("饮酒", "醉酒", "驾驶机动车"),
    "喝…酒…开车": ("饮酒", "醉酒", "驾驶机动车"),
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
    # 劳动 / 工伤
    "炒鱿鱼": ("解除劳动合同",),
    "裁员": ("裁减人员",),
    "不续签": ("劳动合同期满", "终止劳动合同"),
    "没签…合同": ("书面劳动合同",),
    "年假": ("年休假",),
    "怀孕": ("孕期", "女职工"),
    "扣…身份证": ("扣押", "居民身份证"),
    "上班路上": ("上下班途中",),
    "下班路上": ("上下班途中",),
    # 婚姻家庭 / 继承
    "老公": ("配偶", "夫妻"),
    "老婆": ("配偶", "夫妻"),
    "家暴": ("家庭暴力",),
    "老公…打": ("家庭暴力",),
    "打赏": ("挥霍",),
    "孩子跟谁": ("直接抚养",),
    "抚养权": ("直接抚养", "抚养"),
    "继父": ("继父母", "继子女", "扶养"),
    "继母": ("继父母", "继子女", "扶养"),
    "领养": ("收养", "养子女"),
    "去世": ("死亡", "继承"),
    "养老": ("赡养",),
    # 借贷
    "借条": ("借据", "借款"),
    "欠条": ("债务",),
    "高利贷": ("利率", "利息", "民间借贷"),
    "网贷": ("借款", "利率"),
    "担保人": ("保证人", "保证"),
    "作保": ("保证",),
    # 租房 / 物业
    "房租": ("租金",),
    "压金": ("押金",),
    "退租": ("解除合同", "租赁"),
    "涨房租": ("租金",),
    "加房租": ("租金",),
    "中介": ("中介人", "中介合同"),
    "二房东": ("转租",),
    "违建": ("违法建筑",),
    "开门进来": ("住宅", "侵入"),
    "业委会": ("业主委员会",),
    "维修基金": ("专项维修资金",),
    "公摊": ("共有部分",),
    # 消费
    "商家": ("经营者",),
    "卖家": ("销售者", "经营者"),
    "店家": ("经营者",),
    "会员卡": ("预付款", "预付卡"),
    "办卡": ("预付款", "预付卡"),
    "直播间": ("网络直播",),
    "快递…丢": ("毁损、灭失", "寄递"),
    "装修": ("装饰装修", "承揽"),
    # 交通事故
    "电动车": ("非机动车",),
    "撞倒": ("交通事故", "人身损害"),
    "撞伤": ("交通事故", "人身损害"),
    "被…撞": ("交通事故",),
    "撞…跑": ("逃逸",),
    "车借给": ("借用", "机动车所有人", "使用人"),
    "借车": ("借用", "机动车所有人", "使用人"),
    "没…过户": ("转让并交付", "登记"),
    "未过户": ("转让并交付", "登记"),
    "捎…回家": ("无偿搭乘", "非营运机动车"),
    "搭车": ("无偿搭乘",),
    "没驾照": ("未取得驾驶资格", "驾驶证"),
    "无证驾驶": ("未取得驾驶资格", "驾驶证"),
    "认定书": ("交通事故认定书",),
    # 人身损害 / 邻里
    "滑倒": ("安全保障义务", "经营场所"),
    "楼上…扔": ("抛掷物品", "建筑物"),
    "高空抛物": ("抛掷物品", "建筑物"),
    "挡…光": ("采光", "日照", "相邻"),
    "邻居": ("相邻",),
    "噪音": ("噪声",),
    "精神损失": ("精神损害",),
    "医药费": ("医疗费",),
    "帮忙…受伤": ("帮工",),
    "拴绳": ("安全措施", "饲养的动物"),
    # 治安 / 刑事
    "打麻将": ("赌博",),
    "赌钱": ("赌博",),
    "报假警": ("谎报", "警情"),
    "小偷": ("盗窃",),
    "偷了": ("盗窃",),
    "被偷": ("盗窃",),
    "偷走": ("盗窃",),
    "顺手拿": ("盗窃",),
    "跟踪": ("跟踪", "纠缠"),
    "未成年": ("未成年人",),
    "调节": ("调解",),
    "取保": ("取保候审",),
    "自守": ("自首",),
    "还手": ("正当防卫",),
    "案底": ("犯罪记录",),
    "银行卡…借": ("帮助信息网络犯罪活动", "支付结算"),
    # 行政
    "城管": ("城市管理", "行政处罚"),
    "罚两": ("两次以上罚款", "同一个违法行为"),
    "重复罚": ("两次以上罚款", "同一个违法行为"),
    "电子眼": ("技术监控",),
    "扣分": ("记分",),
    "听证会": ("听证",),
    "强拆": ("强制拆除",),
    "告政府": ("行政诉讼",),
    "复议": ("行政复议",),
    "许可证": ("行政许可",),
    # 网络 / 知识产权
    "盗版": ("著作权", "复制"),
    "山寨": ("商标", "假冒"),
    "人肉": ("个人信息",),
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

"""Whether a question asks something the law answers: a legal word (权, 罪, 合同, 赔偿 …) or a question of
rights and duties (可以…吗, 能否, 是否, 应当, 由谁承担, 怎么办 …). Small talk such as 「今天天气怎么样」 has
neither, and gets the plain 「未检索到相关规定」 page instead of whatever article shares a word with it.
bench/answer.py reports the share of STARD's lay legal questions this accepts."""

from __future__ import annotations

import re

from fawen.text.normalize import normalize

_LEGAL_WORDS = re.compile(
    "法|律|罪|罚|权|责|赔|偿|诉|讼|告|警|仲裁|违|犯|判|刑|拘|纠纷|维权|婚|继承|遗|抚养|赡养|监护|收养|工资|劳动|劳务|"
    "辞退|解雇|工伤|社保|保险|欠|借|贷|债|租|买|卖|售|购|房|屋|土地|宅基|侵|骗|诈|偷|盗|抢|打人|伤|死亡|杀|公司|企业|"
    "股东|股权|股份|商标|专利|著作|版权|税|交通|事故|医疗|执照|登记|许可|行政|政府|拆迁|征收|承包|合同|协议|约定|担保|"
    "抵押|质押|保证|留置|票据|破产|清算|执行|证据|公证|赠与|物业|业主|消费|经营|个体|污染|动物|未成年|子女|夫妻|配偶|"
    "单位|员工|职工|雇|加班|离职|试用|竞业|隐私|名誉|肖像|人格|损害|损失|义务|效力|无效|撤销|解除|时效|管辖|法院|检察|"
    "公安|派出所|律师|当事人|原告|被告|委托|代理|户口|身份|运输|快递|驾驶|酒驾|醉驾|肇事|赌|毒|卖淫|贿|贪污|走私|传销|"
    "集资|非法|合法|条例|处分|补偿|退款|欺诈|伪造|泄露|个人信息|利息|逾期|押金|定金|违约|保管|仓储|仓单|合伙|承揽|"
    "发包|工程|质量|缺陷|标识|供暖|邻居|相邻|通行|排水|采光|应收账款|居间|中介|技术成果|职务|作品|作者|旅客|乘客|"
    "认定|规定|手续|老公|老婆|丈夫|妻子|出轨|老板|拖欠|不给钱|打架|骂|欺负|霸凌|咬|报复|威胁|敲诈|勒索|骨折|摔|滑倒|"
    "撞")
# Questions about rights and duties, whatever the subject: 可以…吗, 能否, 应当, 由谁承担, 怎么办 …
_LEGAL_ASKS = re.compile(
    r"(?:可以|能|会|可否|能否|有权|必须|应当|应该|需要|要不要|是否)[^。？?]{0,30}(?:吗|嘛|么|？|\?|$)|能否|可否|是否|"
    r"有权|无权|必须|应当|谁(?:承担|负责|所有|来|说了算|偿还|赔)|归谁|由谁|怎么办|如何(?:确定|认定|处理|计算|划分)|"
    r"什么是|指的是|包括哪些|哪些(?:条件|事项|情形|要求)|符合什么|性质")


def asks_law(question: str) -> bool:
    """True when the question has a legal word or asks about rights and duties."""
    text = normalize(question)
    return bool(_LEGAL_WORDS.search(text) or _LEGAL_ASKS.search(text))

"""What a question asks, read from its wording alone: its kind (能不能 / 是什么 / 多少 / 多久 / 谁 / 怎么办 …),
for a yes/no question the act it asks about and how it asks (可以 / 会 / 算 / 要 / 合法), and the issues it
raises (报警, 坐牢, 赔偿, 仲裁 …) that decide which sections and steps a page has.

Nothing here is keyed on a particular question: the patterns are the ways Chinese questions are asked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fawen.text.glossary import legal_terms
from fawen.text.normalize import normalize

KINDS = ("yesno", "definition", "amount", "period", "who", "howto", "consequence", "conditions", "open")
# How a yes/no question asks, and the words its verdict is said in (yes, no).
MODALS = {
    "may": ("可以", "不可以"),      # 可以/能/能否/有权: is the act open to someone
    "will": ("会", "一般不会"),     # 会不会被罚/坐牢: does a consequence follow
    "is": ("属于", "不属于"),       # 算不算/是否构成/属于: does the case fall under a term
    "must": ("需要", "不需要"),     # 要不要赔/必须/应当: is there a duty
    "valid": ("合法", "不合法"),    # 合法吗/有效吗/对吗/合理吗: is what was done (or agreed) lawful
}

_SEGMENT = re.compile(r"[^？?！!。；;]+[？?！!。；;]*")
# A-not-A questions and the question particles: 能不能, 会不会, 算不算 …, 吗/么/嘛 at the end of a clause.
_A_NOT_A = re.compile(r"(能|可|会|算|是|要|有|该|用|行|对|需|合)不\1")
_YES_NO = re.compile(r"(?:吗|嘛|么)[？?！!。\s]*$|能否|可否|是否|有无|有没有|[能可会算是要有该用行对需合]不[能可会算是要有该用行对需合]"
                     r"|行不行|好不好")
_MODAL_WORDS = (
    ("valid", re.compile(r"合法|违法|有效|无效|算数|对吗|对不对|合理|合不合|行得通|正常吗|允许吗|可以吗$|这样可以|能这样|"
                         r"能这么|可以这样|可以这么")),
    ("is", re.compile(r"算不算|算是|算(?!了|数)|属于|属不属于|是不是|是否属于|构成|是否构成|侵权吗|犯法|犯罪吗|认定为|视为|"
                      r"违约吗|有责任吗|侵犯|侵害|违反")),
    ("will", re.compile(r"会不会|会被|会有|会坐牢|会判|会罚|还会|会受|会影响|会留")),
    ("must", re.compile(r"要不要|需不需要|用不用|该不该|必须|需要|应当|应该|要(?:赔|还|交|付|出|担|负|承担|退|给|搬)|还得|得(?:赔|还|交)")),
    ("may", re.compile(r"能不能|可不可以|可否|能否|能够|可以|有权|能|让|允许|行不行|行吗")),
)
# The act of a yes/no question: what follows the modal word, up to the particle.
_ACT = re.compile(r"(?P<modal>能不能|可不可以|会不会|算不算|是不是|要不要|需不需要|用不用|该不该|有没有|能否|可否|"
                  r"是否(?:可以|能够|应当|应|需要|会|要|属于|构成)?|可以|能够|能|会|算|属于|构成|需要|必须|应当|应该|要|有权)"
                  r"(?P<act>[^，,。？?！!]{1,24}?)(?:吗|嘛|么|呢|？|\?|$)")
# The class of the modal word a question asks with (是否 alone: read from the act).
_MODAL_OF = (
    ("will", re.compile(r"^(?:会不会|会|是否会)$")),
    ("is", re.compile(r"^(?:算不算|是不是|算|属于|构成|是否属于|是否构成|有没有)$")),
    ("must", re.compile(r"^(?:要不要|需不需要|用不用|该不该|需要|必须|应当|应该|要|是否应当|是否应|是否需要|是否要)$")),
    ("may", re.compile(r"^(?:能不能|可不可以|能否|可否|可以|能够|能|有权|是否可以|是否能够)$")),
)
_VALIDITY = re.compile(r"^(?:合法|违法|有效|无效|算数|合理|对)|(?:合法|违法|有效|无效|算数|合理)$")
_NEGATED_ACT = re.compile(r"^(?:不|拒|没|一分不|一分钱不|可以不|能不|免)|不(?:交|还|给|退|管|赔|付|搬|用|签|发)")
_OTHER = re.compile(r"他|她|他们|她们|对方|公司|单位|老板|房东|物业|商家|卖家|平台|医院|学校|幼儿园|银行|保险公司|中介|"
                    r"开发商|酒店|老人|派出所|警察|城管|政府|法院|用人单位|出租人|经营者")
_FIRST_PERSON = re.compile(r"^(?:我|我们|我家|本人|咱)")

_KIND_PATTERNS = (
    ("definition", re.compile(r"什么是|何为|何谓|什么叫|是什么意思|指什么|是指什么|的含义|的概念|的定义|有哪些(?:种类|类型|形式)|"
                              r"^[^，。？?]{2,20}是什么[？?]?$")),
    ("period", re.compile(r"多久|多长时间|多长|几年|几个月|几天|多少天|多少年|期限|时效|什么时候|何时|截止")),
    ("amount", re.compile(r"多少钱|赔多少|罚多少|给多少|多少|几倍|怎么赔|如何赔偿|怎么算|如何计算|怎么计算|数额|金额|比例|标准是")),
    ("who", re.compile(r"由谁|归谁|谁来|谁(?:承担|负责|赔|出|付|还|所有)|找谁|向谁|哪个部门|哪个法院|哪里|哪儿|去哪|管辖")),
    ("consequence", re.compile(r"怎么判|判几年|如何处罚|怎么处罚|如何处理(?:他|她|对方)|会被怎么|什么责任|何种责任|哪些责任|"
                               r"什么后果|后果|会怎么样|怎么处理他|怎么处理她")),
    ("conditions", re.compile(r"条件|要件|如何认定|怎么认定|怎样认定|如何判断|怎么判断|如何确定|怎么确定|需要满足|标准|"
                              r"哪些情形|什么情形|什么情况下")),
    ("howto", re.compile(r"怎么办|怎么处理|如何处理|如何维权|怎么维权|该怎么|怎么做|如何解决|怎么解决|如何申请|怎么申请|"
                         r"怎么申诉|如何起诉|怎么起诉|怎么要|如何要回|怎么要回|维权")),
)

# Issues a question raises, by the words people use for them.
_ISSUES = (
    ("报警", re.compile(r"报警|报案|立案|告他|告她")),  # the asker wants to report (not: the police came)
    ("公安", re.compile(r"110|派出所|警察|公安|抓")),
    ("刑事", re.compile(r"坐牢|判刑|入刑|犯罪|刑事|罪|拘役|有期徒刑|判几年|量刑|取保|自首|缓刑")),
    ("治安", re.compile(r"拘留|治安")),
    ("赔偿", re.compile(r"赔|补偿|损失|精神损害|医药费|误工|退钱|退款|要回|返还|退还|追回")),
    ("起诉", re.compile(r"起诉|告他|告她|告对方|告公司|能告|打官司|诉讼|法院|上诉")),
    ("仲裁", re.compile(r"仲裁")),
    ("工伤", re.compile(r"工伤|职业病|工亡")),
    ("劳动", re.compile(r"工资|加班|辞退|开除|解雇|劳动合同|劳动关系|劳动仲裁|社保|试用期|离职|辞职|经济补偿|用人单位|入职|"
                      r"竞业|年假|年休假")),
    ("行政", re.compile(r"罚款|处罚|罚了|罚我|被罚|要罚|还能罚|罚两|城管|市场监管|复议|行政|吊销|执照|许可证|查封|扣押|执法|"
                      r"交警|扣分|记分|电子眼|违章|拆迁|征收|强拆")),
    ("消费", re.compile(r"商家|网购|退货|假货|质量问题|超市|店家|买了|买的|消费者|七天无理由|预付卡|快递")),
    ("时效", re.compile(r"时效|过期|多久|期限|还来得及|过了")),
    ("证据", re.compile(r"证据|证明|录音|聊天记录|截图|借条|欠条|收据")),
)


@dataclass(frozen=True)
class Asked:
    """What one question asks."""

    question: str           # normalised
    kind: str               # one of KINDS
    modal: str = ""         # for yesno: one of MODALS
    act: str = ""           # for yesno: the act asked about (罚两回钱, 坐牢, 要求他赔钱)
    negated: bool = False   # the act is a refusal or omission (不交, 拒交, 一分不给)
    other: bool = False     # the act is the other party's (他能这样吗, 公司这样合法吗)
    issues: frozenset[str] = frozenset()

    @property
    def wording(self) -> str:
        """The question with the legal names of what it says in lay words (社保 → 社会保险, fawen/text/glossary.py):
        what an article answering it is written in."""
        legal = legal_terms(self.question)
        return "，".join([self.question, *legal]) if legal else self.question

    def words(self) -> tuple[str, str]:
        """The verdict words (yes, no) for how the question asks."""
        return MODALS.get(self.modal, MODALS["may"])


def read(question: str) -> Asked:
    """The kind, act and issues of a question."""
    text = normalize(question)
    issues = frozenset(name for name, pattern in _ISSUES if pattern.search(text))
    segments = [s.strip() for s in _SEGMENT.findall(text) if s.strip()] or [text]
    asking = [s for s in segments if _YES_NO.search(s)]
    if asking:
        clauses = [c for c in re.split(r"[，,]", asking[-1]) if c.strip()]
        clause = next((c for c in reversed(clauses) if _YES_NO.search(c)), clauses[-1])
        if not _asks_other_kind(clause):
            return _yes_no(text, clause, clauses[:clauses.index(clause)] or segments[:-1], issues)
    for kind, pattern in _KIND_PATTERNS:
        if pattern.search(text):
            return Asked(text, kind, issues=issues)
    return Asked(text, "open", issues=issues)


def _asks_other_kind(clause: str) -> bool:
    """「能赔多少钱」「要满足哪些条件吗」: a particle on a question that asks for an amount, a period or a list."""
    return bool(re.search(r"多少|多久|多长|几年|几倍|哪些|什么|怎么|如何|谁", clause))


def _yes_no(text: str, clause: str, before: list[str], issues: frozenset[str]) -> Asked:
    found = _ACT.search(clause)
    act_text = found.group("act") if found else ""
    modal = next((name for name, pattern in _MODAL_OF if found and pattern.match(found.group("modal"))), "")
    if not found or _VALIDITY.search(act_text.strip()) or not modal:
        # 「这合法吗」「是否有效」「是否侵权」: read how it asks from the words themselves.
        modal = next((name for name, pattern in _MODAL_WORDS if pattern.search(clause[found.start():] if found
                                                                                 else clause)), "may")
    act = (found.group("act") if found else re.sub(r"[吗嘛么呢？?！!。\s]+$", "", clause)).strip()
    act = re.sub(r"^(?:被|去|再|还|直接|要求|让)", "", act) if len(act) > 3 else act
    subject = clause[:found.start()] if found else clause
    # 「这样合法吗」「他们这样做对吗」「是这样吗」: the act is what the question told before.
    if re.fullmatch(r"(?:这样|这么|这|那样|这种)?(?:做|收|定|处理|弄|强制)?(?:合法|对|合理|可以|行|的)?", act) and before:
        act = re.sub(r"[，,。？?！!；\s]+$", "", before[-1])
    other = (bool(_OTHER.search(subject)) or modal == "valid") and not _FIRST_PERSON.match(subject)
    negated = bool(_NEGATED_ACT.search(act))
    return Asked(text, "yesno", modal, act, negated, other, issues)

"""The verdict of a yes/no question, read from the decisive article's own structure and nothing else.

The statement of the article that speaks of the asked act is found (the act's words, or the statute's words for
them: 赔 → 承担…责任, 坐牢 → 有期徒刑/拘役, 罚两回 → 两次以上…罚款); the operator that governs the act in it
decides: 不得 / 禁止 / 不承担 / 不属于 … say no, 可以 / 有权 / 应当 / 属于 / 认定为 … say yes. A criminal
consequence that the article ties to a threshold the question does not establish (情节严重的, 数额较大的) is
视情况 with that condition named; a question about a refusal (能不交吗, 可以不管吗) turns a duty into a no.
When no statement speaks of the act, or no operator governs it, there is no verdict: none is better than a
wrong one. bench/answer.py measures the verdicts against labelled answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fawen.answer.focus import Statement, units
from fawen.answer.question import Asked
from fawen.answer.text import bigrams, content, overlap, strip_end
from fawen.models import Article, Hit

LABELS = ("可以", "不可以", "视情况")
MIN_MATCH = 0.5       # share of the act's words a statement must hold to speak of it
EXCEPTION_WORDS = 1   # words of the question an exception must hold for it to be taken as maybe applying
STANCE_MATCH = 0.8    # how closely a claim the court answers must be the asked act (share of its words, plus)
LIST_ITEMS = 3        # statements from which a penal article's statement must be picked by the question's words

# Lay words for an act → the statute's words for it.
_LEXICON = (
    (r"赔|担责|负责|出钱|掏钱|承担|责任", r"赔偿|承担[^。；]{0,16}?责任|负[^。；]{0,8}?责任|负担"),
    (r"报警|报案|派出所", r"报案|报警|处[^。；]{0,40}?(?:拘留|罚款|警告)"),
    (r"坐牢|判刑|入刑|犯罪|刑事责任|罪|判", r"有期徒刑|拘役|管制|刑事责任|犯罪"),
    (r"拘留|关起来|抓", r"拘留"),
    (r"罚", r"罚款|处罚"),
    (r"两次|两回|两遍|再罚|重复", r"两次以上|再次|重复"),
    (r"退钱|退款|要回|拿回|追回|讨回|返还|退还|退", r"退还|返还|退回|退货|退款"),
    # money the asker wants back or paid (这钱能要回来吗, 能拿到吗): the other side's duty to pay it
    (r"要回|拿回|讨回|追回|要到|拿到|讨到", r"支付|偿还|归还|赔偿|补偿"),
    (r"(?<!不)给(?:我|钱|补偿)|发(?:工资|钱)|不给|不发", r"支付|发放|给付"),
    (r"轻判|少判|从轻|减轻|判轻", r"从轻|减轻"),
    (r"解除|退租|辞职|不干", r"解除"),
    # the employer's act (its 解除 only: _workers_act)
    (r"辞退|开除|解雇|炒", r"解除|辞退|解雇"),
    (r"补偿", r"补偿"),
    (r"继承|遗产", r"继承|遗产"),
    (r"工伤", r"工伤"),
    (r"有效|算数|能用|作数|无效", r"有效|无效|效力"),
    (r"起诉|告他|告她|告对方|打官司", r"起诉|诉讼|告诉|自诉"),
    (r"仲裁", r"仲裁"),
    (r"拆", r"拆除|排除妨碍|恢复原状|停止侵害"),
    (r"精神损失|精神损害", r"精神损害赔偿"),
    (r"利息", r"利息|利率"),
    (r"拒交|拒付|拒绝|不交|不付", r"拒付|拒绝|拒交|不予支付"),
)
# Operators by what they answer: whether an act is open (deontic), whether a case falls under a term
# (classifying), whether a consequence follows (penal), whether an act or agreement stands (validity).
_DEONTIC_NEG = (r"不得|禁止|严禁|不准|不能|不可以|无权|不予|不应当|不应|不再|不承担|不负|免予|免除|无须|无需|不需要|"
                r"不需|不必|不受理|不支持|不适用|不享有|不执行|不追究")
_DEONTIC_POS = (r"可以|有权|享有|应当|必须|须|承担|负责|予以支持|"
                r"由[^。；，]{0,20}?(?:支付|承担|负担|赔偿|退还|返还)")
_CLASSIFY_NEG = r"不属于|不构成|不视为|不视同|不得认定为|不认定为|不是"
_CLASSIFY_POS = r"应当认定为|认定为|属于|构成|视为|视同|是"
_PENAL_POS = r"处[^。；]{0,30}?(?:有期徒刑|拘役|管制|罚金|拘留|罚款|警告)|追究刑事责任"
_CRIME_NEG = (r"不负刑事责任|不追究刑事责任|不构成犯罪|不认为是犯罪|免予刑事处罚|免除处罚|不起诉|不负|"
              r"不以[^。；，]{0,10}?论处")
_CRIME_POS = r"处[^。；]{0,30}?(?:有期徒刑|拘役|管制)|追究刑事责任|应当负刑事责任|构成[^。；，]{0,10}?罪|以[^。；，]{1,10}?罪论处"
_VALIDITY_NEG = r"无效|不发生效力|不生效|违法"
_VALIDITY_POS = r"有效|合法|发生效力"
_OPERATORS = {
    "may": (_DEONTIC_NEG, _DEONTIC_POS),
    "must": (_DEONTIC_NEG, _DEONTIC_POS),
    "is": (_CLASSIFY_NEG, _CLASSIFY_POS),
    "will": (_DEONTIC_NEG, _PENAL_POS + "|" + _DEONTIC_POS),
    "crime": (_CRIME_NEG, _CRIME_POS),
    "valid": (_VALIDITY_NEG + "|" + _DEONTIC_NEG, _VALIDITY_POS + "|可以|有权"),
}
_DUTY = re.compile(r"应当|必须|须|承担|负责|由[^。；，]{0,20}?(?:支付|承担|负担|赔偿)")
_ALLOCATION = re.compile(r"由[^。；，]{1,20}?(?:承担|支付|负担|赔偿)")
_REFUSAL = re.compile(r"拒绝|拒付|拒交|不予|不交|不支付|拒不")
_PROPORTIONAL = re.compile(r"区分不同情况|根据具体情况|视具体情况|酌情|(?:承担)?相应的?(?:赔偿|补充)?责任|根据[^。；，]{0,12}?各自的过错|过错程度|按照[^。；]{0,10}?比例")
_WHOLE = re.compile(r"全赔|全部|全额|都")
_REDUCED = re.compile(r"减轻|部分|相应的|不超过")
# Thresholds a consequence may wait on.
# A statement that opens by limiting itself to a case: 「在试用期中，」「婚姻关系存续期间，」「在保证期间内，」.
_SCOPE = re.compile(r"^在?([^，。；]{2,12}?)(?:中|期间|期内|以内|内)，")
_THRESHOLD = re.compile(r"情节(?:较重|严重|特别严重|恶劣|较轻)|数额(?:较大|巨大|特别巨大)|[^，。；]{0,4}较大|造成[^，。；]{0,10}?后果|"
                        r"多次|致人[^，。；]{0,6}?(?:重伤|死亡)|严重[^，。；的]{0,8}")
_CRIME_ACT = re.compile(r"坐牢|判刑|入刑|犯罪|刑事|罪|判")
_PENALTY_ACT = re.compile(r"拘留|罚款|处罚|罚|抓")
# Special subjects and objects of criminal and penal provisions.
_SPECIAL = re.compile(r"军人|战时|武装部队|幼女|儿童|妇女|国家工作人员|国家机关工作人员|司法工作人员|公司、企业|单位犯|外国人|"
                      r"境外|毒品|枪支|弹药|爆炸物|文物|国家秘密|人民警察|英雄烈士|残疾人|老年人|在押|监管|"
                      r"依法执行职务|金融机构|信用卡|保险|税|走私|选举|邮件|野生动物|交通肇事")
# Conditions of fault, knowledge or cause that decide a statement's case and that a narrative question
# rarely states in the statute's terms.
_FAULT = re.compile(r"故意|重大过失|过失|明知|不知道|由于[^，。；]{1,12}?原因|因[^，。；]{1,12}?(?:原因|违约行为)|"
                    r"已经按照约定|无正当理由|恶意")
_DENIED = re.compile(r"(?:不|未|没有|不应当|不得|无)[^，,；。]{0,3}$")  # a negation just before a word
_EMPLOYER_ACT = re.compile(r"辞退|开除|解雇|炒")
_CRIME_TEXT = re.compile(r"有期徒刑|拘役|管制|刑事责任")
_EXCEPTION = re.compile(r"^(?:除|但是|但)")
_DEFINITION = re.compile(r"是指|^本(?:法|条例|规定|解释)所称|^[^，。；]{1,20}是[^。；]*的(?:合同|行为|权利|组织|财产)$")
# 「人民法院不予支持」「人民法院应予支持」: a judicial interpretation's answer to the claim before it.
_STANCE = re.compile(r"(?:人民法院)?(?:(?P<neg>不予支持|不予受理|不予认可|不予准许)|(?P<pos>应予支持|予以支持|应当支持|应当受理|"
                     r"予以认可|应予准许))")
_NEG_WORDS = re.compile(_DEONTIC_NEG + "|" + _CLASSIFY_NEG)


@dataclass
class Verdict:
    """A verdict and the clause it rests on."""

    label: str        # 可以 / 不可以 / 视情况
    word: str         # as the page says it (可以, 不属于, 一般不会, 视情况)
    condition: str    # the condition the article ties the answer to (a threshold; for 视情况 what it depends on)
    statement: Statement
    hit: Hit

    def sentence(self) -> str:
        """The verdict as the page's first sentence: 「不可以。」「视情况：按各自的过错。」「可以，但以“数额较大”为条件。」"""
        if self.label == "视情况":
            return f"视情况：{self.condition}。" if self.condition else "视情况。"
        if self.condition and re.match(r"应当|必须|须", self.condition):
            return f"{self.word}，但{self.condition}。"
        if self.condition:
            return f"{self.word}，但以“{self.condition}”为条件。"
        return f"{self.word}。"

    def to_json(self) -> dict[str, str]:
        return {"label": self.label, "word": self.word, "condition": self.condition,
                "clause": self.statement.text, "citation": f"《{self.hit.law}》{self.hit.article}"}


def decide(asked: Asked, hit: Hit, article: Article) -> Verdict | None:
    """The verdict `article` gives to a yes/no question, or None when it does not decide it."""
    if asked.kind != "yesno" or not asked.act:
        return None
    crime = bool(_CRIME_ACT.search(asked.act))
    modal = "will" if crime and asked.modal in ("may", "is") and not re.search(r"算|构成|属于", asked.act) \
        else asked.modal
    found = speaking(asked, hit, article)
    if found is None:
        return None
    statement, position = found
    if re.search(r"但|除外", statement.text[:position]):
        return None  # the act is named in an exception: what it says is the exception's, not the rule's
    if _EMPLOYER_ACT.search(asked.act) and _workers_act(statement.text, position):
        return None  # asked whether the employer may dismiss: 「劳动者…，可以解除劳动合同」 is the worker's leave
    procedure = _procedure(statement.text, position)
    if procedure and asked.modal in ("may", "valid") and not asked.negated:
        # 「确需临时占用道路的，应当征得业主委员会的同意」: open, on the condition the article sets.
        return Verdict("可以", _word(asked, "可以", crime), procedure, statement, hit)
    # 「能报警吗」 is answered by a penalty the police impose (处…拘留/罚款) as much as by 可以.
    reporting = bool(re.search(r"报警|报案", asked.act))
    text = statement.text
    stance = _STANCE.search(text)
    polarity: str | None
    if stance is not None and position < stance.start():
        # 「…请求其承担保证责任的，人民法院不予支持」: the court's answer to the claim decides — when the claim is the
        # act asked about (nearly all its words); a claim of the opposite (请求确认…无效, asked 是否有效) turns it round.
        if statement.score < STANCE_MATCH:
            return None  # 「请求适用当时的司法解释计算利息的，应予支持」 does not say whether 金融借款 falls under it
        polarity, operator = ("neg" if stance.group("neg") else "pos"), stance.group(0)
        claimed_void = bool(re.match(r"无效|不发生效力", text[position:]))
        if modal == "valid" and claimed_void != bool(re.search(r"无效|不发生效力|违法", asked.act)):
            polarity = "neg" if polarity == "pos" else "pos"
    else:
        polarity, operator = governing(text, position, "crime" if crime else "will" if reporting else modal)
    if polarity is None:
        return None
    if position > 0 and text[position - 1] in "不未无非" and not _NEG_WORDS.match(text[position - 1:]):
        polarity = "neg" if polarity == "pos" else "pos"  # 「可以作出附条件不起诉的决定」 asked 「会被起诉吗」
    if modal == "valid" and re.search(r"无效|违法|不合法", asked.act):
        polarity = "neg" if polarity == "pos" else "pos"  # asked whether it is void: a rule that voids it says yes
    if crime and polarity == "pos" and not _CRIME_TEXT.search(text):
        return None  # a penalty that is not a criminal one does not answer 「会坐牢吗」
    clause_start, _ = _clause(text, position, position, "，,；。")
    if _REQUEST.search(text[clause_start:position]) and not re.search(r"要求|请求|让|他|她|对方|其", asked.act):
        return None  # 「债务人可以请求留置权人…行使留置权」: leave to ask another to act, not leave to act
    if polarity == "pos" and modal in ("may", "must") and _ALLOCATION.fullmatch(operator):
        return None  # 「由受让人承担」: who bears it is a question of roles the question may not settle
    yes = polarity == "pos"
    scope = _SCOPE.match(text)
    if not yes and scope and not set(bigrams(scope.group(1))) & set(bigrams(asked.question)):
        return None  # 「在试用期中，…用人单位不得解除劳动合同」: a ban for a case (试用期) the question does not state
    if yes and _WHOLE.search(asked.act) and _REDUCED.search(text):
        yes = False  # 「要我全赔吗」 against 「应当减轻其赔偿责任」
    if asked.negated:
        # 「能不交吗」「可以一分不给吗」: leave to refuse says yes; a duty, or a ban on refusing, says no.
        near = text[max(0, position - 6):position + 10]
        if yes and _REFUSAL.search(near):
            yes = True
        elif (yes and _DUTY.search(text)) or (not yes and _REFUSAL.search(text[position:position + 16])):
            yes = False
        else:
            return None
    elif modal == "valid" and asked.other and yes and _DUTY.search(text):
        return None  # a duty of the other party does not say whether what it did complied with it
    condition = depends = ""
    antecedent = text[text.rfind("；", 0, position) + 1:position]  # the rule's words before the act
    if yes and not asked.negated:
        condition = "" if reporting else _threshold(antecedent, asked.question)
        proportional = _PROPORTIONAL.search(text)
        depends = proportional.group(0) if proportional else ""
    fault = _fault(antecedent, asked.wording)
    if fault and not depends:
        # 「损害是因受害人故意造成的，行为人不承担责任」 asked 「我要担责任吗」 without a word of intent: the answer
        # turns on a fact the question does not give.
        depends = f"要看是否“{fault}”"
    exception = _EXCEPTION_TEXT.search(text[position:])
    if exception and _states(asked.question.replace(asked.act, " "), exception.group(1) or exception.group(2) or ""):
        # 「…不承担民事责任，但是有下列情形之一的除外：使用侮辱性言辞…」 asked about 侮辱: the exception may apply.
        depends = f"除外情形：{strip_end(exception.group(1) or exception.group(2) or '')[:60]}"
    label = "视情况" if depends else ("可以" if yes else "不可以")
    return Verdict(label, _word(asked, label, crime), depends or condition, statement, hit)


def speaking(asked: Asked, hit: Hit, article: Article) -> tuple[Statement, int] | None:
    """The statement of the article that speaks of the asked act, and where the act is named in it.

    The act is looked for in the consequence of each statement first (after its last 「…的，」), so that
    「依照本法应当给予行政拘留处罚的，不执行行政拘留处罚」 is read at 不执行; exceptions (除…外, 但是…) rank
    after the rule they qualify.
    """
    patterns = [law for lay, law in _LEXICON if re.search(lay, asked.act)]
    act_grams = frozenset(g for g in bigrams(content(asked.act)) if len(g) == 2)
    # A qualifier of the act (「口头」辞职, 「直接」行使, 「随时」解除) is what the question turns on: the statement
    # must name it too.
    residual = frozenset(_QUALIFIERS.findall(asked.act))
    if not patterns and len(act_grams) < 2:
        return None  # 「交吗」「分吗」: too little said to find the act in an article
    # A criminal or penal act (坐牢, 判刑, 拘留) is named by nearly every article of a criminal law: a statement
    # about a special subject or object (军人, 战时, 幼女, 国家工作人员 …) the question does not mention is about
    # another case.
    penal = bool(_CRIME_ACT.search(asked.act) or _PENALTY_ACT.search(asked.act) or re.search(r"报警|报案", asked.act))
    best: tuple[float, int, Statement, int] | None = None
    candidates = units(article)
    for order, (text, p, i) in enumerate(candidates):
        if asked.modal != "is" and _DEFINITION.search(text):
            continue  # 「保证合同是…保证人…承担责任的合同」 defines a term; it grants or imposes nothing
        if penal and about_another(asked.question, text):
            continue  # 学生抢东西 is not decided by a statement about 幼女 or 军人

        found = None
        offset = 0
        for rule in re.findall(r"[^；]+；?", text):  # 「…的，处…；情节较重的，处…」 holds two rules
            start = offset + consequence_start(rule)
            found = _find(text, start, offset + len(rule), patterns, act_grams, residual) or \
                _find(text, offset, offset + len(rule), patterns, act_grams, residual)
            if found is not None and found[1] < start and _DENIED.search(text, offset, found[1]):
                # Named in the condition under a negation (「在发现不应当拘留的时候，必须立即释放」): the case the
                # statement is about, not a no to the act.
                found = None
            if found is not None:
                break
            offset += len(rule)
        if found is None:
            continue
        share, where = found
        score = share + 0.1 * overlap(asked.wording, text) - (0.2 if _EXCEPTION.match(text) else 0.0)
        if best is None or (score, -order) > (best[0], -best[1]):
            best = (score, order, Statement(text, score, True, p, i), where)
    if best is not None and penal and len(candidates) >= LIST_ITEMS and overlap(asked.wording, best[2].text) == 0:
        return None  # a list of offences, none of whose words the question uses: which one applies is not said
    return (best[2], best[3]) if best else None


_PROCEDURE = re.compile(r"(?:应当|必须|须)(?:事先|依法)?(?:征得|经|报经|取得|办理|经过)[^。；]{2,40}")


def _procedure(text: str, position: int) -> str:
    """The approval a 「…的，应当征得…同意」 statement requires of the act named before it, or ''."""
    start = consequence_start(text)
    if not start or position >= start:
        return ""
    found = _PROCEDURE.match(text, start)
    return found.group(0) if found else ""


_QUALIFIERS = re.compile(r"口头|书面|直接|随时|单方|立即|马上|全部|全额|双倍|三倍|十倍|两次|两回|再次|另案|一次性|提前|事后|一定|必然|"
                         r"还多|更多|多于|超过|超出|高于")
# Statute words for a qualifier, where they differ from the lay word.
_SYNONYM = {"两回": "两次|再次", "两次": "两次|再次", "马上": "立即|随时", "全额": "全部|全额", "双倍": "二倍|双倍",
            **dict.fromkeys(("还多", "更多", "多于", "超过", "超出", "高于"), "超出|超过|高于|多于")}
_REQUEST = re.compile(r"(?:可以|有权)(?:请求|要求)")
_EXCEPTION_TEXT = re.compile(r"但(?:是)?[^。]*?(?:除外[：:]?)(.*)$|但(?:是)?(.+?除外)")


def _states(question: str, exception: str) -> bool:
    """Whether the question's own words (two characters or more) fall in an exception's text."""
    grams = [g for g in bigrams(content(question)) if len(g) == 2]
    return sum(g in exception for g in grams) >= EXCEPTION_WORDS


def about_another(question: str, text: str) -> bool:
    """Whether a penal statement is about a special subject or object (军人, 幼女, 英雄烈士 …) the question does
    not mention."""
    special = _SPECIAL.search(text)
    return special is not None and special.group(0) not in question


def consequence_start(text: str) -> int:
    """Where the consequence of a 「…的，…」 statement begins (0 when it has no condition)."""
    cut = 0
    for m in re.finditer(r"(?:的|时|时候)[，,]", text):
        cut = m.end()
    return cut if cut < len(text) else 0


def _find(text: str, start: int, end: int, patterns: list[str], grams: frozenset[str],
          residual: frozenset[str] = frozenset()) -> tuple[float, int] | None:
    part = text[start:end]
    positions = [start + m.start() for law in patterns for m in [re.search(law, part)] if m]
    group_share = len(positions) / len(patterns) if patterns else 0.0
    hits = [g for g in grams if g in part]
    gram_share = len(hits) / len(grams) if grams else 0.0
    share = max(group_share, gram_share)
    # Each qualifier of the act, in the statute's words where they differ: all must be said in the statement.
    said = [re.search(_SYNONYM.get(q, re.escape(q)), part) for q in residual]
    if share < MIN_MATCH or None in said:
        return None
    where = min(positions) if positions and group_share >= gram_share else start + min(part.find(g) for g in hits)
    if said:
        # The qualifier is what the question turns on (「还多」 → 「不得超出」): the act is read where it is said.
        where = start + min(m.start() for m in said if m is not None)
    return share, where


def governing(text: str, position: int, modal: str) -> tuple[str | None, str]:
    """('pos' | 'neg', the operator) governing the act at `position`: the first operator of the 分句 it is
    named in, else the nearest before it, else one just after it; (None, '') when none does."""
    neg, pos = _OPERATORS.get(modal, _OPERATORS["may"])
    operator = re.compile(f"(?P<neg>{neg})|(?P<pos>{pos})")
    clause_start, clause_end = _clause(text, position, position, "，,；：")
    first = operator.search(text, clause_start, clause_end)
    if first is not None and first.start() > position + 1 and not _governs_subject(text, position, first.start()):
        return None, ""  # 「借款的利息不得预先扣除」: the act is the subject; the operator speaks of something else
    if first is None:
        before = [m for m in operator.finditer(text, 0, position)]
        first = before[-1] if before else None
    if first is None:
        return None, ""
    return ("neg" if first.group("neg") else "pos"), first.group(0)


def _governs_subject(text: str, position: int, operator: int) -> bool:
    """Whether an operator after the act still governs it: never — a court's answer to a claim is read by
    _STANCE; any other operator after the act speaks of what follows it."""
    return False  # an operator after the act governs what follows it (「利息不得预先扣除」), not the act


def _threshold(antecedent: str, question: str) -> str:
    """A threshold in the statement's condition that the question does not itself state, or ''."""
    for m in _THRESHOLD.finditer(antecedent):
        words = m.group(0).strip("，。； ")
        if words and words not in question:
            return words.removesuffix("的")
    return ""


def _workers_act(text: str, position: int) -> bool:
    """Whether the act at `position` is the worker's: its clause names no 用人单位 and the statement opens with
    劳动者 (「劳动者提前三十日…通知用人单位，可以解除劳动合同」, not 「劳动者有…的，用人单位可以解除…」)."""
    clause_start, _ = _clause(text, position, position, "，,；")
    return "用人单位" not in text[clause_start:position] and text.startswith("劳动者")


def _fault(antecedent: str, question: str) -> str:
    """The condition of fault, knowledge or cause in a statement's antecedent (故意, 明知, 由于…原因,
    已经按照约定…) that the question says nothing of, as its clause; or ''."""
    for m in _FAULT.finditer(antecedent):
        if bigrams(m.group(0)) & bigrams(question):
            continue
        start, end = _clause(antecedent, m.start(), m.end(), "，,")
        return strip_end(antecedent[start:end]).removesuffix("的")
    return ""


def _clause(text: str, start: int, end: int, marks: str) -> tuple[int, int]:
    """The 分句 of `text` holding text[start:end]: from after the last of `marks` before `start` to the first
    after `end` (or the end of the text)."""
    begin = max(text.rfind(c, 0, start) for c in marks) + 1
    ends = [i for i in (text.find(c, end) for c in marks) if i >= 0]
    return begin, min(ends) if ends else len(text)


def _word(asked: Asked, label: str, crime: bool) -> str:
    if label == "视情况":
        return "视情况"
    if crime:
        return "构成犯罪" if label == "可以" and asked.modal == "is" else (
            "一般不构成犯罪" if asked.modal == "is" else ("会" if label == "可以" else "一般不会"))
    if asked.modal == "valid":
        # Said as the state the article gives: asked 「是否无效」 and the article voids it → 无效.
        for good, bad in (("有效", "无效"), ("合法", "不合法")):
            if re.search(f"{good}|{bad}|违法" if good == "合法" else f"{good}|{bad}", asked.act):
                asks_bad = bool(re.search(r"无效|违法|不合法|不发生效力", asked.act))
                return bad if (label == "可以") == asks_bad else good
    yes, no = asked.words()
    return yes if label == "可以" else no

"""Routes open to a person, recognised from the articles themselves: penalty, remedy and procedure
patterns, and the law's kind and department. Nothing here is keyed on a particular question.

    处…拘留/罚款 in 治安管理处罚法          → 治安 (report to 公安机关)
    处…罚款/没收/吊销 in other laws         → 行政 (the 部门 named in the article)
    处…有期徒刑/拘役/管制                   → 刑事; 告诉的才处理 → 自诉, with its 但是…除外 → 公诉
    承担…责任 / 赔偿 / 停止侵害, 民法商法   → 民事 (人民法院)
    可以向…起诉/申请/报案/投诉              → 程序 (the body after 向)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from fawen.answer.text import sentences, strip_end
from fawen.models import Hit

ORDER = ("治安", "行政", "刑事", "民事", "程序")
# Who decides on each route when the article itself does not say.
DECIDERS = {"治安": "公安机关", "行政": "行政机关", "刑事": "人民法院", "民事": "人民法院", "程序": ""}

_CRIME = re.compile(r"处[^。；]*?(?:有期徒刑|拘役|管制|无期徒刑|死刑)")
_PUBLIC_ORDER = re.compile(r"处[^。；]*?(?:拘留|罚款|警告)")
_ADMIN = re.compile(r"(?:处|并处|给予)[^。；]{0,40}?(?:罚款|没收|吊销|责令停产停业|暂扣|警告|行政处罚|处分)")
_CIVIL = re.compile(r"(?:承担|负)[^。；]{0,20}?(?:民事责任|赔偿责任|侵权责任|连带责任|违约责任|补充责任|清偿责任|还款责任|"
                    r"偿还责任|保证责任|返还责任)"
                    r"|赔偿[^。；]{0,10}?损失|停止侵害|赔礼道歉|消除影响|恢复名誉|排除妨碍|返还财产|支付违约金"
                    r"|有权(?:请求|要求)|应当[^。；]{0,12}?支付|不得以[^。；]{0,20}?方式侵害|请求[^。；]{0,20}?(?:赔偿|承担)")
_PROCEDURE = re.compile(r"(?:可以|有权|应当)?向([^，。；、]{2,30}?)(提起诉讼|起诉|申请仲裁|申请复议|申请行政复议|报案|控告|"
                        r"举报|投诉|告诉|申请|提出)")
_PRIVATE = re.compile(r"告诉的才处理")
_EXCEPTION = re.compile(r"但是([^。；]*?)除外")
_DECIDER = re.compile(r"由((?:县级以上)?[^，。；、]{0,20}?(?:公安机关|人民法院|人民检察院|仲裁委员会|人民政府|"
                      r"主管部门|管理部门|行政部门|部门|机关|机构|委员会))")
_CONDITION = re.compile(r"(?:^|[，；])([^，；。]{2,40}?(?:的|时))[，；]")
_CRIMINAL_DEPARTMENTS = ("刑法",)


@dataclass
class RouteMatch:
    """One route found in one article: what it is, who decides, under which conditions."""

    key: str
    hit: Hit
    evidence: str                      # the sentence of the article that shows the route
    decider: str = ""
    conditions: list[str] = field(default_factory=list)
    private: bool = False              # 告诉的才处理: the victim brings the case (自诉)
    exception: str = ""                # 但是…除外: when the state prosecutes anyway
    action: str = ""                   # for 程序: the verb (起诉, 申请仲裁, 报案…)


def recognise(hit: Hit, department: str = "") -> list[RouteMatch]:
    """The routes one article opens, in ORDER; at most one match per route."""
    found: dict[str, RouteMatch] = {}
    parts = sentences(hit.text)
    text = hit.text
    for sentence in parts:
        if _CRIME.search(sentence) and "刑事" not in found:
            found["刑事"] = RouteMatch("刑事", hit, strip_end(sentence), DECIDERS["刑事"],
                                       _conditions(sentence))
        elif _PUBLIC_ORDER.search(sentence) and "治安管理处罚" in hit.law and "治安" not in found:
            found["治安"] = RouteMatch("治安", hit, strip_end(sentence), DECIDERS["治安"], _conditions(sentence))
        elif (_ADMIN.search(sentence) and hit.kind != "司法解释" and department not in _CRIMINAL_DEPARTMENTS
              and "治安管理处罚" not in hit.law and "行政" not in found):
            decider = _DECIDER.search(sentence) or _DECIDER.search(text)
            found["行政"] = RouteMatch("行政", hit, strip_end(sentence), decider.group(1) if decider else "",
                                       _conditions(sentence))
        if "民事" not in found and _CIVIL.search(sentence):
            found["民事"] = RouteMatch("民事", hit, strip_end(sentence), _civil_decider(text), _conditions(sentence))
        procedure = _PROCEDURE.search(sentence)
        if procedure and "程序" not in found and _is_body(procedure.group(1)):
            found["程序"] = RouteMatch("程序", hit, strip_end(sentence), procedure.group(1),
                                       _conditions(sentence), action=procedure.group(2))
    if "刑事" in found:
        crime = found["刑事"]
        crime.private = bool(_PRIVATE.search(text))
        exception = _EXCEPTION.search(text) if crime.private else None
        crime.exception = exception.group(1) if exception else ""
        # "被害人向人民法院告诉" is the private prosecution itself, not a separate route.
        if "程序" in found and found["程序"].action == "告诉":
            del found["程序"]
    return [found[k] for k in ORDER if k in found]


def _conditions(sentence: str) -> list[str]:
    """The 「…的」 clauses of a sentence: the conditions under which its consequence applies."""
    out = []
    for match in _CONDITION.finditer(sentence):
        clause = match.group(1).strip()
        if clause and not clause.startswith(("处", "并处", "可以并处")) and clause not in out:
            out.append(clause)
    return out


def _civil_decider(text: str) -> str:
    return "仲裁委员会" if "仲裁" in text else DECIDERS["民事"]


def _is_body(name: str) -> bool:
    """Whether the words after 向 name an authority (not 向他人, 向对方)."""
    return bool(re.search(r"公安|法院|检察院|仲裁|人民政府|部门|机关|机构|委员会|行政|劳动|工会|消费者协会", name))

"""The 摘要: two to four sentences that answer the question directly where the law does (可以 / 不可以 /
视情况), built from the sections' statements, every sentence ending with its citation."""

from __future__ import annotations

import re
from dataclasses import dataclass

from fawen.answer.routes import RouteMatch
from fawen.answer.text import cite_short, strip_end
from fawen.answer.thresholds import Threshold
from fawen.models import Hit

# 「可以报警吗」「能否起诉」「是否可以要求赔偿」: a question asking whether an action is open.
_ASKS = re.compile(r"(?:是否可以|可不可以|能不能|可以|能否|可否|能够|有权|能)([^，。？?！!吗嘛么呢]{1,12})")
_YES_NO = re.compile(r"吗|嘛|能否|可否|是否|能不能|可不可以|有没有|是不是|会不会|要不要|有权")
# Actions a person asks about, and the routes that open them.
_ACTION_ROUTES = (
    (re.compile(r"报警|报案|立案|抓|拘留|派出所|公安"), ("治安", "刑事", "程序")),
    (re.compile(r"起诉|告他|告她|告对方|打官司|诉讼|上诉|法院"), ("民事", "刑事", "程序")),
    (re.compile(r"赔偿|索赔|赔钱|精神损害|要求.*?赔"), ("民事",)),
    (re.compile(r"仲裁"), ("程序", "民事")),
    (re.compile(r"坐牢|判刑|犯罪|入刑|刑事责任|构成.*?罪"), ("刑事",)),
    (re.compile(r"罚款|处罚|投诉|举报"), ("治安", "行政", "程序")),
)
_CONDITIONAL = re.compile(r"情节(?:较重|严重|特别严重)|数额(?:较大|巨大)|但是|除外|经[^，]{1,10}同意|满[^，]{1,6}的")


@dataclass
class Claim:
    """A sentence of the summary and the hit it rests on."""

    text: str
    hit: Hit


def verdict(question: str, routes: list[RouteMatch], claims: list[Claim]) -> str:
    """可以 / 不可以 / 视情况 for a yes/no question, or '' when the question is not one or the law is silent."""
    if not _YES_NO.search(question):
        return ""
    asked = _ASKS.search(question)
    action = asked.group(1) if asked else question
    # An administrative penalty imposed by 公安机关 is as much a police matter as 治安.
    keys = {r.key for r in routes} | {"治安" for r in routes if "公安" in r.decider}
    for pattern, opened in _ACTION_ROUTES:
        if pattern.search(action) and keys.intersection(opened):
            # A route is open outright when nothing before its consequence (处…/可以…) limits it.
            direct = any(not _CONDITIONAL.search(_before_consequence(r.evidence)) for r in routes
                         if r.key in opened or ("治安" in opened and "公安" in r.decider))
            return "可以" if direct else "视情况"
    core = re.sub(r"[吗嘛么呢？?]", "", action)[:6]
    for claim in claims:
        if core and re.search(rf"(?:不得|禁止|不能|无权|不可以){re.escape(core[:2])}", claim.text):
            return "不可以"
    return ""


def _before_consequence(evidence: str) -> str:
    match = re.search(r"[，,](?:处|可以|应当|由|依法)", evidence)
    return evidence[:match.start()] if match else evidence


def summarize(question: str, routes: list[RouteMatch], statements: list[Claim],
              thresholds: list[Threshold]) -> str:
    """Two to four sentences: the verdict, then one sentence per route or article, each cited."""
    lines: list[str] = []
    answer = verdict(question, routes, statements)
    private = {r.hit.article_id: r for r in routes if r.key == "刑事" and r.private}
    by_target = {t.target: t for t in reversed(thresholds) if t.items}
    # One sentence per route (its first article), then articles that open no route.
    first_of_route: dict[str, int] = {}
    for r in routes:
        first_of_route.setdefault(r.key, r.hit.article_id)
    routed = {r.hit.article_id for r in routes}
    used: set[int] = set()
    for claim in statements:
        article_id = claim.hit.article_id
        if len(lines) >= 4 or article_id in used or (article_id in routed and
                                                      article_id not in first_of_route.values()):
            continue
        used.add(article_id)
        text = strip_end(claim.text)
        crime = private.get(claim.hit.article_id)
        if crime is not None:
            found = re.search(r"告诉的才处理(?:，但是[^。；]*?除外)?", crime.hit.text)
            if found and found.group(0) not in text:
                text += "；" + found.group(0)
        lead = f"依照{cite_short(claim.hit)}，" if not lines else f"{cite_short(claim.hit)}规定，"
        lines.append(f"{lead}{text}。")
        t = by_target.get(article_id)
        if t is not None and len(lines) < 4:
            lines.append(f"其中“{t.term}”包括{strip_end(t.items[0])}等情形（{cite_short(t.hit)}）。")
    if answer and lines:
        lines[0] = f"{answer}。" + lines[0]
    return "".join(lines[:4])

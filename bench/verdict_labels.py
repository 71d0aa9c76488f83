"""Verdict labels for STARD's yes/no questions, read from the first sentence of the lawyer's answer
(可以 / 不可以 / 视情况), for bench/answer.py. A question is labelled only when it asks yes or no and the first
sentence says so plainly; the rest stay unlabelled and are counted.

    .venv/bin/python bench/verdict_labels.py [--sample 50] [--seed 0]

prints the counts and a random sample of labels with the sentence they were read from, for checking by hand.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("FAWEN_SHARED_DATA") or REPO.parent / "shared" / "data") / "stard" / "dev.jsonl"

# A yes/no question: a particle at the end of its last clause, or an A-not-A / 能否 / 是否 form, and it does not
# ask for an amount, a list or a way (多少, 哪些, 如何 …).
_YES_NO = re.compile(r"(?:吗|嘛|么)[？?！!。\s]*$|能否|可否|是否|有无|有没有|[能可会算是要有该用行对需合]不[能可会算是要有该用行对需合]")
_OTHER_KIND = re.compile(r"多少|多久|哪些|哪个|什么|如何|怎么|怎样|谁")
_GREETING = re.compile(r"^(?:\ufeff)?(?:您好|你好|律师解答|答)[，,！!：:。\s]*")
_NUMBERING = re.compile(r"^(?:[0-9一二三四五六七八九十]+[、.．)]|[（(][0-9一二三四五六七八九十]+[）)])\s*")
_DEPENDS = re.compile(r"有可能|可能会|可能构成|争议|视情况|分情况|看情况|要看|需要看|需看|取决于|不一定|未必|具体情况|需结合|需要结合|应当结合|应结合|"
                      r"区分|分为两种|分两种|两种|因案而异|并非绝对|要根据|应当综合|综合考虑|争论|不同观点|两种观点")
# A first sentence that ends on the court's answer to the claim it restates (「…主张权利的，人民法院不予支持」).
_STANCE = re.compile(r"(?:(?P<neg>不予支持|不予受理|难以得到[^，。]{0,8}支持)|(?P<pos>应予支持|予以支持|应当受理))$")
_STRONG_NEG = re.compile(r"不予支持|不予|不能|不可以|不会|不属于|不构成|不是|无权|难以|并非|不得|不承担|不具有|无需|无须|不需要|"
                         r"不必|不影响|不成立|无效|没有")
_NO_START = re.compile(r"^(?:不|否|没有|无效|无权|无需|无须|并非|并不|并没有|非)")
_YES_START = re.compile(r"^(?:可以|能|会|是|属于|构成|有效|应当|应|需要|须|必须|要|有权|有|享有|合法|承担)")
_NEG = re.compile(r"不能|不可以|不可|不会|不属于|不构成|不是|无效|无权|不需要|无需|无须|不用|不应当|不应|不承担|不享有|"
                  r"不予支持|不予|不具有|不得|不影响|不必|没有|并非|不受|不适用|不成立|不合法|违法")
_POS = re.compile(r"可以|能够|有权|应当|应|需要|须|属于|构成|有效|合法|享有|承担|会|是")


def is_yes_no(question: str) -> bool:
    """Whether a question asks yes or no (its last clause has the marker and asks for nothing else)."""
    clauses = [c for c in re.split(r"[，,。？?！!；;/]", question.strip()) if c.strip()]
    asking = [c for c in clauses if _YES_NO.search(c + ("？" if question.rstrip().endswith(("？", "?")) else ""))]
    return bool(asking) and not _OTHER_KIND.search(asking[-1])


def first_sentence(answer: str) -> str:
    """The lawyer's first sentence, without greeting or numbering."""
    text = _GREETING.sub("", answer.strip())
    for piece in re.split(r"[。！!；;\n]", text):
        piece = _NUMBERING.sub("", _GREETING.sub("", piece.strip()))
        if len(piece) >= 2:
            return piece
    return ""


_MODAL = re.compile(r"^(?:请问)?(?:是否|能否|可否|能不能|可不可以|会不会|算不算|是不是|要不要|需不需要|有没有|可以|能够|能|会|"
                    r"需要|应当|应该|必须|要|有权)")
_CLAUSE_NEG = re.compile(r"不|无|没有|并非|未|非")


def _act(question: str) -> str:
    """The asking clause of a question without its particle: what a first sentence restates."""
    clauses = [c for c in re.split(r"[，,。？?！!；;/]", question.strip()) if c.strip()]
    clause = re.sub(r"(?:吗|嘛|么|呢)$", "", clauses[-1].strip()) if clauses else ""
    found = re.search(r"(?:是否|能否|可否|能不能|可不可以|会不会|算不算|是不是|要不要|需不需要|有没有)", clause)
    return clause[found.end():] if found else clause


def _restated(act: str, sentence: str) -> tuple[int, int] | None:
    """The longest run (3+ characters) of the act that the sentence repeats, as (start in sentence, length)."""
    best: tuple[int, int] | None = None
    for i in range(len(act)):
        for j in range(len(act), i + 2, -1):
            at = sentence.find(act[i:j])
            if at >= 0:
                if best is None or j - i > best[1]:
                    best = (at, j - i)
                break
    return best


def label(question: str, answer: str) -> str | None:
    """可以 / 不可以 / 视情况 from the first sentence of the answer, or None when it does not say plainly.

    Only single questions are labelled (several questions in one are left out). The first sentence must open
    with a verdict (可以 / 不能 / 属于 / 不构成 …) or restate the asked act, with or without a negation
    right before it; a sentence that says it depends (视情况, 要看, 取决于 …) is 视情况.
    """
    if not is_yes_no(question) or not answer or len(re.findall(r"[？?]|/", question.strip().rstrip("？?"))) > 0:
        return None
    sentence = first_sentence(answer)
    if not sentence:
        return None
    head = sentence.split("，")[0]
    depends = _DEPENDS.search(sentence[:30])
    if depends and depends.group(0) not in question or "一概而论" in sentence:
        return "视情况"
    if re.match(r"^(?:不可以|不能|不会|不属于|不构成|不是|不需要|无需|无须|不应当?|无权|无效|否|不合法|没有)", head):
        return "不可以"
    if re.match(r"^(?:可以|能|会|是的|属于|构成|有效|需要|应当|有权|合法|要)", head) and not head.startswith("能否"):
        return "可以"
    act = _MODAL.sub("", _act(question))
    if len(act) < 3:
        return None
    stance = _STANCE.search(sentence)
    head, tail = _restated(act[:4], sentence), _restated(act[-4:], sentence)
    # The first sentence must restate the act from its first words to its predicate.
    if head is None or tail is None or head[0] > tail[0] or act[:2] not in sentence or act[-2:] not in sentence:
        return None
    start, end = head[0], tail[0] + tail[1]
    if re.search(r"如果|若|除非|但", sentence[:start]):
        return None
    if stance is not None and stance.start() > end:
        return "不可以" if stance.group("neg") else "可以"
    clause_start = max(sentence.rfind(c, 0, start) for c in "，,；：") + 1
    clause_end = min([i for i in (sentence.find(c, end) for c in "，,；：") if i >= 0] or [len(sentence)])
    span = sentence[start:end]
    # Negations the question itself uses (无效, 非本集体) say nothing about the answer; two negations cancel.
    clause = sentence[clause_start:start] + " " + sentence[end:clause_end]
    strong = [m for m in _STRONG_NEG.finditer(clause + " " + span) if m.group(0) not in question]
    weak = [m for m in _CLAUSE_NEG.finditer(clause + " " + span)
            if (clause + " " + span)[m.start():m.start() + 2] not in question]
    if len(strong) > 1 or (strong and re.search(r"才|只有", clause)):
        return None
    return "不可以" if strong or weak else "可以"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=50)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rows = [json.loads(line) for line in DATA.open(encoding="utf-8")]
    yes_no = [r for r in rows if is_yes_no(r["question"])]
    labelled = [(r, label(r["question"], r.get("answer") or "")) for r in yes_no]
    counts = Counter(v for _, v in labelled)
    done = sum(v is not None for _, v in labelled)
    print(f"STARD dev: {len(rows)} questions, {len(yes_no)} yes/no, labelled {done}: "
          + ", ".join(f"{k} {counts[k]}" for k in ("可以", "不可以", "视情况")) + f", unlabelled {counts[None]}")
    sample = random.Random(args.seed).sample([x for x in labelled if x[1]], args.sample)
    for r, v in sample:
        print(f"{r['query_id']}\t{v}\t{r['question']}\t{first_sentence(r['answer'])[:90]}")


if __name__ == "__main__":
    sys.exit(main())

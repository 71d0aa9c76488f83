"""Lay questions paired with the articles a lawyer cited, beyond STARD: LawBench 3-8 and DISC-Law-Eval.

    FAWEN_HOME=… .venv/bin/python -m learn.pairs [--shared ../shared/data]   # counts what resolves

STARD's 1,000 questions cover some areas densely and others (治安, 工伤, 物业 …) hardly or not at all, so
what is learned from them alone (the priors, the lay wording of articles, the weights) pulls every question
towards STARD's favourite laws. Two more sources pair real lay questions with cited articles:
- LawBench 3-8 (consultations from 66law.cn, a lawyer's answer ending in 「法律依据:《X》第N条 <text> 第M条
  <text>」);
- DISC-Law-Eval's short questions (≤ DISC_MAX_CHARS; longer inputs are case files) whose reference answer
  cites 《X》第N条 with its text.
Citations there may be outdated (合同法, 婚姻法, a law's old numbering): an article counts only when the
text quoted after it matches an article of the law (learn.retrieval.resolve_gold: `same` or `renumbered`),
never by its number alone. The everyday sets are test sets: nothing is read from them.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

from fawen.corpus.store import Corpus
from learn.retrieval import Gold, Pair, resolve_gold

DISC_MAX_CHARS = 150
MIN_QUOTE = 12  # characters of quoted article text needed to check a citation by its text
EXTRA_ID = 1_000_000  # query ids of the extra pairs start here (STARD's are small and split by id % 3)
_NUM = "零〇一二三四五六七八九十百千两0-9０-９"
# 《law》 or a bare 第N条 that starts a quoted article (after 》, a sentence end, a tag or the start).
_CITE = re.compile(rf"《(?P<law>[^》]{{2,40}})》|(?:(?<=[》。；;：:>\s])|^)第(?P<n>[{_NUM}]+)条(?:之(?P<s>[一二三四五六七八九十]+))?")
_STOP = re.compile(r"律师解答|相关知识|延伸阅读|以上就是")
_TAG = re.compile(r"<[^>]{0,20}>")


def citations(answer: str) -> list[tuple[str, str, str]]:
    """(law, '第N条' or '第N条之M', the text quoted after it) for each article an answer quotes, in order."""
    text = _TAG.sub(" ", answer)
    stop = _STOP.search(text)
    text = text[:stop.start()] if stop else text
    out: list[tuple[str, str, str]] = []
    law = ""
    heads = list(_CITE.finditer(text))
    for i, match in enumerate(heads):
        if match["law"]:
            law = match["law"]
            continue
        if not law:
            continue
        end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        label = f"第{match['n']}条" + (f"之{match['s']}" if match["s"] else "")
        out.append((law, label, text[match.end():end].strip(" ，,：:【】")))
    return out


def _resolved(corpus: Corpus, cited: list[tuple[str, str, str]], as_of: str) -> list[Gold]:
    gold: list[Gold] = []
    seen: set[int] = set()
    for law, label, quote in cited:
        if len(quote) < MIN_QUOTE:
            continue
        found = resolve_gold(corpus, law + label, quote, as_of)
        if found.article is not None and found.how in ("same", "renumbered") and found.article.id not in seen:
            seen.add(found.article.id)
            gold.append(found)
    return gold


def read_extra(shared: Path, corpus: Corpus, as_of: str) -> list[Pair]:
    """The extra pairs whose cited articles resolve by their text (query ids from EXTRA_ID)."""
    rows: list[tuple[str, str]] = []
    consult = shared / "lawbench" / "zero_shot" / "3-8.json"
    if consult.is_file():
        rows += [(str(r["question"]), str(r["answer"])) for r in json.loads(consult.read_text("utf-8"))]
    disc = shared / "disc-law-eval" / "qa_short_answer.json"
    if disc.is_file():
        rows += [(str(r["input"]), str(r["output"])) for r in json.loads(disc.read_text("utf-8"))
                 if len(str(r["input"])) <= DISC_MAX_CHARS]
    pairs = []
    for i, (question, answer) in enumerate(rows):
        gold = _resolved(corpus, citations(answer), as_of)
        if gold and question.strip():
            pairs.append(Pair(EXTRA_ID + i, question.strip(), gold))
    return pairs


def main(argv: list[str] | None = None) -> int:
    from fawen import service
    from fawen.config import get
    from fawen.dates import as_of as parse_as_of

    repo = Path(__file__).resolve().parents[1]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path(get("SHARED_DATA") or repo.parent / "shared" / "data"))
    args = parser.parse_args(argv)
    corpus = service.library().corpus
    pairs = read_extra(args.shared, corpus, parse_as_of(None))
    if not pairs:
        print(f"no pairs under {args.shared} (set FAWEN_SHARED_DATA)", file=sys.stderr)
        return 2
    laws = Counter(corpus.laws[g.article.law_id].title for p in pairs for g in p.gold if g.article is not None)
    print(f"{len(pairs)} questions, {sum(len(p.gold) for p in pairs)} cited articles resolved by text; "
          f"laws most cited: {', '.join(f'{t} {c}' for t, c in laws.most_common(12))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

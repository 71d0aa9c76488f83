"""Mine the lay→legal lexicon (fawen/retrieve/concepts.json) from question/answer pairs and the corpus.

    FAWEN_HOME=… .venv/bin/python -m learn.lexicon [--shared ../shared/data] [--out PATH]

Where the words come from:
- legal terms: what the corpus itself names — terms articles define (本法所称X，是指), 罪名 (the 确定罪名 tables
  of the 司法解释), the words of headings (第X章 …), and the words statutes use often (jieba with the
  index's legal dictionary, in ≥ LEGAL_MIN_DF articles);
- lay words → legal terms: pairs of a lay question and the legal text that answers it — STARD dev's
  query_id % 3 == 1 part (question → gold article texts and the lawyer's answer; never the % 3 == 2 part,
  which bench/retrieval.py holds out, nor the hidden % 3 == 0 part), LawBench 3-8 (consultations → the
  lawyer's answer with its cited articles) and 3-2 (scenes → answers), DISC-Law-Eval's short questions
  (→ reference answers). A legal term the question does not use is tied to a question word when they occur
  together in at least MIN_PAIRS pairs and far more often than chance (lift ≥ MIN_LIFT); best PER_WORD.
The everyday set (bench/data/everyday.jsonl) is a test set: nothing is mined from it.
- pinyin of every legal term (toneless, pypinyin), for misspellings that sound the same (赔尝 → 赔偿).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

from pypinyin import lazy_pinyin

from fawen.library import Library
from fawen.models import DEFAULT_KINDS
from fawen.retrieve import terms
from fawen.retrieve.concepts import CONCEPTS_FILE
from fawen.retrieve.search import allowed

LEGAL_MIN_DF = 5
MIN_PAIRS, MIN_LIFT, MIN_SHARE, PER_WORD = 3, 4.0, 0.25, 3
MAX_LAY_SHARE = 0.05  # a question word in more pairs than this is too common to tie to anything
MAX_LEGAL_SHARE = 0.01  # a legal term in more of the statutes than this (情节, 行为人) points nowhere
LAY_TAGS = ("n", "v", "vn", "nz", "ng", "vg", "an")  # jieba's parts of speech a lay word may be: things, acts
_NUMBERED = re.compile(r"[0-9零〇一二三四五六七八九十百千两]|条|款|项")
_LAW_NAME = re.compile(r"(法|典|条例|规定|解释)$")  # a law's name: the named-law feature handles those
DISC_MAX_CHARS = 150  # longer DISC inputs are case files, not lay questions
_CHARGE = re.compile(r"([\u4e00-\u9fff]{2,16}罪)")
_WORD = re.compile(r"[\u4e00-\u9fff]{2,6}")


def legal_terms(lib: Library, as_of: str) -> Counter[str]:
    """Words of the statutes searched by default (content words of ≥ 2 characters), by document frequency,
    with the index's dictionary terms (defined terms, heading words, short law names) and 罪名."""
    mask, _ = allowed(lib.index, lib.corpus, as_of, DEFAULT_KINDS)
    wanted = set(lib.index.article_id[mask].tolist())
    df: Counter[str] = Counter()
    for row in lib.corpus.index_rows():
        if int(row[0]) in wanted:
            text = str(row[6])
            df.update({w for w in lib.index.cutter.words(text) if _WORD.fullmatch(w)})
            df.update(set(_CHARGE.findall(text)))
    return df


def read_pairs(shared: Path, lib: Library, as_of: str) -> list[tuple[str, str]]:
    """(lay question, legal text answering it) from the sources named in the module docstring."""
    from learn.retrieval import read_pairs as stard_pairs

    out: list[tuple[str, str]] = []
    stard = shared / "stard" / "dev.jsonl"
    if stard.is_file():
        answers = {}
        with stard.open(encoding="utf-8") as f:
            for line in f:
                row = json.loads(line)
                answers[int(row["query_id"])] = str(row.get("answer") or "")
        for pair in stard_pairs(stard, lib.corpus, as_of):
            if pair.query_id % 3 == 1:
                gold = " ".join(g.article.text for g in pair.gold if g.article is not None)
                out.append((pair.question, gold + " " + answers.get(pair.query_id, "")))
    for task in ("3-8", "3-2"):
        path = shared / "lawbench" / "zero_shot" / f"{task}.json"
        if path.is_file():
            out.extend((str(r["question"]), str(r["answer"])) for r in json.loads(path.read_text("utf-8")))
    disc = shared / "disc-law-eval" / "qa_short_answer.json"
    if disc.is_file():
        out.extend((str(r["input"]), str(r["output"])) for r in json.loads(disc.read_text("utf-8"))
                   if len(str(r["input"])) <= DISC_MAX_CHARS)
    return out


def lay_words(questions: list[str]) -> set[str]:
    """The question words that may be lay words: nouns and verbs (jieba's tags), not names or numbers."""
    import jieba.posseg

    out: set[str] = set()
    for question in questions:
        for token in jieba.posseg.lcut(terms.query_text(question, 10_000)):
            if token.flag in LAY_TAGS and len(token.word) >= 2 and not _NUMBERED.search(token.word):
                out.add(token.word)
    return out


def mine(pairs: list[tuple[str, str]], legal: Counter[str], cutter: terms.WordCutter, articles: int
         ) -> dict[str, list[tuple[str, int, float]]]:
    """lay word → [(legal term, pairs together, lift)], the strongest first."""
    allowed_lay = lay_words([q for q, _ in pairs])
    pointed = {t for t, df in legal.items()
               if LEGAL_MIN_DF <= df <= MAX_LEGAL_SHARE * articles and not _NUMBERED.search(t)
               and not _LAW_NAME.search(t)}
    lay_count: Counter[str] = Counter()
    legal_count: Counter[str] = Counter()
    joint: Counter[tuple[str, str]] = Counter()
    for question, answer in pairs:
        q_words = set(cutter.words(terms.query_text(question, 10_000))) & allowed_lay
        a_words = {w for w in cutter.words(terms.query_text(answer, 20_000)) if w in pointed}
        a_words |= {c for c in _CHARGE.findall(answer) if legal.get(c, 0)}
        a_words -= q_words
        lay_count.update(q_words)
        legal_count.update(a_words)
        joint.update((q, a) for q in q_words for a in a_words if a not in q and q not in a)
    n = len(pairs)
    found: dict[str, list[tuple[str, int, float]]] = {}
    for (lay, term), together in joint.items():
        if together < MIN_PAIRS or lay_count[lay] > MAX_LAY_SHARE * n:
            continue
        lift = together * n / (lay_count[lay] * legal_count[term])
        if lift >= MIN_LIFT and together / lay_count[lay] >= MIN_SHARE:
            found.setdefault(lay, []).append((term, together, round(lift, 2)))
    return {lay: sorted(ts, key=lambda t: (-t[1] * t[2], t[0]))[:PER_WORD] for lay, ts in sorted(found.items())}


def pinyin_key(term: str) -> str:
    return " ".join(lazy_pinyin(term))


def main(argv: list[str] | None = None) -> int:
    from fawen import service
    from fawen.config import get
    from fawen.dates import as_of as parse_as_of

    repo = Path(__file__).resolve().parents[1]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path(get("SHARED_DATA") or repo.parent / "shared" / "data"))
    parser.add_argument("--out", type=Path, default=CONCEPTS_FILE)
    parser.add_argument("--as-of", default=None)
    args = parser.parse_args(argv)
    lib = service.library()
    date = parse_as_of(args.as_of)
    legal = legal_terms(lib, date)
    pairs = read_pairs(args.shared, lib, date)
    if not pairs:
        print(f"no question/answer pairs under {args.shared} (set FAWEN_SHARED_DATA)", file=sys.stderr)
        return 2
    mask, _ = allowed(lib.index, lib.corpus, date, DEFAULT_KINDS)
    lay = mine(pairs, legal, lib.index.cutter, int(mask.sum()))
    vocabulary = sorted(t for t, df in legal.items() if df >= LEGAL_MIN_DF and 2 <= len(t) <= 6)
    data = {"about": "generated by `python -m learn.lexicon`; see learn/lexicon.py for the sources and rules",
            "pairs": len(pairs), "corpus": str(lib.corpus.path.parent.name),
            "lay": {w: [[t, c, lift] for t, c, lift in ts] for w, ts in lay.items()},
            "terms": {t: pinyin_key(t) for t in vocabulary}}
    args.out.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: {len(lay)} lay words from {len(pairs)} pairs, {len(vocabulary)} legal terms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

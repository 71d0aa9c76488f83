"""Answer-page benchmark on STARD dev and on the everyday sets (bench/data/everyday.jsonl and the held-out
bench/data/everyday_b.jsonl that nobody tunes on; each a row named after its file): verdicts, the basis,
the shape of the page and latency. `--dedup` instead measures the near-duplicate threshold of the Q&A store.

    verdict      on yes/no questions with a label (STARD: read from the lawyer's first sentence by
                 bench/verdict_labels.py; everyday: its `verdict`): how many got one, how many of those match
                 the label, how many say the opposite (可以 against 不可以), and how many the cited clause
                 itself contradicts (its words read on their own: a 可以 resting on a clause with 不得/不予 …
                 and no 可以/应当, or a 不可以 resting on one without any negation — except a 不需要 to
                 「要我全赔吗」 resting on 「减轻…责任」, which is the reduced share)
    basis        decisive-first (a gold article is the first basis article; everyday: also the key article),
                 precision and recall against the gold articles that resolve in the corpus
    page         pages with a repeated heading, a repeated sentence (summary, sections, steps; citations left
                 out) or a repeated lead-in, headings that are chapter names, 摘要 length, pages with steps
    latency      `Fawen.ask` in-process, p50 and p90 (after one warm-up question)

Usage: FAWEN_HOME=... .venv/bin/python bench/answer.py [--set stard|everyday|both] [--limit N] [--audit]
                                                          [--pages DIR] [--dedup] [--everyday PATH ...]
(STARD dev has no held-out questions (query_id % 3 == 0): its rows are shown in two halves, id%3=1 and id%3=2.)
`--pages DIR` writes each page as Markdown for reading; `--audit` also runs `fawen check` over each page.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench import verdict_labels  # noqa: E402
from bench.everyday import SETS as EVERYDAY_SETS, EverydayError, EverydayQuestion, load_sets  # noqa: E402
from fawen import service  # noqa: E402
from fawen.answer.render import render_markdown  # noqa: E402
from fawen.errors import FawenError  # noqa: E402
from fawen.models import Answer, Hit  # noqa: E402
from fawen.text.labels import parse_article_ref  # noqa: E402

DATA = Path(os.environ.get("FAWEN_SHARED_DATA") or REPO.parent / "shared" / "data") / "stard" / "dev.jsonl"
_GOLD = re.compile(r"^(?P<law>.+?)(?P<art>第[零一二三四五六七八九十百千0-9]+条(?:之[一二三四五六七八九十]+)?)$")
_NEG = re.compile(r"不得|禁止|严禁|不能|不可以|无权|不予|不应|不承担|不负|不属于|不构成|不视为|不认定|不执行|免除|免予|"
                  r"无须|无需|不需要|不必|不适用|不享有|无效|不影响|不发生效力|不认为是犯罪|不以[^。；]{0,10}论处")
_POS = re.compile(r"可以|有权|应当|必须|须|享有|属于|构成|视为|视同|认定为|承担|负责|应予支持|予以支持|处[^。；]{0,30}?(?:拘留|罚款|有期徒刑|拘役)")
_CITATION = re.compile(r"（《[^》]+》第[^）]+条[^）]*）")
_CHAPTER = re.compile(r"^第[一二三四五六七八九十百]+[编章节]|^[一二三四五六七八九十]+、|^(?:总则|一般规定|附则|分则)$")
LABELS = ("可以", "不可以", "视情况")


class Row:
    """One question of either set, with what the benchmark compares against."""

    def __init__(self, source: str, qid: str, question: str, gold: list[tuple[str, str]],
                 key: tuple[str, str] | None, verdict: str | None) -> None:
        self.source, self.qid, self.question = source, qid, question
        self.gold, self.key, self.verdict = gold, key, verdict


def stard_rows() -> list[Row]:
    rows = []
    for line in DATA.open(encoding="utf-8"):
        r = json.loads(line)
        gold = [(m["law"], m["art"]) for m in (_GOLD.match(g["name"].strip()) for g in r["gold"]) if m]
        rows.append(Row("stard", str(r["query_id"]), r["question"], gold, None,
                        verdict_labels.label(r["question"], r.get("answer") or "")))
    return rows


def everyday_rows(name: str, questions: list[EverydayQuestion]) -> list[Row]:
    return [Row(name, q.id, q.question, [(g.law, g.article) for g in q.gold], (q.key.law, q.key.article),
                q.verdict) for q in questions]


def resolve(pairs: list[tuple[str, str]]) -> tuple[set[tuple[int, int, int]], int]:
    """(law_id, number, suffix) of the gold articles that resolve in the corpus, and how many do not."""
    corpus = service.library().corpus
    keys: set[tuple[int, int, int]] = set()
    missing = 0
    for law, art in pairs:
        laws = corpus.resolve_law(law)
        if len(laws) != 1:
            missing += 1
            continue
        ref = parse_article_ref(art)
        keys.add((laws[0].id, ref.number, ref.suffix))
    return keys, missing


def key_of(hit: Hit) -> tuple[int, int, int]:
    return (hit.law_id, hit.number, hit.suffix)


def page_sentences(answer: Answer) -> list[str]:
    """The sentences the page composes (summary, section lines, steps), citations and punctuation left out."""
    text = "\n".join([answer.summary] + [s.body for s in answer.sections]
                     + [f"{s['text']}" for s in getattr(answer, "steps", [])])
    out = []
    for piece in re.split(r"[。；\n]", _CITATION.sub("", text)):
        words = "".join(ch for ch in piece if ch.isalnum())
        if len(words) >= 8:
            out.append(words)
    return out


def repeated_lead_in(answer: Answer) -> bool:
    """Lines citing the same article that open with the same clause (「订立某合同时，某方应当告知下列事项：…」
    once per item), anywhere on the page."""
    seen: set[tuple[str, str]] = set()
    for line in (line for section in answer.sections for line in section.body.splitlines()):
        citation = _CITATION.search(line)
        lead = re.split(r"[，：]", line, maxsplit=1)[0]
        if citation is None or len(lead) < 6:
            continue
        if (citation.group(0), lead) in seen:
            return True
        seen.add((citation.group(0), lead))
    return False


def contradicted(answer: Answer) -> bool:
    """Whether the clause the verdict rests on, read on its own words, says the opposite of the verdict."""
    verdict = getattr(answer, "verdict", None)
    if not verdict or verdict["label"] == "视情况":
        return False
    clause = verdict.get("clause", "")
    negative, positive = bool(_NEG.search(clause)), bool(_POS.search(clause))
    negated_question = bool(re.search(r"不(?:交|还|给|退|管|赔|付|搬)|拒|一分不|无效|违法|不合法|影响", answer.question))
    if negated_question:
        # 「能不交吗」「是否无效」「影响…吗」: the question asks about a negative; the words alone cannot be read
        # against the verdict
        return False
    if verdict["label"] == "可以":
        return negative and not positive
    if re.search(r"全赔|全部|全额|都", answer.question) and re.search(r"减轻|部分|相应的|不超过", clause):
        return False  # 「要我全赔吗」 answered 不需要 by 「应当减轻其赔偿责任」: a reduced share is the no
    return not negative


def run(rows: list[Row], audit: bool, pages: Path | None) -> dict[str, Any]:
    m: dict[str, list[float]] = {k: [] for k in ("recall", "precision", "first", "key_first", "latency", "summary",
                                                  "clean", "steps", "basis")}
    c: Counter[str] = Counter()
    for row in rows:
        gold, missing = resolve(row.gold)
        c["unresolved"] += missing
        c["gold"] += len(row.gold)
        started = time.perf_counter()
        answer = service.ask(row.question)
        m["latency"].append((time.perf_counter() - started) * 1000)
        if gold:
            got = {key_of(h) for h in answer.basis}
            m["recall"].append(len(got & gold) / len(gold))
            m["precision"].append(len(got & gold) / len(got) if got else 0.0)
            m["first"].append(1.0 if answer.basis and key_of(answer.basis[0]) in gold else 0.0)
        if row.key is not None:
            key, _ = resolve([row.key])
            if key:
                m["key_first"].append(1.0 if answer.basis and key_of(answer.basis[0]) in key else 0.0)
        m["summary"].append(len(answer.summary))
        m["basis"].append(len(answer.basis))
        verdict, steps = getattr(answer, "verdict", None), getattr(answer, "steps", [])  # older pages lack them
        m["steps"].append(1.0 if steps else 0.0)
        titles = [s.title for s in answer.sections]
        c["pages"] += 1
        c["repeated_heading"] += len(titles) != len(set(titles))
        sentences = page_sentences(answer)
        c["repeated_sentence"] += len(sentences) != len(set(sentences))
        c["repeated_lead_in"] += repeated_lead_in(answer)
        c["chapter_heading"] += any(_CHAPTER.search(t) for t in titles)
        c["empty"] += not answer.basis
        if verdict:
            c["verdicts"] += 1
            c["contradicted"] += contradicted(answer)
        if row.verdict is not None:
            c["labelled"] += 1
            given = verdict["label"] if verdict else None
            if given is not None:
                c["answered"] += 1
                c["correct"] += given == row.verdict
                c["opposite"] += {given, row.verdict} == {"可以", "不可以"}
        if audit and answer.basis:
            text = "\n".join([answer.summary] + [f"{s.title}\n{s.body}" for s in answer.sections]
                             + [f"{s['title']}：{s['text']}（{s['citation']}）。" for s in steps])
            report = service.check(text, question=row.question, as_of=answer.as_of)
            m["clean"].append(0.0 if any(x.findings for x in report.citations) else 1.0)
        if pages is not None:
            (pages / f"{row.source}-{row.qid}.md").write_text(render_markdown(answer), encoding="utf-8")
    lat = sorted(m["latency"])
    return {"n": len(rows), **c, "recall": _mean(m["recall"]), "precision": _mean(m["precision"]),
            "first": _mean(m["first"]), "key_first": _mean(m["key_first"]), "summary": _mean(m["summary"]),
            "summary_max": max(m["summary"]), "steps": _mean(m["steps"]), "basis": _mean(m["basis"]),
            "clean": _mean(m["clean"]), "p50": lat[len(lat) // 2], "p90": lat[int(len(lat) * 0.9)]}


def _mean(values: list[float]) -> float:
    return statistics.mean(values) if values else float("nan")


def table(results: dict[str, dict[str, Any]]) -> None:
    print("| set | n | labelled | verdicts on labelled | accuracy (of given) | opposite | contradicted by the cited "
          "clause | decisive-first | key-first | basis P | basis R | articles/page |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for name, r in results.items():
        labelled, answered = r.get("labelled", 0), r.get("answered", 0)
        accuracy = r.get("correct", 0) / answered if answered else float("nan")
        print(f"| {name} | {r['n']} | {labelled} | {answered} ({answered / labelled if labelled else 0:.0%}) | "
              f"{accuracy:.3f} | {r.get('opposite', 0)} | {r.get('contradicted', 0)} of {r.get('verdicts', 0)} | "
              f"{r['first']:.3f} | {r['key_first']:.3f} | {r['precision']:.3f} | {r['recall']:.3f} | "
              f"{r['basis']:.2f} |")
    print()
    print("| set | repeated heading | repeated sentence | repeated lead-in | chapter headings | 摘要 chars mean / max "
          "| pages with steps | empty pages | zero findings | p50 ms | p90 ms |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for name, r in results.items():
        print(f"| {name} | {r.get('repeated_heading', 0)} | {r.get('repeated_sentence', 0)} | "
              f"{r.get('repeated_lead_in', 0)} | {r.get('chapter_heading', 0)} | {r['summary']:.0f} / "
              f"{r['summary_max']} | {r['steps']:.1%} | {r.get('empty', 0)} | {r['clean']:.1%} | {r['p50']:.1f} | "
              f"{r['p90']:.1f} |")
    for name, r in results.items():
        print(f"{name}: {r.get('unresolved', 0)} of {r.get('gold', 0)} gold articles do not resolve in the corpus "
              f"(left out of precision and recall)")


# --- near-duplicate threshold ---------------------------------------------------------------------
def rewordings(question: str, rng: random.Random) -> str:
    """A rewording a person or a site might produce: particles, punctuation, greetings, script, filler."""
    import opencc

    s2t = opencc.OpenCC("s2t")
    ops = [
        lambda q: re.sub(r"吗？?$", "嘛？", q) if re.search(r"吗？?$", q) else q.rstrip("？?") + "呢？",
        lambda q: "请问" + q, lambda q: "律师您好，" + q, lambda q: q.replace("？", "?"),
        s2t.convert, lambda q: q.replace("，", " "), lambda q: q + "？？", lambda q: q.replace("的", "", 1),
        lambda q: "我想问一下" + q, lambda q: q.replace("什么", "啥"), lambda q: q.replace("是否", "是不是"),
    ]
    for op in rng.sample(ops, rng.randint(1, 3)):
        question = op(question)
    return question


def dedup_table(questions: list[str]) -> None:
    from fawen.qa import dedup

    rng = random.Random(0)
    positives = [(q, rewordings(q, rng)) for q in questions]
    # Hard negatives: each question against its most similar other question.
    sets = [dedup.shingles(dedup.question_key(q)) for q in questions]
    negatives = []
    for i, a in enumerate(sets):
        best = max((len(a & b) / len(a | b) if a | b else 0.0, j) for j, b in enumerate(sets) if j != i)
        negatives.append((questions[i], questions[best[1]]))
    sig = {q: dedup.minhash(q) for pair in positives + negatives for q in pair}
    print("| threshold | reworded pairs merged (recall) | nearest distinct pairs merged (false merges) | F1 |")
    print("|---|---|---|---|")
    for t in (0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9):
        def same(a: str, b: str, t: float = t) -> bool:
            return dedup.question_key(a) == dedup.question_key(b) or sig[a].jaccard(sig[b]) >= t
        tp = sum(same(a, b) for a, b in positives)
        fp = sum(same(a, b) for a, b in negatives)
        recall, precision = tp / len(positives), tp / (tp + fp) if tp + fp else 0.0
        f1 = 2 * recall * precision / (recall + precision) if recall + precision else 0.0
        mark = " (used)" if abs(t - dedup.THRESHOLD) < 1e-9 else ""
        print(f"| {t}{mark} | {recall:.3f} | {fp} / {len(negatives)} | {f1:.3f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=("stard", "everyday", "both"), default="both")
    parser.add_argument("--limit", type=int, default=0, help="first N questions of each set (0 = all)")
    parser.add_argument("--audit", action="store_true", help="also audit each composed page with `fawen check`")
    parser.add_argument("--pages", type=Path, help="write each page as Markdown into this directory")
    parser.add_argument("--dedup", action="store_true", help="measure the near-duplicate threshold instead")
    parser.add_argument("--everyday", type=Path, action="append",
                        help="an everyday set (JSONL); give it again for another (default: everyday.jsonl and "
                             "everyday_b.jsonl)")
    args = parser.parse_args()
    command = "FAWEN_HOME=" + os.environ.get("FAWEN_HOME", "~/.local/share/fawen") + " .venv/bin/python " + \
        " ".join(["bench/answer.py", *sys.argv[1:]])
    use_stard = args.set in ("stard", "both")
    if use_stard and not DATA.exists():
        sys.exit(f"STARD data not found: {DATA} (set FAWEN_SHARED_DATA)")
    if args.dedup:
        dedup_table([json.loads(line)["question"] for line in DATA.open(encoding="utf-8")])
        print(f"\ncommand: {command}")
        return
    sets: dict[str, list[Row]] = {}
    if use_stard:
        stard = stard_rows()
        sets["STARD id%3=1"] = [r for r in stard if int(r.qid) % 3 == 1]
        sets["STARD id%3=2"] = [r for r in stard if int(r.qid) % 3 == 2]
    if args.set in ("everyday", "both"):
        try:
            loaded = load_sets(args.everyday or EVERYDAY_SETS)  # two sets may not share a name or an id
        except EverydayError as exc:
            sys.exit(str(exc))
        for name, questions in loaded.items():
            sets[name] = everyday_rows(name, questions)
    if args.pages:
        args.pages.mkdir(parents=True, exist_ok=True)
    try:
        service.ask("微信诽谤可以报警吗")  # warm-up: index, reference tables, guides
        results = {name: run(rows[:args.limit] if args.limit else rows, args.audit, args.pages)
                   for name, rows in sets.items()}
    except FawenError as exc:
        sys.exit(f"fawen: {exc.message}")
    table(results)
    if use_stard:
        yes_no = sum(verdict_labels.is_yes_no(r.question) for r in stard)
        print(f"STARD: {yes_no} of {len(stard)} questions ask yes or no; "
              f"{sum(r.verdict is not None for r in stard)} could be labelled from the lawyer's first sentence")
    print(f"\ncommand: {command}")


if __name__ == "__main__":
    main()

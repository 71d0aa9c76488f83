"""The everyday question sets: narrative 口语 questions over 14 areas, each with 1–4 gold articles in force and
one key article; loaded and checked line by line. bench/data/everyday.jsonl is the development set;
bench/data/everyday_b.jsonl is a second set written apart from it, which nobody tunes on (the held-out check).

    .venv/bin/python bench/everyday.py [--path FILE ...]

prints, for each set (both by default), the questions per area, gold articles per question, yes/no and typo
counts; with more than one set, also the ids the sets share and their near-duplicate questions. How the sets
were written and verified: bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from fawen.text.labels import article_label, parse_article_ref  # noqa: E402

DEFAULT_PATH = REPO / "bench" / "data" / "everyday.jsonl"
HELD_OUT_PATH = REPO / "bench" / "data" / "everyday_b.jsonl"
SETS = (DEFAULT_PATH, HELD_OUT_PATH)  # what the benchmarks report by default, in this order
# rapidfuzz ratio (0–100) from which two questions count as near duplicates: a rewording of one question, not a
# second one. Distinct questions of the two sets stay below about 55.
NEAR_DUPLICATE = 70.0
AREAS = ("劳动", "工伤", "婚姻家庭", "继承", "借贷", "租房", "消费", "交通事故", "人身损害/邻里", "治安", "刑事",
         "物业", "行政", "网络/知识产权")
VERDICTS = ("可以", "不可以", "视情况")
FIELDS = ("id", "area", "question", "gold", "key", "verdict", "verdict_why", "typo")
MIN_CHARS, MAX_CHARS = 15, 120
MAX_GOLD = 4
ID_PATTERN = re.compile(r"ev-\d{3,}")


class EverydayError(ValueError):
    """A line of the everyday set that breaks its rules; the message names the file and line."""


@dataclass(frozen=True)
class GoldArticle:
    law: str  # full title as the corpus has it
    article: str  # 第X条 or 第X条之Y


@dataclass(frozen=True)
class EverydayQuestion:
    id: str
    area: str
    question: str
    gold: tuple[GoldArticle, ...]
    key: GoldArticle
    verdict: str | None  # 可以 / 不可以 / 视情况 for yes/no questions, else None
    verdict_why: str | None
    typo: bool
    line: int


def load(path: Path | str | None = None) -> list[EverydayQuestion]:
    """Every question of the set, in file order; EverydayError naming the line on the first broken rule."""
    source = Path(path) if path is not None else DEFAULT_PATH
    try:
        lines = source.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise EverydayError(f"{source}: 无法读取 (cannot read): {exc}") from exc
    questions: list[EverydayQuestion] = []
    seen: dict[str, int] = {}
    for number, text in enumerate(lines, 1):
        if not text.strip():
            continue
        where = f"{source}:{number}"
        question = _parse(text, where, number)
        if question.id in seen:
            raise EverydayError(f"{where}: id {question.id} 重复，第 {seen[question.id]} 行已用 "
                                f"(duplicate id, first on line {seen[question.id]})")
        seen[question.id] = number
        questions.append(question)
    if not questions:
        raise EverydayError(f"{source}: 没有问题 (no questions)")
    return questions


def set_name(path: Path | str) -> str:
    """The name a set is reported under: its file name without .jsonl (everyday, everyday_b)."""
    return Path(path).stem


def load_sets(paths: list[Path] | tuple[Path, ...] = SETS) -> dict[str, list[EverydayQuestion]]:
    """Several sets by name, in the order given; EverydayError if two share a name or a question id."""
    sets: dict[str, list[EverydayQuestion]] = {}
    where: dict[str, Path] = {}
    for path in paths:
        name = set_name(path)
        if name in sets:
            raise EverydayError(f"{path}: 与 {where[name]} 同名 (two sets named {name})")
        questions = load(path)
        for other, earlier in sets.items():
            shared = sorted({q.id for q in questions} & {q.id for q in earlier})
            if shared:
                raise EverydayError(f"{path}: id 与 {where[other]} 重复 (ids shared with {other}): "
                                    f"{', '.join(shared[:5])}")
        sets[name], where[name] = questions, Path(path)
    return sets


def near_duplicates(questions: list[EverydayQuestion], others: list[str],
                    threshold: float = NEAR_DUPLICATE) -> list[tuple[str, str, float]]:
    """(id, the most similar other question, rapidfuzz ratio) for each question at or above the threshold."""
    found = []
    for q in questions:
        best = process.extractOne(q.question, [o for o in others if o != q.question], scorer=fuzz.ratio)
        if best is not None and best[1] >= threshold:
            found.append((q.id, best[0], float(best[1])))
    return found


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [k for k, _ in pairs]
    doubled = sorted({k for k in keys if keys.count(k) > 1})
    if doubled:
        raise ValueError(f"字段重复 (duplicate field): {', '.join(doubled)}")
    return dict(pairs)


def _parse(text: str, where: str, number: int) -> EverydayQuestion:
    try:
        row = json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except ValueError as exc:  # json.JSONDecodeError is a ValueError
        raise EverydayError(f"{where}: 不是合法的 JSON (invalid JSON): {exc}") from exc
    if not isinstance(row, dict):
        raise EverydayError(f"{where}: 每行应是一个 JSON 对象 (each line must be a JSON object)")
    missing = [f for f in FIELDS if f not in row]
    extra = sorted(set(row) - set(FIELDS))
    if missing or extra:
        raise EverydayError(f"{where}: 字段不符 (fields): 缺少 (missing) {missing or '-'}，多余 (unknown) {extra or '-'}")
    qid, area, question = row["id"], row["area"], row["question"]
    if not isinstance(qid, str) or not ID_PATTERN.fullmatch(qid):
        raise EverydayError(f"{where}: id 应形如 ev-001 (id must look like ev-001): {qid!r}")
    if area not in AREAS:
        raise EverydayError(f"{where}: 未知领域 (unknown area) {area!r}；可用 (one of): {'、'.join(AREAS)}")
    if not isinstance(question, str) or not MIN_CHARS <= len(question.strip()) <= MAX_CHARS:
        raise EverydayError(f"{where}: question 应为 {MIN_CHARS}–{MAX_CHARS} 字 "
                            f"(question must be {MIN_CHARS}-{MAX_CHARS} characters)")
    gold = row["gold"]
    if not isinstance(gold, list) or not 1 <= len(gold) <= MAX_GOLD:
        raise EverydayError(f"{where}: gold 应有 1–{MAX_GOLD} 条 (gold must list 1-{MAX_GOLD} articles)")
    articles = tuple(_article(g, f"{where}: gold[{i}]") for i, g in enumerate(gold))
    if len(set(articles)) != len(articles):
        raise EverydayError(f"{where}: gold 有重复条文 (an article is listed twice in gold)")
    key = _article(row["key"], f"{where}: key")
    if key not in articles:
        raise EverydayError(f"{where}: key {key.law}{key.article} 不在 gold 中 (key must be one of gold)")
    verdict, why, typo = row["verdict"], row["verdict_why"], row["typo"]
    if verdict is not None and verdict not in VERDICTS:
        raise EverydayError(f"{where}: verdict 应为 {'/'.join(VERDICTS)} 或 null (verdict must be one of these or null): "
                            f"{verdict!r}")
    if verdict is None and why is not None:
        raise EverydayError(f"{where}: 没有 verdict 时 verdict_why 应为 null (verdict_why without a verdict)")
    if verdict is not None and not (isinstance(why, str) and why.strip()):
        raise EverydayError(f"{where}: 有 verdict 时须写 verdict_why (a verdict needs its verdict_why)")
    if not isinstance(typo, bool):
        raise EverydayError(f"{where}: typo 应为 true/false (typo must be a boolean)")
    return EverydayQuestion(qid, area, question, articles, key, verdict, why, typo, number)


def _article(value: Any, where: str) -> GoldArticle:
    if not isinstance(value, dict) or set(value) != {"law", "article"}:
        raise EverydayError(f"{where} 应为 {{\"law\", \"article\"}} (must be an object with law and article)")
    law, label = value["law"], value["article"]
    if not isinstance(law, str) or not law.strip() or not isinstance(label, str):
        raise EverydayError(f"{where}: law 与 article 应为非空字符串 (law and article must be strings)")
    try:
        ref = parse_article_ref(label)
    except ValueError as exc:
        raise EverydayError(f"{where}: 条文编号无法识别 (unreadable article label) {label!r}: {exc}") from exc
    # One spelling per article, so that comparing labels compares articles (第47条 and 第四十七条 are one).
    canonical = article_label(ref.number, ref.suffix)
    if label != canonical or ref.paragraph or ref.item:
        raise EverydayError(f"{where}: 条文编号应写作 {canonical} (write the article label as {canonical})")
    return GoldArticle(law, label)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _cell(text: object, width: int) -> str:
    s = str(text)
    return s + " " * max(0, width - _width(s))


def summary(questions: list[EverydayQuestion]) -> str:
    """One table: per area the questions, yes/no questions, typo questions and gold articles."""
    head = ("area", "questions", "yes/no", "typo", "gold")
    widths = (16, 11, 8, 6, 6)
    lines = ["".join(_cell(h, w) for h, w in zip(head, widths))]
    for area in AREAS:
        mine = [q for q in questions if q.area == area]
        row = (area, len(mine), sum(q.verdict is not None for q in mine), sum(q.typo for q in mine),
               sum(len(q.gold) for q in mine))
        lines.append("".join(_cell(v, w) for v, w in zip(row, widths)))
    total = ("total", len(questions), sum(q.verdict is not None for q in questions), sum(q.typo for q in questions),
             sum(len(q.gold) for q in questions))
    lines.append("".join(_cell(v, w) for v, w in zip(total, widths)))
    per = Counter(len(q.gold) for q in questions)
    lines.append("gold per question: " + ", ".join(f"{n}: {per[n]}" for n in range(1, MAX_GOLD + 1)))
    verdicts = Counter(q.verdict or "null" for q in questions)
    lines.append("verdicts: " + ", ".join(f"{v} {verdicts[v]}" for v in (*VERDICTS, "null")))
    return "\n".join(lines)


def _shown(path: Path) -> Path:
    return path.resolve().relative_to(REPO) if path.resolve().is_relative_to(REPO) else path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Check and count the everyday question sets.")
    parser.add_argument("--path", type=Path, action="append",
                        help="JSONL file; give it again for another set (default: "
                             + " and ".join(str(_shown(p)) for p in SETS) + ")")
    args = parser.parse_args(argv)
    paths = args.path or list(SETS)
    try:
        sets = load_sets(paths)
    except EverydayError as exc:
        print(exc, file=sys.stderr)
        return 2
    for path, questions in zip(paths, sets.values()):
        print(f"$ python bench/everyday.py --path {_shown(path)}")
        print(summary(questions))
    names = list(sets)
    for i, name in enumerate(names):
        for other in names[i + 1:]:
            doubled = near_duplicates(sets[other], [q.question for q in sets[name]])
            print(f"{other} against {name}: {len(doubled)} near-duplicate questions "
                  f"(rapidfuzz ratio ≥ {NEAR_DUPLICATE:.0f})"
                  + "".join(f"\n  {qid} ~ {text} ({ratio:.0f})" for qid, text, ratio in doubled))
    return 0


if __name__ == "__main__":
    sys.exit(main())

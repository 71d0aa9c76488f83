"""Thresholds from judicial interpretations: the articles of a 司法解释 that say when an article's
「情节严重」「数额较大」… is met, found by the citation they make of it (应当认定为刑法第二百四十六条第一款
规定的“情节严重”), with their items and numbers written as digits for reading."""

from __future__ import annotations

import json
import logging
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from fawen.answer.text import overlap
from fawen.corpus import aliases
from fawen.corpus.layout import CORPUS_FILE, INDEX_DIR
from fawen.corpus.store import Corpus
from fawen.models import Article, Hit
from fawen.text import labels, numerals
from fawen.text.labels import number_suffix
from fawen.text.numerals import CN_DIGITS, cn_to_int
from fawen.version import code_key

INTERPRETING_KINDS = ("司法解释", "立法解释")
# Share of the question's words an interpretation (title and article) must hold before its thresholds are shown.
MIN_SUBJECT = 0.1
# 第X条 with the words just before it, where the law's name is (《…》 or a short name such as 刑法).
REF = re.compile(rf"(《[^》]{{2,60}}》|[\u4e00-\u9fff、]{{0,16}}?)第([{CN_DIGITS}0-9]+)条(?:之([{CN_DIGITS}]+))?")
_TERM = re.compile(r"(?:认定为|属于|视为|是)[^“。；]{0,40}?“([^”]{2,16})”")
_NUMBER = re.compile(r"([零〇一二三四五六七八九十百千两]+)(万|亿)?(?=(?:次(?!性)|人|名|元|年|个月|日|天|件|份|倍|张|个|周岁|"
                     r"克|千克|公斤|吨|株|只|头|户|亩|平方米|米|小时|册|条|篇|部|套))")
_PREFIXES = ("中华人民共和国",)
# index/references.json: the ReferenceIndex, written by the build (finding it reads every interpretation
# article and resolves the law names before 第X条: ~0.4 s per process).
REFERENCES_FILE = "references.json"
_FORMAT = 1
log = logging.getLogger("fawen.references")


@dataclass
class Threshold:
    """What an interpretation article says about when a term of the interpreted article is met."""

    hit: Hit                                 # the interpretation article (cited in 法律依据)
    term: str                                # 情节严重, 数额较大…
    lead: str                                # its opening clause
    items: list[str] = field(default_factory=list)  # the 情形 (numbers as digits)
    target: int = 0                          # article id of the interpreted article


def digits(text: str) -> str:
    """Chinese numerals before a unit written as digits: 五千次 → 5000次, 二年内 → 2年内, 十万元 → 10万元."""
    def repl(match: re.Match[str]) -> str:
        try:
            value = cn_to_int(match.group(1))
        except ValueError:
            return match.group(0)
        return f"{value}{match.group(2) or ''}"

    return _NUMBER.sub(repl, text)


class ReferenceIndex:
    """Interpretation articles by the (law, article number, suffix) they cite; found once per generation, by
    the build (write, read) or in memory (the Library holds it)."""

    def __init__(self, corpus: Corpus | None) -> None:
        """Find the references in `corpus` (None: none, for `read`)."""
        self.by_target: dict[tuple[int, int, int], list[int]] = defaultdict(list)
        if corpus is None:
            return
        names: dict[str, int | None] = {}
        for article_id, _, text in corpus.texts_like("%第%条%", INTERPRETING_KINDS):
            for match in REF.finditer(text):
                law_id = law_named(corpus, match.group(1), names)
                if law_id is None:
                    continue
                numbers = number_suffix(match.group(2), match.group(3))
                if numbers is None:
                    continue
                targets = self.by_target[(law_id, *numbers)]
                if not targets or targets[-1] != article_id:
                    targets.append(article_id)

    def write(self, gen: Path) -> None:
        """Store the references in `gen`'s index directory."""
        rows = [[*key, targets] for key, targets in self.by_target.items()]
        data = {"format": _FORMAT, "code": references_code(), "references": rows}
        (gen / INDEX_DIR / REFERENCES_FILE).write_text(json.dumps(data), encoding="utf-8")

    @classmethod
    def read(cls, gen: Path) -> ReferenceIndex | None:
        """The references the build stored in `gen`, or None (an index built by an older fawen or other
        code; a damaged file with a warning)."""
        path = gen / INDEX_DIR / REFERENCES_FILE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") != _FORMAT or data.get("code") != references_code():
                return None
            index = cls(None)
            for law_id, number, suffix, targets in data["references"]:
                index.by_target[(int(law_id), int(number), int(suffix))] = [int(t) for t in targets]
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            log.warning("fawen: 建库时存储的 %s 无法读取，已重新查找 (stored by the build but unreadable: %s; "
                        "found again in memory) — `fawen corpus build --force` stores it again", path, exc)
            return None
        return index


def references_code() -> str:
    """The code that finds references (REF, law_named, number_suffix): what the build stored is read only
    when made by it."""
    return code_key(__file__, aliases.__file__, labels.__file__, numerals.__file__)


def build_references(gen: Path) -> None:
    """At build time: find the references of the corpus in `gen` and store them."""
    corpus = Corpus(gen / CORPUS_FILE)
    try:
        ReferenceIndex(corpus).write(gen)
    finally:
        corpus.close()


def law_named(corpus: Corpus, prefix: str, names: dict[str, int | None]) -> int | None:
    """The one law that the words before 第X条 end with (the longest name that resolves), or None.

    `names` caches resolutions across calls. Only exact title/alias keys count: a partial match would tie
    「法」 to any law whose title contains it.
    """
    if not prefix:
        return None
    if prefix.startswith("《"):
        candidates = [prefix.strip("《》")]
    else:
        candidates = [prefix[i:] for i in range(len(prefix) - 1) if prefix[i:].endswith(("法", "典", "条例"))]
    for name in candidates:
        if name not in names:
            names[name] = corpus.unique_law_id(_key(name))
        if names[name] is not None:
            return names[name]
    return None


def _key(name: str) -> str:
    return aliases.key(name)


def meant(corpus: Corpus, law_id: int, number: int, suffix: int, interpretation: Hit, as_of: str) -> Article | None:
    """The article an interpretation means by 「X法第N条」, in the version of that law in force on `as_of`.

    The number is the one in force when the interpretation took effect; when the law was revised since, the
    article is followed through the correspondence to today's number (「治安管理处罚法第四十二条」 in a 2013
    interpretation is today's 第五十条), never taken by its number alone. When the corpus has no text of the law
    from that date, the oldest text it has is read.
    """
    cited = corpus.article_in_force(law_id, number, suffix, interpretation.version)
    if cited is None and corpus.version_in_force(law_id, interpretation.version) is None:
        # The corpus holds no text of the law from that date: the oldest text it has is the best reading.
        versions = corpus.article_in_versions(law_id, number, suffix)
        cited = versions[0][1] if versions else None
    now = corpus.version_in_force(law_id, as_of)
    if cited is None or now is None:
        return None
    if cited.version_id == now.id:
        return cited
    found = corpus.corresponding_in(cited.id, now.id)
    return found[0] if found else None


def thresholds_for(corpus: Corpus, index: ReferenceIndex, hit: Hit, question: str, as_of: str,
                   limit: int = 1) -> list[Threshold]:
    """Interpretation articles in force on `as_of` that set a threshold of a term used in `hit`.

    An interpretation is looked up by every number the article had (its own and its predecessors'), kept only
    when the article it means is `hit`, and only when it shares the question's subject (MIN_SUBJECT): the
    thresholds an interpretation sets for 文物 do not answer a question about stealing a cable.
    """
    keys = {(hit.law_id, hit.number, hit.suffix)} | {(a.law_id, a.number, a.suffix)
                                                     for a, _ in corpus.predecessors(hit.article_id)}
    candidates: list[tuple[float, int, Threshold]] = []
    seen: set[int] = set()
    for key in sorted(keys):
        for article_id in index.by_target.get(key, []):
            if article_id in seen:
                continue
            seen.add(article_id)
            article = corpus.article_by_id(article_id)
            version = corpus.version_in_force(article.law_id, as_of)
            if version is None or version.id != article.version_id:
                continue
            interpretation = corpus.hit(article)
            target = meant(corpus, *key, interpretation, as_of)
            if target is None or target.id != hit.article_id:
                continue
            found = parse_threshold(interpretation, [p for para in article.paragraphs for p in para.items])
            if found is None or found.term not in hit.text:
                continue
            law = corpus.laws[article.law_id]
            subject = overlap(question, law.title + article.text)
            if subject < MIN_SUBJECT:
                continue
            # A term the article uses as a condition (「情节严重的」) is the threshold a reader needs first.
            score = subject + (1.0 if f"{found.term}的" in hit.text else 0.0)
            found.target = hit.article_id
            candidates.append((score, article_id, found))
    candidates.sort(key=lambda c: (-c[0], c[1]))
    return [c[2] for c in candidates[:limit]]


def parse_threshold(hit: Hit, items: list[str]) -> Threshold | None:
    """The term an interpretation article defines and its 情形, or None when it defines none."""
    term = _TERM.search(hit.text)
    if term is None:
        return None
    lead = hit.text.split("\n", 1)[0]
    shown = [digits(_strip_item(i)) for i in items if not re.search(r"其他.{0,8}情形", i)]
    return Threshold(hit, term.group(1), lead, shown)


def _strip_item(item: str) -> str:
    """An item without its （一） number and closing 的；."""
    text = re.sub(rf"^[（(][{CN_DIGITS}]+[）)]\s*", "", item.strip())
    return text.rstrip("；;。，").removesuffix("的")

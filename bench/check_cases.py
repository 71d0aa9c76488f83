"""Evaluation cases for bench/check.py: STARD answers with their gold citations and derived corruptions,
and LawBench 3-8 consultation pages with their own citations (see bench/check.py for the design)."""

from __future__ import annotations

import random
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from fawen.cite import quotes
from fawen.cite.resolve import Resolver
from fawen.cite.extract import extract
from fawen.corpus.store import Corpus
from fawen.models import Article
from fawen.text.labels import article_label, parse_article_ref

NATIONAL = ("法律", "行政法规", "司法解释")
_GOLD = re.compile(r"^(.*?)(第[零〇一二三四五六七八九十百千万]+条(?:之[一二三四五六七八九十]+)?)$")
_CJK = "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持取设始版双历越史商千片容研像找友孩站广改议形委早房音火际则首单据导影失拿网香似斯专石若兵弟谁校读志飞观争究包组造落视济喜离虽坏兴急病"


@dataclass
class Cite:
    name: str             # the law as the page writes it
    title: str
    number: int
    suffix: int
    quote: str | None


@dataclass
class Case:
    qid: int
    split: str
    variant: str
    expected: str | None
    page: str
    question: str | None
    spans: list[tuple[int, int]] = field(default_factory=list)
    source_title: str | None = None       # for misattributed: the law the suggestion must name
    layout: int = -1                      # the render_page layout, -1 for pages written otherwise


# How the 法律依据 block is written. 0-3 are the original four (one per question, query_id % 4); 4-6 are the
# layouts of issue 13 that concern extraction, rendered in addition for every other question.
LAYOUTS = ("《全称》第N条：引文", "简称第47条 引文", "根据《…》第N条的规定：“引文”", "《全称》一行，第N条 引文",
           "《全称》第N条，引文在下一行", "全称：第N条 引文，下文第M条 承接", "《全称》第N条：引文，标题或条号中断行")
EXTRA_LAYOUTS = (4, 5, 6)


def first_paragraph(text: str) -> str:
    return next((p.strip() for p in text.split("\n") if p.strip()), "")


def render_page(answer: str, cites: list[Cite], layout: int) -> tuple[str, list[tuple[int, int]]]:
    """The answer and a 法律依据 block; returns the page and the span of each citation (the line(s) that hold
    its law and number, not a quote on a line of its own)."""
    parts = [answer.strip(), "", "法律依据："]
    spans: list[tuple[int, int]] = []
    offset = len("\n".join(parts)) + 1
    last_title = None
    for k, c in enumerate(cites):
        label = article_label(c.number, c.suffix)
        q = c.quote or ""
        first = last = 0                  # the lines of `lines` that hold the citation itself
        if layout == 0:
            lines = [f"《{c.title}》{label}：{q}"]
        elif layout == 1:
            arabic = f"第{c.number}条" + (f"之{c.suffix}" if c.suffix else "")
            lines = [f"{c.name}{arabic} {q}".rstrip()]
        elif layout == 2:
            lines = [f"根据《{c.name}》{label}的规定：“{q}”" if q else f"根据《{c.name}》{label}的规定。"]
        elif layout == 3:
            lines = [] if last_title == c.title else [f"《{c.title}》"]
            lines.append(f"{label} {q}".rstrip())
            first = last = len(lines) - 1
        elif layout == 4:
            lines = [f"《{c.title}》{label}"] + ([q] if q else [])
        elif layout == 5:
            lines = [f"{label} {q}".rstrip() if last_title == c.title else f"{c.title}：{label} {q}".rstrip()]
        else:
            line = f"《{c.title}》{label}：{q}"
            cut = _cut(c.title, label, k)
            lines = [line[:cut], line[cut:]]
            last = 1
        last_title = c.title
        start = offset + sum(len(x) + 1 for x in lines[:first])
        end = offset + sum(len(x) + 1 for x in lines[:last]) + len(lines[last])
        spans.append((start, end))
        parts.extend(lines)
        offset += sum(len(x) + 1 for x in lines)
    return "\n".join(parts) + "\n", spans


def _cut(title: str, label: str, k: int) -> int:
    """Where layout 6 breaks the line: inside the title (even citations) or inside the article's number."""
    if k % 2 == 0 and len(title) >= 4:
        return 1 + len(title) // 2
    numerals = label[1:label.index("条")]
    return len(title) + 2 + 1 + len(numerals) // 2


# Characters a harmless typo neither removes nor puts in: numerals and negations change what a text says
# (a 三 for a 一 is the outdated 消费者权益保护法 quote of issue 13, not a typo; quote_mismatch reports it).
_MEANING = frozenset("零〇一二三四五六七八九十百千万两不无未非免没")
_HARMLESS = "".join(ch for ch in _CJK if ch not in _MEANING)


def small_edits(text: str, rng: random.Random) -> str:
    chars = list(text.replace("，", ",").replace("；", ";"))
    for _ in range(min(3, max(1, len(chars) // 40))):
        i = rng.randrange(len(chars))
        if "\u4e00" <= chars[i] <= "\u9fff":
            replacement = rng.choice(_HARMLESS)
            if chars[i] not in _MEANING:
                chars[i] = replacement
    return "".join(chars)


class Builder:
    def __init__(self, corpus: Corpus, date: str, seed: int) -> None:
        self.corpus, self.date, self.rng = corpus, date, random.Random(seed)
        self.in_force = {v.law_id: v for v in corpus.versions_in_force(date)}
        self.national = sorted(lid for lid, v in self.in_force.items() if corpus.laws[lid].kind in NATIONAL)
        self.skipped: Counter[str] = Counter()

    def gold(self, item: dict) -> list[tuple[Cite, Article]]:
        out = []
        for g in item["gold"]:
            m = _GOLD.match(g["name"])
            laws = self.corpus.resolve_law(m[1]) if m else []
            if len(laws) != 1:
                self.skipped["gold law not resolved"] += 1
                continue
            ref = parse_article_ref(m[2])
            version = self.in_force.get(laws[0].id)
            article = self.corpus.article(version.id, ref.number, ref.suffix) if version else None
            quote = first_paragraph(g["text"])
            if article is None:
                self.skipped["gold law or article not in force"] += 1
                continue
            score = quotes.similarity(quote, article.text)
            if score < 90 or any(quotes.similarity(quote, a.text) > score
                                 for _, a in self.corpus.article_in_versions(laws[0].id, ref.number, ref.suffix)):
                # The dataset's text is (closer to) another version's: that citation is not clean today.
                self.skipped["gold text differs from the text in force"] += 1
                continue
            out.append((Cite(m[1], laws[0].title, ref.number, ref.suffix, quote), article))
        return out

    def random_article(self, exclude_laws: set[int], min_chars: int = 25) -> Article:
        while True:
            law_id = self.rng.choice(self.national)
            if law_id in exclude_laws:
                continue
            arts = self.corpus.articles(self.in_force[law_id].id)
            arts = [a for a in arts if len(first_paragraph(a.text)) >= min_chars and "施行" not in a.text[:40]]
            if arts:
                return self.rng.choice(arts)

    def cases(self, item: dict) -> list[Case]:
        qid, question, answer = item["query_id"], item["question"], item["answer"] or ""
        split = "heldout" if qid % 3 == 0 else "train"
        golds = self.gold(item)
        if not golds:
            return []
        layout = qid % 4
        cites = [c for c, _ in golds]
        out: list[Case] = []

        layouts = [layout] + (list(EXTRA_LAYOUTS) if qid % 2 == 0 else [])

        def page(variant: str, expected: str | None, replaced: Cite | None, at: int, source: str | None = None,
                 chosen: list[Cite] | None = None, only: list[int] | None = None) -> None:
            chosen = list(chosen or cites)
            if replaced is not None:
                chosen[at] = replaced
            for lay in only or layouts:
                text, spans = render_page(answer, chosen, lay)
                keep = spans if replaced is None else [spans[at]]
                out.append(Case(qid, split, variant, expected, text, question, keep, source, lay))

        page("clean", None, None, 0)
        bare = [Cite(c.name, c.title, c.number, c.suffix, None) for c in cites]
        page("clean_noquote", None, None, 0, chosen=bare, only=[2] + layouts[1:])
        edited = [Cite(c.name, c.title, c.number, c.suffix, small_edits(c.quote or "", self.rng)) for c in cites]
        page("clean_edited", None, None, 0, chosen=edited)
        at = self.rng.randrange(len(golds))
        target, article = golds[at]
        law_ids = {a.law_id for _, a in golds}
        top = self._last_number(article.law_id)
        page("wrong_number", "not_found", Cite(target.name, target.title, top + self.rng.randint(1, 30), 0,
                                               target.quote), at)
        others = [a for a in self.corpus.articles(article.version_id)
                  if a.id != article.id and quotes.similarity(target.quote or "", a.text) < 50]
        if others:
            other = self.rng.choice(others)
            page("other_number", "misattributed", Cite(target.name, target.title, other.number, other.suffix,
                                                       target.quote), at, target.title)
        hosts = [lid for lid in self.national if lid not in law_ids and
                 self.corpus.article(self.in_force[lid].id, target.number, target.suffix) is not None]
        if hosts:
            host = self.corpus.laws[self.rng.choice(hosts)]
            page("wrong_law", "misattributed", Cite(host.title, host.title, target.number, target.suffix,
                                                    target.quote), at, target.title)
        swap = self.random_article(law_ids)
        page("swapped_quote", "misattributed", Cite(target.name, target.title, target.number, target.suffix,
                                                    first_paragraph(swap.text)), at,
             self.corpus.laws[swap.law_id].title)
        unrelated = self.random_article(law_ids)
        law = self.corpus.laws[unrelated.law_id]
        page("unrelated", "irrelevant", Cite(law.title, law.title, unrelated.number, unrelated.suffix,
                                             first_paragraph(unrelated.text)), at)
        # A sentence of the answer that is not the text of any of its gold articles (those would be quotes).
        sentences = [s.strip() for s in re.split(r"[。！？\n]", answer)
                     if len(s.strip()) >= 15 and all(quotes.similarity(s, a.text) < 60 for _, a in golds)]
        if sentences:
            page("paraphrase", "quote_mismatch", Cite(target.name, target.title, target.number, target.suffix,
                                                      self.rng.choice(sentences)), at)
        return out

    def _last_number(self, law_id: int) -> int:
        with self.corpus._lock:
            row = self.corpus.conn.execute("SELECT MAX(number) FROM articles WHERE law_id = ?", (law_id,)).fetchone()
        return int(row[0])

    def renumbered_cases(self, limit: int, per_law: int = 40) -> list[Case]:
        """Provisions whose number changed between an older version and the one in force, from every law."""
        pool: dict[int, list[tuple[Article, Article]]] = defaultdict(list)
        for law_id, current in sorted(self.in_force.items()):
            versions = self.corpus.versions_by_law.get(law_id, [])
            if len(versions) < 2 or self.corpus.laws[law_id].kind in ("地方性法规", "案例"):
                continue
            for version in versions:
                if version.effective >= current.effective:
                    continue            # an older version only: the usual stale number
                for old in self.corpus.articles(version.id):
                    mapped = self.corpus.corresponding_in(old.id, current.id)
                    if mapped and (mapped[0].number, mapped[0].suffix) != (old.number, old.suffix) \
                            and len(first_paragraph(mapped[0].text)) >= 15:
                        pool[law_id].append((old, mapped[0]))
        chosen: list[tuple[Article, Article]] = []
        for law_id in sorted(pool):
            pairs = pool[law_id]
            chosen += self.rng.sample(pairs, min(per_law, len(pairs)))
        self.rng.shuffle(chosen)
        out = []
        for old, now in chosen[:limit]:
            law = self.corpus.laws[old.law_id]
            short = law.title.replace("中华人民共和国", "")
            split = "heldout" if old.id % 3 == 0 else "train"
            label = article_label(old.number, old.suffix)
            text = f"根据《{short}》{label}的规定：“{first_paragraph(now.text)}”"
            out.append(Case(old.id, split, "old_number", "renumbered", text, None, [(0, len(text))]))
            words = re.split(r"[，。；：:（）]", first_paragraph(old.text))
            clause = max(words, key=len)[:24]
            text = f"{clause}的，依照《{short}》{label}处理。"
            out.append(Case(old.id, split, "old_number_bare", "renumbered", text, None, [(0, len(text))]))
            # Issue 13, cause 1: the text of the old version under its old number, in the 法律依据 layouts.
            cite = Cite(short, law.title, old.number, old.suffix, first_paragraph(old.text))
            for lay in (0,) + EXTRA_LAYOUTS:
                text, spans = render_page("", [cite], lay)
                out.append(Case(old.id, split, "old_text", "renumbered", text, None, spans, None, lay))
        return out




def lawbench_cases(corpus: Corpus, records: list[dict], date: str, seed: int) -> tuple[list[Case], Counter[str]]:
    """LawBench 3-8 pages as printed (all their citations, expected kind unknown: None means "not labelled"
    here, see `labelled`), plus one copy per page with a verified citation replaced by an unrelated article
    (lawbench_unrelated) and one with a verified citation replaced by an article of the same law from another
    chapter, quoted (lawbench_same_law; drawn with its own generator, so the other cases stay as they were)."""
    rng = random.Random(seed)
    same_rng = random.Random(seed + 70)
    builder = Builder(corpus, date, seed)
    resolver = Resolver(corpus)
    out: list[Case] = []
    counts: Counter[str] = Counter()
    for number, record in enumerate(records):
        question, page = record["question"], record["answer"]
        split = "tune" if number % 2 == 0 else "report"
        verified: list[tuple[int, int, int]] = []      # (start, end of the citation and its quote, law id)
        articles: list[Article] = []                   # the article of each
        for raw in extract(page).citations:
            counts["citations"] += 1
            found = resolver.resolve(raw)
            if found is None or len(found.laws) != 1 or not raw.quote:
                continue
            version = builder.in_force.get(found.laws[0].id)
            article = corpus.article(version.id, raw.number, raw.suffix) if version else None
            if article is None or quotes.similarity(raw.quote, article.text) < 90:
                continue
            verified.append((raw.start, raw.quote_start + len(raw.quote), article.law_id))
            articles.append(article)
        counts["verified (clean)"] += len(verified)
        if not verified:
            continue
        out.append(Case(number, split, "lawbench_clean", None, page, question, [(s, s + 1) for s, _, _ in verified]))
        start, end, _ = rng.choice(verified)
        other = builder.random_article({law for _, _, law in verified})
        law = corpus.laws[other.law_id]
        replacement = f"《{law.title}》{other.label}：{first_paragraph(other.text)}"
        copy = page[:start] + replacement + page[end:]
        out.append(Case(number, split, "lawbench_unrelated", "irrelevant", copy, question, [(start, start + 1)]))
        at = same_rng.randrange(len(verified))
        start, end, _ = verified[at]
        cited = articles[at]
        others = [a for a in corpus.articles(cited.version_id)
                  if cited.path and a.path and a.path[:1] != cited.path[:1] and len(first_paragraph(a.text)) >= 25
                  and "施行" not in a.text[:40] and all(a.id != b.id for b in articles)]
        if others:
            other = same_rng.choice(others)
            replacement = f"《{corpus.laws[other.law_id].title}》{other.label}：{first_paragraph(other.text)}"
            copy = page[:start] + replacement + page[end:]
            out.append(Case(number, split, "lawbench_same_law", "irrelevant", copy, question, [(start, start + 1)]))
    return out, counts

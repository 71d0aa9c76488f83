"""Sections of an answer by the question's issues — 能否报警, 刑事责任, 立案标准, 民事责任, 行政处罚, 例外情形,
相关规定 — with plain labels; each line is an article's own statement ending with its citation, said once."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from fawen.answer import focus
from fawen.answer.routes import RouteMatch
from fawen.answer.text import cite, strip_end, unique_hits
from fawen.answer.thresholds import Threshold
from fawen.corpus.store import Corpus
from fawen.models import Article, Hit, Section

# Labels of the route sections (plain words, what the asker wants to know).
TITLES = {
    "治安": "能否报警",
    "行政": "行政处罚",
    "刑事": "刑事责任",
    "民事": "民事责任",
    "程序": "向谁提出",
}
EXCEPTIONS = "例外情形"
THRESHOLDS = "立案标准"
OTHERS = "相关规定"
_SENTENCE = re.compile(r"[^。；]+[。；]?")
# 「治安管理处罚由县级以上地方人民政府公安机关决定」: the article of a law that names who imposes its penalties.
_WHO_DECIDES = re.compile(r"^[^。；]{0,16}处罚由([^。；]{2,40}?)决定")
_IN_CHARGE = re.compile(r"^[^。；，]{0,20}工作由([^。；，]{2,40}?)负责")


@dataclass
class Part:
    """A section under construction: its lines, each with the hits it cites."""

    title: str
    lines: list[tuple[str, list[Hit]]] = field(default_factory=list)

    def add(self, line: str, *hits: Hit) -> None:
        self.lines.append((line, list(hits)))

    @property
    def hits(self) -> list[Hit]:
        """Every hit the lines cite, once, in order of first citation."""
        return unique_hits(h for _, hits in self.lines for h in hits)

    def section(self) -> Section:
        return Section(self.title, "\n".join(line for line, _ in self.lines), [cite(h) for h in self.hits])


def find_decider(corpus: Corpus, version_id: int) -> tuple[Article, str] | None:
    """The article of a law version saying which authority decides its penalties, with that clause (the
    Library keeps what it found per version: kit.decider)."""
    articles = corpus.articles(version_id)
    for pattern in (_WHO_DECIDES, _IN_CHARGE):
        for article in articles:
            match = pattern.match(article.text)
            if match:
                return article, match.group(0)
    return None


def cited(text: str, hit: Hit) -> str:
    """A statement with its citation: 「…（《中华人民共和国X法》第N条）。」."""
    return f"{strip_end(text)}（{cite(hit)}）。"


class Page:
    """The sections of one page, built so that no heading, sentence or lead-in is said twice."""

    def __init__(self, said: str = "", quoted: Hit | None = None) -> None:
        self.parts: list[Part] = []
        self._said: set[str] = set()
        self.remember(said)
        # The article the 摘要 quotes is not restated in the sections (its exceptions excepted).
        self.quoted = quoted.article_id if quoted is not None else 0

    def cites(self, hit: Hit) -> bool:
        """Whether a section already cites `hit`'s article."""
        return any(h.article_id == hit.article_id for p in self.parts for h in p.hits)

    def remember(self, text: str) -> None:
        """Mark every sentence of `text` as said (the 摘要 is said before the sections)."""
        self._said.update(_key(s) for s in _SENTENCE.findall(text) if len(_key(s)) >= 6)

    def fresh(self, text: str) -> bool:
        """Whether `text` says something not yet said on the page."""
        keys = [_key(s) for s in _SENTENCE.findall(text) if len(_key(s)) >= 6]
        return bool(keys) and not all(self._is_said(k) for k in keys)

    def part(self, title: str) -> Part:
        for part in self.parts:
            if part.title == title:
                return part
        part = Part(title)
        self.parts.append(part)
        return part

    def add(self, title: str, text: str, *hits: Hit) -> bool:
        """Add a line under `title` with what it says that is new: sentences the page said already (a penalty
        clause two articles share, 「法律另有规定的，依照其规定」) are left out of it, the rest kept verbatim;
        returns whether anything was added."""
        body, citation = _split_citation(text)
        pieces = _SENTENCE.findall(body)
        kept = [p for p in pieces if len(_key(p)) < 6 or not self._is_said(_key(p))]
        if not any(len(_key(p)) >= 6 for p in kept):
            return False
        line = strip_end("".join(kept)) + (f"{citation}。" if citation else "。")
        self.part(title).add(line, *hits)
        self.remember(line)
        return True

    def trimmed(self, text: str) -> str:
        """`text` without the sentences the page has said, verbatim otherwise ('' when nothing is new)."""
        pieces = _SENTENCE.findall(text)
        kept = [p for p in pieces if len(_key(p)) < 6 or not self._is_said(_key(p))]
        if not any(len(_key(p)) >= 6 for p in kept):
            return ""
        self.remember(text)
        return strip_end("".join(kept))

    def _is_said(self, key: str) -> bool:
        return key in self._said or any(key in said for said in self._said)

    def finished(self) -> list[Part]:
        return [p for p in self.parts if p.lines]


def route_lines(page: Page, question: str, key: str, matches: list[RouteMatch], articles: dict[int, Article],
                thresholds: list[Threshold]) -> None:
    """The lines of one route: each article's statement that carries the route, then for a crime how it is
    prosecuted and its thresholds."""
    title = TITLES[key]
    for match in matches:
        if match.hit.article_id == page.quoted:
            continue
        statement = focus.lead_statement(question, articles[match.hit.article_id])
        text = statement.text if _same_route(statement.text, match) else match.evidence
        page.add(title, cited(text, match.hit), match.hit)
    if key == "刑事":
        crime = matches[0]
        if crime.private:
            found = re.search(r"[^。；]*告诉的才处理(?:，但是[^。；]*?除外)?", crime.hit.text)
            line = f"{found.group(0) if found else '告诉的才处理'}（{cite(crime.hit)}）：由被害人向人民法院提起自诉"
            if crime.exception:
                line += f"；{crime.exception}，由检察机关提起公诉"
            page.add(title, line + "。", crime.hit)
        for threshold in thresholds:
            page.add(THRESHOLDS, threshold_line(threshold), threshold.hit)


def threshold_line(threshold: Threshold) -> str:
    """「“情节严重”包括下列情形：（1）…；（2）…（《解释》第二条）。」"""
    items = "；".join(f"（{i}）{text}" for i, text in enumerate([t for t in threshold.items if t], start=1))
    if items:
        return f"“{threshold.term}”包括下列情形：{items}（{cite(threshold.hit)}）。"
    return cited(threshold.lead, threshold.hit)


def _same_route(text: str, match: RouteMatch) -> bool:
    """Whether a focused statement still carries the route's consequence (else show the evidence)."""
    return any(word in text for word in ("处", "赔偿", "责任", "向", "有权", "不得", "支付")) or not match.evidence


_CITATION_END = re.compile(r"(（《[^》]+》第[^）]+条[^）]*）)。?$")


def _split_citation(line: str) -> tuple[str, str]:
    """A line's text and its closing citation 「（《…》第X条）」, if it ends with one."""
    found = _CITATION_END.search(line)
    return (line[:found.start()], found.group(1)) if found else (line, "")


def _key(sentence: str) -> str:
    """A sentence as compared for repeats: its words, without citations or punctuation."""
    text = re.sub(r"（《[^》]+》第[^）]+条[^）]*）", "", sentence)
    return "".join(ch for ch in text if ch.isalnum())

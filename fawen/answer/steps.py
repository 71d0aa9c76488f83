"""怎么办: the steps open to the asker — where to go, the time limit, the evidence — each one a clause of an
article in force, found by its words in the law that holds it (not by its number, which revisions change).

Which steps a page gets depends on the matter its basis shows (a labour dispute goes to arbitration within one
year; a civil claim to court within three; an administrative decision to 复议 within sixty days or to court
within six months; a public-order matter or a crime to the police) and on the question: a definition or a
question of doctrine asked in the abstract gets none.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from fawen.answer.focus import Statement, whole
from fawen.answer.question import Asked
from fawen.answer.text import cite, sentences, strip_end
from fawen.corpus import aliases
from fawen.corpus.store import Corpus
from fawen.models import Article, Hit

# key: (title shown, law (exact title or alias), the words that find the clause)
GUIDES = {
    "报警": ("报警", "治安管理处罚法", r"报案、控告、举报"),
    "报案": ("向公安机关报案", "刑事诉讼法", r"有权利也有义务向公安机关、人民检察院或者人民法院报案或者举报"),
    "劳动仲裁": ("申请劳动仲裁", "劳动争议调解仲裁法", r"可以向劳动争议仲裁委员会申请仲裁"),
    "仲裁时效": ("仲裁时效", "劳动争议调解仲裁法", r"劳动争议申请仲裁的时效期间为一年"),
    "工伤认定": ("申请工伤认定", "工伤保险条例", r"工伤职工或者其近亲属、工会组织[^。]*?1年内"),
    "消费争议": ("消费争议的解决途径", "消费者权益保护法", r"可以通过下列途径解决"),
    "起诉": ("向法院起诉", "民事诉讼法", r"由被告住所地人民法院管辖"),
    "诉讼时效": ("诉讼时效", "民法典", r"诉讼时效期间为三年"),
    "行政复议": ("申请行政复议", "行政复议法", r"六十日内提出行政复议申请"),
    "行政诉讼": ("提起行政诉讼", "行政诉讼法", r"作出行政行为之日起六个月内提出"),
    "证据": ("准备证据", "民事诉讼法", r"当事人对自己提出的主张，有责任提供证据"),
}
# The steps of each matter, in the order a person takes them.
MATTERS = {
    "治安": ("报警",),
    "刑事": ("报案",),
    "劳动": ("劳动仲裁", "仲裁时效", "证据"),
    "工伤": ("工伤认定", "劳动仲裁", "仲裁时效"),
    "消费": ("消费争议", "诉讼时效", "证据"),
    "民事": ("起诉", "诉讼时效", "证据"),
    "行政": ("行政复议", "行政诉讼"),
}
# A question about the asker's own situation (not doctrine asked in the abstract).
_PERSONAL = re.compile(r"我|咱|本人|被[^，。？]{0,6}(?:打|骗|撞|咬|辞退|开除|罚|拘留|侵权)|对方|老板|房东|物业|邻居|孩子|老公|老婆|"
                       r"家人|朋友|公司")
_VICTIM = re.compile(r"被(?:骗|偷|抢|打|砍|殴打|伤害|诈骗|敲诈|勒索|威胁|拐|猥亵|侵害)|我[^，。？]{0,6}被")


@dataclass
class Step:
    """One step: what to do, the clause of the article that says it, and that article."""

    title: str
    text: str
    hit: Hit

    def line(self) -> str:
        return f"{self.title}：{self.text}（{cite(self.hit)}）。"

    def to_json(self) -> dict[str, str]:
        return {"title": self.title, "text": self.text, "citation": cite(self.hit)}


class Guides:
    """The articles that ground the steps, found once per law version (the Library holds one)."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self._laws: dict[str, int | None] = {}
        self._found: dict[tuple[str, int], int | None] = {}
        self._lock = threading.Lock()

    def article(self, key: str, as_of: str) -> tuple[Article, str] | None:
        """The article in force on `as_of` that grounds step `key`, with its clause; None when the corpus
        lacks the law or no article of it says so."""
        _, law, words = GUIDES[key]
        with self._lock:
            if law not in self._laws:
                self._laws[law] = self.corpus.unique_law_id(aliases.key(law))
            law_id = self._laws[law]
        if law_id is None:
            return None
        version = self.corpus.version_in_force(law_id, as_of)
        if version is None:
            return None
        with self._lock:
            cached = self._found.get((key, version.id), -1)
        if cached == -1:
            pattern = re.compile(words)
            match = next((a.id for a in self.corpus.articles(version.id) if pattern.search(a.text)), None)
            with self._lock:
                self._found[(key, version.id)] = match
            cached = match
        if cached is None:
            return None
        article = self.corpus.article_by_id(cached)
        return article, clause(article, words)


def clause(article: Article, words: str) -> str:
    """The 款 of an article holding `words` (a list 款 with its items), without its final punctuation."""
    pattern = re.compile(words)
    for index, para in enumerate(article.paragraphs):
        if pattern.search(para.text) or any(pattern.search(i) for i in para.items):
            return whole(article, Statement(strip_end(para.text), 1.0, True, index, -1), limit=10**6)
    found = next((s for s in sentences(article.text) if pattern.search(s)), article.text)
    return strip_end(found)


def matters(asked: Asked, basis: list[Hit], routes: set[str]) -> list[str]:
    """The matters whose steps apply: read from the question's own issues first (a fine is an administrative
    matter whatever articles retrieval found; a work injury goes to 工伤认定), then from the basis articles and
    the routes they open. A definition, or doctrine asked in the abstract, gets none."""
    if asked.kind == "definition" or not (_PERSONAL.search(asked.question) or asked.kind == "howto"):
        return []
    laws = " ".join(h.law for h in basis)
    issues = asked.issues
    found: list[str] = []
    # Reporting to the police: asked about, or the conduct is a public-order offence against the asker.
    if "报警" in issues or ("治安" in routes and asked.other):
        found.append("治安")
    # A crime to report: the asker is the one harmed (「能告他坐牢吗」「被骗了三万」), not the one who may be tried.
    if "刑事" in routes and ("报警" in issues or _VICTIM.search(asked.question)):
        found.append("刑事")
    if "工伤" in issues or "工伤" in laws:
        found.append("工伤")
    elif "劳动" in issues or ("劳动" in laws and not issues & {"行政", "消费"}):
        found.append("劳动")
    administrative = "行政" in issues
    if administrative:
        found.append("行政")
    if not administrative and ("消费" in issues or "消费者权益保护法" in laws or "食品安全法" in laws):
        found.append("消费")
    # A civil claim (赔偿, a debt, a lease …) goes to court — never instead of an administrative remedy.
    if not found and not administrative and ("民事" in routes or "赔偿" in issues or "起诉" in issues):
        found.append("民事")
    return found


def for_page(guides: Guides, asked: Asked, basis: list[Hit], routes: set[str], as_of: str) -> list[Step]:
    """The steps of the matters that apply, each grounded in an article in force on `as_of`, once each; an
    article the page already quotes in its basis is not quoted again as a step."""
    steps: list[Step] = []
    seen: set[str] = set()
    quoted = {h.article_id for h in basis}
    for matter in matters(asked, basis, routes):
        for key in MATTERS[matter]:
            if key in seen:
                continue
            seen.add(key)
            found = guides.article(key, as_of)
            if found is None:
                continue
            article, text = found
            if article.id not in quoted:
                steps.append(Step(GUIDES[key][0], text, guides.corpus.hit(article)))
    return steps

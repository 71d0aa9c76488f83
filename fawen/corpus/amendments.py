"""Amending documents (刑法修正案（十二）, 关于修改《…》的决定): what they change and when it takes effect.

They are evidence for the amended law: the version published on the amendment's date takes effect when
the amendment says (「本修正案自2024年3月1日起施行」), and its text must contain the new wording the
amendment quotes (第三百九十条「处三年以下有期徒刑或者拘役」), which tells an updated text from a stale one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from fawen.corpus import aliases
from fawen.corpus.dates import DateClaim, effective_clauses
from fawen.corpus.records import SourceDoc
from fawen.text.labels import article_label
from fawen.text.normalize import normalize
from fawen.text.numerals import CN_DIGITS, cn_to_int

_CODE_AMENDMENT = re.compile(r"^(?:中华人民共和国)?(.+?)修正案(?:（[^）]*）)?$")
_DECISION = re.compile(r"关于修改.+?的决定")
_NAMED = re.compile(r"[《〈]([^》〉]+)[》〉]")
_NEW_NUMBER = re.compile(rf"(?:作为|改为)第([{CN_DIGITS}]+)条(?:之([{CN_DIGITS}]+))?")
_ANY_NUMBER = re.compile(rf"第([{CN_DIGITS}]+)条(?:之([{CN_DIGITS}]+))?")
_QUOTED_BLOCK = re.compile(r"[：:]\s*[“\"]")
_REPLACED = re.compile(r"修改为[“\"]([^”\"]+)[”\"]")
MIN_SNIPPET = 8
_PUNCT = re.compile(r"[\W_]+")


@dataclass
class Change:
    """One item of an amendment: the article it writes (new numbering) and the wording it quotes."""

    number: int
    suffix: int
    snippets: list[str]
    item: int


@dataclass
class Amendment:
    title: str
    targets: list[str]                       # aliases.key of each amended law
    published: str
    effective: str | None
    effective_where: str
    source_ref: str
    changes: list[Change] = field(default_factory=list)


@dataclass
class Check:
    """How much of an amendment's quoted wording a version's text contains."""

    matched: int = 0
    total: int = 0
    missing: list[tuple[str, str]] = field(default_factory=list)     # (article label, snippet)

    @property
    def share(self) -> float:
        return self.matched / self.total if self.total else 1.0


def fold(text: str) -> str:
    """Text for comparing wordings: NFKC (full-width digits, quotes), no spaces or punctuation."""
    return _PUNCT.sub("", unicodedata.normalize("NFKC", text))


def targets(title: str) -> list[str]:
    """Keys of the laws an amending document's title names; [] when it is no amending document."""
    if "修" not in title:
        return []
    title = normalize(title)
    if _DECISION.search(title):
        return [aliases.key(n) for n in _NAMED.findall(title)]
    match = _CODE_AMENDMENT.match(title)
    return [aliases.key(match[1])] if match else []


def parse(doc: SourceDoc) -> Amendment | None:
    """The amendment a document is, or None."""
    keys = targets(doc.title)
    if not keys:
        return None
    effective, where = None, ""
    for article in doc.articles:
        for clause in effective_clauses(article.text):
            if clause.subject in ("本修正案", "本决定"):
                effective = clause.date or doc.published
                where = f"{doc.source_ref} {article_label(article.number, article.suffix)}: {clause.text}"
    if effective is None and doc.effective_from == "document":
        # No clause (宪法修正案): the document's own header line, '…公告公布施行'.
        effective, where = doc.effective, doc.dates_where.get("effective", doc.source_ref)
    amendment = Amendment(doc.title, keys, doc.published, effective, where, doc.source_ref)
    for article in doc.articles:
        change = _change(article.text, article.number)
        if change is not None:
            amendment.changes.append(change)
    return amendment


def _change(text: str, item: int) -> Change | None:
    head = text.split("\n", 1)[0]
    number = _NEW_NUMBER.search(head) or _ANY_NUMBER.search(head)
    if number is None:
        return None
    block = _QUOTED_BLOCK.search(text)
    if block is not None:
        lines = text[block.end():].split("\n")
    else:
        lines = _REPLACED.findall(text)
    snippets = [s for line in lines if len(s := fold(line)) >= MIN_SNIPPET]
    if not snippets:
        return None
    try:
        return Change(cn_to_int(number[1]), cn_to_int(number[2]) if number[2] else 0, snippets, item)
    except ValueError:
        return None


def check(amendment: Amendment, doc: SourceDoc) -> Check:
    """Which quoted snippets the version's text contains (in the article named, or anywhere after a
    renumbering)."""
    texts = {(a.number, a.suffix): fold(a.text) for a in doc.articles}
    whole = "".join(texts.values())
    out = Check()
    for change in amendment.changes:
        own = texts.get((change.number, change.suffix), "")
        for snippet in change.snippets:
            out.total += 1
            if snippet in own or snippet in whole:
                out.matched += 1
            else:
                out.missing.append((article_label(change.number, change.suffix), snippet))
    return out


def claims(amendment: Amendment) -> list[DateClaim]:
    """The amendment's 施行 date, as a document claim about each amended law's version of that day."""
    if amendment.effective is None:
        return []
    return [DateClaim("effective", amendment.effective, "document", amendment.source_ref,
                      amendment.effective_where, law=key, version=amendment.published)
            for key in amendment.targets]

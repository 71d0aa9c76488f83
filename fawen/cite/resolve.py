"""Which law a citation names: 《title》, a bare name inside running text, 本法/该法, or 法释〔YYYY〕N号."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from fawen.cite.extract import RawCitation, version_year
from fawen.cite.names import looks_like_law
from fawen.corpus import aliases
from fawen.corpus.store import Corpus
from fawen.models import Law, LawVersion

_VERBS = re.compile(r"^(?:根据|依据|依照|按照|参照|对照|适用|违反|违背|援引|引用|符合|触犯|见|按|依|据|照|和|及|与|或|的|是|"
                    r"即|由|在|对|经|如|了|并|以)+")
_CITING_VERB = re.compile(r"^(?:根据|依据|依照|按照|参照|适用|违反|援引|引用|触犯)")
_LAWLIKE = re.compile(r"^(?:中华人民共和国)?[\u4e00-\u9fff]{2,24}(?:法|法典|条例)$")
_TRAILING_NOTE = re.compile(r"[（(](?P<note>[^（）()]{0,30}(?:\d{4}|修正|修订|修改|版|试行)[^（）()]{0,30})[)）]$")
_DOCNO_MENTION = re.compile(r"《((?:[^《》\n]|《[^《》\n]{1,60}》){4,160})》[ \t\u3000]*[（(][ \t\u3000]*"
                            r"法释[ \t\u3000]*[〔\[［(（][ \t\u3000]*(\d{4})[ \t\u3000]*[〕\]］)）][ \t\u3000]*(\d{1,4})[ \t\u3000]*号")
# Words that end law titles but name no law by themselves (…依照解释第三条 is not a citation we can check).
_GENERIC = frozenset({"法", "法律", "法典", "解释", "司法解释", "相关司法解释", "规定", "决定", "条例", "办法", "规则", "细则", "意见", "批复",
                      "安排", "解答", "答复", "修正案", "本法", "该法", "此法", "同法"})
_DOCNO_PARTS = re.compile(r"法释〔(\d{4})〕(\d+)号")


@dataclass
class Resolved:
    """The laws a citation's name may mean. One law: resolved; several: ambiguous; none: not found.

    `name` is the part of the text that names the law; `version` a version the citation pins with a note
    such as （2018年修正） or a 法释 number; `suggestion` the closest law when the name matched none exactly.
    """

    name: str
    laws: list[Law] = field(default_factory=list)
    version: LawVersion | None = None
    suggestion: Law | None = None
    known: bool = True        # False: a 法释 number the corpus does not mention anywhere
    repealed_on: str | None = None   # a 法释 number whose document a later one repealed (同时废止) on this date


class Resolver:
    """Resolves citation names against one corpus, caching each name."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self._cache: dict[tuple[str, str], Resolved | None] = {}
        self._near_cache: dict[str, list[int]] = {}
        self._docnos: dict[str, DocNo] | None = None

    @property
    def docnos(self) -> dict[str, DocNo]:
        """法释 numbers the corpus mentions (docno_titles), read on first use."""
        if self._docnos is None:
            self._docnos = docno_titles(self.corpus)
        return self._docnos

    def resolve(self, cite: RawCitation) -> Resolved | None:
        """The law(s) `cite` names; None when its name is not a law at all (《起诉状》第二条, 公司章程第五条)."""
        key = (cite.name, cite.ref_kind)
        if key not in self._cache:
            self._cache[key] = self._resolve(cite.name, cite.ref_kind)
        found = self._cache[key]
        if found is None or len(found.laws) != 1:
            return found
        pinned = self.pinned_version(found.laws[0], version_year(cite.version_note))
        if pinned is not None:
            return Resolved(found.name, found.laws, pinned, found.suggestion, found.known)
        return found

    def _resolve(self, name: str, kind: str) -> Resolved | None:
        name = html.unescape(name)   # 《实施&lt;社会保险法&gt;若干规定》 copied from a page's source
        if aliases.key(name) in _GENERIC:
            return None
        if kind == "docno":
            return self._docno(name)
        if kind == "title":
            return self._title(name)
        return self._bare(name)

    def _title(self, name: str) -> Resolved | None:
        laws = self._exact(name)          # 《…规定（试行）》: the bracket may be part of the title
        if laws:
            return Resolved(name, laws)
        note = _TRAILING_NOTE.search(name)
        core = name[: note.start()] if note else name
        laws = self._exact(core)
        if laws:
            found = Resolved(core, laws)
            if note and len(laws) == 1:
                found.version = self.pinned_version(laws[0], version_year(note["note"]))
            return found
        if not looks_like_law(core):
            return None
        return self._informal(core, tails=False) or self._near(core)

    def _bare(self, run: str) -> Resolved | None:
        # The longest tail of 「根据治安管理处罚法」 that is a known title or short name wins.
        for i in range(len(run) - 1):
            laws = self._exact(run[i:])
            if laws:
                return Resolved(run[i:], laws)
        name = _VERBS.sub("", run)
        if len(name) < 2:
            return None
        informal = self._informal(name, tails=True)
        if informal is not None:
            return informal
        near = self._near(name)
        if near.laws or near.suggestion:
            return near
        if _LAWLIKE.match(name) and (_CITING_VERB.match(run) or name.startswith("中华人民共和国")):
            return near
        return None

    def _informal(self, name: str, tails: bool) -> Resolved | None:
        """民间借贷司法解释, 《婚姻法司法解释二》, 劳动争议解释（一）: the interpretation(s) the short form means."""
        laws = informal_laws(self.corpus, name, tails)
        return Resolved(name, laws) if laws else None

    def _exact(self, name: str) -> list[Law]:
        k = aliases.key(name)
        laws = [self.corpus.laws[i] for i in sorted(set(self.corpus.alias_index.get(k, [])))]
        if len(laws) > 1:
            # A full title beats a short name another law also answers to.
            titled = [law for law in laws if aliases.key(law.title) == k]
            if len(titled) == 1:
                return titled
        return laws

    def _near(self, name: str) -> Resolved:
        """Laws a name that is no known title or short name may stand for: titles that end with it
        (安全生产条例 → 上海市安全生产条例, 北京市安全生产条例) or continue it with a bracket (刑法修正案（九）)."""
        k = aliases.key(name)
        if k not in self._near_cache:
            ids: set[int] = set()
            for key, law_ids in self.corpus.alias_index.items():
                if key != k and (key.endswith(k) or key.startswith(k + "（")):
                    ids.update(law_ids)
            self._near_cache[k] = sorted(ids)
        candidates = [self.corpus.laws[i] for i in self._near_cache[k]
                      if not _only_embedded(self.corpus.laws[i], k)]
        if len(candidates) == 1:
            # One law whose name ends with this one is a different law (合同法 ⊂ 劳动合同法): suggest it only.
            return Resolved(name, [], suggestion=candidates[0])
        return Resolved(name, candidates)

    def _docno(self, docno: str) -> Resolved | None:
        known = self.docnos.get(docno)
        if known is None:
            return Resolved(docno, [], known=False)
        found = self._title(known.title)
        if found is None or len(found.laws) != 1:
            return found
        m = _DOCNO_PARTS.match(docno)
        found.name = docno
        found.version = self.pinned_version(found.laws[0], m[1] if m else None) or found.version
        if found.version is None and known.repealed_on:
            found.repealed_on = known.repealed_on
        return found

    def pinned_version(self, law: Law, year: str | None) -> LawVersion | None:
        """The version of `law` published (or, failing that, in force from) in `year`."""
        if not year:
            return None
        versions = self.corpus.versions_by_law.get(law.id, [])
        for attr in ("published", "effective"):
            matching = [v for v in versions if getattr(v, attr).startswith(year)]
            if matching:
                return matching[-1]
        return None


_INFORMAL = re.compile(r"(?P<word>司法解释|解释|若干规定|规定)[ \t\u3000]*(?:[（(](?P<o1>[一二三四五六七八九十]{1,2})[)）]|"
                       r"(?P<o2>[一二三四五六七八九十]{1,2}))?$")
_TOPIC_NOISE = re.compile(r"^(?:最高人民法院|最高法院|最高院|最高法|最高人民检察院|最高检|两高)?、?(?:最高人民检察院)?(?:关于)?"
                          r"(?:审理|办理|适用|执行|确定)?|(?:案件)?(?:具体)?(?:适用|应用)法律(?:若干)?问题的?$|若干问题的?$|的$")
_ENDINGS = {"司法解释": ("解释", "规定"), "解释": ("解释",), "若干规定": ("规定",), "规定": ("规定",)}
_ISSUER = re.compile(r"^(?:最高人民法院、最高人民检察院|最高人民检察院、最高人民法院|最高人民法院|最高人民检察院)")
MAX_INFORMAL = 8          # more candidates than this say nothing: the name is too vague to suggest any


def informal_laws(corpus: Corpus, name: str, tails: bool = False) -> list[Law]:
    """The 司法解释 an informal name means: titles ending in its kind of document (解释/规定, with its ordinal
    when it gives one: 婚姻法司法解释二 → …的解释（二）) that contain its topic (民间借贷, 婚姻法, 民法典继承编).
    With `tails`, leading words are dropped one by one until a topic matches (虽然劳动争议司法解释一 → 劳动争议)."""
    m = _INFORMAL.search(aliases.key(name))
    if m is None:
        return []
    ordinal = m["o1"] or m["o2"]
    topic = aliases.key(name)[: m.start()]
    for _ in range(3):
        topic = _TOPIC_NOISE.sub("", topic)
    endings = tuple(word + (f"（{ordinal}）" if ordinal else "") for word in _ENDINGS[m["word"]])
    pool = [law for law in corpus.laws.values() if law.kind == "司法解释"]
    keys = {law.id: aliases.key(law.title) for law in pool}
    ok = [law for law in pool if keys[law.id].endswith(endings) or
          (not ordinal and re.search(f"(?:{'|'.join(_ENDINGS[m['word']])})（[一二三四五六七八九十]{{1,2}}）$", keys[law.id]))]
    shorts = {law.id: aliases.short_form(_ISSUER.sub("", keys[law.id])) for law in ok}
    for start in range(len(topic) - 1 if tails else 1):
        part = topic[start:]
        if len(part) < 2:
            break
        # 人身损害赔偿 names 关于审理人身损害赔偿案件…的解释 before …铁路运输人身损害赔偿纠纷案件…的解释.
        for found in ([law for law in ok if shorts[law.id].startswith(part)], [law for law in ok if part in keys[law.id]]):
            if found:
                return sorted(found, key=lambda law: law.id) if len(found) <= MAX_INFORMAL else []
    return []


def _only_embedded(law: Law, key: str) -> bool:
    """True when `key` occurs in the law's title only inside an embedded 《…》 (关于适用《合同法》…的解释)."""
    if "《" not in law.title:
        return False
    return key not in aliases.key(re.sub(r"《[^《》]*》", "", law.title))


@dataclass(frozen=True)
class DocNo:
    title: str
    repealed_on: str | None = None


_REPEALED = re.compile(r"[^。；]{0,80}?(?:同时废止|予以废止|不再适用|停止执行)")


def docno_titles(corpus: Corpus) -> dict[str, DocNo]:
    """法释〔YYYY〕N号 → title, from the places where the corpus's own texts name an interpretation with its
    number; when that text says the document 同时废止, it was repealed on the day the mentioning text took effect."""
    found: dict[str, DocNo] = {}
    for _, version_id, text in corpus.texts_like("%法释%"):
        for m in _DOCNO_MENTION.finditer(text):
            docno = f"法释〔{m[2]}〕{int(m[3])}号"
            repealed = _REPEALED.match(text, m.end() + 1) is not None
            previous = found.get(docno)
            if previous is None or (repealed and previous.repealed_on is None):
                found[docno] = DocNo(m[1], corpus.versions[version_id].effective if repealed else None)
    return found

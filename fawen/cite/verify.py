"""Verify one citation as of a date: does the law and article exist, is it in force, does the number still
point to the same provision, does the quoted passage match it — and if not, where does the passage come from.

Which version a citation means is decided by evidence, in this order: a version note (（2018年修正）, a 法释
number), the quoted passage (the version whose text it matches), the surrounding words (when the cited
number's text changed between versions, the version whose text shares more words with the context), and
otherwise the version in force on the date.
"""

from __future__ import annotations

from dataclasses import dataclass

from fawen.cite import quotes, wording
from fawen.cite.extract import RawCitation
from fawen.cite.lexical import overlap
from fawen.cite.quote_index import QuoteIndex
from fawen.cite.resolve import Resolved
from fawen.corpus.store import Corpus
from fawen.models import KINDS, Article, Citation, Finding, Law, LawVersion
from fawen.text.labels import article_label

# Findings in order of severity; a citation's status is its most severe finding's kind, or "ok".
SEVERITY = ("not_found", "ambiguous", "not_in_force", "misattributed", "renumbered", "outdated_quote",
            "quote_mismatch", "misattributed_claim", "irrelevant")
# Without a quote, the context must share CONTEXT_MARGIN more (and CONTEXT_RATIO times as many) words with an
# older text of the cited number than with the text in force before we read the citation as using the old
# numbering (bench/check.py: old_number_bare against clean_noquote).
CONTEXT_MARGIN = 2
CONTEXT_RATIO = 1.5
SAME_TEXT = 90.0          # two versions of an article this similar are the same provision
_MAX_NAMED = 5


@dataclass
class Verdict:
    """A verified citation and the article in force it means (what relevance is judged on), if any."""

    citation: Citation
    law: Law | None = None
    meant: Article | None = None


class Verifier:
    """Verifies citations against one corpus on one date (the event date when given, else the as-of date)."""

    def __init__(self, corpus: Corpus, quote_index: QuoteIndex, date: str) -> None:
        self.corpus = corpus
        self.quote_index = quote_index
        self.date = date
        self._articles_of: dict[int, frozenset[int]] = {}   # law id → its article ids (all versions)

    def verify(self, raw: RawCitation, resolved: Resolved, context: str) -> Verdict:
        label = article_label(raw.number, raw.suffix)
        cite = Citation(raw=raw.raw, law=resolved.name, article=label, number=raw.number, suffix=raw.suffix,
                        paragraph=raw.paragraph, item=raw.item, quote=raw.quote, start=raw.start, end=raw.end)
        verdict = Verdict(cite)
        if not resolved.known:
            cite.status = "unverified"   # a 法释 number the corpus never mentions: nothing to check it against
            return verdict
        if not resolved.laws:
            hint = f"；是否指《{resolved.suggestion.title}》？" if resolved.suggestion else ""
            add_finding(cite, "not_found", f"未找到法律「{resolved.name}」(no such law in the corpus){hint}",
                        f"《{resolved.suggestion.title}》{label}" if resolved.suggestion else None)
            return verdict
        if len(resolved.laws) > 1:
            names = "、".join(f"《{law.title}》" for law in resolved.laws[:_MAX_NAMED])
            more = f" 等 {len(resolved.laws)} 部" if len(resolved.laws) > _MAX_NAMED else ""
            add_finding(cite, "ambiguous", f"「{resolved.name}」可指多部法律 (ambiguous): {names}{more}；请写明全称")
            return verdict
        law = resolved.laws[0]
        cite.law = law.title
        verdict.law = law
        self._check_article(verdict, law, resolved, raw, context)
        return verdict

    # --- the article ----------------------------------------------------------------------------
    def _check_article(self, verdict: Verdict, law: Law, resolved: Resolved, raw: RawCitation, context: str) -> None:
        cite = verdict.citation
        label = cite.article or ""
        occurrences = self.corpus.article_in_versions(law.id, raw.number, raw.suffix)
        in_force = self.corpus.version_in_force(law.id, self.date)
        quote = raw.quote if quotes.judgeable(raw.quote) else None
        if not occurrences:
            source = self._source(quote, law, None) if quote else None
            where = f"；引文出自{self._name(source[0])}" if source else ""
            add_finding(cite, "not_found", f"{law.title}没有{label}（任何版本都没有；{self._size(law, in_force)}）"
                        f"(no such article){where}", self._name(source[0]) if source else None)
            return
        if in_force is None or (resolved.repealed_on and resolved.repealed_on <= self.date):
            self._not_in_force_law(cite, law, resolved, occurrences[-1][1])
            return
        current = next((a for v, a in occurrences if v.id == in_force.id), None)
        meant: tuple[LawVersion, Article] | None = None
        if resolved.version is not None:
            meant = next(((v, a) for v, a in occurrences if v.id == resolved.version.id), None)
        if meant is None and quote is not None:
            meant = self._by_quote(verdict, law, in_force, occurrences, current, quote)
            if cite.findings:
                return
        if meant is None:
            meant = self._by_context(occurrences, in_force, current, context)
        version, article = meant
        if version.id == in_force.id:
            verdict.meant = article
            if quote is not None:
                self._wording(verdict, law, in_force, article, quote, [])
            return
        self._other_version(verdict, law, in_force, version, article, quote)

    def _by_quote(self, verdict: Verdict, law: Law, in_force: LawVersion,
                  occurrences: list[tuple[LawVersion, Article]], current: Article | None,
                  quote: str) -> tuple[LawVersion, Article] | None:
        """The version whose text of the cited number the quote matches; else a finding about the quote."""
        cite = verdict.citation
        scored = [(quotes.similarity(quote, a.text), v.id == in_force.id, v, a) for v, a in occurrences]
        best = max(scored, key=lambda s: (s[0], s[1], s[2].effective))
        if best[0] >= quotes.MATCH:
            return best[2], best[3]
        source = self._source(quote, law, best[0])
        if source is None:
            shown = current or best[3]
            add_finding(cite, "quote_mismatch",
                        f"引文与{law.title}{cite.article}的文本不符 (quote does not match): 相似度 {best[0]:.0f}%，"
                        f"低于 {quotes.MATCH:.0f}%；条文原文：{_clip(shown.text)}")
            return None
        self._elsewhere(verdict, law, in_force, quote, source, best[0])
        return None

    def _elsewhere(self, verdict: Verdict, law: Law, in_force: LawVersion, quote: str,
                   source: tuple[Article, float], cited_score: float) -> None:
        """The quote is `source`'s text, not the cited article's: an older text of the cited provision
        (outdated_quote), the text in force under its old number (renumbered), or another article (misattributed)."""
        cite = verdict.citation
        found, score = source
        if found.law_id == law.id:
            now = self._now(found, in_force)
            if now is not None and found.version_id != in_force.id \
                    and (now.number, now.suffix) == (cite.number, cite.suffix):
                # An older text of the cited provision, from when it had another number (or read otherwise).
                verdict.meant = now
                self._outdated(cite, law, in_force, found, now, quote, [])
                return
            if now is not None and (now.number, now.suffix) != (cite.number, cite.suffix):
                occurrences = self.corpus.article_in_versions(law.id, cite.number or 0, cite.suffix)
                old = self._old_number_of(occurrences, in_force, now)
                if old is not None:
                    # The quote is the text in force, the number is where that provision was in `old`.
                    add_finding(cite, "renumbered", f"{cite.article}是 {old.effective} 版的条号；{self.date} 施行的 "
                                f"{in_force.effective} 版中该条为{now.label} (renumbered)",
                                f"《{law.title}》{now.label}")
                    verdict.meant = now
                    return
        target = self._in_force_of(found) or found
        add_finding(cite, "misattributed",
                    f"引文不是{law.title}{cite.article}的内容，而出自{self._name(found, with_version=True)}"
                    f"(quote is from another article; 相似度 {score:.0f}% vs {cited_score:.0f}%)", self._name(target))

    def _by_context(self, occurrences: list[tuple[LawVersion, Article]], in_force: LawVersion,
                    current: Article | None, context: str) -> tuple[LawVersion, Article]:
        """Without a quote: the text in force, unless the number's older text fits the context clearly better."""
        if current is None:
            before = [(v, a) for v, a in occurrences if v.effective <= in_force.effective]
            return before[-1] if before else occurrences[0]
        if not context:
            return in_force, current
        base = overlap(context, current.text)
        best: tuple[int, LawVersion, Article] | None = None
        for version, article in occurrences:
            # Only older versions: a page may well still use an old numbering, hardly one not yet in force.
            if version.effective >= in_force.effective \
                    or quotes.similarity(article.text[:300], current.text) >= SAME_TEXT:
                continue
            score = overlap(context, article.text)
            if score >= base + CONTEXT_MARGIN and score >= CONTEXT_RATIO * base and (best is None or score > best[0]):
                best = (score, version, article)
        return (best[1], best[2]) if best else (in_force, current)

    def _other_version(self, verdict: Verdict, law: Law, in_force: LawVersion, version: LawVersion,
                       article: Article, quote: str | None) -> None:
        """The citation means the cited number of another version: where is that provision now?"""
        cite = verdict.citation
        mapped = self.corpus.corresponding_in(article.id, in_force.id)
        when = f"{self.date} 施行的版本（{in_force.label}）"
        if mapped is None:
            newer = version.effective > in_force.effective
            reason = f"该条见于 {version.label} 的版本" if newer else f"{when}已无对应条文"
            add_finding(cite, "not_in_force", f"{law.title}{cite.article}（{version.label} 版）在 {self.date} "
                        f"不在施行中 (not in force): {reason}")
            return
        now = mapped[0]
        verdict.meant = now
        if (now.number, now.suffix) != (cite.number, cite.suffix):
            add_finding(cite, "renumbered", f"{cite.article}是 {version.effective} 版的条号；{when}中该条为"
                        f"{now.label} (renumbered)", f"《{law.title}》{now.label}")
        elif quote is not None and quotes.similarity(quote, now.text) < quotes.MATCH:
            self._outdated(cite, law, in_force, article, now, quote, [])
        elif quote is not None:
            self._wording(verdict, law, in_force, now, quote, [article])

    def older_numbering(self, verdict: Verdict) -> list[tuple[LawVersion, Article]]:
        """For a citation read in today's numbering: the older versions in which its number was another
        provision, each with that provision's article in force (under another number), oldest first."""
        cite, law, now = verdict.citation, verdict.law, verdict.meant
        in_force = self.corpus.version_in_force(law.id, self.date) if law is not None else None
        if law is None or now is None or in_force is None or cite.number is None:
            return []
        out: list[tuple[LawVersion, Article]] = []
        for version, article in self.corpus.article_in_versions(law.id, cite.number, cite.suffix):
            if version.effective >= in_force.effective \
                    or quotes.similarity(article.text[:300], now.text) >= SAME_TEXT:
                continue
            mapped = self.corpus.corresponding_in(article.id, in_force.id)
            if mapped is not None and (mapped[0].number, mapped[0].suffix) != (cite.number, cite.suffix) \
                    and all(mapped[0].id != seen.id for _, seen in out):
                out.append((version, mapped[0]))
        return out

    # --- the wording of a matching quote (issue 13, cause 7) -------------------------------------
    def _wording(self, verdict: Verdict, law: Law, in_force: LawVersion, now: Article, quote: str,
                 older: list[Article]) -> None:
        """A quote that matches the article in force but departs from it: an older text's wording (outdated_quote),
        another article's text that it matches much better (misattributed), or a number, a negation or words of
        its own (quote_mismatch)."""
        cite = verdict.citation
        if wording.verbatim(quote, now.text):
            return
        older = older + [a for a in self._earlier(now) if all(a.id != b.id for b in older)]
        found = wording.older_wording(quote, now.text, [a.text for a in older])
        if found is not None:
            self._outdated(cite, law, in_force, older[found[0]], now, quote, found[1])
            return
        departs = wording.departs(quote, now.text)
        if not departs:
            return
        score = quotes.similarity(quote, now.text)
        source = self._source(quote, law, score)
        if source is not None and source[0].id != now.id and self._now(source[0], in_force) != now:
            self._elsewhere(verdict, law, in_force, quote, source, score)
            return
        shown = "；".join(_edit(e) for e in departs[:3])
        add_finding(cite, "quote_mismatch", f"引文改动了{law.title}{now.label}的文字 (quote alters the article): {shown}")

    def _outdated(self, cite: Citation, law: Law, in_force: LawVersion, old: Article, now: Article, quote: str,
                  changed: list[wording.Edit]) -> None:
        """The quote is `old`'s wording; `now` is that provision in force."""
        version = self.corpus.versions[old.version_id]
        then = f"{version.effective} 版{old.label}" if old.label != now.label else f"{version.effective} 版"
        if changed:
            what = "；".join(_edit(e, "现为") for e in changed[:3])
        else:
            what = f"现行文本：{_clip(now.text)}"
        add_finding(cite, "outdated_quote", f"引文是{law.title}{then}的文本 (outdated quote)；{self.date} 施行的 "
                    f"{in_force.effective} 版{now.label}已修改，{what}",
                    f"《{law.title}》{now.label}" if now.label != cite.article else None)

    def _earlier(self, article: Article) -> list[Article]:
        """The earlier texts of a provision: its predecessors in the law's older versions, newest first."""
        out: list[Article] = []
        seen = {article.id}
        frontier = [article]
        for _ in range(len(self.corpus.versions_by_law.get(article.law_id, []))):
            step = [p for a in frontier for p, _ in self.corpus.predecessors(a.id) if p.id not in seen]
            if not step:
                break
            seen.update(p.id for p in step)
            out += step
            frontier = step
        return out

    def _old_number_of(self, occurrences: list[tuple[LawVersion, Article]], in_force: LawVersion,
                       now: Article) -> LawVersion | None:
        """The other version in which the cited number was the provision that is `now` in force."""
        for version, article in occurrences:
            if version.id == in_force.id:
                continue
            mapped = self.corpus.corresponding_in(article.id, in_force.id)
            if mapped is not None and mapped[0].id == now.id:
                return version
        return None

    # --- where a quote comes from ---------------------------------------------------------------
    def _source(self, quote: str | None, law: Law, cited_score: float | None) -> tuple[Article, float] | None:
        """The article the quote matches best in the whole corpus, if it clearly beats the cited one."""
        if quote is None:
            return None
        best: tuple[tuple[float, int, int, int, int], Article] | None = None
        for article_id, _ in self.quote_index.candidates(quote, prefer=self._law_articles(law.id)):
            article = self.corpus.article_by_id(article_id)
            score = quotes.similarity(quote, article.text)
            if score < quotes.MATCH:
                continue
            version = self.corpus.versions[article.version_id]
            in_force = self.corpus.version_in_force(article.law_id, self.date)
            kind = self.corpus.laws[article.law_id].kind
            # Among equal matches prefer the cited law, a version in force, a national kind, the lower id.
            key = (score, article.law_id == law.id, in_force is not None and in_force.id == version.id,
                   -_kind_rank(kind), -article.id)
            if best is None or key > best[0]:
                best = (key, article)
        if best is None:
            return None
        score = best[0][0]
        if cited_score is not None and score < cited_score + quotes.MARGIN:
            return None
        return best[1], score

    def _law_articles(self, law_id: int) -> frozenset[int]:
        if law_id not in self._articles_of:
            self._articles_of[law_id] = self.corpus.article_ids_of_law(law_id)
        return self._articles_of[law_id]

    def _now(self, article: Article, in_force: LawVersion) -> Article | None:
        if article.version_id == in_force.id:
            return article
        mapped = self.corpus.corresponding_in(article.id, in_force.id)
        return mapped[0] if mapped else None

    def _in_force_of(self, article: Article) -> Article | None:
        version = self.corpus.version_in_force(article.law_id, self.date)
        return self._now(article, version) if version is not None else None

    # --- helpers --------------------------------------------------------------------------------
    def _not_in_force_law(self, cite: Citation, law: Law, resolved: Resolved, article: Article) -> None:
        versions = self.corpus.versions_by_law.get(law.id, [])
        suggestion = None
        if resolved.repealed_on and resolved.repealed_on <= self.date:
            msg = f"{resolved.name} 已于 {resolved.repealed_on} 废止 (repealed)，现行为同名新解释"
        elif versions and self.date < versions[0].effective:
            msg = f"{law.title} 在 {self.date} 尚未施行 (not yet in force)，自 {versions[0].label}"
        else:
            last = versions[-1].label if versions else "?"
            msg = f"{law.title} 在 {self.date} 已失效 (repealed; 最后版本 {last}，状态 已废止)"
            # A repealed law's article leads to the articles of the law that replaced it (合同法第五十二条 →
            # 民法典第一百五十三条), as they stand on the date checked.
            carried = [s for s in self.corpus.successors_across(article.id, self.date) if s.current]
            if carried:
                title = carried[0].law.title
                labels = "、".join(article_label(s.article.number, s.article.suffix) for s in carried
                                  if s.law.id == carried[0].law.id)
                msg += f"；该条内容现见《{title}》{labels}"
                suggestion = f"《{title}》{article_label(carried[0].article.number, carried[0].article.suffix)}"
            else:
                replaced = self.corpus.law_successors(law.id)
                if replaced:
                    msg += f"；已由《{replaced[-1].new.title}》取代（未找到与该条对应的条文）"
        add_finding(cite, "not_in_force", msg, suggestion)

    def _size(self, law: Law, version: LawVersion | None) -> str:
        versions = self.corpus.versions_by_law.get(law.id, [])
        version = version or (versions[-1] if versions else None)
        if version is None:
            return "该法没有条文"
        return f"{version.effective} 版共{article_label(self.corpus.last_number(version.id))}止"

    def _name(self, article: Article, with_version: bool = False) -> str:
        law = self.corpus.laws[article.law_id]
        name = f"《{law.title}》{article.label}"
        if with_version:
            name += f"（{self.corpus.versions[article.version_id].effective} 版）"
        return name


def add_finding(cite: Citation, kind: str, message: str, suggestion: str | None = None) -> None:
    """Record a finding on the citation, findings kept in SEVERITY order; its status is the worst one."""
    cite.findings.append(Finding(kind, message, suggestion))
    cite.findings.sort(key=lambda f: SEVERITY.index(f.kind))
    cite.status = cite.findings[0].kind


def _edit(edit: wording.Edit, now: str = "条文为") -> str:
    """One edit for people: 引文作「一」，条文为「三」."""
    if not edit.article:
        return f"引文中的「{edit.quoted}」条文没有 (words inserted)" if now == "条文为" else \
            f"「{edit.quoted}」已删去"
    if not edit.quoted:
        return f"条文中的「{edit.article}」引文没有 (words left out)" if now == "条文为" else \
            f"增加了「{edit.article}」"
    return f"引文作「{edit.quoted}」，{now}「{edit.article}」"


def _kind_rank(kind: str) -> int:
    order = ("法律", "宪法", "司法解释", "行政法规", "立法解释", "部门规章", "地方性法规", "案例")
    return order.index(kind) if kind in order else len(KINDS)


def _clip(text: str, n: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= n else flat[:n] + "…"

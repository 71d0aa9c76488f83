"""Dates of one version from its own document, and the choice among all claims about it."""

from __future__ import annotations

from fawen.corpus.dates import OPEN, Choice, DateClaim, choose, effective_clauses, speaks_for_itself
from fawen.corpus.records import SourceDoc
from fawen.text.labels import article_label


def document_claims(doc: SourceDoc, where: str, amended: bool, effective_events: list[tuple[str, str]],
                    first_made: str = "") -> None:
    """Add what the document says of its own 施行 date: header lines, then 「本法自…起施行」 clauses.

    A clause dated before the version was published restates the original law's date (a consolidated
    text keeps 「本法自1991年4月9日起施行」); 「自公布之日起施行」 speaks for this version only when the
    document is no amended text. Either way it tells when the law first took effect.
    """
    firsts: list[str] = []
    for date, line in effective_events:
        if date >= doc.published:
            doc.claims.append(DateClaim("effective", date, "document", doc.source, f"{where}: {line}"))
        else:
            firsts.append(date)
    for article in doc.articles:
        for clause in effective_clauses(article.text):
            if not speaks_for_itself(doc.title, clause.subject):
                continue
            said = f"{where} {article_label(article.number, article.suffix)}: {clause.text}"
            if clause.date is not None:
                if clause.date >= doc.published:
                    doc.claims.append(DateClaim("effective", clause.date, "document", doc.source, said))
                else:
                    firsts.append(clause.date)
            elif not amended and doc.published:
                doc.claims.append(DateClaim("effective", doc.published, "document", doc.source, said))
    if not amended:
        firsts.extend(c.date for c in doc.claims if c.field == "effective" and not c.version and not c.weak)
    found = [d for d in (*firsts, doc.first_effective) if d]
    # The first 施行 date when the text tells it, else the first adoption: before it the law did not exist.
    doc.first_effective = min(found) if found else first_made


def own(claims: list[DateClaim], field: str) -> list[DateClaim]:
    """Claims about the document's own version and law on one field."""
    return [c for c in claims if c.field == field and not c.version and not c.law]


def apply(doc: SourceDoc, claims: list[DateClaim]) -> list[Choice]:
    """Set the version's published/effective dates from `claims`; return the choices made."""
    published = choose([c for c in claims if c.field == "published"], doc.published, doc.source_ref)
    if published.provenance == "unverified" and doc.published:
        published = Choice(doc.published, doc.published_from, doc.source_ref, published.disagree)
    doc.published, doc.published_from = published.date, published.provenance
    effective = choose([c for c in claims if c.field == "effective"], doc.published,
                       f"{doc.source_ref}: 仅知公布日期 (only the promulgation date is known)")
    doc.effective = max(effective.date, doc.published) if effective.date else doc.published
    doc.effective_from = effective.provenance
    doc.dates_where["published"] = published.where
    doc.dates_where["effective"] = effective.where
    return [published, effective]


def settle(doc: SourceDoc) -> None:
    """Dates of a document read alone (before merging): its own claims decide."""
    apply(doc, own(doc.claims, "published") + own(doc.claims, "effective"))
    ends = [c for c in own(doc.claims, "ends") if not c.weak]
    repealed = [c for c in ends if c.date != OPEN]
    if repealed and not any(c.date == OPEN for c in ends):
        chosen = choose(repealed)
        doc.ends = chosen.date or None
        doc.ends_from = chosen.provenance
        doc.status = "已废止"

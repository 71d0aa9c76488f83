"""A tiny LawRefBook-format corpus written by the tests: two versions of one law, an interpretation,
and malformed files. The law texts are made up for tests and are not real law."""

from __future__ import annotations

from pathlib import Path

HEADER = "# {title}\n\n{events}\n\n<!-- INFO END -->\n\n"

OLD = HEADER.format(title="中华人民共和国示例法", events="2005年8月28日 通过\n\n2012年10月26日 修正") + """\
## 第一章 总则

第一条 为了规范示例行为，制定本法。

## 第二章 处罚

第二条 有下列行为之一的，处五日以下拘留或者五百元以下罚款：

（一）散布谣言扰乱公共秩序的；

（二）公然侮辱他人或者捏造事实诽谤他人的。

情节较重的，处五日以上十日以下拘留。

第三条 本法自2013年1月1日起施行。
"""

NEW = HEADER.format(title="中华人民共和国示例法",
                    events="2025年6月27日 修订\n\n2026年1月1日 施行") + """\
## 第一章 总则

第一条 为了规范示例行为，保护公民合法权益，制定本法。

第二条 示例管理工作由公安机关负责。

## 第二章 处罚

第三条 有下列行为之一的，处五日以下拘留或者一千元以下罚款：

（一）散布谣言扰乱公共秩序的；

（二）公然侮辱他人或者捏造事实诽谤他人的。

情节较重的，处五日以上十日以下拘留。

第三条之一 多次发送侮辱信息干扰他人正常生活的，处五日以下拘留。

第四条 本法自2026年1月1日起施行。
"""

INTERPRETATION = HEADER.format(
    title="最高人民法院关于审理示例纠纷案件适用法律若干问题的解释",
    events="2020年12月29日 最高人民法院公告公布\n\n2021年1月1日 施行") + """\
第一条 利用信息网络诽谤他人，同一信息被转发次数达到五百次以上的，应当认定为情节严重。

第二条 本解释自2021年1月1日起施行。
"""

MALFORMED = {
    "行政法/无标题法.md": "没有标题\n\n<!-- INFO END -->\n\n第一条 内容。\n",
    "行政法/无标记法.md": "# 无标记法\n\n2020年1月1日 施行\n\n第一条 内容。\n",
    "行政法/重复条号法.md": "# 重复条号法\n\n<!-- INFO END -->\n\n第一条 甲。\n\n第二条 乙。\n\n第二条 丙。\n",
    "行政法/条号倒退法.md": "# 条号倒退法\n\n<!-- INFO END -->\n\n第一条 甲。\n\n第三条 乙。\n\n第二条 丙。\n",
}


def write_lawrefbook(root: Path, malformed: bool = True) -> Path:
    """Write the fixture corpus under `root` and return it."""
    files = {
        "行政法/示例法(2012-10-26).md": OLD,
        "行政法/示例法(2025-06-27).md": NEW,
        "司法解释/关于审理示例纠纷案件适用法律若干问题的解释.md": INTERPRETATION,
    }
    if malformed:
        files.update(MALFORMED)
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    if malformed:
        (root / "行政法" / "乱码法.md").write_bytes("# 乱码法\n\n<!-- INFO END -->\n\n第一条 ".encode() + b"\xff\xfe bad\n")
    return root

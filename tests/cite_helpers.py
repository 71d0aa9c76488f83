"""A fixture corpus for the citation auditor: tests/fixtures.py's 示例法 (2012 and 2026 versions) and its
interpretation, plus two local regulations sharing a short name (ambiguity), a law whose 第五条 quotes
another law's text nearby (misattribution), a 法释 number mentioned in a text, and an interpretation setting
amounts for 示例法第三条 (claims). Made up; not real law."""

from __future__ import annotations

from pathlib import Path

import pytest

from fawen.build import build
from tests.fixtures import HEADER, write_lawrefbook

TODAY = "2026-11-25"

LOCAL_A = HEADER.format(title="甲省河道管理条例", events="2019年3月1日 施行") + """\
第一条 为了加强河道管理，保障防洪安全，制定本条例。

第二条 在河道管理范围内禁止弃置矿渣、石渣、煤灰、泥土、垃圾等物品。
"""

LOCAL_B = HEADER.format(title="乙省河道管理条例", events="2020年5月1日 施行") + """\
第一条 为了加强本省河道的管理，发挥江河湖泊的综合效益，制定本条例。

第二条 河道管理实行按水系统一管理和分级管理相结合的原则。
"""

HEALTH = HEADER.format(title="中华人民共和国示例医师法", events="2022年3月1日 施行") + """\
第一条 为了保障医师合法权益，规范医师执业行为，制定本法。

第五条 新闻媒体应当开展医疗卫生法律、法规和医疗卫生知识的公益宣传，弘扬医师先进事迹，引导公众尊重医师、理性对待医疗卫生风险。

第六条 本法自2022年3月1日起施行。《最高人民法院关于审理示例纠纷案件适用法律若干问题的解释》（法释〔2020〕99号）的有关规定同时适用。
"""

CULTURE = HEADER.format(title="中华人民共和国示例文化保障法", events="2017年3月1日 施行") + """\
第一条 为了加强公共文化服务体系建设，丰富人民群众精神文化生活，制定本法。

第五条 国家鼓励和支持公民、法人和其他组织依法成立公共文化服务领域的社会组织，推动公共文化服务社会化、专业化发展。
"""


THRESHOLDS = HEADER.format(title="最高人民法院关于办理滋扰案件适用法律若干问题的解释",
                           events="2025年12月20日 最高人民法院公告公布\n\n2026年1月1日 施行") + """\
第一条 多次发送侮辱信息干扰他人正常生活，发送次数达到五十次以上，或者造成直接经济损失五千元至一万元以上的，应当认定为示例法第三条规定的“情节较重”。

第二条 本解释自2026年1月1日起施行。
"""


def write_cite_fixture(root: Path) -> Path:
    """Write the auditor's fixture corpus (LawRefBook layout) under `root` and return it."""
    write_lawrefbook(root, malformed=False)
    files = {
        "DLC/甲省/甲省河道管理条例.md": LOCAL_A,
        "DLC/乙省/乙省河道管理条例.md": LOCAL_B,
        "行政法/示例医师法.md": HEALTH,
        "行政法/示例文化保障法.md": CULTURE,
        "司法解释/关于办理滋扰案件适用法律若干问题的解释.md": THRESHOLDS,
    }
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def cite_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A FAWEN_HOME holding the auditor's fixture corpus (import this fixture into a test module to use it)."""
    root = write_cite_fixture(tmp_path_factory.mktemp("cite-lawrefbook"))
    home = tmp_path_factory.mktemp("cite-home")
    build([f"lawrefbook:{root}"], home, default=False, today=TODAY)
    return home

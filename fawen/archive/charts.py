"""Charts of the editors' report: matplotlib drawn to inline SVG (no JavaScript, no CDN, works offline).

Text stays SVG <text> (svg.fonttype none), so the reader's browser draws the Chinese labels with its own
fonts, as it does the rest of the page; matplotlib escapes the labels as XML.
"""

from __future__ import annotations

import io
import re
import warnings
from typing import Any

from fawen.errors import BadInput

# Fonts the browser tries for the labels, CJK first; matplotlib only measures with its own fallback.
FONTS = ["Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei",
         "WenQuanYi Zen Hei", "DejaVu Sans", "sans-serif"]
_HEADER = re.compile(r"^.*?(?=<svg)", re.S)
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.S)


def _matplotlib() -> Any:
    try:
        import matplotlib
    except ImportError:
        raise BadInput("报告的图表需要 matplotlib (the report's charts need matplotlib): "
                       "pip install 'fawen[archive]'") from None
    return matplotlib


def bar_chart(labels: list[str], values: list[int], title: str, horizontal: bool = False,
              color: str = "#b4442c") -> str:
    """A bar chart as an <svg> element (no XML header), sized for a page column."""
    matplotlib = _matplotlib()
    from matplotlib.figure import Figure

    rc = {"svg.fonttype": "none", "font.family": "sans-serif", "font.sans-serif": FONTS, "font.size": 10,
          "svg.hashsalt": "fawen"}   # a fixed salt: the same data gives the same SVG
    height = max(2.4, 0.32 * len(labels) + 1.0) if horizontal else 3.0
    with matplotlib.rc_context(rc), warnings.catch_warnings():
        warnings.simplefilter("ignore")   # glyphs matplotlib lacks: the browser draws them
        import logging

        logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
        fig = Figure(figsize=(7.2, height), layout="constrained")
        ax = fig.subplots()
        if horizontal:
            positions = list(range(len(labels)))[::-1]
            bars = ax.barh(positions, values, color=color)
            ax.set_yticks(positions, labels)
        else:
            bars = ax.bar(range(len(labels)), values, color=color)
            ax.set_xticks(range(len(labels)), labels, rotation=20, ha="right")
        ax.bar_label(bars, padding=2)
        ax.set_title(title)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = _METADATA.sub("", _HEADER.sub("", buffer.getvalue(), count=1), count=1)
    return svg.replace("<svg ", '<svg role="img" class="chart" ', 1)

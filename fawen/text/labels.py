"""Article labels: 第一百二十条之一, 第五十条第二款第三项, and the bare forms users type (246, 120之一)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from fawen.text.numerals import CN_DIGITS, cn_to_int, int_to_cn

NUM = rf"[0-9{CN_DIGITS}]+"
_REF = re.compile(
    rf"^\s*第?\s*(?P<n>{NUM})\s*条?\s*(?:之\s*(?P<s>{NUM}))?"
    rf"(?:\s*第\s*(?P<p>{NUM})\s*款)?(?:\s*第?\s*[（(]?\s*(?P<i>{NUM})\s*[)）]?\s*项)?\s*$"
)


@dataclass(frozen=True)
class ArticleRef:
    """An address inside a law: article number, 之X suffix, 款 and 项 (1-based, None when absent)."""

    number: int
    suffix: int = 0
    paragraph: int | None = None
    item: int | None = None

    @property
    def label(self) -> str:
        return article_label(self.number, self.suffix)


def article_label(number: int, suffix: int = 0) -> str:
    """(120, 1) → '第一百二十条之一'."""
    label = f"第{int_to_cn(number)}条"
    if suffix:
        label += f"之{int_to_cn(suffix)}"
    return label


def number_suffix(number: str, suffix: str | None) -> tuple[int, int] | None:
    """The numerals of a 第X条之Y match ('二百四十六', None) → (246, 0); None when they are not numbers."""
    try:
        return cn_to_int(number), (cn_to_int(suffix) if suffix else 0)
    except ValueError:
        return None


def parse_article_ref(text: str) -> ArticleRef:
    """Parse '246', '第二百四十六条', '第一百二十条之一', '第50条第2款第(三)项'. Raises ValueError."""
    match = _REF.match(text.replace("条之", "之"))
    if not match:
        raise ValueError(f"不是条文编号 (not an article number): {text!r}")
    number = cn_to_int(match["n"])
    if number <= 0:
        raise ValueError(f"条文编号必须大于零 (article number must be positive): {text!r}")
    suffix = cn_to_int(match["s"]) if match["s"] else 0
    paragraph = cn_to_int(match["p"]) if match["p"] else None
    item = cn_to_int(match["i"]) if match["i"] else None
    return ArticleRef(number, suffix, paragraph, item)

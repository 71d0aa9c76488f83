"""Chinese numerals both ways, as written in article labels (二百四十六 ⇄ 246)."""

from __future__ import annotations

from functools import lru_cache

import cn2an

CN_DIGITS = "零〇一二三四五六七八九十百千万两壹贰叁肆伍陆柒捌玖拾佰仟"


@lru_cache(maxsize=8192)
def cn_to_int(text: str) -> int:
    """'二百四十六' → 246; also accepts Arabic digits ('246'). Raises ValueError when not a number."""
    text = text.strip()
    if not text:
        raise ValueError("empty numeral")
    if text.isdigit():
        return int(text)
    try:
        value = cn2an.cn2an(text, "smart")
    except (ValueError, KeyError, IndexError) as exc:
        raise ValueError(f"not a Chinese numeral: {text!r}") from exc
    return int(value)


@lru_cache(maxsize=8192)
def int_to_cn(number: int) -> str:
    """246 → '二百四十六', as used in 第X条 labels."""
    if number < 0:
        raise ValueError("negative article number")
    return str(cn2an.an2cn(number))

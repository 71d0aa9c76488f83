"""Chinese numerals both ways, as written in article labels (二百四十六 ⇄ 246).

The canonical forms (those `int_to_cn` writes, which is how article labels and amounts are written) are
converted here; anything else (二〇二一, 两万五, 壹佰) goes to cn2an, imported on first need: building its
patterns costs a third of a second, which every command paid at start-up when it was imported with this
module. tests/test_text.py checks both directions against cn2an.
"""

from __future__ import annotations

from functools import lru_cache

CN_DIGITS = "零〇一二三四五六七八九十百千万两壹贰叁肆伍陆柒捌玖拾佰仟"
_DIGITS = "零一二三四五六七八九"
_VALUE = {ch: i for i, ch in enumerate(_DIGITS)}
_UNITS = ((1000, "千"), (100, "百"), (10, "十"), (1, ""))
_UNIT_VALUE = {"十": 10, "百": 100, "千": 1000}
_WAN = 10_000
_LIMIT = 100_000_000  # 亿 and above: left to cn2an


@lru_cache(maxsize=8192)
def cn_to_int(text: str) -> int:
    """'二百四十六' → 246; also accepts Arabic digits ('246'). Raises ValueError when not a number."""
    text = text.strip()
    if not text:
        raise ValueError("empty numeral")
    if text.isdigit():
        return int(text)
    value = _canonical_value(text)
    if value is not None:
        return value
    import cn2an

    try:
        value = cn2an.cn2an(text, "smart")
    except (ValueError, KeyError, IndexError) as exc:
        raise ValueError(f"not a Chinese numeral: {text!r}") from exc
    return int(value)


def plain_value(text: str) -> int | None:
    """The value of Arabic digits or a numeral as `int_to_cn` writes it (两 before a unit allowed), else None;
    never loads cn2an (for scanning running text, where anything else is no number worth reading)."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    return _canonical_value(text) if text else None


@lru_cache(maxsize=8192)
def int_to_cn(number: int) -> str:
    """246 → '二百四十六', as used in 第X条 labels."""
    if number < 0:
        raise ValueError("negative article number")
    if number >= _LIMIT:
        import cn2an

        return str(cn2an.an2cn(number))
    if number == 0:
        return "零"
    high, low = divmod(number, _WAN)
    if high:
        text = _section(high) + "万"
        if low:
            text += ("零" if low < 1000 else "") + _section(low)
    else:
        text = _section(low)
    return text[1:] if text.startswith("一十") else text  # 十五, 十万 — but 一百一十


def _section(number: int) -> str:
    """1..9999 with 千/百/十, one 零 for each run of missing places between digits (一千零一十)."""
    out, gap = "", False
    for unit, name in _UNITS:
        digit = number // unit % 10
        if digit:
            out += ("零" if gap and out else "") + _DIGITS[digit] + name
            gap = False
        elif out:
            gap = True
    return out


def _canonical_value(text: str) -> int | None:
    """The value of a numeral written as int_to_cn writes it (两 taken as 二 before a unit), else None."""
    plain = "".join("二" if ch == "两" and nxt in "十百千万" else ch for ch, nxt in zip(text, text[1:] + " "))
    total, section, digit = 0, 0, 0
    for ch in plain:
        if ch in _VALUE:
            digit = _VALUE[ch]
        elif ch in _UNIT_VALUE:
            section += (digit or 1) * _UNIT_VALUE[ch]
            digit = 0
        elif ch == "万" and not total:
            total, section, digit = (section + digit) * _WAN, 0, 0
        else:
            return None
    value = total + section + digit
    return value if 0 <= value < _LIMIT and int_to_cn(value) == plain else None

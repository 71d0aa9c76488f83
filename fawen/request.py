"""What every door checks, once, with one policy and one error: the question (or search words), the date,
the kinds and k. The service builds a request from them at the start of each call; the HTTP API, the MCP
server and the CLI add nothing of their own but the name of the field in the message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fawen import config
from fawen.dates import as_of as parse_as_of
from fawen.errors import BadInput, TooLarge
from fawen.models import DEFAULT_KINDS, KINDS

MAX_K = 200
_MARKUP = re.compile(r"<\s*/?\s*(?:script|iframe|object|embed|style|img|svg|a|link|meta)\b|javascript:|"
                     r"\bon[a-z]+\s*=|<\?php", re.IGNORECASE)
# U+FFFD is what a percent-encoded invalid UTF-8 byte decodes to; control characters mean binary input.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")


def check_text(value: object, field: str = "问题") -> str:
    """A question or search words: UTF-8 text, trimmed, not empty, at most FAWEN_MAX_QUERY_CHARS characters,
    no binary or control characters, no script or HTML markup. BadInput (TooLarge when too long) naming
    the field otherwise."""
    if isinstance(value, bytes):
        try:
            value = value.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BadInput(f"{field} 不是 UTF-8 文本 (binary input, not UTF-8 text)") from exc
    if not isinstance(value, str):
        raise BadInput(f"{field} 必须是文本 ({field} must be a string)")
    text = value.strip()
    if not text:
        raise BadInput(f"{field} 不能为空 (empty {field}): 请输入要咨询的法律问题，例如「微信诽谤可以报警吗」")
    limit = config.get_int("MAX_QUERY_CHARS")
    if len(text) > limit:
        raise TooLarge(f"{field} 过长 (too long): {len(text)} 字，上限 {limit} 字 (limit {limit} characters)；"
                       "请精简后再问")
    if _CONTROL.search(text):
        raise BadInput(f"{field} 含有二进制或控制字符 (binary or control characters)")
    if _MARKUP.search(text):
        raise BadInput(f"{field} 中含有脚本或 HTML 标签 (script or HTML markup); 请只输入文字")
    return text


def check_date(value: object, field: str = "as_of") -> str:
    """YYYY-MM-DD (today when empty); BadInput naming the field."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return parse_as_of(None)
    try:
        return parse_as_of(value if isinstance(value, str) else str(value))
    except BadInput as exc:
        raise BadInput(f"{field}: {exc.message}") from exc


def check_kinds(kinds: object) -> tuple[str, ...]:
    """The law kinds to search, in KINDS order (default DEFAULT_KINDS); BadInput naming an unknown one."""
    if not kinds:
        return DEFAULT_KINDS
    if isinstance(kinds, str) or not all(isinstance(k, str) for k in kinds):  # type: ignore[attr-defined]
        raise BadInput("kinds 须为法律类别的列表 (kinds must be a list of kind names)")
    wanted = tuple(dict.fromkeys(kinds))  # type: ignore[call-overload]
    unknown = [k for k in wanted if k not in KINDS]
    if unknown:
        raise BadInput(f"未知的法律类别 (unknown kind) {'、'.join(unknown)}；可选：{'、'.join(KINDS)}")
    return tuple(sorted(wanted, key=KINDS.index))


def invalid_fields(errors: list[dict[str, object]], skip: tuple[str, ...] = ("query", "path", "body")) -> BadInput:
    """One BadInput for a validator's errors (pydantic's `errors()`: loc, msg), naming each field and what is
    wrong, in the words the HTTP API and the MCP server both use — without the validator's links."""
    problems = []
    for item in errors:
        loc = item.get("loc", ())
        where = ".".join(str(p) for p in (loc if isinstance(loc, (list, tuple)) else ()) if p not in skip)
        problems.append(f"参数 {where or '请求'} 无效 (invalid {where or 'request'}): {item.get('msg', '')}")
    return BadInput("; ".join(problems) or "参数无效 (invalid arguments)")


def unknown_fields(given: object, known: set[str] | frozenset[str]) -> BadInput | None:
    """BadInput naming the fields of a JSON object that are not among `known` (HTTP /check, MCP tools)."""
    unknown = sorted(set(given) - known) if isinstance(given, dict) else []
    return BadInput(f"未知字段 (unknown fields): {', '.join(map(str, unknown))}") if unknown else None


def check_k(k: object) -> int:
    if not isinstance(k, int) or isinstance(k, bool) or not 1 <= k <= MAX_K:
        raise BadInput(f"k 必须在 1 到 {MAX_K} 之间 (k must be 1..{MAX_K}), got {k!r}")
    return k


@dataclass(frozen=True)
class Query:
    """A checked question with its date and kinds: what one request searches, once."""

    text: str
    as_of: str
    kinds: tuple[str, ...] = DEFAULT_KINDS

    @classmethod
    def of(cls, text: object, as_of: object = None, kinds: object = None, field: str = "问题") -> Query:
        return cls(check_text(text, field), check_date(as_of), check_kinds(kinds))

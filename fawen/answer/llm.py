"""The LLM engine: any OpenAI-compatible chat endpoint (DeepSeek, Qwen, vLLM, Ollama, llama.cpp server)
writes the answer from the articles the extractive engine chose (the decisive one first) under the verdict
rule; every citation it makes is audited, and what cannot be verified is removed from the answer and reported
in searched["llm"]["removed"]. The page keeps the extractive contract: its verdict is the one the decisive
article's own words give (a verdict of the model's that they do not give is replaced or dropped, and said
so in searched["llm"]["verdict"]), and its 怎么办 steps are the grounded ones."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from fawen import config
from fawen.answer.compose import DISCLAIMER, searched
from fawen.answer.text import cite, unique_hits
from fawen.answer.vet import Auditor
from fawen.corpus.store import Corpus
from fawen.errors import BadInput, FawenError
from fawen.models import Answer, Citation, Hit, Section

TIMEOUT_S = 60.0
MAX_ARTICLE_CHARS = 1500

SYSTEM = (
    "你是中国法律咨询助手。只依据用户提供的法律条文回答，不得引用未提供的条文，不得编造条文内容。"
    "引用条文时写作《法律全称》第X条（条号用汉字）。用简体中文回答。"
    "结论规则：问题问能不能、是否、可不可以、会不会时，结论只能由决定性条文自身的措辞得出"
    "（应当、不得、可以、除外、情节严重的、数额、期限）；用户消息给出了依据条文得出的结论时，必须使用该结论；"
    "条文不能支持结论时不要给结论，verdict 写空字符串。不要重复同一句话，不要用章节名作标题。"
    "只输出一个 JSON 对象，格式为："
    '{"verdict": "可以、不可以、视情况或空字符串", '
    '"summary": "1到3句话：先写结论，再引用决定性条文中回答问题的那一款（原文），注明条文", '
    '"sections": [{"title": "按问题的争点命名的标题（如 能否报警、立案标准、民事责任）", '
    '"body": "条文原文及其适用，每句注明条文", "citations": ["《法律全称》第X条"]}]}。'
    "如果提供的条文与问题无关，summary 写“未检索到相关规定。”，sections 为空列表。"
)


class LLMError(FawenError):
    """The LLM endpoint failed or answered something that is not the JSON asked for."""

    status = 502


@dataclass(frozen=True)
class Endpoint:
    base_url: str
    model: str
    api_key: str = ""

    @classmethod
    def from_config(cls) -> Endpoint:
        base, model = config.get("LLM_BASE_URL").strip(), config.get("LLM_MODEL").strip()
        if not base or not model:
            raise BadInput("LLM 引擎未配置 (LLM engine not configured): 请设置 FAWEN_LLM_BASE_URL 和 FAWEN_LLM_MODEL"
                           "（任何 OpenAI 兼容接口，如 http://127.0.0.1:11434/v1），或使用默认的 --engine extractive")
        if not base.startswith(("http://", "https://")):
            raise BadInput(f"FAWEN_LLM_BASE_URL 必须以 http:// 或 https:// 开头 (bad URL): {base}")
        return cls(base.rstrip("/"), model, config.get("LLM_API_KEY"))


def messages(question: str, hits: list[Hit], as_of: str, verdict: dict[str, str] | None = None
             ) -> list[dict[str, str]]:
    """The chat messages: instructions, then the question, the verdict the decisive article gives (if any)
    and the numbered articles, the decisive one first."""
    articles = "\n\n".join(f"【{i}】{'（决定性条文）' if i == 1 else ''}{cite(h)}（{h.date_label}）\n"
                           f"{h.text[:MAX_ARTICLE_CHARS]}" for i, h in enumerate(hits, start=1))
    rule = (f"依据条文得出的结论：{verdict['label']}（{verdict['citation']}：「{verdict['clause']}」）\n"
            if verdict else "依据条文得出的结论：无（不要给出结论）\n")
    user = (f"问题：{question}\n日期：{as_of}（按该日有效的法律回答）\n{rule}\n"
            f"可依据的条文：\n{articles or '（无）'}")
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]


def complete(endpoint: Endpoint, chat: list[dict[str, str]], timeout: float = TIMEOUT_S) -> str:
    """POST /chat/completions and return the first choice's content."""
    import httpx  # a core dependency: the LLM engine needs no extra
    headers = {"Authorization": f"Bearer {endpoint.api_key}"} if endpoint.api_key else {}
    body: dict[str, Any] = {"model": endpoint.model, "messages": chat, "temperature": 0,
                            "response_format": {"type": "json_object"}}
    try:
        response = httpx.post(f"{endpoint.base_url}/chat/completions", json=body, headers=headers, timeout=timeout)
        if response.status_code == 400 and "response_format" in response.text:
            # Some servers (older llama.cpp, some vLLM builds) do not take response_format; the prompt asks for JSON.
            del body["response_format"]
            response = httpx.post(f"{endpoint.base_url}/chat/completions", json=body, headers=headers,
                                  timeout=timeout)
    except httpx.HTTPError as exc:
        raise LLMError(f"无法连接 LLM 接口 (cannot reach LLM endpoint) {endpoint.base_url}: {exc}") from exc
    if response.status_code != 200:
        raise LLMError(f"LLM 接口返回 HTTP {response.status_code} (LLM endpoint error): {response.text[:200]}")
    try:
        content = response.json()["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise LLMError("LLM 接口的响应不是 OpenAI chat 格式 (not an OpenAI chat response)") from exc
    if not isinstance(content, str):
        raise LLMError("LLM 接口的响应没有文本内容 (no message content)")
    return content


def parse(content: str) -> dict[str, Any]:
    """The JSON object in the model's reply (a ```json fence or surrounding prose is tolerated)."""
    start, end = content.find("{"), content.rfind("}")
    if start < 0 or end <= start:
        raise LLMError("LLM 的回答不是 JSON (model reply is not JSON)")
    try:
        data = json.loads(content[start:end + 1])
    except json.JSONDecodeError as exc:
        raise LLMError(f"LLM 的回答不是合法 JSON (model reply is not valid JSON): {exc.msg}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("summary", ""), str):
        raise LLMError("LLM 的回答缺少 summary 字段 (model reply lacks 'summary')")
    return data


_SENTENCE = re.compile(r"[^。！？；\n]+[。！？；]?")


def strip_unverified(text: str, citations: list[Citation]) -> tuple[str, list[Citation]]:
    """Remove every sentence that holds a citation with findings; returns the text and what was removed."""
    bad = [c for c in citations if c.findings]
    if not bad:
        return text, []
    kept = []
    for match in _SENTENCE.finditer(text):
        if not any(c.start < match.end() and c.end > match.start() for c in bad):
            kept.append(match.group(0))
    return "".join(kept).strip(), bad


def answer(question: str, hits: list[Hit], corpus: Corpus, as_of: str, audit: Auditor,
           endpoint: Endpoint | None = None, extractive: Answer | None = None) -> Answer:
    """Ask the model for the answer JSON, audit every citation in it, keep only what verifies.

    `extractive`: the extractive page of the same question; its basis (decisive article first) is what the
    model is given, its verdict the only one the page may state, its steps the page's steps.
    """
    endpoint = endpoint or Endpoint.from_config()
    verdict = extractive.verdict if extractive is not None else None
    given = extractive.basis if extractive is not None and extractive.basis else hits
    data = parse(complete(endpoint, messages(question, given, as_of, verdict)))
    removed: list[dict[str, Any]] = []
    verified: dict[tuple[str, str], Citation] = {}

    def check(text: str, where: str) -> str:
        citations = audit(text, question, as_of)
        kept, bad = strip_unverified(text, citations)
        for c in bad:
            removed.append({"raw": c.raw, "where": where,
                            "reason": "；".join(f.message for f in c.findings),
                            "findings": [f.to_json() for f in c.findings]})
        for c in citations:
            if not c.findings and c.law and c.article:
                verified.setdefault((c.law, c.article), c)
        return kept

    summary, said = _with_verdict(check(str(data.get("summary", "")), "summary"), data.get("verdict"), verdict)
    sections: list[Section] = []
    raw_sections = data.get("sections")
    for i, raw in enumerate(raw_sections if isinstance(raw_sections, list) else []):
        if not isinstance(raw, dict):
            continue
        body = check(str(raw.get("body", "")), f"sections[{i}].body")
        cites = [str(c) for c in raw.get("citations", []) if isinstance(c, str)]
        good = [c for c in cites if check(c, f"sections[{i}].citations")]
        if body:
            sections.append(Section(str(raw.get("title", "")).strip() or "要点", body, good))
    basis = _basis(corpus, verified.values(), as_of)
    where = searched(corpus, as_of, len(basis), "llm")
    where["llm"] = {"model": endpoint.model, "removed": removed, "verdict": said}
    steps = list(extractive.steps) if extractive is not None else []
    return Answer(question, as_of, summary or "未检索到相关规定。", sections, basis, [], DISCLAIMER, where,
                  verdict, steps)


_VERDICT_LEAD = re.compile(r"^(?:结论[:：])?(?:可以|不可以|视情况|会|不会|一般不会|需要|不需要|属于|不属于|构成犯罪|"
                           r"一般不构成犯罪|合法|不合法|能|不能)[^。！？]{0,30}?[。！？]")


def _with_verdict(summary: str, said: object, verdict: dict[str, str] | None) -> tuple[str, str]:
    """The model's 摘要 opened by the verdict the decisive article gives, and what became of the model's own:
    kept (the same), replaced (another), dropped (one the article does not give), none."""
    own = str(said).strip() if isinstance(said, str) else ""
    body = _VERDICT_LEAD.sub("", summary.strip()) if own or verdict else summary.strip()
    if verdict is None:
        return body, "dropped" if own else "none"
    condition = verdict.get("condition", "")
    lead = (f"视情况：{condition}。" if verdict["label"] == "视情况" and condition else "视情况。"
            if verdict["label"] == "视情况" else f"{verdict['word']}，但{condition}。"
            if re.match(r"应当|必须|须", condition) else f"{verdict['word']}，但以“{condition}”为条件。"
            if condition else f"{verdict['word']}。")
    state = "kept" if own == verdict["label"] else ("replaced" if own else "added")
    return lead + body, state


def _basis(corpus: Corpus, citations: Any, as_of: str) -> list[Hit]:
    """The verified citations as hits of the version in force, once each, in order of first mention."""
    hits: list[Hit] = []
    for c in citations:
        try:
            hits.append(corpus.get_article(c.law, c.article, as_of))
        except FawenError:
            continue  # verified by the auditor but not addressable as one article (e.g. a 款 range)
    return unique_hits(hits)

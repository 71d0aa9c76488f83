"""The LLM engine against a FAKE local OpenAI-compatible server started in the test on 127.0.0.1 (an LLM
endpoint is the one boundary we cannot run here). Its replies are canned; the auditor and the corpus are
real (the fixture corpus). Quality claims about real models are not made here."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from fawen import service
from fawen.answer import llm
from fawen.cite.audit import check
from fawen.library import Library
from fawen.models import Citation
from fawen.errors import BadInput

GOOD = "《中华人民共和国示例法》第三条"
INVENTED = "《中华人民共和国示例法》第九十九条"


class FakeChat:
    """A fake OpenAI chat endpoint: records requests, answers with `reply` (or an HTTP error)."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.reply: str = ""
        self.status = 200
        chat = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                chat.requests.append({"path": self.path, **json.loads(body)})
                chat.headers.append(dict(self.headers))
                payload = json.dumps({"id": "x", "object": "chat.completion", "choices": [
                    {"index": 0, "message": {"role": "assistant", "content": chat.reply}, "finish_reason": "stop"}]})
                data = payload.encode() if chat.status == 200 else b'{"error": "boom"}'
                self.send_response(chat.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"


@pytest.fixture
def fake_chat(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeChat]:
    chat = FakeChat()
    thread = threading.Thread(target=chat.server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("FAWEN_LLM_BASE_URL", chat.url)
    monkeypatch.setenv("FAWEN_LLM_MODEL", "fake-model")
    monkeypatch.setenv("FAWEN_LLM_API_KEY", "sk-test")
    yield chat
    chat.server.shutdown()
    chat.server.server_close()


def model_reply() -> str:
    answer = {
        "summary": f"可以报警。依照{GOOD}，捏造事实诽谤他人的，处五日以下拘留。依照{INVENTED}，诽谤者应当公开道歉。",
        "sections": [
            {"title": "报警", "body": f"向公安机关报案，依照{GOOD}处理。", "citations": [GOOD, INVENTED]},
            {"title": "编造的途径", "body": f"依照{INVENTED}可以要求赔偿一万元。", "citations": [INVENTED]},
        ],
    }
    return "好的，以下是回答：\n```json\n" + json.dumps(answer, ensure_ascii=False) + "\n```"


def test_llm_answer_keeps_verified_citations_and_reports_removed_ones(fixture_library: Library,
                                                                      fake_chat: FakeChat) -> None:
    fake_chat.reply = model_reply()
    hit = fixture_library.corpus.get_article("示例法", 3, "2026-11-25")
    answer = llm.answer("有人诽谤我可以报警吗", [hit], fixture_library.corpus, "2026-11-25", auditor(fixture_library))
    request = fake_chat.requests[0]
    assert request["path"] == "/v1/chat/completions" and request["model"] == "fake-model"
    assert fake_chat.headers[0]["Authorization"] == "Bearer sk-test"
    assert "公然侮辱他人或者捏造事实诽谤他人" in request["messages"][1]["content"]  # the article was given
    assert GOOD in answer.summary and "第九十九条" not in answer.summary
    assert [s.title for s in answer.sections] == ["报警"]  # the invented section lost its only sentence
    assert answer.sections[0].citations == [GOOD]
    assert [(h.article, h.version) for h in answer.basis] == [("第三条", "2026-01-01")]
    removed = answer.searched["llm"]["removed"]
    assert removed and all("第九十九条" in r["raw"] for r in removed)
    assert {r["where"] for r in removed} >= {"summary", "sections[0].citations", "sections[1].body"}
    assert answer.searched["engine"] == "llm" and answer.searched["llm"]["model"] == "fake-model"


def test_llm_errors_are_clear(fixture_library: Library, fake_chat: FakeChat, monkeypatch: pytest.MonkeyPatch) -> None:
    hit = fixture_library.corpus.get_article("示例法", 3, "2026-11-25")
    fake_chat.reply = "我无法回答。"
    with pytest.raises(llm.LLMError, match="JSON"):
        llm.answer("问题", [hit], fixture_library.corpus, "2026-11-25", auditor(fixture_library))
    fake_chat.status = 500
    with pytest.raises(llm.LLMError, match="HTTP 500"):
        llm.answer("问题", [hit], fixture_library.corpus, "2026-11-25", auditor(fixture_library))
    monkeypatch.delenv("FAWEN_LLM_MODEL")
    with pytest.raises(BadInput, match="FAWEN_LLM_MODEL"):
        llm.Endpoint.from_config()
    monkeypatch.setenv("FAWEN_LLM_MODEL", "m")
    monkeypatch.setenv("FAWEN_LLM_BASE_URL", "ftp://x")
    with pytest.raises(BadInput, match="http"):
        llm.Endpoint.from_config()


def test_unreachable_endpoint_is_a_clear_error(fixture_library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    chat = FakeChat()
    url = chat.url
    chat.server.server_close()  # nothing listens there any more
    endpoint = llm.Endpoint(url, "m")
    with pytest.raises(llm.LLMError, match="无法连接"):
        llm.complete(endpoint, [{"role": "user", "content": "x"}], timeout=2)


def auditor(lib: Library) -> Callable[[str, str, str], list[Citation]]:
    """The auditor the service gives the LLM engine: `fawen check` of the generated text."""
    return lambda text, question, as_of: list(check(lib, text, question, as_of).citations)


def test_llm_page_keeps_the_verdict_the_decisive_article_gives(fixture_library: Library, fake_chat: FakeChat) -> None:
    from fawen.answer.compose import compose

    hit = fixture_library.corpus.get_article("示例法", 3, "2026-11-25")
    hit.score = 5.0
    page = compose(fixture_library, "有人诽谤我可以报警吗", [hit], "2026-11-25")
    assert page.verdict is not None and page.verdict["label"] == "可以"
    # The model says the opposite: the page still says what the article's own words give.
    fake_chat.reply = json.dumps({"verdict": "不可以", "summary": f"不可以。依照{GOOD}，诽谤他人的处拘留。",
                                  "sections": []}, ensure_ascii=False)
    answer = llm.answer("有人诽谤我可以报警吗", page.basis, fixture_library.corpus, "2026-11-25",
                        auditor(fixture_library), extractive=page)
    sent = fake_chat.requests[0]["messages"]
    assert "结论只能由决定性条文自身的措辞得出" in sent[0]["content"]
    assert "依据条文得出的结论：可以" in sent[1]["content"] and "【1】（决定性条文）" in sent[1]["content"]
    assert answer.summary.startswith("可以。依照") and "不可以" not in answer.summary
    assert answer.verdict == page.verdict and answer.searched["llm"]["verdict"] == "replaced"
    assert answer.steps == page.steps and answer.disclaimer == page.disclaimer
    # A verdict the articles do not give is dropped.
    other = fixture_library.corpus.get_article("示例法", 4, "2026-11-25")
    plain = compose(fixture_library, "示例法什么时候施行", [other], "2026-11-25")
    assert plain.verdict is None
    fake_chat.reply = json.dumps({"verdict": "可以", "summary": f"可以。依照{GOOD}施行。", "sections": []},
                                 ensure_ascii=False)
    answer = llm.answer("示例法什么时候施行", plain.basis, fixture_library.corpus, "2026-11-25",
                        auditor(fixture_library), extractive=plain)
    assert answer.verdict is None and answer.searched["llm"]["verdict"] == "dropped"
    assert not answer.summary.startswith("可以")

"""The HTTP protocol under the API: uvicorn's httptools protocol, refusing in fawen's JSON error shape what it
refuses before the app sees a request.

    request line (URL) over FAWEN_MAX_URL_BYTES      414  {"ok": false, "error": …, "status": 414}
    header fields over FAWEN_MAX_HEADER_BYTES         431
    malformed HTTP (bad request line or method, a     400
    non-numeric or repeated Content-Length, bad
    chunked encoding)

A refused request is answered at once, the rest of what the client sends is read and dropped until it is done
or `LINGER` seconds have passed: closing with unread data would make the kernel reset the connection, and a
client still sending (a 2 MB URL) would see the reset instead of the answer. Bodies over FAWEN_MAX_BODY_BYTES
(413) are refused by the app's middleware (api.BodyLimit), everything else by the app itself.
"""

from __future__ import annotations

import asyncio
import json
import socket
from contextlib import suppress

import httptools
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from fawen import config
from fawen.errors import error_json

LINGER = 5.0  # seconds a refused connection keeps draining what the client sends before it is closed
REASONS = {400: b"Bad Request", 414: b"URI Too Long", 431: b"Request Header Fields Too Large"}


def refusal(status: int, message: str) -> bytes:
    """A whole HTTP/1.1 response carrying error_json(status, message), closing the connection."""
    body = json.dumps(error_json(status, message), ensure_ascii=False).encode("utf-8")
    head = (b"HTTP/1.1 %d %s\r\ncontent-type: application/json\r\ncontent-length: %d\r\nconnection: close\r\n\r\n"
            % (status, REASONS.get(status, b"Error"), len(body)))
    return head + body


def parser_message(exc: Exception) -> str:
    """What a client did wrong, from the HTTP parser's error."""
    detail = str(exc) or type(exc).__name__
    if "Content-Length" in detail:
        return f"Content-Length 无效 (bad Content-Length): {detail}"
    return f"HTTP 请求格式错误 (malformed HTTP request): {detail}"


class FawenHTTP(HttpToolsProtocol):
    """httptools HTTP/1.1 with TCP_NODELAY, URL and header limits, and protocol errors in the JSON shape.

    TCP_NODELAY: with --workers, uvicorn builds the shared socket without a protocol number, so asyncio does
    not set it and Nagle's algorithm meets delayed ACKs: every response waited 40 ms.
    """

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            with suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.refused = False
        self.header_bytes = 0
        self.max_url = config.get_int("MAX_URL_BYTES")
        self.max_headers = config.get_int("MAX_HEADER_BYTES")
        super().connection_made(transport)

    def refuse(self, status: int, message: str) -> None:
        """Answer `status` in the JSON shape, then drain and close (see the module docstring)."""
        if self.refused:
            return
        self.refused = True
        self.logger.warning("refused a request: %d %s", status, message)
        self.transport.write(refusal(status, message))
        if self.transport.can_write_eof():
            self.transport.write_eof()  # the client reads the whole answer, then end of stream
        self.flow.resume_reading()
        asyncio.get_running_loop().call_later(LINGER, self.transport.close)

    def data_received(self, data: bytes) -> None:
        if self.refused:
            return  # what the client still sends after the refusal is dropped
        self._unset_keepalive_if_required()
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:  # as uvicorn does (websockets are not served)
            if self._should_upgrade():
                self.handle_websocket_upgrade()
            else:
                self._unsupported_upgrade_warning()
        except httptools.HttpParserError as exc:
            self.refuse(400, parser_message(exc))

    def on_message_begin(self) -> None:
        self.header_bytes = 0
        super().on_message_begin()

    def on_url(self, url: bytes) -> None:
        if self.refused:
            return
        super().on_url(url)
        if len(self.url) > self.max_url:
            self.refuse(414, f"请求地址过长 (URL too long): 上限 {self.max_url} 字节 (FAWEN_MAX_URL_BYTES)；"
                             "长文本请用 POST /check 提交")

    def on_header(self, name: bytes, value: bytes) -> None:
        if self.refused:
            return
        self.header_bytes += len(name) + len(value) + 4
        if self.header_bytes > self.max_headers:
            self.refuse(431, f"请求头过大 (request header fields too large): 上限 {self.max_headers} 字节 "
                             "(FAWEN_MAX_HEADER_BYTES)")
            return
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        if not self.refused:
            super().on_headers_complete()

    def on_body(self, body: bytes) -> None:
        if not self.refused:
            super().on_body(body)

    def on_message_complete(self) -> None:
        if not self.refused:
            super().on_message_complete()

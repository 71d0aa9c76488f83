"""Harness for the front-door tests: a real `fawen serve` subprocess on a free loopback port, and headless
Debian chromium driven by playwright (skipping with a reason when either is missing)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

CHROMIUM = os.environ.get("FAWEN_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Server:
    """`fawen serve` on 127.0.0.1 in a subprocess, ready once /healthz answers 200."""

    def __init__(self, home: Path, *args: str, env: dict[str, str] | None = None, ready_s: float = 120) -> None:
        self.log = tempfile.NamedTemporaryFile(prefix="fawen-serve-", suffix=".log", delete=False)
        full_env = {**os.environ, "FAWEN_HOME": str(home), **(env or {})}
        for _ in range(3):  # the free port may be taken before the server binds it: try another
            self.port = free_port()
            self.url = f"http://127.0.0.1:{self.port}"
            self.proc = subprocess.Popen([sys.executable, "-m", "fawen.cli", "serve", "--port", str(self.port),
                                          *args], env=full_env, stdout=self.log, stderr=subprocess.STDOUT,
                                         start_new_session=True)
            if self._wait_ready(ready_s) or "address already in use" not in self.output().lower():
                break
        if self.proc.poll() is not None:
            raise RuntimeError(f"fawen serve exited with {self.proc.returncode}:\n{self.output()}")

    def _wait_ready(self, ready_s: float) -> bool:
        deadline = time.monotonic() + ready_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return self.proc.poll() is None
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        output = self.output()
        self.stop()
        raise RuntimeError(f"fawen serve not ready after {ready_s}s:\n{output}")

    def output(self) -> str:
        return Path(self.log.name).read_text(encoding="utf-8", errors="replace")[-4000:]

    def stop(self) -> None:
        if self.proc.poll() is None:
            # The whole session: with --workers N, uvicorn's children go too.
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)
        self.log.close()
        Path(self.log.name).unlink(missing_ok=True)


def serve(home: Path, *args: str, env: dict[str, str] | None = None) -> Iterator[Server]:
    server = Server(home, *args, env=env)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def fixture_server(fixture_home: Path) -> Iterator[Server]:
    """`fawen serve` over the tiny fixture corpus, shared by the session."""
    yield from serve(fixture_home)


@pytest.fixture(scope="session")
def real_server(real_home: Path) -> Iterator[Server]:
    """`fawen serve` over the full real corpus (skips without ../shared/data)."""
    yield from serve(real_home)


@contextmanager
def launched_chromium() -> Iterator[Any]:
    """Headless Debian chromium through playwright, closed on exit; skips with the reason when either is
    missing."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"chromium not installed ({CHROMIUM}); `make browser` installs it (root, apt)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright not installed: pip install 'fawen[web-test]'")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@contextmanager
def watched_page(browser: Any) -> Iterator[Any]:
    """A fresh page (its own context) whose console and page errors are kept in `fawen_errors`."""
    context = browser.new_context(locale="zh-CN")
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    pg.on("console", lambda msg: errors.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None)
    pg.fawen_errors = errors
    try:
        yield pg
    finally:
        context.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Debian chromium for the session; skips with the reason when it or playwright is missing."""
    with launched_chromium() as chromium:
        yield chromium


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser page (its own context) that fails the test on any console error or page error."""
    with watched_page(browser) as pg:
        yield pg

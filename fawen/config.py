"""Settings in one table: name, default, help. Each can be overridden by FAWEN_<NAME>."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("HOME", str(Path.home() / ".local" / "share" / "fawen"),
            "Directory holding the built corpus and indexes."),
    Setting("LAWREFBOOK", "", "Path of a LawRefBook checkout added by `fawen corpus build` when set."),
    Setting("MAX_QUERY_CHARS", "500", "Longest question or search query accepted, in characters."),
    Setting("MAX_BODY_BYTES", "1048576", "Largest request body or checked text accepted, in bytes."),
    Setting("MAX_URL_BYTES", "16384", "Longest URL (path and query) `fawen serve` reads, in bytes; longer gets 414."),
    Setting("MAX_HEADER_BYTES", "32768", "Largest request header fields `fawen serve` reads, in all; larger gets 431."),
    Setting("MAX_CHECK_BYTES", "52428800", "Largest file `fawen check` reads, in bytes."),
    Setting("DENSE", "on", "`off`: lexical search even where article vectors exist (no encoder loaded, ~18 ms of "
            "CPU less per question)."),
    Setting("LLM_BASE_URL", "", "OpenAI-compatible endpoint for `--engine llm`."),
    Setting("LLM_MODEL", "", "Model name sent to the LLM endpoint."),
    Setting("LLM_API_KEY", "", "API key for the LLM endpoint (sent as a Bearer token)."),
    Setting("SHARED_DATA", "", "Path of the shared benchmark data (default: ../shared/data beside the repo)."),
    Setting("HOST", "127.0.0.1", "Address `fawen serve` listens on (use 0.0.0.0 to accept other machines)."),
    Setting("PORT", "8000", "Port `fawen serve` listens on."),
    Setting("WORKERS", "1", "Processes `fawen serve` runs; each holds its own read-only copy of the indexes."),
    Setting("SERVE_THREADS", "1", "Service calls one `fawen serve` worker runs at once (CPU-bound: add workers)."),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str) -> str:
    """Value of a setting: FAWEN_<NAME> from the environment, else its default."""
    setting = _BY_NAME[name]
    return os.environ.get(f"FAWEN_{name}", setting.default)


def get_int(name: str) -> int:
    return int(get(name))


def home() -> Path:
    return Path(get("HOME")).expanduser()

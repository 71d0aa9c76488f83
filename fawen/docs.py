"""Generated README sections (settings table, CLI reference); `python -m fawen.docs` rewrites them."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from fawen.config import SETTINGS

README = Path(__file__).resolve().parents[1] / "README.md"


def settings_table() -> str:
    rows = ["| variable | default | meaning |", "| --- | --- | --- |"]
    for s in SETTINGS:
        default = f"`{s.default}`" if s.default else "(unset)"
        if s.name == "HOME":
            default = "`~/.local/share/fawen`"
        rows.append(f"| `FAWEN_{s.name}` | {default} | {s.help} |")
    return "\n".join(rows)


def cli_reference() -> str:
    """Each command's --help, as a fixed-width terminal shows it."""
    from typer.main import get_command
    from typer.testing import CliRunner

    from fawen.cli import app

    runner = CliRunner()
    env = {"COLUMNS": "100", "TERM": "dumb", "NO_COLOR": "1", "_TYPER_FORCE_DISABLE_TERMINAL": "1"}
    parts: list[str] = []

    def walk(cmd: Any, path: list[str]) -> None:
        result = runner.invoke(app, [*path[1:], "--help"], env=env, prog_name="fawen")
        parts.append(f"### `{' '.join(path)}`\n\n```\n{_plain(result.output)}\n```\n")
        if hasattr(cmd, "commands"):
            for name in sorted(cmd.commands):
                walk(cmd.commands[name], [*path, name])

    walk(get_command(app), ["fawen"])
    return "\n".join(parts).rstrip()


def _plain(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


def render(readme: str) -> str:
    for name, body in (("settings", settings_table()), ("cli", cli_reference())):
        block = f"<!-- {name}-start -->\n{body}\n<!-- {name}-end -->"
        readme = re.sub(rf"<!-- {name}-start -->.*?<!-- {name}-end -->", lambda _m: block, readme, flags=re.S)
    return readme


if __name__ == "__main__":
    updated = render(README.read_text(encoding="utf-8"))
    if "--check" in sys.argv:
        sys.exit(0 if updated == README.read_text(encoding="utf-8") else 1)
    README.write_text(updated, encoding="utf-8")

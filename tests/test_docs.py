"""README sections that are generated (settings table, CLI reference) must match the code."""

from __future__ import annotations

from fawen import config, docs


def test_readme_is_current() -> None:
    readme = docs.README.read_text(encoding="utf-8")
    assert docs.render(readme) == readme, "README is stale: run `.venv/bin/python -m fawen.docs`"


def test_every_setting_documented() -> None:
    readme = docs.README.read_text(encoding="utf-8")
    for setting in config.SETTINGS:
        assert f"`FAWEN_{setting.name}`" in readme
        assert setting.help

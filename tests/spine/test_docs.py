"""Every setting, CLI command and option, and error code is documented."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import typer.main

from adloom import errors
from adloom.cli import app
from adloom.settings import Settings

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_every_setting_is_documented() -> None:
    text = (DOCS / "settings.md").read_text()
    missing = [name for name in Settings.model_fields if f"`ADLOOM_{name.upper()}`" not in text]
    assert missing == []


def _commands(group: Any, prefix: str = "adloom") -> list[tuple[str, Any]]:
    found = []
    for name, command in group.commands.items():
        path = f"{prefix} {name}"
        if hasattr(command, "commands"):
            found += _commands(command, path)
        else:
            found.append((path, command))
    return found


COMMANDS = _commands(typer.main.get_group(app))


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[p for p, _ in COMMANDS])
def test_every_cli_command_and_option_is_documented(path: str, command: Any) -> None:
    text = (DOCS / "cli.md").read_text()
    sections = re.split(r"^### ", text, flags=re.MULTILINE)
    section = next((s for s in sections if s.startswith(path + "\n")), None)
    assert section is not None, f"docs/cli.md has no '### {path}' section"
    options = [opt for param in command.params for opt in param.opts if opt.startswith("--") and opt != "--help"]
    undocumented = [opt.split("/")[0] for opt in options if opt.split("/")[0] not in section]
    assert undocumented == []


def test_every_error_code_is_documented() -> None:
    text = (DOCS / "errors.md").read_text()
    codes = {cls.code for cls in vars(errors).values() if isinstance(cls, type) and issubclass(cls, errors.AdloomError)}
    assert sorted(code for code in codes if f"`{code}`" not in text) == []

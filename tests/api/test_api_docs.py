"""docs/api.md documents every operation, every error status and every apikey CLI command."""

from __future__ import annotations

import re
from pathlib import Path

from helpers_api import make_env

from adloom.api.cli import apikey_app
from adloom.api.errors import STANDARD_ERRORS

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def test_every_operation_is_documented(tmp_path: Path) -> None:
    env = make_env(tmp_path)
    try:
        spec = env.app.openapi()
    finally:
        env.rt.close()
    text = DOC.read_text()
    operations = [(method.upper(), path.removeprefix("/api/v1")) for path, ops in spec["paths"].items()
                  if path.startswith("/api/v1") for method in ops]
    assert len(operations) >= 35
    missing = [f"{m} {p}" for m, p in operations if f"`{m} {p}`" not in text]
    assert not missing, f"not in docs/api.md: {missing}"
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            if path.startswith("/api/v1"):
                assert {str(c) for c in STANDARD_ERRORS} <= set(op["responses"]), (method, path)


def test_every_error_status_and_cli_command_is_documented() -> None:
    text = DOC.read_text()
    for status in (*STANDARD_ERRORS, 416):
        assert re.search(rf"^\| {status} \|", text, re.MULTILINE), status
    for command in apikey_app.registered_commands:
        assert f"adloom apikey {command.name}" in text
    for header in ("Idempotency-Key", "Idempotent-Replayed", "Retry-After", "webhook-id", "webhook-timestamp",
                   "webhook-signature", "X-AYTADA-API-KEY", "X-Adloom-Credits-Charged"):
        assert header in text

"""adloom apikey create/list/revoke: the secret is printed once and works; revoked keys do not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from adloom.accounts.apikeys import verify_api_key
from adloom.cli import app
from adloom.errors import AuthError
from adloom.pipeline.runtime import Runtime
from adloom.settings import load_settings


def test_create_list_revoke(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADLOOM_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ADLOOM_QUEUE_URL", "immediate")
    runner = CliRunner()
    created = runner.invoke(app, ["apikey", "create", "--scope", "read", "--name", "ci", "--rate-limit", "30", "--json"])
    assert created.exit_code == 0, created.output
    key = json.loads(created.output)
    assert key["scopes"] == ["read"] and key["rate_limit_per_minute"] == 30 and key["workspace_slug"] == "local"
    assert key["secret"].startswith(f"adl_{key['prefix']}_")

    listed = runner.invoke(app, ["apikey", "list", "--json"])
    rows = json.loads(listed.output)
    assert [(r["id"], r["revoked"]) for r in rows] == [(key["id"], False)]
    assert key["secret"] not in listed.output

    rt = Runtime(load_settings(data_dir=tmp_path, queue_url="immediate"))
    try:
        with rt.db.session() as s:
            assert verify_api_key(s, key["secret"]).id == key["id"]
        assert runner.invoke(app, ["apikey", "revoke", key["id"]]).exit_code == 0
        with rt.db.session() as s, pytest.raises(AuthError):
            verify_api_key(s, key["secret"])
    finally:
        rt.close()
    bad = runner.invoke(app, ["apikey", "create", "--scope", "admin"])
    assert bad.exit_code != 0

"""The CLI contract: commands, options, exit codes and the --json shapes users script against."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from factories import TINY, brief_path
from typer.testing import CliRunner

from adloom.cli import app


@pytest.fixture
def cli(tmp_path: Path) -> Any:
    env = {
        "ADLOOM_DATA_DIR": str(tmp_path / "data"),
        "ADLOOM_QUEUE_URL": f"sqlite://{tmp_path / 'queue.db'}",
        "ADLOOM_GENERATORS": json.dumps(TINY),
    }
    runner = CliRunner()

    def run(*args: str, code: int | None = 0) -> Any:
        result = runner.invoke(app, list(args), env=env)
        if code is not None:
            assert result.exit_code == code, result.output
        return result

    return run


def as_json(result: Any) -> Any:
    return json.loads(result.stdout)


def test_campaign_create_list_show(cli: Any) -> None:
    created = as_json(cli("campaign", "create", "--from", str(brief_path("northbound-coldbrew.yaml")), "--json"))
    assert created["name"] == "Northbound Cold Brew — winter launch"
    assert created["strategy"]["version"] == 1 and "Remote workers" in created["strategy"]["audience"]
    listed = as_json(cli("campaign", "list", "--json"))
    assert [c["id"] for c in listed] == [created["id"]]
    shown = as_json(cli("campaign", "show", created["id"], "--json"))
    assert shown["product"]["name"] == "Northbound Cold Brew" and shown["projects"] == []


def test_generate_autopilot_json_shape_and_exit_code(cli: Any) -> None:
    cid = as_json(cli("campaign", "create", "--from", str(brief_path("launchpad-webinar.yaml")), "--json"))["id"]
    data = as_json(cli("generate", "banner", "--campaign", cid, "--autopilot", "--json", "-o", "seed=7"))
    assert set(data) == {"project", "campaign", "kind", "status", "error", "credits_spent", "assets"}
    assert (data["campaign"], data["kind"], data["status"], data["error"]) == (cid, "banner", "completed", None)
    assert data["credits_spent"] == 7
    for asset in data["assets"]:
        assert {"role", "path", "media_type", "width", "height", "duration", "bytes"} <= set(asset)
        assert Path(asset["path"]).is_absolute() and Path(asset["path"]).stat().st_size == asset["bytes"]

    shown = as_json(cli("project", "show", data["project"], "--json"))
    assert shown["options"]["seed"] == 7 and shown["strategy_version"] == 1
    step = shown["steps"][1]
    assert {"name", "status", "attempt", "provider", "model", "seed", "credits", "started_at", "finished_at",
            "error", "output"} <= set(step)
    assert step["name"] == "script" and step["output"]["variants"] and step["provider"] == "local"


def test_generate_stops_at_the_first_gate_and_advance_continues(cli: Any) -> None:
    cid = as_json(cli("campaign", "create", "--from", str(brief_path("northbound-coldbrew.yaml")), "--json"))["id"]
    data = as_json(cli("generate", "banner", "--campaign", cid, "--json"))
    assert data["status"] == "ideas_ready" and data["credits_spent"] == 0
    advanced = as_json(cli("project", "advance", data["project"], "--until", "scenes_ready", "--json"))
    assert advanced["status"] == "scenes_ready"
    finished = as_json(cli("project", "advance", data["project"], "--json"))
    assert finished["status"] == "completed"


def test_bad_options_and_unknown_ids_fail_clearly(cli: Any) -> None:
    cid = as_json(cli("campaign", "create", "--from", str(brief_path("northbound-coldbrew.yaml")), "--json"))["id"]
    bad = cli("generate", "video", "--campaign", cid, "-o", "length=20", code=2)
    assert "length" in bad.output and "15, 30 or 60" in bad.output
    missing = cli("generate", "video", "--campaign", "nope", code=2)
    assert "no campaign 'nope'" in missing.output
    assert "not key=value" in cli("generate", "video", "--campaign", cid, "-o", "length", code=2).output
    assert "no project" in cli("project", "show", "nope", code=2).output


def test_credits_commands(cli: Any) -> None:
    assert as_json(cli("credits", "balance", "--json"))["available"] == 250
    assert as_json(cli("credits", "grant", "50", "--json", "--idempotency-key", "k1"))["available"] == 300
    assert as_json(cli("credits", "grant", "50", "--json", "--idempotency-key", "k1"))["available"] == 300
    kinds = [e["kind"] for e in as_json(cli("credits", "ledger", "--json"))]
    assert sorted(kinds) == ["grant", "grant"]


def test_users_create_and_export(cli: Any, tmp_path: Path) -> None:
    user = as_json(cli("users", "create", "--email", "ana@example.com", "--password", "long-enough", "--json"))
    assert user["role"] == "owner"
    assert "at least 10" in cli("users", "create", "--email", "b@example.com", "--password", "short", code=2).output
    cid = as_json(cli("campaign", "create", "--from", str(brief_path("northbound-coldbrew.yaml")), "--json"))["id"]
    pid = as_json(cli("generate", "banner", "--campaign", cid, "--autopilot", "--json"))["project"]
    cli("export", pid, "--to", str(tmp_path / "out"))
    assert (tmp_path / "out" / "final" / "stitch.json").is_file()


def test_doctor_checks_every_dependency(cli: Any) -> None:
    cli("migrate")
    checks = {c["name"]: c for c in as_json(cli("doctor", "--json"))}
    assert {"database", "queue", "storage", "disk", "ffmpeg", "voice", "soundfont", "fonts", "generators",
            "writer"} <= set(checks)
    failed = {name: c["detail"] for name, c in checks.items() if not c["ok"]}
    assert failed == {}
    assert "lessac" in checks["voice"]["detail"] and "TimGM6mb" in checks["soundfont"]["detail"]

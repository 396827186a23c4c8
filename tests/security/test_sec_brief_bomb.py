"""Item 2: a YAML alias bomb ("billion laughs") is refused while parsing, on every brief path.

Aliases make a few hundred bytes expand into 10^n nodes once anything walks the data; a brief
never needs them, so they are refused before any node is built.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from factories import TINY
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from adloom.campaigns.brief import load_data
from adloom.cli import app as cli_app
from adloom.errors import InvalidBrief

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))
from helpers_api import make_env

ANCHOR_MESSAGE = "Briefs may not use YAML anchors or aliases"


def alias_bomb(levels: int) -> str:
    """The issue's brief: each line holds ten aliases of the line before (10^levels leaves)."""
    lines = ["name: Bomb", "product: {name: P, description: D}", 'l0: &l0 ["x","x","x","x","x","x","x","x","x","x"]']
    for level in range(1, levels):
        aliases = ",".join([f"*l{level - 1}"] * 10)
        lines.append(f"l{level}: &l{level} [{aliases}]")
    return "\n".join(lines) + "\n"


@pytest.mark.timeout(60)
def test_api_refuses_an_alias_bomb_fast(tmp_path: Path) -> None:
    env = make_env(tmp_path)
    bomb = alias_bomb(7)
    with TestClient(env.app) as client:
        started = time.perf_counter()
        response = client.post("/api/v1/campaigns/brief", content=bomb.encode(),
                               headers={"Authorization": f"Bearer {env.write_key}",
                                        "Content-Type": "application/yaml"})
        elapsed = time.perf_counter() - started
    print(f"alias bomb of {len(bomb)} bytes answered {response.status_code} in {elapsed * 1000:.1f} ms")
    assert response.status_code == 422, response.text[:500]
    error = response.json()["error"]
    assert error["code"] == "invalid_brief"
    assert ANCHOR_MESSAGE in error["message"]
    assert len(response.content) < 8 * 1024
    assert elapsed < 1.0
    env.rt.close()


@pytest.mark.timeout(30)
def test_parsing_refuses_anchors_aliases_and_deep_nesting() -> None:
    with pytest.raises(InvalidBrief) as caught:
        load_data("name: &n Cold\nproduct: {name: *n, description: D}\n", source="brief.yaml")
    assert ANCHOR_MESSAGE in caught.value.message and "line 1" in caught.value.message
    deep = "name: x\nproduct: " + "[" * 5000 + "]" * 5000 + "\n"
    with pytest.raises(InvalidBrief, match="nests more than"):
        load_data(deep, source="brief.yaml")
    with pytest.raises(InvalidBrief, match="nests more than"):
        load_data("a = " + "[" * 50 + "]" * 50 + "\n", source="brief.toml")
    with pytest.raises(InvalidBrief, match="larger than"):
        load_data("name: x\n" + "# padding\n" * 40_000, source="brief.yaml")


@pytest.mark.timeout(60)
def test_cli_names_the_anchor_problem(tmp_path: Path) -> None:
    brief = tmp_path / "bomb.yaml"
    brief.write_text(alias_bomb(7), encoding="utf-8")
    env = {"ADLOOM_DATA_DIR": str(tmp_path / "data"), "ADLOOM_QUEUE_URL": f"sqlite://{tmp_path / 'queue.db'}",
           "ADLOOM_GENERATORS": json.dumps(TINY)}
    result: Any = CliRunner().invoke(cli_app, ["campaign", "create", "--from", str(brief)], env=env)
    assert result.exit_code != 0
    assert ANCHOR_MESSAGE in result.output
    assert "Traceback" not in result.output

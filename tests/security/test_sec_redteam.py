"""The whole hardening issue replayed against a live ``adloom serve`` (bench/redteam.py): every
row of its table must be ok, on SQLite and, when configured, on PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from factories import PG_URL

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "redteam.py"


@pytest.mark.slow
@pytest.mark.parametrize("database", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_the_red_team_replay_finds_nothing(database: str) -> None:
    command = [sys.executable, str(SCRIPT)]
    if database == "postgres":
        if not PG_URL:
            pytest.skip("ADLOOM_TEST_DATABASE_URL is not set")
        command += ["--database-url", PG_URL]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr[-3000:]}"

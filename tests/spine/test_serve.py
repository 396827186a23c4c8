"""`adloom serve` (what `make run` starts) answers its health endpoint and a login page, and
`adloom demo` generates every installed kind (here with the small test generators)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from factories import SUPPORT, TINY
from typer.testing import CliRunner

from adloom.cli import app

ADLOOM = str(Path(sys.executable).parent / "adloom")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_answers_health_and_login(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "ADLOOM_DATA_DIR": str(tmp_path / "data")}
    proc = subprocess.Popen([ADLOOM, "serve", "--port", str(port)], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
                assert time.monotonic() < deadline, "adloom serve did not start within 60 s"
                time.sleep(0.3)
        assert health.json() == {"status": "ok"}
        login = httpx.get(f"http://127.0.0.1:{port}/login", timeout=5)
        assert login.status_code == 200 and 'type="password"' in login.text
        assert httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=5).json()["status"] == "ok"
    finally:
        proc.terminate()
        output = proc.communicate(timeout=20)[0]
    assert "demo@adloom.local" in output  # the seeded demo user is printed


def test_demo_generates_every_installed_kind(tmp_path: Path) -> None:
    env = {"ADLOOM_DATA_DIR": str(tmp_path / "data"), "ADLOOM_GENERATORS": json.dumps(TINY),
           "ADLOOM_QUEUE_URL": f"sqlite://{tmp_path / 'queue.db'}", "PYTHONPATH": str(SUPPORT)}
    result = CliRunner().invoke(app, ["demo", "--json"], env=env)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [(p["kind"], p["status"]) for p in data["projects"]] == [
        ("video", "completed"), ("banner", "completed"), ("flyer", "completed"), ("jingle", "completed")]
    assert all(Path(path).is_file() for p in data["projects"] for path in p["files"])

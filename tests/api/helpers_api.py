"""Factories for API tests: an app over a migrated runtime, workspaces, keys, a brief, a server."""

from __future__ import annotations

import os
import socket
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI

from adloom.accounts import apikeys
from adloom.accounts import service as accounts
from adloom.app import create_app
from adloom.pipeline.runtime import Runtime
from adloom.settings import load_settings

SUPPORT = Path(__file__).resolve().parents[1] / "support"
BRIEFS = Path("/work/shared/briefs")
FIXTURES = Path("/work/shared/fixtures/images")
TINY = {"banner": "testgens:TinyGenerator", "flyer": "testgens:TinyGenerator",
        "video": "testgens:TinyGenerator", "jingle": "testgens:TinyGenerator"}

BRIEF: dict[str, Any] = {
    "name": "Northbound cold brew — spring",
    "product": {"name": "Northbound Cold Brew",
                "description": "Small-batch cold brew concentrate, steeped 18 hours, smooth and low in acid.",
                "url": "https://northbound.example/cold-brew", "offer": "20% off your first case"},
    "brand": {"name": "Northbound", "tone": "warm, confident", "tagline": "Brewed slow. Drink it cold."},
    "strategy": {"audience": "Busy remote workers who want café coffee at home.",
                 "messaging": "Café-smooth cold brew in ten seconds.", "goals": "Cold traffic to first order."},
    "awareness_stage": "problem_aware",
    "assets": ["banner"],
}


@dataclass
class Env:
    app: FastAPI
    rt: Runtime
    workspace_id: str
    write_key: str
    read_key: str


def add_support_path() -> None:
    if str(SUPPORT) not in sys.path:
        sys.path.insert(0, str(SUPPORT))


def make_env(tmp_path: Path, *, welcome_credits: int = 100, database_url: str = "", queue_url: str = "immediate",
             rate_limit: int = 1000, **settings_overrides: Any) -> Env:
    add_support_path()
    settings = load_settings(data_dir=tmp_path, queue_url=queue_url, database_url=database_url,
                             generators=TINY, welcome_credits=welcome_credits, **settings_overrides)
    rt = Runtime(settings, migrate=True)
    app = create_app(settings, runtime=rt, workers=False)
    with rt.db.session() as s:
        ws = accounts.create_workspace(s, name="Acme", welcome_credits=welcome_credits)
        _, write = apikeys.create_api_key(s, workspace_id=ws.id, name="w", scopes="write",
                                          rate_limit_per_minute=rate_limit)
        _, read = apikeys.create_api_key(s, workspace_id=ws.id, name="r", scopes="read",
                                         rate_limit_per_minute=rate_limit)
        return Env(app=app, rt=rt, workspace_id=ws.id, write_key=write, read_key=read)


def make_key(rt: Runtime, *, scopes: str = "write", rate_limit: int = 1000, welcome_credits: int = 100,
             workspace_id: str | None = None) -> tuple[str, str]:
    """(workspace id, secret) — a new workspace unless one is given."""
    with rt.db.session() as s:
        if workspace_id is None:
            workspace_id = accounts.create_workspace(s, name="Other", welcome_credits=welcome_credits).id
        _, secret = apikeys.create_api_key(s, workspace_id=workspace_id, name="k", scopes=scopes,
                                           rate_limit_per_minute=rate_limit)
        return workspace_id, secret


PG_URL = os.environ.get("ADLOOM_TEST_DATABASE_URL", "")


@contextmanager
def pg_schema_url() -> Iterator[str]:
    """A database URL for a throwaway schema in ADLOOM_TEST_DATABASE_URL, dropped afterwards."""
    import psycopg

    schema = f"t_api_{uuid.uuid4().hex[:10]}"
    base = PG_URL.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in PG_URL else "?"
    try:
        yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


def auth(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(app: FastAPI) -> Iterator[str]:
    """Run ``app`` under a real uvicorn server on 127.0.0.1; yields its base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(5)

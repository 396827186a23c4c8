"""Idempotency-Key: 10 parallel identical creates against a real server -> one project, one charge.

Runs on SQLite, and on PostgreSQL too when ADLOOM_TEST_DATABASE_URL is set (in a throwaway schema).
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from helpers_api import BRIEF, PG_URL, Env, auth, make_env, pg_schema_url, serve
from sqlalchemy import func, select

from adloom.credits import service as credits
from adloom.credits.models import LedgerEntry
from adloom.projects.models import Project


@pytest.fixture()
def pg_url() -> Iterator[str]:
    if not PG_URL:
        pytest.skip("ADLOOM_TEST_DATABASE_URL is not set")
    with pg_schema_url() as url:
        yield url


def parallel_creates(env: Env) -> None:
    with serve(env.app) as base, httpx.Client(base_url=base, timeout=60) as client:
        campaign = client.post("/api/v1/campaigns", json=BRIEF, headers=auth(env.write_key)).json()["id"]
        body = {"campaign_id": campaign, "kind": "banner", "autopilot": True, "options": {"sizes": ["300x250"]}}
        headers = {**auth(env.write_key), "Idempotency-Key": "order-42"}

        def create(_: int) -> httpx.Response:
            return client.post("/api/v1/projects", json=body, headers=headers)

        with ThreadPoolExecutor(10) as pool:
            responses = list(pool.map(create, range(10)))
        assert [r.status_code for r in responses] == [201] * 10, [r.text for r in responses]
        assert len({r.json()["id"] for r in responses}) == 1
        assert sum(r.headers.get("Idempotent-Replayed") == "true" for r in responses) == 9
        # The same key with a different body is refused, not replayed.
        other = client.post("/api/v1/projects", json={**body, "autopilot": False}, headers=headers)
        assert other.status_code == 422 and other.json()["error"]["code"] == "idempotency_key_reused"
        # A different key is a different request.
        fresh = client.post("/api/v1/projects", json={**body, "autopilot": False},
                            headers={**auth(env.write_key), "Idempotency-Key": "order-43"})
        assert fresh.status_code == 201 and fresh.json()["id"] != responses[0].json()["id"]

    with env.rt.db.session() as s:
        projects = s.scalar(select(func.count()).select_from(Project).where(Project.workspace_id == env.workspace_id))
        holds = s.scalar(select(func.count()).select_from(LedgerEntry).where(
            LedgerEntry.workspace_id == env.workspace_id, LedgerEntry.kind == "hold"))
        captures = s.scalar(select(func.count()).select_from(LedgerEntry).where(
            LedgerEntry.workspace_id == env.workspace_id, LedgerEntry.kind == "capture"))
        balance = credits.get_balance(s, workspace_id=env.workspace_id)
        assert credits.ledger_sum(s, workspace_id=env.workspace_id) == balance
    assert projects == 2
    assert holds == 1  # the autopilot run's one hold (script + banner set), reserved once
    assert captures == 2  # script and banner set, each charged once
    assert balance.available == 100 - 7 and balance.held == 0


def test_parallel_identical_creates_on_sqlite(tmp_path: Path) -> None:
    env = make_env(tmp_path)
    try:
        parallel_creates(env)
    finally:
        env.rt.close()


@pytest.mark.postgres
def test_parallel_identical_creates_on_postgres(tmp_path: Path, pg_url: str) -> None:
    env = make_env(tmp_path, database_url=pg_url)
    try:
        parallel_creates(env)
    finally:
        env.rt.close()


def test_a_failed_create_forgets_its_key(tmp_path: Path) -> None:
    env = make_env(tmp_path, welcome_credits=3)
    try:
        from fastapi.testclient import TestClient

        client = TestClient(env.app)
        campaign = client.post("/api/v1/campaigns", json=BRIEF, headers=auth(env.write_key)).json()["id"]
        body = {"campaign_id": campaign, "kind": "banner", "autopilot": True}
        headers = {**auth(env.write_key), "Idempotency-Key": "retry-me"}
        assert client.post("/api/v1/projects", json=body, headers=headers).status_code == 402
        with env.rt.db.session() as s:
            credits.grant(s, workspace_id=env.workspace_id, amount=10, idempotency_key="topup")
        first = client.post("/api/v1/projects", json=body, headers=headers)
        again = client.post("/api/v1/projects", json=body, headers=headers)
        assert first.status_code == again.status_code == 201
        assert first.json()["id"] == again.json()["id"] and "Idempotent-Replayed" not in first.headers
    finally:
        env.rt.close()


def test_a_key_left_pending_by_a_dead_request_is_taken_over(tmp_path: Path) -> None:
    from datetime import timedelta

    from fastapi.testclient import TestClient

    from adloom.api.idempotency import request_hash
    from adloom.api.models import IdempotencyRecord
    from adloom.db import utcnow

    env = make_env(tmp_path)
    try:
        client = TestClient(env.app)
        body = {"name": "Spare"}
        with env.rt.db.session() as s:
            s.add(IdempotencyRecord(workspace_id=env.workspace_id, key="dead", method="POST", path="/brand-kits",
                                    request_hash=request_hash("POST", "/brand-kits", body),
                                    state="pending", created_at=utcnow() - timedelta(minutes=11)))
        r = client.post("/api/v1/brand-kits", json=body, headers={**auth(env.write_key), "Idempotency-Key": "dead"})
        assert r.status_code == 201 and "Idempotent-Replayed" not in r.headers
    finally:
        env.rt.close()

"""Item 4: autopilot runs hold their whole quote when they start.

The attack: 30 parallel autopilot banner runs on a workspace that could afford 5 left 0 completed,
17 failed at render after paying for their scripts, and 34 of 35 credits gone. Now each run
reserves its whole quote in one conditional update: exactly as many runs as the balance covers
start (and complete), the rest are refused at once with 402, and nothing is spent on them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from factories import make_campaign, make_settings, make_workspace
from fastapi.testclient import TestClient
from sqlalchemy import select

from adloom.accounts import apikeys
from adloom.app import create_app
from adloom.credits import service as credits
from adloom.pipeline import service as pipeline
from adloom.pipeline.runtime import Runtime
from adloom.projects.models import Project, Step

RUNS = 12
BANNER_RUN = 2 + 5  # script + banner set: the quote of a banner run from its draft
BALANCE = 35


@pytest.fixture
def rt(tmp_path: Path, database_url: str) -> Iterator[Runtime]:
    runtime = Runtime(make_settings(tmp_path, database_url=database_url, queue_url="memory"), migrate=True)
    yield runtime
    runtime.close()


def ledger_agrees(rt: Runtime, ws: str) -> credits.Balance:
    with rt.db.session() as session:
        balance = credits.get_balance(session, workspace_id=ws)
        assert credits.ledger_sum(session, workspace_id=ws) == balance
        return balance


def post_in_parallel(client_app: Any, key: str, body: dict[str, Any]) -> list[Any]:
    """RUNS clients post the same request at the same moment; returns their responses."""
    barrier = threading.Barrier(RUNS)
    responses: list[Any] = [None] * RUNS

    def post(index: int) -> None:
        client = TestClient(client_app)
        barrier.wait()
        responses[index] = client.post("/api/v1/projects", json=body, headers={"Authorization": f"Bearer {key}"})

    threads = [threading.Thread(target=post, args=(i,)) for i in range(RUNS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return responses


def wait_all_rest(rt: Runtime, ids: list[str], timeout: float) -> list[Project]:
    deadline = time.monotonic() + timeout
    while True:
        rested = [rt.wait_for(pid, timeout=0.01) for pid in ids]
        if all(p.status in ("completed", "failed", "cancelled") for p in rested) or time.monotonic() > deadline:
            return rested
        time.sleep(0.2)


def test_parallel_autopilot_runs_start_only_as_many_as_the_balance_covers(rt: Runtime) -> None:
    ws = make_workspace(rt, credits=BALANCE)
    cid = make_campaign(rt, ws)
    with rt.db.session() as session:
        _, key = apikeys.create_api_key(session, workspace_id=ws, name="w", scopes="write", rate_limit_per_minute=1000)
    app = create_app(rt.settings, runtime=rt, workers=False)

    responses = post_in_parallel(app, key, {"campaign_id": cid, "kind": "banner", "autopilot": True})
    rt.worker.start(threads=2)

    affordable = BALANCE // BANNER_RUN
    started = [r.json()["id"] for r in responses if r.status_code == 201]
    refused = [r for r in responses if r.status_code == 402]
    assert (len(started), len(refused)) == (affordable, RUNS - affordable), [r.status_code for r in responses]
    assert {r.json()["error"]["code"] for r in refused} == {"insufficient_credits"}
    with rt.db.session() as session:  # a refused run left nothing behind: no project, no hold
        assert len(session.scalars(select(Project).where(Project.workspace_id == ws)).all()) == affordable

    finished = wait_all_rest(rt, started, timeout=120)
    assert [p.status for p in finished] == ["completed"] * affordable
    assert ledger_agrees(rt, ws) == credits.Balance(available=BALANCE - BANNER_RUN * affordable, held=0)
    with rt.db.session() as session:
        charged = session.scalars(select(Step.credits).join(Project).where(Project.workspace_id == ws)).all()
        assert sum(charged) == BANNER_RUN * affordable


def test_a_started_run_keeps_its_credits_when_the_balance_is_spent_meanwhile(rt: Runtime) -> None:
    """Spending the workspace's balance while a run is in flight cannot starve the run: its
    render is paid from the hold taken when it started, and the run completes."""
    ws = make_workspace(rt, credits=BALANCE)
    cid = make_campaign(rt, ws)
    rt.worker.start(threads=1)
    pid = pipeline.generate(rt, workspace_id=ws, campaign_id=cid, kind="banner", options={}, autopilot=True)
    rt.workdir(pid).mkdir(parents=True, exist_ok=True)
    (rt.workdir(pid) / "sleep-generate").write_text("1")
    deadline = time.monotonic() + 30
    while not (rt.workdir(pid) / "runs-generate").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    with rt.db.session() as session:  # another action takes everything still available
        left = credits.get_balance(session, workspace_id=ws).available
        credits.hold(session, workspace_id=ws, amount=left, idempotency_key="spend-everything")
    project = wait_all_rest(rt, [pid], timeout=60)[0]
    assert project.status == "completed", project.error
    assert ledger_agrees(rt, ws) == credits.Balance(available=0, held=BALANCE - BANNER_RUN)

"""A worker killed with SIGKILL mid-step: the lease expires, the sweeper re-queues the step,
another worker completes the project, and the credit is captured exactly once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from adloom.credits import service as credits
from adloom.credits.models import LedgerEntry
from adloom.pipeline import service as pipeline
from adloom.pipeline.runtime import Runtime
from adloom.projects.models import Project, Step
from factories import REDIS_URL, SUPPORT, TINY, make_campaign, make_settings, make_workspace

ADLOOM = str(Path(sys.executable).parent / "adloom")


def wait_until(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture(params=["sqlite", pytest.param("postgres+redis", marks=[pytest.mark.postgres, pytest.mark.redis])])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    if request.param == "sqlite":
        return {"database_url": f"sqlite:///{tmp_path / 'adloom.db'}", "queue_url": f"sqlite://{tmp_path / 'queue.db'}"}
    if not REDIS_URL:
        pytest.skip("ADLOOM_TEST_REDIS_URL is not set")
    import redis

    queue_url = REDIS_URL.rsplit("/", 1)[0] + "/13"
    redis.Redis.from_url(queue_url).flushdb()
    return {"database_url": str(request.getfixturevalue("pg_schema_url")), "queue_url": queue_url}


@pytest.fixture
def workers(tmp_path: Path, backend: dict[str, str]) -> Iterator[Callable[[], subprocess.Popen[bytes]]]:
    env = {
        **os.environ,
        "ADLOOM_DATA_DIR": str(tmp_path / "data"),
        "ADLOOM_DATABASE_URL": backend["database_url"],
        "ADLOOM_QUEUE_URL": backend["queue_url"],
        "ADLOOM_LEASE_SECONDS": "2",
        "ADLOOM_SWEEP_SECONDS": "0.5",
        "ADLOOM_GENERATORS": json.dumps(TINY),
        "PYTHONPATH": str(SUPPORT),
    }
    started: list[subprocess.Popen[bytes]] = []

    def start() -> subprocess.Popen[bytes]:
        proc = subprocess.Popen([ADLOOM, "worker", "--threads", "1"], env=env, stdout=subprocess.DEVNULL,
                                stderr=open(tmp_path / f"worker{len(started)}.log", "wb"))  # noqa: SIM115
        started.append(proc)
        return proc

    yield start
    for proc in started:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()


def test_sigkill_mid_step_is_recovered_and_charged_once(
    tmp_path: Path, backend: dict[str, str], workers: Callable[[], subprocess.Popen[bytes]]
) -> None:
    settings = make_settings(tmp_path, lease_seconds=2, sweep_seconds=0.5, **backend)
    rt = Runtime(settings, migrate=True)  # only enqueues and reads: the workers do the work
    try:
        ws = make_workspace(rt)
        cid = make_campaign(rt, ws)
        first = workers()
        pid = pipeline.generate(rt, workspace_id=ws, campaign_id=cid, kind="banner", options={}, until="scenes_ready")
        wait_until(lambda: status(rt, pid) == "scenes_ready", 60, "scenes_ready")

        workdir = rt.workdir(pid)
        workdir.mkdir(parents=True, exist_ok=True)
        (workdir / "sleep-render").write_text("30")
        pipeline.advance(rt, workspace_id=ws, project_id=pid, autopilot=True)
        wait_until(lambda: (workdir / "runs-render").exists(), 30, "the render step to start")
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        (workdir / "sleep-render").unlink()

        workers()
        wait_until(lambda: status(rt, pid) == "completed", 60, "the project to complete")

        assert len((workdir / "runs-render").read_text().splitlines()) == 2
        with rt.db.session() as session:
            render = session.scalars(select(Step).where(Step.project_id == pid, Step.name == "render")).one()
            assert render.runs == 2 and render.status == "succeeded" and render.credits == 5
            captures = session.scalars(
                select(LedgerEntry).where(LedgerEntry.hold_id == render.hold_id)
            ).all()
            assert [entry.kind for entry in captures] == ["capture"]
            balance = credits.get_balance(session, workspace_id=ws)
            assert balance == credits.ledger_sum(session, workspace_id=ws)
            assert balance == credits.Balance(available=250 - 7, held=0)
    finally:
        rt.close()


def status(rt: Any, pid: str) -> str:
    with rt.db.session() as session:
        project = session.get(Project, pid)
        return project.status if project else "missing"

"""A worker killed with SIGKILL mid-step: the lease expires, the sweeper re-queues the step,
another worker completes the project, and the credit is captured exactly once. With the default
lease this happens within 15 s of the kill; and a slow step whose worker is alive — even one in
native code that holds the GIL — is never taken from it."""

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
from factories import REDIS_URL, SUPPORT, TINY, make_campaign, make_settings, make_workspace
from sqlalchemy import select

from adloom.credits import service as credits
from adloom.credits.models import LedgerEntry
from adloom.pipeline import service as pipeline
from adloom.pipeline.runtime import Runtime
from adloom.projects.models import Project, Step

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


FAST = {"lease_seconds": 2, "sweep_seconds": 0.5}


@pytest.fixture
def workers(tmp_path: Path, backend: dict[str, str]) -> Iterator[Callable[..., subprocess.Popen[bytes]]]:
    """Starts ``adloom worker`` processes; keyword arguments are settings (default: the defaults)."""
    env = {
        **os.environ,
        "ADLOOM_DATA_DIR": str(tmp_path / "data"),
        "ADLOOM_DATABASE_URL": backend["database_url"],
        "ADLOOM_QUEUE_URL": backend["queue_url"],
        "ADLOOM_GENERATORS": json.dumps(TINY),
        "PYTHONPATH": os.pathsep.join(p for p in (str(SUPPORT), os.environ.get("PYTHONPATH", "")) if p),
    }
    started: list[subprocess.Popen[bytes]] = []

    def start(**settings: float) -> subprocess.Popen[bytes]:
        proc_env = {**env, **{f"ADLOOM_{key.upper()}": str(value) for key, value in settings.items()}}
        proc = subprocess.Popen([ADLOOM, "worker", "--threads", "1"], env=proc_env, stdout=subprocess.DEVNULL,
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
    tmp_path: Path, backend: dict[str, str], workers: Callable[..., subprocess.Popen[bytes]]
) -> None:
    settings = make_settings(tmp_path, **FAST, **backend)
    rt = Runtime(settings, migrate=True)  # only enqueues and reads: the workers do the work
    try:
        ws = make_workspace(rt)
        cid = make_campaign(rt, ws)
        first = workers(**FAST)
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

        workers(**FAST)
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


def render_runs(workdir: Path) -> list[int]:
    """The process ids that started the render step, in order."""
    path = workdir / "runs-render"
    return [int(line) for line in path.read_text().split()] if path.exists() else []


def test_with_the_default_lease_a_killed_step_restarts_elsewhere_within_15_s(
    tmp_path: Path, backend: dict[str, str], workers: Callable[..., subprocess.Popen[bytes]]
) -> None:
    rt = Runtime(make_settings(tmp_path, **backend), migrate=True)  # the default lease and sweep
    try:
        ws = make_workspace(rt)
        cid = make_campaign(rt, ws)
        procs = {proc.pid: proc for proc in (workers(), workers())}
        pid = pipeline.generate(rt, workspace_id=ws, campaign_id=cid, kind="banner", options={}, until="scenes_ready")
        wait_until(lambda: status(rt, pid) == "scenes_ready", 60, "scenes_ready")
        workdir = rt.workdir(pid)
        workdir.mkdir(parents=True, exist_ok=True)
        (workdir / "sleep-render").write_text("30")
        pipeline.advance(rt, workspace_id=ws, project_id=pid, autopilot=True)
        wait_until(lambda: len(render_runs(workdir)) == 1, 30, "the render step to start")
        time.sleep(1)  # the lease has been extended at least once
        victim = procs[render_runs(workdir)[0]]
        victim.send_signal(signal.SIGKILL)
        killed_at = time.monotonic()
        victim.wait(10)
        (workdir / "sleep-render").unlink()

        wait_until(lambda: len(render_runs(workdir)) == 2, 20, "another worker to restart the render step")
        recovered_after = time.monotonic() - killed_at
        assert recovered_after < 15, f"the step restarted {recovered_after:.1f} s after the kill"
        assert render_runs(workdir)[1] != victim.pid
        wait_until(lambda: status(rt, pid) == "completed", 30, "the project to complete")
    finally:
        rt.close()


def test_a_slow_step_whose_worker_is_alive_is_never_taken_from_it(
    tmp_path: Path, backend: dict[str, str], workers: Callable[..., subprocess.Popen[bytes]]
) -> None:
    """Lease 3 s; the render step first holds the GIL for a few seconds in native code (no
    thread of its worker can run), then sleeps for several more leases. A second worker sweeps
    all along, yet the step completes on its first worker at its first attempt. (The lease is
    short to keep the test quick; 3 s rather than 2 leaves room for a loaded machine.)"""
    lease = 3
    short = {"lease_seconds": lease, "sweep_seconds": 0.3}
    rt = Runtime(make_settings(tmp_path, **short, **backend), migrate=True)
    try:
        ws = make_workspace(rt)
        cid = make_campaign(rt, ws)
        workers(**short)
        workers(**short)
        pid = pipeline.generate(rt, workspace_id=ws, campaign_id=cid, kind="banner", options={}, until="scenes_ready")
        wait_until(lambda: status(rt, pid) == "scenes_ready", 60, "scenes_ready")
        workdir = rt.workdir(pid)
        workdir.mkdir(parents=True, exist_ok=True)
        (workdir / "gil-render").write_text("25")
        (workdir / "sleep-render").write_text(str(3 * lease))
        started = time.monotonic()
        pipeline.advance(rt, workspace_id=ws, project_id=pid, autopilot=True)
        wait_until(lambda: status(rt, pid) == "completed", 60, "the project to complete")
        assert time.monotonic() - started > 3 * lease  # the step really outlived several leases
        assert len(render_runs(workdir)) == 1
        with rt.db.session() as session:
            render = session.scalars(select(Step).where(Step.project_id == pid, Step.name == "render")).one()
            assert (render.runs, render.status, render.credits) == (1, "succeeded", 5)
    finally:
        rt.close()


def status(rt: Any, pid: str) -> str:
    with rt.db.session() as session:
        project = session.get(Project, pid)
        return project.status if project else "missing"

"""Fault tests on PostgreSQL + Redis with real `adloom worker` processes.

Each fault ends with every project completed (or failed with a clear message), no credit captured
twice or lost, no orphaned hold and no half-written asset (helpers_scale.assert_consistent).
Each test starts its own throwaway redis-server, so it can restart it without touching the shared one.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from factories import PG_URL, REDIS_URL, SUPPORT, make_campaign, make_settings, make_workspace
from helpers_scale import SCALE, all_rest, assert_consistent, project_error, statuses, wait_until
from sqlalchemy import create_engine, select, text

from adloom.pipeline import service as pipeline
from adloom.pipeline.runtime import Runtime
from adloom.projects.models import Step

pytestmark = [pytest.mark.postgres, pytest.mark.redis]
ADLOOM = str(Path(sys.executable).parent / "adloom")
LEASE = 2.0


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RedisServer:
    """A throwaway redis-server with no persistence: a restart loses every queued message."""

    def __init__(self, folder: Path) -> None:
        self.port, self.folder = free_port(), folder
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        import redis

        wait_until(lambda: _pings(redis.Redis.from_url(self.url)), 10, "redis-server to start")

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)


def _pings(client: Any) -> bool:
    try:
        return bool(client.ping())
    except Exception:  # noqa: BLE001 - not up yet
        return False


@dataclass
class Cluster:
    rt: Runtime
    env: dict[str, str]
    redis: RedisServer
    logs: Path
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def start_worker(self, *args: str, **env: str) -> subprocess.Popen[bytes]:
        log = (self.logs / f"worker{len(self.workers)}.log").open("wb")
        proc = subprocess.Popen([ADLOOM, "worker", "--threads", "1", *args], env={**self.env, **env},
                                stdout=subprocess.DEVNULL, stderr=log)
        self.workers.append(proc)
        return proc

    def at_scenes(self, ws: str, cid: str, count: int) -> list[str]:
        pids = [pipeline.generate(self.rt, workspace_id=ws, campaign_id=cid, kind="banner", options={},
                                  until="scenes_ready") for _ in range(count)]
        wait_until(lambda: all_rest(self.rt, pids, ("scenes_ready",)), 60, "scenes_ready")
        for pid in pids:
            self.rt.workdir(pid).mkdir(parents=True, exist_ok=True)
        return pids


@pytest.fixture
def cluster_factory(tmp_path: Path) -> Iterator[Callable[..., Cluster]]:
    if not PG_URL or not REDIS_URL:
        pytest.skip("ADLOOM_TEST_DATABASE_URL and ADLOOM_TEST_REDIS_URL must both be set")
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    made: list[Cluster] = []

    def make(database_url: str, data_dir: Path | None = None, **settings: Any) -> Cluster:
        redis = RedisServer(tmp_path)
        redis.start()
        data = data_dir or tmp_path / "data"
        values = {"database_url": database_url, "queue_url": redis.url, "data_dir": data, "lease_seconds": LEASE,
                  "sweep_seconds": 0.5, "generators": SCALE, **settings}
        rt = Runtime(make_settings(tmp_path, **values), migrate=True)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(SUPPORT), os.environ.get("PYTHONPATH", "")) if p), "ADLOOM_DATA_DIR": str(data),
               "ADLOOM_DATABASE_URL": database_url, "ADLOOM_QUEUE_URL": redis.url,
               "ADLOOM_LEASE_SECONDS": str(values["lease_seconds"]), "ADLOOM_SWEEP_SECONDS": "0.5",
               "ADLOOM_GENERATORS": json.dumps(SCALE)}
        cluster = Cluster(rt=rt, env=env, redis=redis, logs=tmp_path)
        made.append(cluster)
        return cluster

    yield make
    for cluster in made:
        for proc in cluster.workers:
            if proc.poll() is None:
                proc.kill()
                proc.wait(10)
        cluster.rt.close()
        cluster.redis.kill()


@pytest.fixture
def cluster(cluster_factory: Callable[..., Cluster], pg_schema_url: str) -> Cluster:
    return cluster_factory(pg_schema_url)


def runs(rt: Runtime, pid: str, stage: str) -> list[str]:
    path = rt.workdir(pid) / f"runs-{stage}"
    return path.read_text().split() if path.exists() else []


# ----------------------------------------------------------------- SIGKILL mid-render


def test_sigkill_of_a_worker_mid_render(cluster: Cluster) -> None:
    rt = cluster.rt
    ws = make_workspace(rt)
    cid = make_campaign(rt, ws)
    victim = cluster.start_worker()
    pids = cluster.at_scenes(ws, cid, 3)
    for pid in pids:
        (rt.workdir(pid) / "sleep-render").write_text("3")
    for pid in pids:
        pipeline.advance(rt, workspace_id=ws, project_id=pid, autopilot=True)
    wait_until(lambda: any(str(victim.pid) in runs(rt, pid, "render") for pid in pids), 30, "a render on the victim")
    victim.send_signal(signal.SIGKILL)
    victim.wait(10)
    cluster.start_worker()
    cluster.start_worker()
    wait_until(lambda: all_rest(rt, pids), 90, "every project")
    assert set(statuses(rt, pids).values()) == {"completed"}
    killed = [pid for pid in pids if str(victim.pid) in runs(rt, pid, "render")]
    assert len(killed) == 1 and len(runs(rt, killed[0], "render")) == 2  # re-run once by a survivor
    assert_consistent(rt, ws, pids)


# ----------------------------------------------------------------- SIGTERM: hand back


def test_sigterm_hands_back_the_step_in_hand(cluster_factory: Callable[..., Cluster], pg_schema_url: str) -> None:
    cluster = cluster_factory(pg_schema_url, lease_seconds=60)
    rt = cluster.rt
    ws = make_workspace(rt)
    cid = make_campaign(rt, ws)
    first = cluster.start_worker("--grace", "0.5")
    [pid] = cluster.at_scenes(ws, cid, 1)
    (rt.workdir(pid) / "sleep-render").write_text("20")
    pipeline.advance(rt, workspace_id=ws, project_id=pid, autopilot=True)
    wait_until(lambda: bool(runs(rt, pid, "render")), 30, "render to start")
    stopped = time.monotonic()
    first.send_signal(signal.SIGTERM)
    assert first.wait(20) == 0 and time.monotonic() - stopped < 20  # grace 0.5 s + interpreter exit on a loaded host
    with rt.db.session() as session:
        render = session.scalars(select(Step).where(Step.project_id == pid, Step.name == "render")).one()
        assert (render.status, render.lease_owner) == ("queued", None)
    (rt.workdir(pid) / "sleep-render").unlink()
    cluster.start_worker()
    wait_until(lambda: all_rest(rt, [pid]), 30, "completion")  # well before the 60 s lease would expire
    assert time.monotonic() - stopped < 30
    assert statuses(rt, [pid]) == {pid: "completed"}
    assert_consistent(rt, ws, [pid])


# ----------------------------------------------------------------- Redis restart


def test_redis_restart_while_jobs_are_queued(cluster: Cluster) -> None:
    rt = cluster.rt
    ws = make_workspace(rt)
    cid = make_campaign(rt, ws)
    # the generate stage takes a second, so the second restart finds steps in flight (instant
    # stages let every project finish between two polls of the statuses)
    (rt.settings.data_dir / "work").mkdir(parents=True, exist_ok=True)
    (rt.settings.data_dir / "work" / "sleep-all-generate").write_text("1.0")
    pids = [pipeline.generate(rt, workspace_id=ws, campaign_id=cid, kind="banner", options={}, autopilot=True)
            for _ in range(4)]
    assert cluster.rt.huey.pending_count() == 4  # queued in Redis, no worker yet
    cluster.redis.kill()
    cluster.redis.start()  # empty: every queued message is gone
    assert cluster.rt.huey.pending_count() == 0
    cluster.start_worker()
    cluster.start_worker()
    # And once more while the workers are busy with steps in flight.
    wait_until(lambda: any(s == "generating" for s in statuses(rt, pids).values()), 60, "generating")
    cluster.redis.kill()
    time.sleep(1.5)
    cluster.redis.start()
    wait_until(lambda: all_rest(rt, pids), 120, "every project")
    assert set(statuses(rt, pids).values()) == {"completed"}
    assert_consistent(rt, ws, pids)


# ----------------------------------------------------------------- PostgreSQL connection drop


def test_postgres_connection_drop_mid_transaction(cluster: Cluster) -> None:
    rt = cluster.rt
    app = f"adloom-fault-{uuid.uuid4().hex[:8]}"
    ws = make_workspace(rt)
    cid = make_campaign(rt, ws)
    (rt.settings.data_dir / "work").mkdir(parents=True, exist_ok=True)
    (rt.settings.data_dir / "work" / "sleep-all-render").write_text("1.5")  # steps with heartbeats to interrupt
    cluster.start_worker(PGAPPNAME=app)
    cluster.start_worker(PGAPPNAME=app)
    pids = [pipeline.generate(rt, workspace_id=ws, campaign_id=cid, kind="banner", options={}, autopilot=True)
            for _ in range(6)]
    # Start dropping connections once both workers are up (a worker that cannot migrate at start
    # exits, and its process manager restarts it; that is not what this test is about).
    wait_until(lambda: sum(bool(runs(rt, pid, "generate")) for pid in pids) >= 2, 60, "the workers to be busy")
    admin = create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT")
    killed: list[str] = []
    stop = threading.Event()

    def killer() -> None:
        with admin.connect() as conn:
            while not stop.is_set():
                rows = conn.execute(text(
                    "SELECT pid, state FROM pg_stat_activity WHERE application_name = :app "
                    "AND state IN ('active', 'idle in transaction')"), {"app": app}).all()
                for backend, state in rows[:1]:
                    if conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": backend}).scalar():
                        killed.append(state)
                        stop.wait(0.4)  # let the worker make progress between drops
                stop.wait(0.005)

    thread = threading.Thread(target=killer, daemon=True)
    thread.start()
    try:
        wait_until(lambda: len(killed) >= 8 or all_rest(rt, pids), 90, "connections to be dropped")
    finally:
        stop.set()
        thread.join(10)
        admin.dispose()
    wait_until(lambda: all_rest(rt, pids), 120, "every project")
    assert len(killed) >= 3, killed  # backends terminated while in a transaction or a statement
    assert set(statuses(rt, pids).values()) == {"completed"}, [project_error(rt, p) for p in pids]
    assert_consistent(rt, ws, pids)


# ----------------------------------------------------------------- full disk during stitching


def test_full_disk_during_stitching(cluster_factory: Callable[..., Cluster], pg_schema_url: str, tmp_path: Path) -> None:
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)], capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        cluster = cluster_factory(pg_schema_url, data_dir=mount)
        rt = cluster.rt
        ws = make_workspace(rt)
        cid = make_campaign(rt, ws)
        cluster.start_worker()
        ok, full, big = cluster.at_scenes(ws, cid, 3)
        (rt.workdir(full) / "fill-stitch").write_text("")
        (rt.workdir(big) / "big-stitch").write_text(str(2 << 20))
        for pid in (ok, full, big):
            pipeline.advance(rt, workspace_id=ws, project_id=pid, autopilot=True)
            wait_until(lambda pid=pid: all_rest(rt, [pid]), 60, "the project")  # one at a time: a known disk state
            for leftover in ("filler.bin", "stitch-big.bin"):
                (rt.workdir(pid) / leftover).unlink(missing_ok=True)  # the operator frees space
        assert statuses(rt, [ok, full, big]) == {ok: "completed", full: "failed", big: "failed"}
        for pid in (full, big):
            error = project_error(rt, pid)
            assert (error["code"], error["step"]) == ("disk_full", "stitch")
            assert error["message"] == "The stitch step stopped because the disk is full; nothing it made was kept."
        assert_consistent(rt, ws, [ok, full, big])
        assert not list((mount / "files").rglob(".part-*"))
        for pid in (full, big):  # after freeing space, a retry completes
            for flag in ("fill-stitch", "big-stitch"):
                (rt.workdir(pid) / flag).unlink(missing_ok=True)
            pipeline.retry(rt, workspace_id=ws, project_id=pid)
        wait_until(lambda: all_rest(rt, [full, big], ("completed",)), 60, "the retries")
        assert_consistent(rt, ws, [ok, full, big])
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)

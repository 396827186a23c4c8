"""Runtime behaviour for scale-out, in process on SQLite: two queues, per-workspace limits,
graceful hand-back, out-of-memory, disk full, work-folder cleanup."""

from __future__ import annotations

import errno
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from factories import make_campaign, make_settings, make_workspace
from helpers_scale import SCALE, all_rest, assert_consistent, project_error, statuses, wait_until
from sqlalchemy import select

from adloom.errors import DiskFull, FFmpegFailed, OutOfMemory, StorageError
from adloom.pipeline import service as pipeline
from adloom.pipeline.queue import queue_for_step
from adloom.pipeline.runtime import Runtime
from adloom.pipeline.worker import resource_error
from adloom.projects.models import Step


def runtime(tmp_path: Path, **overrides: Any) -> Runtime:
    values: dict[str, Any] = {
        "generators": SCALE,
        "database_url": f"sqlite:///{tmp_path / 'adloom.db'}",
        "queue_url": f"sqlite://{tmp_path / 'queue.db'}",
    }
    return Runtime(make_settings(tmp_path, **{**values, **overrides}), migrate=True)


def at_scenes(rt: Runtime, ws: str, cid: str) -> str:
    """A project resting at scenes_ready, so flags can be planted in its work folder."""
    pid = pipeline.generate(rt, workspace_id=ws, campaign_id=cid, kind="banner", options={}, until="scenes_ready")
    wait_until(lambda: statuses(rt, [pid])[pid] == "scenes_ready", 30, "scenes_ready")
    rt.workdir(pid).mkdir(parents=True, exist_ok=True)
    return pid


def step_of(rt: Runtime, pid: str, name: str) -> Step:
    step = find_step(rt, pid, name)
    assert step is not None, f"no {name} step"
    return step


def find_step(rt: Runtime, pid: str, name: str) -> Step | None:
    with rt.db.session() as session:
        step = session.scalars(select(Step).where(Step.project_id == pid, Step.name == name).order_by(Step.attempt.desc())).first()
        if step is not None:
            session.expunge(step)
        return step


def step_status(rt: Runtime, pid: str, name: str) -> str | None:
    step = find_step(rt, pid, name)
    return step.status if step else None


# ----------------------------------------------------------------- queues


def test_steps_go_to_the_light_or_render_queue() -> None:
    assert [queue_for_step(s) for s in ("ideas", "script", "scenes", "generate", "render", "stitch")] == [
        "light", "light", "light", "render", "render", "render"]


def test_a_light_only_worker_leaves_rendering_to_a_render_worker(tmp_path: Path) -> None:
    light = runtime(tmp_path)
    render = runtime(tmp_path)
    try:
        ws = make_workspace(light)
        cid = make_campaign(light, ws)
        light.worker.start(1, queues=["light"])
        pid = pipeline.generate(light, workspace_id=ws, campaign_id=cid, kind="banner", options={}, autopilot=True)
        wait_until(lambda: step_status(light, pid, "scenes") == "succeeded", 30, "the light steps")
        time.sleep(1.0)
        assert statuses(light, [pid])[pid] == "generating" and step_status(light, pid, "generate") == "queued"
        assert (light.queues["render"].pending_count(), light.queues["light"].pending_count()) == (1, 0)
        render.worker.start(1, queues=["render"])
        wait_until(lambda: statuses(light, [pid])[pid] == "completed", 30, "completion")
        assert_consistent(light, ws, [pid])
    finally:
        light.close()
        render.close()


def test_a_render_worker_loads_the_voice_before_its_first_job(tmp_path: Path) -> None:
    """The real video and jingle generators load the Piper voice when a long-running render
    worker starts (``adloom worker``, ``adloom serve``); short CLI commands do not."""
    from adloom.providers.tts import default_voice

    light, render = runtime(tmp_path, generators={}), runtime(tmp_path, generators={})
    try:
        light.worker.start(1, queues=["light"], warm_up=True)
        assert light.worker.warming is None  # nothing to warm where no asset stage runs
        render.worker.start(1, queues=["render"], warm_up=True)
        assert render.worker.warming is not None
        render.worker.warming.join(60)
        assert not render.worker.warming.is_alive()
        assert render.worker.warmed == ["video", "jingle"] and light.worker.warmed == []
        short = runtime(tmp_path, generators={})
        short.worker.start(1)  # what `adloom generate` does for its own project
        assert short.worker.warming is None
        short.close()
        assert default_voice()._shared.loaded is not None  # the model is loaded, in this process
    finally:
        light.close()
        render.close()


def test_unknown_queue_name_is_refused(tmp_path: Path) -> None:
    rt = runtime(tmp_path)
    try:
        with pytest.raises(Exception, match=r"Unknown queue\(s\): gpu"):
            rt.worker.start(1, queues=["gpu"])
    finally:
        rt.close()


# ----------------------------------------------------------------- per-workspace concurrency


def intervals(rt: Runtime) -> list[tuple[float, float, str]]:
    lines = (rt.settings.data_dir / "work" / "intervals.log").read_text().splitlines()
    return [(float(a), float(b), pid) for a, b, pid, _ in (line.split() for line in lines)]


def max_overlap(spans: list[tuple[float, float, str]]) -> int:
    events = sorted([(a, 1) for a, _, _ in spans] + [(b, -1) for _, b, _ in spans])
    best = current = 0
    for _, delta in events:
        current += delta
        best = max(best, current)
    return best


def test_workspace_limit_makes_projects_wait_not_fail(tmp_path: Path) -> None:
    rt = runtime(tmp_path, workspace_concurrency=1)
    try:
        ws = make_workspace(rt)
        other = make_workspace(rt, name="Other")
        cid, other_cid = make_campaign(rt, ws), make_campaign(rt, other)
        rt.worker.start(4)
        pids = [at_scenes(rt, ws, cid) for _ in range(3)]
        free = at_scenes(rt, other, other_cid)
        for pid in [*pids, free]:
            (rt.workdir(pid) / "sleep-render").write_text("0.6")
        for pid in [*pids, free]:
            pipeline.advance(rt, workspace_id=None, project_id=pid, autopilot=True)
        wait_until(lambda: all_rest(rt, [*pids, free]), 60, "every project")
        assert set(statuses(rt, [*pids, free]).values()) == {"completed"}
        spans = intervals(rt)
        assert max_overlap([s for s in spans if s[2] in pids]) == 1  # never two at once in the limited workspace
        assert max_overlap(spans) == 2  # ...while the other workspace ran alongside
        assert_consistent(rt, ws, pids)
    finally:
        rt.close()


# ----------------------------------------------------------------- graceful shutdown


def test_graceful_stop_hands_back_a_step_that_does_not_finish_in_time(tmp_path: Path) -> None:
    first = runtime(tmp_path, lease_seconds=60)
    second = runtime(tmp_path, lease_seconds=60)
    try:
        ws = make_workspace(first)
        first.worker.start(1)
        pid = at_scenes(first, ws, make_campaign(first, ws))
        (first.workdir(pid) / "sleep-render").write_text("4")
        pipeline.advance(first, workspace_id=ws, project_id=pid, autopilot=True)
        wait_until(lambda: step_status(first, pid, "render") == "running", 30, "render to start")
        first.worker.stop(graceful=True, timeout=0.3)
        render = step_of(first, pid, "render")
        assert (render.status, render.lease_owner, render.runs) == ("queued", None, 1)
        (first.workdir(pid) / "sleep-render").unlink()
        started = time.monotonic()
        second.worker.start(1)
        wait_until(lambda: statuses(first, [pid])[pid] == "completed", 20, "completion")
        assert time.monotonic() - started < 10  # taken over at once, not after the 60 s lease
        assert step_of(first, pid, "render").runs == 2
        assert_consistent(first, ws, [pid])
    finally:
        first.close()
        second.close()


def test_graceful_stop_finishes_a_short_step(tmp_path: Path) -> None:
    rt = runtime(tmp_path)
    try:
        ws = make_workspace(rt)
        rt.worker.start(1)
        pid = at_scenes(rt, ws, make_campaign(rt, ws))
        (rt.workdir(pid) / "sleep-generate").write_text("1")
        pipeline.advance(rt, workspace_id=ws, project_id=pid, autopilot=True)
        wait_until(lambda: step_status(rt, pid, "generate") == "running", 30, "generate to start")
        rt.worker.stop(graceful=True, timeout=20)
        generate = step_of(rt, pid, "generate")
        assert (generate.status, generate.runs) == ("succeeded", 1)
    finally:
        rt.close()


# ----------------------------------------------------------------- resources


def test_resource_errors_are_mapped() -> None:
    disk = OSError(errno.ENOSPC, "No space left on device")
    assert isinstance(resource_error(disk, "stitch"), DiskFull)
    wrapped = StorageError("Could not store a file.")
    wrapped.__cause__ = disk
    assert isinstance(resource_error(wrapped, "render"), DiskFull)
    assert isinstance(resource_error(FFmpegFailed(["ffmpeg"], "out.mp4: No space left on device"), "stitch"), DiskFull)
    assert isinstance(resource_error(MemoryError(), "render"), OutOfMemory)
    other = OSError(errno.EACCES, "Permission denied")
    assert resource_error(other, "render") is other


def test_out_of_memory_fails_the_step_cleanly(tmp_path: Path) -> None:
    rt = runtime(tmp_path, queue_url="immediate")
    try:
        ws = make_workspace(rt)
        pid = at_scenes(rt, ws, make_campaign(rt, ws))
        (rt.workdir(pid) / "oom-render").write_text("")
        pipeline.advance(rt, workspace_id=ws, project_id=pid, autopilot=True)
        error = project_error(rt, pid)
        assert (error["code"], error["step"]) == ("out_of_memory", "render")
        assert error["message"] == "The render step ran out of memory; nothing it made was kept."
        assert_consistent(rt, ws, [pid])
    finally:
        rt.close()


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 3 MiB tmpfs: a real full disk."""
    mount = tmp_path / f"disk-{uuid.uuid4().hex[:6]}"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)], capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


@pytest.mark.parametrize("where", ["generator", "storage"])
def test_full_disk_during_stitching_fails_cleanly_and_retry_completes(tmp_path: Path, tiny_disk: Path, where: str) -> None:
    rt = runtime(tmp_path, queue_url="immediate", data_dir=tiny_disk)
    try:
        ws = make_workspace(rt)
        cid = make_campaign(rt, ws)
        done = pipeline.generate(rt, workspace_id=ws, campaign_id=cid, kind="banner", options={}, autopilot=True)
        pid = at_scenes(rt, ws, cid)
        flag = rt.workdir(pid) / ("fill-stitch" if where == "generator" else "big-stitch")
        flag.write_text("" if where == "generator" else str(2 << 20))  # 2 MiB fits once in work, not twice
        pipeline.advance(rt, workspace_id=ws, project_id=pid, autopilot=True)
        error = project_error(rt, pid)
        assert (error["code"], error["step"]) == ("disk_full", "stitch")
        assert error["message"] == "The stitch step stopped because the disk is full; nothing it made was kept."
        assert "Free space" in error["next_action"]
        assert statuses(rt, [done, pid]) == {done: "completed", pid: "failed"}
        assert_consistent(rt, ws, [done, pid])
        assert not list((tiny_disk / "files").rglob(".part-*")) and not list((tiny_disk / "files").glob(".in-*"))
        # Free the space and retry: the stitch resumes and completes, charged once.
        flag.unlink()
        for leftover in ("filler.bin", "stitch-big.bin"):
            (rt.workdir(pid) / leftover).unlink(missing_ok=True)
        pipeline.retry(rt, workspace_id=ws, project_id=pid)
        assert statuses(rt, [pid])[pid] == "completed"
        assert_consistent(rt, ws, [done, pid])
    finally:
        rt.close()


def test_work_folders_of_completed_projects_are_cleaned(tmp_path: Path) -> None:
    rt = runtime(tmp_path, queue_url="immediate")
    try:
        ws = make_workspace(rt)
        cid = make_campaign(rt, ws)
        done = pipeline.generate(rt, workspace_id=ws, campaign_id=cid, kind="banner", options={}, autopilot=True)
        resting = at_scenes(rt, ws, cid)
        orphan = rt.settings.data_dir / "work" / "deadbeef"
        orphan.mkdir(parents=True)
        (orphan / "tmp.bin").write_bytes(b"x")
        assert rt.worker.clean_workdirs() == [orphan.name]  # recent finished work is kept for a while
        assert sorted(rt.worker.clean_workdirs(older_than=0)) == [done]
        assert not rt.workdir(done).exists() and rt.workdir(resting).exists()
    finally:
        rt.close()


# ----------------------------------------------------------------- the sweeper under a backlog


def test_sweeper_requeues_a_waiting_step_only_when_its_message_was_lost(tmp_path: Path) -> None:
    from datetime import timedelta

    from sqlalchemy import update

    from adloom.db import utcnow

    rt = runtime(tmp_path, lease_seconds=1)
    try:
        ws = make_workspace(rt)
        pid = pipeline.generate(rt, workspace_id=ws, campaign_id=make_campaign(rt, ws), kind="banner", options={})
        with rt.db.session() as session:  # the step has waited long behind a backlog
            session.execute(update(Step).where(Step.project_id == pid).values(queued_at=utcnow() - timedelta(hours=1)))
        assert rt.huey.pending_count() == 1
        assert rt.worker.sweep_once() == [] and rt.huey.pending_count() == 1  # its message is still queued: no duplicate
        rt.huey.flush()  # the queue loses its messages (a Redis restart without persistence)
        with rt.db.session() as session:
            session.execute(update(Step).where(Step.project_id == pid).values(queued_at=utcnow() - timedelta(hours=1)))
        assert rt.worker.sweep_once() == [step_of(rt, pid, "ideas").id] and rt.huey.pending_count() == 1
        rt.worker.start(1)
        wait_until(lambda: statuses(rt, [pid])[pid] == "ideas_ready", 30, "ideas")
    finally:
        rt.close()

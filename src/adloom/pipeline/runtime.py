"""The runtime that wires settings into a database, storage, a queue and the step runner.

One :class:`Runtime` per process (web app, worker, CLI). Tasks are registered on the Huey instance
under fixed names, so a producer and a consumer built from the same settings agree.
"""

from __future__ import annotations

import errno
import importlib
import logging
import os
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from adloom.credits import service as credits
from adloom.db import Database, utcnow
from adloom.errors import AdloomError, DiskFull, OutOfMemory, StepLost, ValidationError
from adloom.observability import log_context
from adloom.pipeline import engine
from adloom.pipeline.queue import QUEUE_NAMES, make_huey, queue_for_step
from adloom.pipeline.stages import (
    StageInput,
    StageOutcome,
    StageServices,
    execute_stage,
    warm_up_generators,
)
from adloom.projects.models import Asset, Project, Step
from adloom.settings import Settings
from adloom.storage import make_storage

log = logging.getLogger("adloom.pipeline")

DEFER_SECONDS = 0.5  # a step over its workspace's concurrency limit goes back on the queue after this
WORKDIR_RETENTION_SECONDS = 6 * 3600  # work folders of finished projects are removed after this
DB_RETRIES = 5  # a dropped database connection is retried this many times when saving a step


def _owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


class Heartbeat(threading.Thread):
    """Extends a step's lease and flushes progress while the step runs."""

    def __init__(self, runtime: Runtime, step_id: str, project_id: str, owner: str) -> None:
        super().__init__(daemon=True, name=f"heartbeat-{step_id[:8]}")
        self.runtime, self.step_id, self.project_id, self.owner = runtime, step_id, project_id, owner
        self.stopped = threading.Event()
        self.lost = False
        self.progress: tuple[str, float] | None = None

    def report(self, detail: str, fraction: float) -> None:
        self.progress = (detail, max(0.0, min(1.0, fraction)))

    def run(self) -> None:
        interval = min(self.runtime.settings.lease_seconds / 3, 2.0)
        while not self.stopped.wait(interval):
            try:
                self.beat()
            except Exception:  # a missed beat is retried; the lease is generous
                log.warning("heartbeat failed for step %s", self.step_id, exc_info=True)

    def beat(self) -> None:
        with self.runtime.db.session() as session:
            if not engine.heartbeat(session, self.step_id, self.owner, self.runtime.settings.lease_seconds):
                self.lost = True
                self.stopped.set()
                return
            if self.progress is not None:
                project = session.get(Project, self.project_id)
                if project is not None:
                    project.detail, project.progress = self.progress

    def stop(self) -> None:
        self.stopped.set()


class Runtime:
    """Database + storage + queue + step runner for one process."""

    def __init__(self, settings: Settings, *, migrate: bool = False) -> None:
        self.settings = settings
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.db = Database(settings.effective_database_url)
        if migrate:
            from adloom.migrate import upgrade

            upgrade(self.db)
        self.storage = make_storage(settings.storage_url, settings.data_dir)
        # Two queues: "light" (ideas, script, scenes; also other features' tasks) and "render".
        self.queues = {key: make_huey(settings, name) for key, name in QUEUE_NAMES.items()}
        self.huey = self.queues["light"]
        self._run_step_tasks = {
            key: huey.task(name="adloom.run_step")(self.run_step) for key, huey in self.queues.items()
        }
        self._in_hand: dict[str, str] = {}  # step id -> lease owner, handed back on shutdown
        self._last_clean = 0.0
        self._writer: Any = None
        self._threads: list[threading.Thread] = []
        self.warming: threading.Thread | None = None
        self.warmed: list[str] = []  # generator kinds whose warm-up finished
        self._stop = threading.Event()
        self.on_status: list[Callable[[str, str], None]] = []  # (project id, status) listeners
        install_extensions(self)

    # ------------------------------------------------------------------ wiring

    def prices_for(self, session: Any, workspace_id: str) -> dict[str, int]:
        return credits.price_list(session, workspace_id=workspace_id, defaults=self.settings.prices)

    @property
    def writer(self) -> Any:
        if self._writer is None:
            from adloom.writer import get_writer

            s = self.settings
            config = {}
            if s.writer != "local":
                config = {
                    "base_url": s.llm_base_url,
                    "api_key": s.llm_api_key,
                    "model_standard": s.llm_model_standard,
                    "model_premium": s.llm_model_premium or s.llm_model_standard,
                    "timeout": s.llm_timeout,
                }
            self._writer = get_writer(s.writer, **config)
        return self._writer

    def workdir(self, project_id: str) -> Path:
        return self.settings.data_dir / "work" / project_id

    def enqueue(self, step_ids: Iterable[str]) -> None:
        """Queue steps on the light or the render queue, by step name."""
        ids = list(step_ids)
        if not ids:
            return
        with self.db.session() as session:
            names = dict(session.execute(select(Step.id, Step.name).where(Step.id.in_(ids))).all())
        for step_id in ids:
            self._run_step_tasks[queue_for_step(names.get(step_id, ""))](step_id)

    # ------------------------------------------------------------------ the task

    def run_step(self, step_id: str) -> None:
        """Run one step under a lease; commit output, assets and capture together."""
        owner = _owner()
        inp: StageInput | None = None
        with self.db.session() as session:
            limit = 0 if self.huey.immediate else self.settings.workspace_concurrency  # inline: nothing to wait for
            if engine.workspace_has_room(session, step_id, limit):
                if not engine.claim(session, step_id, owner, self.settings.lease_seconds):
                    return
                inp = self._stage_input(session, step_id)
        if inp is None:  # the workspace is at its limit: the step waits, queued, and comes back
            self._stop.wait(DEFER_SECONDS)
            self.enqueue([step_id])
            return
        with log_context(project_id=inp.project_id, step_id=step_id, step=inp.step):
            self._run_claimed(step_id, owner, inp)

    def _run_claimed(self, step_id: str, owner: str, inp: StageInput) -> None:
        log.info("step %s (%s) of project %s started", step_id, inp.step, inp.project_id)
        beat = Heartbeat(self, step_id, inp.project_id, owner)
        self._in_hand[step_id] = owner
        beat.start()
        try:
            outcome = execute_stage(inp, self._services(), beat.report)
            beat.stop()
            beat.join()
            if beat.lost:
                raise StepLost("lease lost")
            next_ids = self._with_db_retry(lambda: self._finish(step_id, owner, inp, outcome))
        except StepLost:
            log.info("step %s was cancelled or taken over; its result is discarded", step_id)
            return
        except Exception as exc:  # every failure becomes a failed step with a message
            beat.stop()
            if isinstance(exc, DBAPIError) and is_disconnect(exc):
                # The database, not the step, failed: the lease expires and the sweeper re-runs it.
                log.warning("database unavailable while saving step %s; it will be re-run", step_id, exc_info=True)
                return
            error = resource_error(exc, inp.step)
            log.warning("step %s failed: %s", step_id, error, exc_info=not isinstance(error, AdloomError))
            self._with_db_retry(lambda: self._fail(step_id, owner, error))
            return
        finally:
            beat.stop()
            self._in_hand.pop(step_id, None)
        self.enqueue(next_ids)

    def _with_db_retry(self, action: Callable[[], Any]) -> Any:
        """Run a saving transaction again when the database connection dropped under it."""
        for attempt in range(1, DB_RETRIES + 1):
            try:
                return action()
            except DBAPIError as exc:
                if attempt == DB_RETRIES or not is_disconnect(exc):
                    raise
                log.warning("database connection lost while saving a step; retrying (%d)", attempt)
                time.sleep(0.2 * attempt)
        return None

    def _services(self) -> StageServices:
        return StageServices(writer=self.writer, storage=self.storage, generator_overrides=self.settings.generators,
                             soundfont_dir=self.settings.soundfont_dir, voices_dir=self.settings.voices_dir)

    def _stage_input(self, session: Any, step_id: str) -> StageInput:
        step = session.get(Step, step_id)
        project = session.get(Project, step.project_id)
        return StageInput(
            project_id=project.id,
            campaign_id=project.campaign_id,
            kind=project.kind,
            step=step.name,
            seed=step.seed,
            options=dict(project.options),
            snapshot=dict(project.snapshot),
            outputs=engine.stage_outputs(session, project.id),
            workdir=self.workdir(project.id),
        )

    def _finish(self, step_id: str, owner: str, inp: StageInput, outcome: StageOutcome) -> list[str]:
        stored = [(item, self.storage.put_file(item.path)) for item in outcome.files]
        with self.db.session() as session:
            project = session.get(Project, inp.project_id)
            assets = [
                Asset(
                    workspace_id=project.workspace_id,
                    project_id=project.id,
                    step_id=step_id,
                    role=item.role,
                    label=item.label,
                    name=item.path.name,
                    media_type=item.media_type,
                    width=item.width,
                    height=item.height,
                    duration=item.duration,
                    bytes=blob.size,
                    checksum=blob.checksum,
                    storage_key=blob.key,
                    meta=dict(item.meta),
                )
                for item, blob in stored
            ]
            next_ids = engine.finish_step(
                session,
                step_id=step_id,
                owner=owner,
                output=outcome.output,
                provenance={"provider": outcome.provider, "model": outcome.model, "prompt": outcome.prompt},
                assets=assets,
                warnings=outcome.warnings,
                prices=self.prices_for(session, project.workspace_id),
            )
            status = project.status
        self.notify(inp.project_id, status)
        return next_ids

    def _fail(self, step_id: str, owner: str, exc: BaseException) -> None:
        try:
            with self.db.session() as session:
                engine.fail_step(session, step_id=step_id, owner=owner, exc=exc)
                project_id = session.get(Step, step_id).project_id  # type: ignore[union-attr]
        except StepLost:
            return
        self.notify(project_id, "failed")

    def notify(self, project_id: str, status: str) -> None:
        for listener in list(self.on_status):
            try:
                listener(project_id, status)
            except Exception:
                log.warning("status listener failed", exc_info=True)

    # ------------------------------------------------------------------ sweeping and consuming

    def sweep_once(self) -> list[str]:
        """Re-queue steps of dead workers, and queued steps whose message the queue lost.

        A step that has merely waited long behind a backlog still has its message in the queue:
        re-queuing it would only add duplicates, and under a deep backlog the duplicates snowball
        (every waiting step copied every two leases). So a waiting step is re-queued only when its
        queue is empty: a lost message (a Redis restart) leaves it empty, or empty once drained."""
        with self.db.session() as session:
            step_ids = engine.sweep(session, lease_seconds=self.settings.lease_seconds)
            rows = session.execute(select(Step.id, Step.name, Step.status).where(Step.id.in_(step_ids))).all()
        empty: dict[str, bool] = {}
        chosen = [sid for sid, name, status in rows if status != "queued" or self._queue_empty(name, empty)]
        if chosen:
            log.info("sweeper re-queued %d step(s)", len(chosen))
        self.enqueue(chosen)
        return chosen

    def _queue_empty(self, step_name: str, cache: dict[str, bool]) -> bool:
        key = queue_for_step(step_name)
        if key not in cache:
            cache[key] = self.queues[key].pending_count() == 0
        return cache[key]

    def _sweep_forever(self) -> None:
        while not self._stop.wait(self.settings.sweep_seconds):
            try:
                self.sweep_once()
                if time.monotonic() - self._last_clean > 600:
                    self._last_clean = time.monotonic()
                    self.clean_workdirs()
            except Exception:
                log.warning("sweep failed", exc_info=True)

    def clean_workdirs(self, *, older_than: float = WORKDIR_RETENTION_SECONDS) -> list[str]:
        """Remove the work folders (temporary files) of projects finished ``older_than`` seconds ago."""
        root = self.settings.data_dir / "work"
        if not root.is_dir():
            return []
        folders = {p.name: p for p in root.iterdir() if p.is_dir()}
        if not folders:
            return []
        cutoff = utcnow().timestamp() - older_than
        with self.db.session() as session:
            rows = session.execute(
                select(Project.id, Project.status, Project.updated_at).where(Project.id.in_(list(folders)))
            ).all()
        known = {pid for pid, _, _ in rows}
        done = [pid for pid, status, updated in rows
                # A failed project keeps its folder: retry resumes from the intermediates in it.
                if status in ("completed", "cancelled") and _timestamp(updated) <= cutoff]
        done += [name for name in folders if name not in known]  # a deleted project's leftovers
        for pid in done:
            shutil.rmtree(folders[pid], ignore_errors=True)
        return done

    def start_workers(
        self, threads: int | None = None, queues: Iterable[str] | None = None, *, warm_up: bool = False
    ) -> None:
        """Consume the queue in this process with threads, and run the sweeper. With ``warm_up``
        (long-running workers: ``adloom worker``, ``adloom serve``) a worker that takes render
        steps also loads the generators' models (the voice) in the background.

        A small loop over ``huey.dequeue``/``huey.execute`` rather than Huey's Consumer, which
        installs signal handlers and so cannot start outside the main thread (web lifespan)."""
        if self.huey.immediate or self._threads:
            return
        self._stop.clear()
        count = threads or self.settings.worker_threads
        chosen = self._chosen_queues(queues)
        self._threads = [
            threading.Thread(target=self._consume, args=(chosen,), daemon=True, name=f"adloom-worker-{n}")
            for n in range(count)
        ]
        self._threads.append(threading.Thread(target=self._sweep_forever, daemon=True, name="adloom-sweeper"))
        for thread in self._threads:
            thread.start()
        if warm_up and "render" in (queues or self.queues):
            # asset stages run here: load the voice now, not inside the first job (stopping
            # waits for it: a half-loaded native runtime must not meet interpreter exit)
            self.warming = threading.Thread(target=self._warm_up, daemon=True, name="adloom-warm-up")
            self.warming.start()

    def _warm_up(self) -> None:
        started = time.perf_counter()
        try:
            kinds = warm_up_generators(self.settings.generators)
        except Exception:  # a worker without a usable voice still serves everything else
            log.warning("warming up the generators failed; the first job will load them", exc_info=True)
            return
        self.warmed = kinds
        if kinds:
            log.info("generators warmed up (%s) in %.1f s", ", ".join(kinds), time.perf_counter() - started)

    def _chosen_queues(self, queues: Iterable[str] | None) -> list[Any]:
        names = list(queues or self.queues)
        unknown = [name for name in names if name not in self.queues]
        if unknown or not names:
            raise ValidationError(
                f"Unknown queue(s): {', '.join(unknown) or '(none)'}.", hint=f"Use {', '.join(self.queues)}."
            )
        return [self.queues[name] for name in names]

    def _consume(self, queues: list[Any]) -> None:
        """Take tasks from the chosen queues, in the order given (the first has priority)."""
        delay = 0.02
        while not self._stop.is_set():
            task, source = None, None
            try:
                for huey in queues:
                    if (task := huey.dequeue()) is not None:
                        source = huey
                        break
            except Exception:
                log.warning("queue unavailable; retrying", exc_info=True)
                task = None
                delay = 1.0
            if task is None or source is None:
                self._stop.wait(delay)
                delay = min(delay * 1.5, 0.5)
                continue
            delay = 0.02
            try:
                source.execute(task)
            except Exception:
                log.exception("task %s crashed", task)

    def stop_workers(self, graceful: bool = True, timeout: float | None = None) -> None:
        """Stop taking tasks; with ``graceful`` wait up to ``timeout`` seconds for the steps in
        hand to finish. Steps still running after that are handed back to the queue at once
        (their lease released) so that another worker takes them without waiting for the sweeper."""
        self._stop.set()
        if self.warming is not None:
            # a model half-loaded by a native runtime cannot be abandoned at interpreter exit
            self.warming.join(60)
        if graceful:
            deadline = time.monotonic() + timeout if timeout is not None else None
            for thread in self._threads:
                thread.join(None if deadline is None else max(0.0, deadline - time.monotonic()))
        self._threads = []
        try:
            self.hand_back()
        except Exception:
            log.warning("could not hand back the steps in hand; the sweeper will recover them", exc_info=True)

    def hand_back(self) -> list[str]:
        """Release the leases of the steps this process still holds and re-queue them."""
        handed = []
        for step_id, owner in list(self._in_hand.items()):
            with self.db.session() as session:
                if engine.hand_back(session, step_id, owner):
                    handed.append(step_id)
        if handed:
            log.info("handed back %d step(s) to the queue", len(handed))
            self.enqueue(handed)
        return handed

    def wait_for(self, project_id: str, *, timeout: float | None = None, poll: float = 0.2,
                 on_tick: Callable[[Project], None] | None = None) -> Project:
        """Block until the project rests (a gate it stops at, completed, failed or cancelled)."""
        deadline = time.monotonic() + timeout if timeout else None
        while True:
            with self.db.session() as session:
                project = session.get(Project, project_id)
                assert project is not None
                if on_tick:
                    on_tick(project)
                if is_resting(project):
                    return project
            if deadline and time.monotonic() > deadline:
                return project
            time.sleep(poll)

    def close(self) -> None:
        self.stop_workers(graceful=False)
        self.db.dispose()


EXTENSIONS = ("adloom.webhooks.service",)


def install_extensions(rt: Runtime) -> None:
    """Let optional features (webhooks...) register tasks and status listeners on this runtime.
    Each module exposes ``install(runtime)``; a missing module is simply not installed."""
    for name in EXTENSIONS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name and name.startswith(exc.name):
                continue
            raise
        module.install(rt)


def resource_error(exc: Exception, step: str) -> Exception:
    """Turn a full disk or exhausted memory into a clear AdloomError leaf."""
    if isinstance(exc, MemoryError):
        return OutOfMemory(
            f"The {step} step ran out of memory; nothing it made was kept.",
            hint="Run fewer worker threads on this host or give it more memory, then retry the project.",
            step=step,
        )
    if _is_disk_full(exc):
        return DiskFull(
            f"The {step} step stopped because the disk is full; nothing it made was kept.",
            hint="Free space in the data folder (or the storage volume), then retry the project; no credits were charged.",
            step=step,
        )
    return exc


def _is_disk_full(exc: BaseException | None) -> bool:
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        if "No space left on device" in str(exc):  # ffmpeg and other tools report it as text
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def is_disconnect(exc: DBAPIError) -> bool:
    """The database connection dropped (server restart, terminated backend, network)."""
    return bool(exc.connection_invalidated) or isinstance(exc, OperationalError | InterfaceError)


def _timestamp(value: Any) -> float:
    from datetime import UTC, datetime

    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).timestamp()
    return 0.0


def is_resting(project: Project) -> bool:
    from adloom.pipeline.states import GATES

    if project.status in ("completed", "failed", "cancelled", "draft"):
        return True
    if project.status in GATES:
        # A gate the project would pass but could not (e.g. credits ran out) is a rest too.
        return bool(project.error) or not engine.should_pass_gate(project, project.status)
    return False

"""The worker: consumes the queues in threads, runs each step under a lease, beats and sweeps.

Everything it needs (database, storage, queues, writer, the status listeners) comes from the
process's wiring, :class:`adloom.pipeline.runtime.Runtime`, which builds one :class:`Worker` and
registers :meth:`Worker.run_step` as the queue task. The lease keeper process
(:mod:`adloom.pipeline.keeper`) beats for the steps in hand while worker threads are running.
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from huey import Huey
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.orm import Session

from adloom.db import utcnow
from adloom.errors import AdloomError, DiskFull, OutOfMemory, StepLost, ValidationError
from adloom.observability import log_context
from adloom.pipeline import engine
from adloom.pipeline.keeper import LeaseKeeper, beat_interval
from adloom.pipeline.queue import queue_for_step
from adloom.pipeline.stages import StageInput, StageOutcome, execute_stage, warm_up_generators
from adloom.projects.ideas import shown_hooks
from adloom.projects.models import Asset, Project, Step

if TYPE_CHECKING:
    from adloom.pipeline.runtime import Runtime

log = logging.getLogger("adloom.pipeline")

DEFER_SECONDS = 0.5  # a step over its workspace's concurrency limit goes back on the queue after this
WORKDIR_RETENTION_SECONDS = 6 * 3600  # work folders of finished projects are removed after this
DB_RETRIES = 5  # a dropped database connection is retried this many times when saving a step
CLEAN_EVERY_SECONDS = 600  # the sweeper removes old work folders this often


class Companion(Protocol):
    """A background job that runs while the worker threads run (the webhook retry pump)."""

    def start(self) -> None: ...

    def stop(self) -> None: ...


def _owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


class Heartbeat(threading.Thread):
    """Extends a step's lease and flushes progress while the step runs."""

    def __init__(self, rt: Runtime, step_id: str, project_id: str, owner: str) -> None:
        super().__init__(daemon=True, name=f"heartbeat-{step_id[:8]}")
        self.rt, self.step_id, self.project_id, self.owner = rt, step_id, project_id, owner
        self.stopped = threading.Event()
        self.lost = False
        self.progress: tuple[str, float] | None = None

    def report(self, detail: str, fraction: float) -> None:
        self.progress = (detail, max(0.0, min(1.0, fraction)))

    def run(self) -> None:
        interval = beat_interval(self.rt.settings.lease_seconds)
        while not self.stopped.wait(interval):
            try:
                self.beat()
            except Exception:  # a missed beat is retried; a lease spans three beats
                log.warning("heartbeat failed for step %s", self.step_id, exc_info=True)

    def beat(self) -> None:
        with self.rt.db.session() as session:
            if not engine.heartbeat(session, self.step_id, self.owner, self.rt.settings.lease_seconds):
                self.lost = True
                self.stopped.set()
                return
            if self.progress is not None:
                project = session.get(Project, self.project_id)
                if project is not None:
                    project.detail, project.progress = self.progress

    def stop(self) -> None:
        self.stopped.set()


class Worker:
    """Runs steps for one process: the queue task, consumer threads, sweeper and warm-up."""

    def __init__(self, rt: Runtime, *, companions: Sequence[Companion] = ()) -> None:
        self.rt = rt
        self.companions = list(companions)
        self._in_hand: dict[str, str] = {}  # step id -> lease owner, handed back on shutdown
        self._keeper: LeaseKeeper | None = None  # beats from its own process while workers run
        self._last_clean = 0.0
        self._threads: list[threading.Thread] = []
        self.warming: threading.Thread | None = None
        self.warmed: list[str] = []  # generator kinds whose warm-up finished
        self._stop = threading.Event()

    # ------------------------------------------------------------------ the task

    def run_step(self, step_id: str) -> None:
        """Run one step under a lease; commit output, assets and capture together."""
        owner = _owner()
        inp: StageInput | None = None
        with self.rt.db.session() as session:
            # inline (immediate queue): nothing to wait for, so no workspace limit
            limit = 0 if self.rt.huey.immediate else self.rt.settings.workspace_concurrency
            if engine.workspace_has_room(session, step_id, limit):
                if not engine.claim(session, step_id, owner, self.rt.settings.lease_seconds):
                    return
                inp = self._stage_input(session, step_id)
        if inp is None:  # the workspace is at its limit: the step waits, queued, and comes back
            self._stop.wait(DEFER_SECONDS)
            self.rt.enqueue([step_id])
            return
        with log_context(project_id=inp.project_id, step_id=step_id, step=inp.step):
            self._run_claimed(step_id, owner, inp)

    def _run_claimed(self, step_id: str, owner: str, inp: StageInput) -> None:
        log.info("step %s (%s) of project %s started", step_id, inp.step, inp.project_id)
        beat = Heartbeat(self.rt, step_id, inp.project_id, owner)
        self._in_hand[step_id] = owner
        if self._keeper is not None:
            self._keeper.add(step_id, owner)
        beat.start()
        try:
            outcome = execute_stage(inp, self.rt.services(), beat.report)
            if beat.lost:
                raise StepLost("lease lost")
            # The beat goes on while the files are stored (a slow upload must not let the lease
            # lapse); the saving transaction then checks the lease is still this worker's.
            next_ids: list[str] = self._with_db_retry(lambda: self._finish(step_id, owner, inp, outcome))
            beat.stop()
        except StepLost:
            log.info("step %s was cancelled or taken over; its result is discarded", step_id)
            return
        except Exception as exc:  # noqa: BLE001 - every failure becomes a failed step with a message
            beat.stop()
            self._failed(step_id, owner, inp.step, exc)
            return
        finally:
            beat.stop()
            self._in_hand.pop(step_id, None)
            if self._keeper is not None:
                self._keeper.remove(step_id)
        self.rt.enqueue(next_ids)

    def _failed(self, step_id: str, owner: str, step: str, exc: Exception) -> None:
        if isinstance(exc, DBAPIError) and is_disconnect(exc):
            # The database, not the step, failed: the lease expires and the sweeper re-runs it.
            log.warning("database unavailable while saving step %s; it will be re-run", step_id, exc_info=exc)
            return
        error = resource_error(exc, step)
        log.warning("step %s failed: %s", step_id, error, exc_info=None if isinstance(error, AdloomError) else exc)
        self._with_db_retry(lambda: self._fail(step_id, owner, error))

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

    def _stage_input(self, session: Session, step_id: str) -> StageInput:
        step = session.get(Step, step_id)
        project = session.get(Project, step.project_id) if step is not None else None
        if step is None or project is None:
            raise StepLost(f"step {step_id} or its project no longer exists")
        return StageInput(
            project_id=project.id,
            campaign_id=project.campaign_id,
            kind=project.kind,
            step=step.name,
            seed=step.seed,
            options=dict(project.options),
            snapshot=dict(project.snapshot),
            outputs=engine.stage_outputs(session, project.id),
            workdir=self.rt.workdir(project.id),
            shown_hooks=shown_hooks(session, project.id, before_attempt=step.attempt)
            if step.name == "ideas"
            else (),
        )

    def _finish(self, step_id: str, owner: str, inp: StageInput, outcome: StageOutcome) -> list[str]:
        stored = [(item, self.rt.storage.put_file(item.path)) for item in outcome.files]
        with self.rt.db.session() as session:
            project = session.get(Project, inp.project_id)
            if project is None:
                raise StepLost(f"project {inp.project_id} no longer exists")
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
                prices=self.rt.prices_for(session, project.workspace_id),
            )
            status = project.status
        self.rt.notify(inp.project_id, status)
        return next_ids

    def _fail(self, step_id: str, owner: str, exc: BaseException) -> None:
        try:
            with self.rt.db.session() as session:
                engine.fail_step(session, step_id=step_id, owner=owner, exc=exc,
                                 max_failures=self.rt.settings.step_max_failures)
                step = session.get(Step, step_id)
                project_id = step.project_id if step is not None else None
        except StepLost:
            return
        if project_id is not None:
            self.rt.notify(project_id, "failed")

    # ------------------------------------------------------------------ sweeping

    def sweep_once(self) -> list[str]:
        """Re-queue steps of dead workers, and queued steps whose message the queue lost.

        A step that has merely waited long behind a backlog still has its message in the queue:
        re-queuing it would only add duplicates, and under a deep backlog the duplicates snowball
        (every waiting step copied every two leases). So a waiting step is re-queued only when its
        queue is empty: a lost message (a Redis restart) leaves it empty, or empty once drained."""
        with self.rt.db.session() as session:
            step_ids = engine.sweep(session, lease_seconds=self.rt.settings.lease_seconds)
            rows = session.execute(select(Step.id, Step.name, Step.status).where(Step.id.in_(step_ids))).all()
        empty: dict[str, bool] = {}
        chosen = [sid for sid, name, status in rows if status != "queued" or self._queue_empty(name, empty)]
        if chosen:
            log.info("sweeper re-queued %d step(s)", len(chosen))
        self.rt.enqueue(chosen)
        return chosen

    def _queue_empty(self, step_name: str, cache: dict[str, bool]) -> bool:
        key = queue_for_step(step_name)
        if key not in cache:
            cache[key] = self.rt.queues[key].pending_count() == 0
        return cache[key]

    def _sweep_forever(self) -> None:
        while not self._stop.wait(self.rt.settings.sweep_seconds):
            try:
                self.sweep_once()
                if time.monotonic() - self._last_clean > CLEAN_EVERY_SECONDS:
                    self._last_clean = time.monotonic()
                    self.clean_workdirs()
            except Exception:
                log.warning("sweep failed", exc_info=True)

    def clean_workdirs(self, *, older_than: float = WORKDIR_RETENTION_SECONDS) -> list[str]:
        """Remove the work folders (temporary files) of projects finished ``older_than`` seconds ago."""
        root = self.rt.settings.data_dir / "work"
        folders = {p.name: p for p in root.iterdir() if p.is_dir()} if root.is_dir() else {}
        if not folders:
            return []
        cutoff = utcnow().timestamp() - older_than
        with self.rt.db.session() as session:
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

    # ------------------------------------------------------------------ consuming

    def start(self, threads: int | None = None, queues: Iterable[str] | None = None, *,
              warm_up: bool = False) -> None:
        """Consume the queue in this process with threads, and run the sweeper. With ``warm_up``
        (long-running workers: ``adloom worker``, ``adloom serve``) a worker that takes render
        steps also loads the generators' models (the voice) in the background.

        A small loop over ``huey.dequeue``/``huey.execute`` rather than Huey's Consumer, which
        installs signal handlers and so cannot start outside the main thread (web lifespan)."""
        if self.rt.huey.immediate:
            return  # steps run inline as they are queued
        if not self._threads:
            self._start_threads(threads, queues, warm_up=warm_up)
        for companion in self.companions:
            companion.start()

    def _start_threads(self, threads: int | None, queues: Iterable[str] | None, *, warm_up: bool) -> None:
        self._stop.clear()
        chosen = self._chosen_queues(queues)
        self._threads = [
            threading.Thread(target=self._consume, args=(chosen,), daemon=True, name=f"adloom-worker-{n}")
            for n in range(threads or self.rt.settings.worker_threads)
        ]
        self._threads.append(threading.Thread(target=self._sweep_forever, daemon=True, name="adloom-sweeper"))
        self._keeper = LeaseKeeper(self.rt.settings.effective_database_url, self.rt.settings.lease_seconds)
        for thread in self._threads:
            thread.start()
        if warm_up and "render" in (queues or self.rt.queues):
            # asset stages run here: load the voice now, not inside the first job (stopping
            # waits for it: a half-loaded native runtime must not meet interpreter exit)
            self.warming = threading.Thread(target=self._warm_up, daemon=True, name="adloom-warm-up")
            self.warming.start()

    def _warm_up(self) -> None:
        started = time.perf_counter()
        try:
            kinds = warm_up_generators(self.rt.settings.generators)
        except Exception:  # a worker without a usable voice still serves everything else
            log.warning("warming up the generators failed; the first job will load them", exc_info=True)
            return
        self.warmed = kinds
        if kinds:
            log.info("generators warmed up (%s) in %.1f s", ", ".join(kinds), time.perf_counter() - started)

    def _chosen_queues(self, queues: Iterable[str] | None) -> list[Huey]:
        names = list(queues or self.rt.queues)
        unknown = [name for name in names if name not in self.rt.queues]
        if unknown or not names:
            raise ValidationError(
                f"Unknown queue(s): {', '.join(unknown) or '(none)'}.", hint=f"Use {', '.join(self.rt.queues)}."
            )
        return [self.rt.queues[name] for name in names]

    def _consume(self, queues: list[Huey]) -> None:
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

    def stop(self, graceful: bool = True, timeout: float | None = None) -> None:
        """Stop taking tasks; with ``graceful`` wait up to ``timeout`` seconds for the steps in
        hand to finish. Steps still running after that are handed back to the queue at once
        (their lease released) so that another worker takes them without waiting for the sweeper."""
        for companion in self.companions:
            companion.stop()
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
        if self._keeper is not None:
            self._keeper.close()
            self._keeper = None

    def hand_back(self) -> list[str]:
        """Release the leases of the steps this process still holds and re-queue them."""
        handed = []
        for step_id, owner in list(self._in_hand.items()):
            with self.rt.db.session() as session:
                if engine.hand_back(session, step_id, owner):
                    handed.append(step_id)
        if handed:
            log.info("handed back %d step(s) to the queue", len(handed))
            self.rt.enqueue(handed)
        return handed


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
            hint="Free space in the data folder (or the storage volume), then retry the project.",
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


def _timestamp(value: object) -> float:
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).timestamp()
    return 0.0

"""The wiring of one process: settings into a database, storage, queues, a writer and services.

One :class:`Runtime` per process (web app, worker, CLI), built by its constructor, the one factory.
It owns no loop: the :class:`~adloom.pipeline.worker.Worker` it builds (``rt.worker``) consumes
the queues, runs steps under leases and sweeps. Tasks are registered on the Huey instances under
fixed names, so a producer and a consumer built from the same settings agree.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from huey import Huey
from sqlalchemy import select
from sqlalchemy.orm import Session

from adloom.credits import service as credits
from adloom.db import Database
from adloom.errors import ProjectNotFound
from adloom.migrate import upgrade
from adloom.pipeline import engine
from adloom.pipeline.queue import QUEUE_NAMES, is_shared_queue, make_huey, queue_for_step
from adloom.pipeline.stages import StageServices
from adloom.pipeline.worker import Worker
from adloom.projects.models import Project, Step
from adloom.projects.states import GATES
from adloom.settings import Settings
from adloom.storage import Storage, make_storage
from adloom.webhooks.service import Dispatcher
from adloom.writer import get_writer
from adloom.writer.base import Writer

log = logging.getLogger("adloom.pipeline")

StatusListener = Callable[[str, str], None]  # (project id, new status)


class Runtime:
    """Database + storage + queues + writer + services for one process; ``worker`` runs steps."""

    def __init__(self, settings: Settings, *, migrate: bool = False) -> None:
        self.settings = settings
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.db = Database(settings.effective_database_url)
        if migrate:
            upgrade(self.db)
        self.storage: Storage = make_storage(settings.storage_url, settings.data_dir)
        # Two queues: "light" (ideas, script, scenes; also other features' tasks) and "render".
        self.queues: dict[str, Huey] = {key: make_huey(settings, name) for key, name in QUEUE_NAMES.items()}
        self.huey = self.queues["light"]
        self.on_status: list[StatusListener] = []
        self._writer: Writer | None = None
        self.webhooks = Dispatcher(self.db, settings, self.huey)
        self.on_status.append(self.webhooks.on_status)
        self.worker = Worker(self, companions=[self.webhooks])
        self._run_step_tasks = {
            key: huey.task(name="adloom.run_step")(self.worker.run_step) for key, huey in self.queues.items()
        }

    @property
    def writer(self) -> Writer:
        """The configured writer, built on first use (the local one loads nothing; an LLM client
        is only built where a stage or an action needs it)."""
        if self._writer is None:
            s = self.settings
            config: dict[str, object] = {}
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

    def services(self) -> StageServices:
        """What the stages may use: the writer, storage and the generators' settings."""
        return StageServices(
            writer=self.writer,
            storage=self.storage,
            generator_overrides=self.settings.generators,
            soundfont_dir=self.settings.soundfont_dir,
            segmentation_model=self.settings.segmentation_model,
            voices_dir=self.settings.voices_dir,
        )

    def prices_for(self, session: Session, workspace_id: str) -> dict[str, int]:
        return credits.price_list(session, workspace_id=workspace_id, defaults=self.settings.prices)

    def workdir(self, project_id: str) -> Path:
        return self.settings.data_dir / "work" / project_id

    def enqueue(self, step_ids: Iterable[str]) -> None:
        """Queue steps on the light or the render queue, by step name."""
        ids = list(step_ids)
        if not ids:
            return
        with self.db.session() as session:
            names = dict(session.execute(select(Step.id, Step.name).where(Step.id.in_(ids))).tuples().all())
        for step_id in ids:
            self._run_step_tasks[queue_for_step(names.get(step_id, ""))](step_id)

    def notify(self, project_id: str, status: str) -> None:
        """Tell every status listener (webhooks, the dashboard's live events) about a change."""
        for listener in list(self.on_status):
            try:
                listener(project_id, status)
            except Exception:
                log.warning("status listener failed", exc_info=True)

    def wait_for(self, project_id: str, *, timeout: float | None = None, poll: float = 0.2,
                 on_tick: Callable[[Project], None] | None = None) -> Project:
        """Block until the project rests (a gate it stops at, completed, failed or cancelled)."""
        deadline = time.monotonic() + timeout if timeout else None
        while True:
            with self.db.session() as session:
                project = session.get(Project, project_id)
                if project is None:
                    raise ProjectNotFound(f"There is no project '{project_id}'.")
                if on_tick:
                    on_tick(project)
                if is_resting(project):
                    return project
            if deadline and time.monotonic() > deadline:
                return project
            time.sleep(poll)

    def close(self) -> None:
        self.worker.stop(graceful=False)
        self.db.dispose()


@contextmanager
def open_runtime(settings: Settings, *, workers: bool = False) -> Iterator[Runtime]:
    """A migrated runtime for one command; with ``workers`` it also consumes the embedded queue
    in threads (a shared Redis queue is left to the ``adloom worker`` processes)."""
    rt = Runtime(settings, migrate=True)
    try:
        if workers and not is_shared_queue(settings):
            rt.worker.start()
        yield rt
    finally:
        rt.close()


def is_resting(project: Project) -> bool:
    if project.status in ("completed", "failed", "cancelled", "draft"):
        return True
    if project.status in GATES:
        # A gate the project would pass but could not (e.g. credits ran out) is a rest too.
        return bool(project.error) or not engine.should_pass_gate(project, project.status)
    return False


"""Operations: structured JSON logs with project and step ids, and a Prometheus ``/metrics``.

Logs: :func:`configure_logging` installs a JSON-lines formatter on the root logger; every record
carries the ``project_id``/``step_id``/``step`` bound with :func:`log_context` (context variables,
so each worker thread has its own).

Metrics are computed from the database and the queue at scrape time, not from in-process
counters: with web replicas and several worker processes every replica reports the same, complete
figures (the database is the source of truth for steps and credits).
"""

from __future__ import annotations

import hmac
import json
import logging
import sys
import traceback
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse
from huey import Huey

from adloom.db import Database
from adloom.errors import AuthError, PermissionDenied
from adloom.hosts import is_loopback_host

# ----------------------------------------------------------------- structured logs

_CONTEXT: ContextVar[dict[str, str]] = ContextVar("adloom_log_context", default={})  # noqa: B039 - never mutated


@contextmanager
def log_context(**fields: str | None) -> Iterator[None]:
    """Bind fields (project_id, step_id, step, worker...) to every log record in this block."""
    token = _CONTEXT.set({**_CONTEXT.get(), **{k: v for k, v in fields.items() if v is not None}})
    try:
        yield
    finally:
        _CONTEXT.reset(token)


def current_log_context() -> dict[str, str]:
    return dict(_CONTEXT.get())


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, bound context, exception."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
            **_CONTEXT.get(),
        }
        for key in ("project_id", "step_id", "step"):
            if key in record.__dict__:
                data[key] = record.__dict__[key]
        if record.exc_info:
            data["exc"] = "".join(traceback.format_exception(*record.exc_info)).rstrip()
        return json.dumps(data, default=str)


def configure_logging(level: str = "INFO", *, json_lines: bool = True) -> None:
    """Send Adloom's logs to stderr, as JSON lines (production) or plain text (a terminal)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if json_lines else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in list(root.handlers):  # replaces the CLI's plain handler: one line per record
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())


# ----------------------------------------------------------------- Prometheus exposition

DURATION_BUCKETS = (0.1, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0)


@dataclass
class Family:
    """One metric family in the Prometheus text format (version 0.0.4)."""

    name: str
    kind: str  # gauge, counter, histogram
    help: str
    samples: list[tuple[str, dict[str, str], float]] = field(default_factory=list)

    def add(self, value: float, suffix: str = "", **labels: str) -> None:
        self.samples.append((self.name + suffix, labels, value))

    def render(self) -> str:
        lines = [f"# HELP {self.name} {self.help}", f"# TYPE {self.name} {self.kind}"]
        for name, labels, value in self.samples:
            lines.append(f"{name}{_labels(labels)} {_number(value)}")
        return "\n".join(lines)


def _labels(labels: dict[str, str]) -> str:
    if not labels:
        return ""
    body = ",".join(f'{k}="{_escape(v)}"' for k, v in sorted(labels.items()))
    return "{" + body + "}"


def _escape(value: str) -> str:
    return str(value).replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _number(value: float) -> str:
    if value == float("inf"):
        return "+Inf"
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def render_families(families: Iterable[Family]) -> str:
    return "\n".join(family.render() for family in families) + "\n"


def histogram(family: Family, values: Iterable[float], buckets: tuple[float, ...], **labels: str) -> None:
    ordered = sorted(values)
    index = 0
    for bound in buckets:
        while index < len(ordered) and ordered[index] <= bound:
            index += 1
        family.add(index, "_bucket", le=_number(bound), **labels)
    family.add(len(ordered), "_bucket", le="+Inf", **labels)
    family.add(sum(ordered), "_sum", **labels)
    family.add(len(ordered), "_count", **labels)


# ----------------------------------------------------------------- collecting


def collect(db: Database, queues: Mapping[str, Huey]) -> list[Family]:
    """Every metric family, read from the process's queues and database (``rt.db``, ``rt.queues``)."""
    families = [_queue_depth(queues)]
    with db.session() as session:
        families += _step_families(session) + [_projects(session)] + _credit_families(session)
    return families


def _queue_depth(queues: Mapping[str, Huey]) -> Family:
    family = Family("adloom_queue_depth", "gauge", "Tasks waiting in the queue, per queue (-1: queue unreachable).")
    for name, huey in queues.items():
        try:
            depth = float(huey.pending_count())
        except Exception:  # noqa: BLE001 - an unreachable queue is a figure here, not an error
            depth = -1.0
        family.add(depth, queue=name)
    return family


def _step_families(session: Any) -> list[Family]:
    from sqlalchemy import func, select

    from adloom.projects.models import Step

    states = Family("adloom_steps", "gauge", "Steps by stage and status.")
    for name, status, count in session.execute(select(Step.name, Step.status, func.count()).group_by(Step.name, Step.status)):
        states.add(count, step=name, status=status)
    durations: dict[str, list[float]] = defaultdict(list)
    failures: Counter[tuple[str, str]] = Counter()
    rows = session.execute(
        select(Step.name, Step.status, Step.started_at, Step.finished_at, Step.error).where(
            Step.status.in_(("succeeded", "failed")), Step.finished_at.is_not(None)
        )
    )
    for name, status, started, finished, error in rows:
        if started is not None:
            durations[name].append(max(0.0, (_aware(finished) - _aware(started)).total_seconds()))
        if status == "failed":
            failures[(name, str((error or {}).get("code", "unknown")))] += 1
    hist = Family("adloom_step_duration_seconds", "histogram", "Wall time of finished steps (started to finished), per stage.")
    for name in sorted(durations):
        histogram(hist, durations[name], DURATION_BUCKETS, step=name)
    failed = Family("adloom_step_failures_total", "counter", "Failed steps, per stage and error code.")
    for (name, code), count in sorted(failures.items()):
        failed.add(count, step=name, code=code)
    return [states, hist, failed]


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)  # SQLite returns naive UTC


def _projects(session: Any) -> Family:
    from sqlalchemy import func, select

    from adloom.projects.models import Project

    family = Family("adloom_projects", "gauge", "Projects by status.")
    for status, count in session.execute(select(Project.status, func.count()).group_by(Project.status)):
        family.add(count, status=status)
    return family


def _credit_families(session: Any) -> list[Family]:
    from sqlalchemy import func, select

    from adloom.credits.models import CreditAccount, LedgerEntry

    available, held = session.execute(
        select(func.coalesce(func.sum(CreditAccount.available), 0), func.coalesce(func.sum(CreditAccount.held), 0))
    ).one()
    moved = dict(
        session.execute(select(LedgerEntry.kind, func.coalesce(func.sum(LedgerEntry.held_delta), 0)).group_by(LedgerEntry.kind)).all()
    )
    families = [
        Family("adloom_credits_available", "gauge", "Credits available to spend, all workspaces."),
        Family("adloom_credits_held", "gauge", "Credits held by running steps, all workspaces."),
        Family("adloom_credits_captured_total", "counter", "Credits charged for finished steps, all workspaces."),
        Family("adloom_credits_released_total", "counter", "Held credits given back after failures or cancels."),
    ]
    for family, value in zip(families, (available, held, -moved.get("capture", 0), -moved.get("release", 0)), strict=True):
        family.add(float(value))
    return families


# ----------------------------------------------------------------- the router

router = APIRouter()


def check_metrics_access(request: Request) -> None:
    """Workspace names and credit figures are private: with ``ADLOOM_METRICS_TOKEN`` the scraper
    must send it as a Bearer token; without one, only this machine (loopback) may scrape."""
    token = request.app.state.settings.metrics_token
    if token:
        scheme, _, sent = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(sent.strip().encode(), token.encode()):
            raise AuthError("/metrics needs the metrics token.",
                            hint="Send 'Authorization: Bearer <ADLOOM_METRICS_TOKEN>' from the scraper.")
    elif not is_loopback_host(request.client.host if request.client else None):
        raise PermissionDenied("/metrics answers only on this machine.",
                               hint="Scrape from localhost, or set ADLOOM_METRICS_TOKEN and send it as a Bearer token.")


@router.get("/metrics", include_in_schema=False)
def metrics(request: Request) -> PlainTextResponse:
    """Prometheus text format: queue depth, steps, step durations, failures, projects, credits."""
    check_metrics_access(request)
    runtime = request.app.state.runtime
    body = render_families(collect(runtime.db, runtime.queues))
    return PlainTextResponse(body, media_type="text/plain; version=0.0.4; charset=utf-8")

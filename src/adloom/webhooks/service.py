"""Webhook subscriptions and signed, retried deliveries of project status changes.

Flow: the runtime calls every ``on_status`` listener after a project's status changed; the
listener writes one :class:`WebhookDelivery` per matching subscription and queues the Huey task
``adloom.webhooks.deliver``. A delivery attempt is claimed with a conditional update on its
attempt counter, so a duplicated task never sends the same attempt twice. A failed attempt
(non-2xx, timeout, refused connection) schedules the next one after an exponential backoff;
a small pump thread, started with the runtime's workers, re-queues deliveries that are due
(Huey's own scheduler is not running in the embedded consumer). The process's wiring
(:class:`adloom.pipeline.runtime.Runtime`) builds one :class:`Dispatcher` and runs its pump as a
companion of the worker. Every attempt is logged with
its status code and duration only: receivers are tenant-chosen, so neither their reply nor the
network's error text is kept (see :mod:`adloom.webhooks.egress` for the SSRF rules).
"""

from __future__ import annotations

import fnmatch
import json
import logging
import threading
import time
from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import Any, Protocol

from huey import Huey
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from adloom.db import Database, new_id, utcnow
from adloom.errors import NotFoundError, ValidationError
from adloom.settings import Settings
from adloom.webhooks.egress import check_receiver_url, post
from adloom.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookSubscription
from adloom.webhooks.signing import headers, new_secret

log = logging.getLogger("adloom.webhooks")

TASK_NAME = "adloom.webhooks.deliver"
DEFAULT_BACKOFF: tuple[float, ...] = (5, 30, 120, 600, 1800, 7200, 18000)  # seconds after each failure
CLAIM_SECONDS = 120.0  # a claimed attempt is re-queued by the pump if its worker vanished
EVENT_PREFIX = "project."


class WebhookNotFound(NotFoundError):
    code = "webhook_not_found"


# ------------------------------------------------------------------ subscriptions


def check_url(url: str, *, allow_private: bool = False) -> str:
    """The receiver URL if webhooks may go there (public http(s) only, unless allowed)."""
    return check_receiver_url(url, allow_private=allow_private)


def check_events(events: Sequence[str]) -> list[str]:
    clean = [e.strip() for e in events if e.strip()]
    bad = [e for e in clean if not e.startswith(EVENT_PREFIX) and e != "*"]
    if bad:
        raise ValidationError(
            f"Unknown event pattern(s): {', '.join(bad)}.",
            hint="Use project.* for every status change, or e.g. project.completed, project.failed.",
        )
    return clean or [EVENT_PREFIX + "*"]


def create_subscription(
    session: Session, *, workspace_id: str, url: str, events: Sequence[str] = ("project.*",), description: str = "",
    allow_private: bool = False,
) -> WebhookSubscription:
    """A new subscription with a fresh ``whsec_`` signing secret."""
    sub = WebhookSubscription(
        workspace_id=workspace_id, url=check_url(url, allow_private=allow_private), events=check_events(events),
        description=description.strip()[:300], secret=new_secret(), active=True,
    )
    session.add(sub)
    session.flush()
    return sub


def get_subscription_or_raise(session: Session, sub_id: str, *, workspace_id: str) -> WebhookSubscription:
    sub = session.get(WebhookSubscription, sub_id)
    if sub is None or sub.workspace_id != workspace_id:
        raise WebhookNotFound(f"There is no webhook subscription '{sub_id}' in this workspace.")
    return sub


def list_subscriptions(session: Session, *, workspace_id: str) -> list[WebhookSubscription]:
    stmt = select(WebhookSubscription).where(WebhookSubscription.workspace_id == workspace_id)
    return list(session.scalars(stmt.order_by(WebhookSubscription.created_at)))


def update_subscription(
    session: Session, sub: WebhookSubscription, *, changes: dict[str, Any], allow_private: bool = False
) -> WebhookSubscription:
    if changes.get("url") is not None:
        sub.url = check_url(changes["url"], allow_private=allow_private)
    if changes.get("events") is not None:
        sub.events = check_events(changes["events"])
    if changes.get("description") is not None:
        sub.description = str(changes["description"]).strip()[:300]
    if changes.get("active") is not None:
        sub.active = bool(changes["active"])
    if changes.get("rotate_secret"):
        sub.secret = new_secret()
    session.flush()
    return sub


def delete_subscription(session: Session, sub: WebhookSubscription) -> None:
    session.delete(sub)
    session.flush()


def list_deliveries(
    session: Session, *, workspace_id: str, subscription_id: str | None = None, project_id: str | None = None,
    limit: int = 100,
) -> list[WebhookDelivery]:
    stmt = select(WebhookDelivery).where(WebhookDelivery.workspace_id == workspace_id)
    if subscription_id:
        stmt = stmt.where(WebhookDelivery.subscription_id == subscription_id)
    if project_id:
        stmt = stmt.where(WebhookDelivery.project_id == project_id)
    return list(session.scalars(stmt.order_by(WebhookDelivery.created_at.desc()).limit(limit)))


def get_delivery_or_raise(session: Session, delivery_id: str, *, workspace_id: str) -> WebhookDelivery:
    delivery = session.get(WebhookDelivery, delivery_id)
    if delivery is None or delivery.workspace_id != workspace_id:
        raise WebhookNotFound(f"There is no webhook delivery '{delivery_id}' in this workspace.")
    return delivery


def attempts_of(session: Session, delivery_id: str) -> list[WebhookAttempt]:
    stmt = select(WebhookAttempt).where(WebhookAttempt.delivery_id == delivery_id)
    return list(session.scalars(stmt.order_by(WebhookAttempt.attempt)))


# ------------------------------------------------------------------ events


def matches(patterns: Iterable[str], event: str) -> bool:
    return any(fnmatch.fnmatchcase(event, p) for p in patterns)


def record_event(
    session: Session, *, workspace_id: str, event: str, data: dict[str, Any], project_id: str | None = None,
    only_subscription: str | None = None,
) -> list[tuple[str, int]]:
    """One pending delivery per active matching subscription; returns (delivery id, attempt)."""
    subs = list_subscriptions(session, workspace_id=workspace_id)
    if only_subscription:  # a test ping goes to that one subscription, paused or not
        subs = [s for s in subs if s.id == only_subscription]
    else:
        subs = [s for s in subs if s.active and matches(s.events, event)]
    now = utcnow()
    out = []
    for sub in subs:
        msg_id = f"msg_{new_id()}"
        payload = {"type": event, "timestamp": now.isoformat(), "data": data}
        delivery = WebhookDelivery(
            workspace_id=workspace_id, subscription_id=sub.id, msg_id=msg_id, event=event, project_id=project_id,
            payload=payload, state="pending", attempts=0, next_attempt_at=now + timedelta(seconds=CLAIM_SECONDS),
        )
        session.add(delivery)
        session.flush()
        out.append((delivery.id, 1))
    return out


# ------------------------------------------------------------------ delivering


def body_bytes(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()


def _rowcount(result: Any) -> int:
    return int(getattr(result, "rowcount", 0))


def claim_attempt(session: Session, delivery_id: str, attempt: int) -> bool:
    """Own attempt number ``attempt`` of a pending delivery; False if someone else did."""
    moved = _rowcount(session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.id == delivery_id, WebhookDelivery.state == "pending",
               WebhookDelivery.attempts == attempt - 1)
        .values(attempts=attempt, next_attempt_at=utcnow() + timedelta(seconds=CLAIM_SECONDS))
        .execution_options(synchronize_session=False)
    ))
    return moved == 1


class Dispatcher:
    """Sends deliveries for one runtime; ``backoff`` is the wait after each failed attempt."""

    def __init__(self, db: Database, settings: Settings, huey: Huey, *, backoff: Sequence[float] = DEFAULT_BACKOFF,
                 pump_seconds: float = 1.0) -> None:
        self.db, self.settings = db, settings
        self.backoff = tuple(backoff)
        self.pump_seconds = pump_seconds
        self._task: Any = huey.task(name=TASK_NAME)(self.deliver)
        self._stop = threading.Event()
        self._pump: threading.Thread | None = None

    @property
    def max_attempts(self) -> int:
        return len(self.backoff) + 1

    def enqueue(self, items: Iterable[tuple[str, int]]) -> None:
        for delivery_id, attempt in items:
            self._task(delivery_id, attempt)

    def deliver(self, delivery_id: str, attempt: int) -> None:
        """Make attempt number ``attempt`` of a delivery (the Huey task)."""
        with self.db.session() as session:
            if not claim_attempt(session, delivery_id, attempt):
                return
            delivery = session.get(WebhookDelivery, delivery_id)
            sub = session.get(WebhookSubscription, delivery.subscription_id) if delivery else None
            if delivery is None or sub is None:
                return
            url, secret, msg_id, payload = sub.url, sub.secret, delivery.msg_id, dict(delivery.payload)
        body = body_bytes(payload)
        started = time.monotonic()
        code, error = post(url, body, headers(secret, msg_id, int(time.time()), body),
                           allow_private=bool(self.settings.webhook_allow_private))
        self._record(delivery_id, attempt, code, error, int((time.monotonic() - started) * 1000))

    def _record(self, delivery_id: str, attempt: int, code: int | None, error: str | None, duration_ms: int) -> None:
        ok = code is not None and 200 <= code < 300
        with self.db.session() as session:
            session.add(WebhookAttempt(delivery_id=delivery_id, attempt=attempt, status_code=code, error=error,
                                       duration_ms=duration_ms))
            delivery = session.get(WebhookDelivery, delivery_id)
            if delivery is None:
                return
            delivery.last_status_code, delivery.last_error = code, error or (None if ok else f"HTTP {code}")
            if ok:
                delivery.state, delivery.next_attempt_at = "succeeded", None
            elif attempt >= self.max_attempts:
                delivery.state, delivery.next_attempt_at = "failed", None
            else:
                delivery.next_attempt_at = utcnow() + timedelta(seconds=self.backoff[attempt - 1])
        log.info("webhook delivery %s attempt %d: %s", delivery_id, attempt, code or error)

    # -------------------------------------------------------------- the retry pump

    def pump_once(self) -> int:
        """Queue the next attempt of every delivery that is due; returns how many."""
        due: list[tuple[str, int]] = []
        with self.db.session() as session:
            rows = session.execute(
                select(WebhookDelivery.id, WebhookDelivery.attempts)
                .where(WebhookDelivery.state == "pending", WebhookDelivery.next_attempt_at <= utcnow())
                .limit(100)
            ).all()
            for delivery_id, attempts in rows:
                # Push the due time forward first so that another pump does not queue it too.
                moved = _rowcount(session.execute(
                    update(WebhookDelivery)
                    .where(WebhookDelivery.id == delivery_id, WebhookDelivery.attempts == attempts,
                           WebhookDelivery.state == "pending", WebhookDelivery.next_attempt_at <= utcnow())
                    .values(next_attempt_at=utcnow() + timedelta(seconds=CLAIM_SECONDS))
                    .execution_options(synchronize_session=False)
                ))
                if moved == 1:
                    due.append((delivery_id, attempts + 1))
        self.enqueue(due)
        return len(due)

    def _pump_forever(self) -> None:
        while not self._stop.wait(self.pump_seconds):
            try:
                self.pump_once()
            except Exception:
                log.warning("webhook pump failed", exc_info=True)

    def start(self) -> None:
        if self._pump is None or not self._pump.is_alive():
            self._stop.clear()
            self._pump = threading.Thread(target=self._pump_forever, daemon=True, name="adloom-webhook-pump")
            self._pump.start()

    def stop(self) -> None:
        self._stop.set()
        self._pump = None

    # -------------------------------------------------------------- the status listener

    def on_status(self, project_id: str, status: str) -> None:
        with self.db.session() as session:
            from adloom.projects.models import Project

            project = session.get(Project, project_id)
            if project is None:
                return
            data = {"project": project_summary(session, project, self.settings.base_url)}
            items = record_event(session, workspace_id=project.workspace_id, event=EVENT_PREFIX + status,
                                 data=data, project_id=project_id)
        self.enqueue(items)

    def send_test(self, *, workspace_id: str, subscription_id: str) -> str:
        """Queue a ``webhook.test`` event to one subscription; returns the delivery id."""
        with self.db.session() as session:
            get_subscription_or_raise(session, subscription_id, workspace_id=workspace_id)
            items = record_event(session, workspace_id=workspace_id, event="webhook.test",
                                 data={"message": "Hello from Adloom"}, only_subscription=subscription_id)
        self.enqueue(items)
        return items[0][0]


def project_summary(session: Session, project: Any, base_url: str) -> dict[str, Any]:
    """What a webhook says about a project: its status and its current files with download URLs."""
    from adloom.projects.service import current_assets

    api = base_url.rstrip("/") + "/api/v1"
    return {
        "id": project.id,
        "campaign_id": project.campaign_id,
        "kind": project.kind,
        "title": project.title,
        "status": project.status,
        "detail": project.detail,
        "error": project.error,
        "url": f"{api}/projects/{project.id}",
        "assets": [
            {"id": a.id, "role": a.role, "label": a.label, "name": a.name, "media_type": a.media_type,
             "bytes": a.bytes, "download_url": f"{api}/assets/{a.id}/download"}
            for a in current_assets(session, project.id)
        ],
    }


class HasWebhooks(Protocol):
    """The process's wiring (``adloom.pipeline.runtime.Runtime``), as far as webhooks need it."""

    @property
    def webhooks(self) -> Dispatcher: ...


def dispatcher_of(rt: HasWebhooks) -> Dispatcher:
    """The dispatcher the process's wiring built (``rt.webhooks``)."""
    return rt.webhooks

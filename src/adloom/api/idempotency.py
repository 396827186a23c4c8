"""``Idempotency-Key`` on creates: the first request does the work, repeats get its result.

Insert-first: a pending record is committed *before* the work starts, and the unique constraint
on (workspace, key) lets exactly one of many concurrent identical requests insert it (on SQLite
writers queue behind ``BEGIN IMMEDIATE``; on PostgreSQL the second insert waits for the first to
commit, then fails). The others wait for the record to be completed and replay its response.
Only successes are remembered: when the work fails the record is deleted, so the client can fix
the cause (e.g. buy credits) and retry with the same key. A record left pending for ten minutes
(its process was killed mid-request) is taken over by the next request with that key.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from datetime import UTC
from typing import Any

from fastapi.responses import JSONResponse
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from adloom.api.errors import IdempotencyConflict, IdempotencyKeyReused
from adloom.api.models import IdempotencyRecord
from adloom.db import utcnow
from adloom.errors import ValidationError
from adloom.pipeline.runtime import Runtime

WAIT_SECONDS = 30.0
STALE_SECONDS = 600.0  # a pending record this old belongs to a request that will never finish
REPLAY_HEADER = "Idempotent-Replayed"


def request_hash(method: str, path: str, payload: bytes | Any) -> str:
    raw = payload if isinstance(payload, bytes) else json.dumps(payload, sort_keys=True, default=str).encode()
    return hashlib.sha256(f"{method} {path}\n".encode() + raw).hexdigest()


def _age_seconds(record: IdempotencyRecord) -> float:
    created = record.created_at if record.created_at.tzinfo else record.created_at.replace(tzinfo=UTC)
    return (utcnow() - created).total_seconds()


def _insert(rt: Runtime, *, workspace_id: str, key: str, method: str, path: str, digest: str) -> bool:
    try:
        with rt.db.session() as session:
            session.add(IdempotencyRecord(workspace_id=workspace_id, key=key, method=method, path=path,
                                          request_hash=digest, state="pending"))
        return True
    except IntegrityError:
        return False


def _load(rt: Runtime, workspace_id: str, key: str) -> IdempotencyRecord | None:
    with rt.db.session() as session:
        return session.scalars(
            select(IdempotencyRecord).where(IdempotencyRecord.workspace_id == workspace_id,
                                            IdempotencyRecord.key == key)
        ).first()


def _complete(rt: Runtime, workspace_id: str, key: str, status: int, body: Any) -> None:
    with rt.db.session() as session:
        record = session.scalars(
            select(IdempotencyRecord).where(IdempotencyRecord.workspace_id == workspace_id,
                                            IdempotencyRecord.key == key)
        ).one()
        record.state, record.response_status, record.response_body = "done", status, {"body": body}


def _forget(rt: Runtime, workspace_id: str, key: str) -> None:
    with rt.db.session() as session:
        session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.workspace_id == workspace_id,
                                                        IdempotencyRecord.key == key))


def _forget_record(rt: Runtime, record_id: str) -> None:
    """Delete exactly this record (not a fresh one another request inserted meanwhile)."""
    with rt.db.session() as session:
        session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.id == record_id))


def run_once(
    rt: Runtime, *, workspace_id: str, key: str | None, method: str, path: str, payload: bytes | Any,
    action: Callable[[], tuple[int, Any]],
) -> JSONResponse:
    """Run ``action`` (returning status and JSON body) at most once per idempotency key."""
    if key is None:
        status, body = action()
        return JSONResponse(body, status_code=status)
    if not key.strip() or len(key) > 255:
        raise ValidationError("The Idempotency-Key header must be 1 to 255 characters.")
    digest = request_hash(method, path, payload)
    deadline = time.monotonic() + WAIT_SECONDS
    pause = 0.02
    while True:
        if _insert(rt, workspace_id=workspace_id, key=key, method=method, path=path, digest=digest):
            try:
                status, body = action()
            except BaseException:
                _forget(rt, workspace_id, key)
                raise
            _complete(rt, workspace_id, key, status, body)
            return JSONResponse(body, status_code=status)
        record = _load(rt, workspace_id, key)
        if record is None:
            continue  # the first request failed and forgot the key: try to take it over
        if record.state == "pending" and _age_seconds(record) > STALE_SECONDS:
            _forget_record(rt, record.id)  # its request died mid-way (process killed): take over
            continue
        if record.request_hash != digest:
            raise IdempotencyKeyReused(
                "This Idempotency-Key was already used for a different request.",
                hint="Use a new key for every distinct create request.",
            )
        if record.state == "done" and record.response_body is not None:
            return JSONResponse(record.response_body.get("body"), status_code=record.response_status or 200,
                                headers={REPLAY_HEADER: "true"})
        if time.monotonic() > deadline:
            raise IdempotencyConflict(
                "A request with this Idempotency-Key is still being processed.",
                hint="Retry in a few seconds to get its result.",
            )
        time.sleep(pause)
        pause = min(pause * 1.5, 0.25)  # waiting readers must not crowd out the writer (SQLite)

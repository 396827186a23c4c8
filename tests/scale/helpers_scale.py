"""Helpers for the scale tests: waiting, and the end-state invariants every fault test checks."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import select

from adloom.credits import service as credits
from adloom.credits.models import LedgerEntry
from adloom.projects.models import Asset, Project, Step

SCALE = {kind: "scalegens:ScaleGenerator" for kind in ("video", "banner", "flyer", "jingle")}


def wait_until(predicate: Callable[[], bool], timeout: float, what: str, poll: float = 0.1) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(poll)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")


def statuses(rt: Any, pids: Iterable[str]) -> dict[str, str]:
    with rt.db.session() as session:
        rows = session.execute(select(Project.id, Project.status).where(Project.id.in_(list(pids)))).all()
    return dict(rows)


def all_rest(rt: Any, pids: list[str], allowed: tuple[str, ...] = ("completed", "failed")) -> bool:
    found = statuses(rt, pids)
    return len(found) == len(pids) and all(s in allowed for s in found.values())


def assert_consistent(rt: Any, workspace_id: str, pids: list[str]) -> dict[str, str]:
    """Every project completed or failed with a message; credits exact; every asset intact."""
    with rt.db.session() as session:
        projects = session.scalars(select(Project).where(Project.id.in_(pids))).all()
        assert len(projects) == len(pids)
        for project in projects:
            assert project.status in ("completed", "failed"), (project.id, project.status)
            if project.status == "failed":
                assert project.error and len(project.error["message"]) > 20, project.error
                assert project.error["next_action"], project.error
        balance = credits.get_balance(session, workspace_id=workspace_id)
        assert balance == credits.ledger_sum(session, workspace_id=workspace_id)
        assert balance.held == 0
        entries = session.scalars(select(LedgerEntry).where(LedgerEntry.workspace_id == workspace_id)).all()
        holds = [e for e in entries if e.kind == "hold"]
        settles: dict[str, list[LedgerEntry]] = {}
        for entry in entries:
            if entry.hold_id:
                settles.setdefault(entry.hold_id, []).append(entry)
        for hold in holds:  # no orphaned hold, nothing settled twice
            parts = settles.get(hold.id, [])
            if hold.step_id is None:  # a run hold: one capture per charged step, then the rest released
                assert sum(-p.held_delta for p in parts) == hold.held_delta, (hold.id, [p.kind for p in parts])
                assert [p.kind for p in parts].count("release") <= 1
                assert len({p.step_id for p in parts if p.kind == "capture"}) == sum(p.kind == "capture" for p in parts)
            else:
                assert len(parts) == 1, (hold.id, [p.kind for p in parts])
        steps = session.scalars(select(Step).join(Project).where(Project.id.in_(pids))).all()
        for step in steps:
            if step.hold_id:
                kinds = [p.kind for p in settles.get(step.hold_id, []) if p.step_id == step.id]
                expected = ["capture"] if step.status == "succeeded" else ["release"]
                if session.get(LedgerEntry, step.hold_id).step_id is None:  # type: ignore[union-attr]
                    expected = ["capture"] if step.status == "succeeded" else []  # its share went back with the rest
                assert kinds == expected, (step.name, step.status, kinds)
                assert step.credits == (step.price if step.status == "succeeded" else 0)
            assert step.status in ("succeeded", "failed", "cancelled"), (step.name, step.status)
        assets = session.scalars(select(Asset).where(Asset.project_id.in_(pids))).all()
        for asset in assets:  # no half-written asset
            data = b"".join(rt.storage.open_stream(asset.storage_key))
            assert len(data) == asset.bytes and hashlib.sha256(data).hexdigest() == asset.checksum
            step = session.get(Step, asset.step_id)
            assert step is not None and step.status == "succeeded"
        return {p.id: p.status for p in projects}


def project_error(rt: Any, pid: str) -> dict[str, Any]:
    with rt.db.session() as session:
        project = session.get(Project, pid)
        assert project is not None
        return dict(project.error or {})

"""The step engine: starting stages, leases, finishing, failing, retrying, cancelling, sweeping.

Every function here runs inside a caller's transaction and returns the ids of steps to enqueue
*after* that transaction commits (a task must never see uncommitted rows).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from adloom.accounts.models import Workspace
from adloom.credits import service as credits
from adloom.credits.models import LedgerEntry
from adloom.db import new_id, rowcount, utcnow
from adloom.errors import AdloomError, InsufficientCredits, InternalError, StepLost, report_internal
from adloom.pipeline import failures, reroll
from adloom.pipeline.pricing import quote_from, stage_price
from adloom.projects.models import Asset, Project, Step
from adloom.projects.service import latest_attempt
from adloom.projects.states import (
    GATES,
    STAGE_BY_ACTIVE,
    STAGE_BY_STEP,
    STAGES,
    Stage,
    check_transition,
    next_stage,
    stage_index,
)


def start_stage(session: Session, project: Project, stage: Stage, *, prices: dict[str, int]) -> Step:
    """Move ``project`` into ``stage``, record a queued step and hold its price."""
    check_transition(project.status, stage.active)
    attempt = latest_attempt(session, project.id, stage.step) + 1
    price = stage_price(session, project, stage.step, prices=prices)
    step = Step(
        project_id=project.id,
        name=stage.step,
        attempt=attempt,
        status="queued",
        seed=project.seed + (attempt - 1 if stage.step == "ideas" else 0),
        price=price,
        input={"options": project.options, "strategy_version_id": project.strategy_version_id},
    )
    session.add(step)
    session.flush()
    if price:
        step.hold_id = _fund_step(session, project, stage, step, prices=prices).id
    project.status = stage.active
    project.detail = ""
    project.progress = 0.0
    project.error = None
    project.failed_stage = None
    session.flush()
    return step


def _fund_step(session: Session, project: Project, stage: Stage, step: Step, *, prices: dict[str, int]) -> LedgerEntry:
    """The hold that pays for a step: its run's hold when the project is on a run, else its own."""
    run = credits.open_run_hold(session, project_id=project.id)
    if run is not None and credits.hold_remaining(session, run) < step.price:
        # The stage costs more than quoted (more scenes were written than estimated): reserve
        # what is left of the run again, at its real size, or stop here before spending more.
        end_run(session, project)
        run = _hold_run(session, project, stage, prices=prices)
    if run is not None:
        return run
    return credits.hold(
        session,
        workspace_id=project.workspace_id,
        amount=step.price,
        idempotency_key=f"hold:{step.id}",
        project_id=project.id,
        step_id=step.id,
    )


def runs_to_end(project: Project, stage: Stage) -> bool:
    """True when no review gate will stop the project between ``stage`` and the end."""
    ahead = STAGES[stage_index(stage.step):]
    return all(should_pass_gate(project, later.done) for later in ahead if later.gate)


def start_run(session: Session, project: Project, stage: Stage, *, prices: dict[str, int]) -> Step:
    """Start ``stage`` at the user's request. When nothing will stop the project before its end
    (autopilot, or past the last gate), first reserve the whole remaining quote in one run hold:
    the run can then always finish, or it is refused here with :class:`InsufficientCredits`
    having spent nothing. Without a run hold, each priced stage holds its own price."""
    if runs_to_end(project, stage):
        end_run(session, project)
        _hold_run(session, project, stage, prices=prices)
    return start_stage(session, project, stage, prices=prices)


def _hold_run(session: Session, project: Project, stage: Stage, *, prices: dict[str, int]) -> LedgerEntry | None:
    total = quote_from(session, project, stage_index(stage.step), prices=prices).total
    if total <= 0:
        return None
    return credits.hold(
        session,
        workspace_id=project.workspace_id,
        amount=total,
        idempotency_key=f"run:{project.id}:{new_id()}",
        project_id=project.id,
        note=f"run hold: {stage.step} to the end",
    )


def end_run(session: Session, project: Project) -> None:
    """Give back what the project's run hold still reserves: the run completed, failed, stopped
    at a gate or was cancelled. Stages it already charged stay charged."""
    run = credits.open_run_hold(session, project_id=project.id)
    if run is not None:
        credits.release(session, hold_id=run.id)


def should_pass_gate(project: Project, gate: str) -> bool:
    if project.autopilot:
        return True
    if project.until and project.until in GATES:
        return GATES.index(gate) < GATES.index(project.until)
    return False


def claim(session: Session, step_id: str, owner: str, lease_seconds: float) -> bool:
    """Take the lease on a queued step, or on a running one whose lease expired."""
    now = utcnow()
    claimed = rowcount(session.execute(
        update(Step)
        .where(
            Step.id == step_id,
            or_(Step.status == "queued", (Step.status == "running") & (Step.lease_expires_at < now)),
        )
        .values(
            status="running",
            lease_owner=owner,
            lease_expires_at=now + timedelta(seconds=lease_seconds),
            started_at=func.coalesce(Step.started_at, now),
            runs=Step.runs + 1,
        )
        .execution_options(synchronize_session=False)
    ))
    return claimed == 1


def heartbeat(session: Session, step_id: str, owner: str, lease_seconds: float) -> bool:
    """Extend the lease; False when it was lost (cancelled or taken over)."""
    return (
        rowcount(session.execute(
            update(Step)
            .where(Step.id == step_id, Step.lease_owner == owner, Step.status == "running")
            .values(lease_expires_at=utcnow() + timedelta(seconds=lease_seconds))
            .execution_options(synchronize_session=False)
        ))
        == 1
    )


def _release_lease(session: Session, step_id: str, owner: str, values: dict[str, Any]) -> Step:
    done = rowcount(session.execute(
        update(Step)
        .where(Step.id == step_id, Step.lease_owner == owner, Step.status == "running")
        .values(lease_owner=None, lease_expires_at=None, finished_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    ))
    if done != 1:
        raise StepLost("This step was cancelled or taken over by another worker.")
    step = session.get(Step, step_id, populate_existing=True)
    assert step is not None
    return step


def finish_step(
    session: Session,
    *,
    step_id: str,
    owner: str,
    output: dict[str, Any],
    provenance: dict[str, Any],
    assets: Sequence[Asset],
    warnings: Sequence[str],
    prices: dict[str, int],
) -> list[str]:
    """Save a step's result, its assets and the credit capture in the caller's transaction."""
    step = _release_lease(
        session, step_id, owner, {"status": "succeeded", "output": output, "warnings": list(warnings), **provenance}
    )
    project = session.get(Project, step.project_id, populate_existing=True)
    assert project is not None
    for asset in assets:
        session.add(asset)
    if (previous := reroll.previous_ideas(session, step)) is not None:
        reroll.keep_previous(step, previous)  # nothing new: not charged (a run hold keeps its share)
        if step.hold_id:
            credits.release_for_step(session, hold_id=step.hold_id)
    elif step.hold_id and credits.capture_for_step(session, hold_id=step.hold_id, step_id=step.id,
                                                   amount=step.price):
        step.credits = step.price
    stage = STAGE_BY_STEP[step.name]
    if stage.gate or stage.done == "completed":
        check_transition(project.status, stage.done)
        project.status = stage.done
        project.detail = ""
        project.progress = 1.0 if stage.done == "completed" else 0.0
        if stage.done == "completed":
            end_run(session, project)
        session.flush()
        return continue_pipeline(session, project, prices=prices)
    # A stage without a gate hands straight over to the next one (generating -> rendering...).
    return _start_or_fail(session, project, STAGE_BY_ACTIVE[stage.done], prices=prices)


def continue_pipeline(session: Session, project: Project, *, prices: dict[str, int]) -> list[str]:
    """Start the next stage unless the project rests at a gate it should not pass."""
    if project.status in GATES and not should_pass_gate(project, project.status):
        end_run(session, project)
        return []
    stage = next_stage(project.status)
    return _start_or_fail(session, project, stage, prices=prices) if stage else []


def _start_or_fail(session: Session, project: Project, stage: Stage, *, prices: dict[str, int]) -> list[str]:
    try:
        with session.begin_nested():
            step = start_stage(session, project, stage, prices=prices)
    except InsufficientCredits as exc:
        if project.status in GATES:
            # Resting at a gate is not a failure: record why it stopped and wait for credits.
            project.error = error_info(exc, stage)
            end_run(session, project)
        else:
            mark_failed(session, project, stage.step, exc)
        session.flush()
        return []
    return [step.id]


def mark_failed(session: Session, project: Project, stage_name: str, exc: BaseException, *,
                max_failures: int = 0) -> None:
    """Fail the project at ``stage_name``; its error says truthfully what was charged (from the
    ledger) and, after ``max_failures`` identical failures, what to edit instead of retrying."""
    stage = STAGE_BY_STEP[stage_name]
    info = error_info(exc, stage)
    if project.status != "failed":
        check_transition(project.status, "failed")
        project.status = "failed"
    project.failed_stage = stage_name
    project.detail = ""
    end_run(session, project)
    session.flush()
    project.error = {**info, **_failure_advice(session, project, stage_name, exc, info, max_failures)}
    session.flush()


def _failure_advice(session: Session, project: Project, stage_name: str, exc: BaseException,
                    info: dict[str, Any], max_failures: int) -> dict[str, Any]:
    summary = failures.charges(session, project, stage_name)
    times = failures.failure_streak(session, project.id, stage_name)
    hint = exc.hint if isinstance(exc, AdloomError) else None
    if max_failures and times >= max_failures:
        action, can_retry = failures.edit_advice(project.id, stage_name, times), False
    else:
        action, can_retry = hint or f"Retry the project: it resumes at the {stage_name} stage.", True
    return {
        "next_action": f"{action} {failures.charges_sentence(summary)}",
        "charges": summary,
        "failures": times,
        "retry_allowed": can_retry,
        "fingerprint": info.get("fingerprint") or failures.fingerprint(info),
    }


def error_info(exc: BaseException, stage: Stage) -> dict[str, Any]:
    """The failure as the user sees it. An unexpected exception is never shown: its text can
    hold SQL, parameters and storage keys; the user gets a generic message and an error id,
    and the log gets the traceback under that id."""
    error = exc if isinstance(exc, AdloomError) else report_internal(exc, where=f"step {stage.step}")
    info = {
        "stage": stage.active,
        "step": stage.step,
        "code": error.code,
        "message": error.message,
        "next_action": error.hint or "Retry the project; this stage was not charged.",
    }
    if isinstance(error, InternalError):
        info["error_id"] = error.error_id
    return info


def fail_step(session: Session, *, step_id: str, owner: str, exc: BaseException, max_failures: int = 0) -> None:
    """Record the failure with its fingerprint, release the step's hold (the failed stage is not
    charged) and fail the project."""
    stage = STAGE_BY_STEP[session.get(Step, step_id).name]  # type: ignore[union-attr]
    original = exc
    if not isinstance(exc, AdloomError):  # one error id for the step and the project
        exc = report_internal(exc, where=f"step {stage.step}")
    info = error_info(exc, stage)
    # An internal error's message is generic: tell such failures apart by what was raised.
    basis = info if original is exc else {**info, "message": type(original).__name__}
    info["fingerprint"] = failures.fingerprint(basis)
    step = _release_lease(session, step_id, owner, {"status": "failed", "error": info})
    if step.hold_id:
        credits.release_for_step(session, hold_id=step.hold_id)
    project = session.get(Project, step.project_id, populate_existing=True)
    assert project is not None
    mark_failed(session, project, step.name, exc, max_failures=max_failures)


def retry(session: Session, project: Project, *, prices: dict[str, int], max_failures: int = 0) -> list[str]:
    """Resume a failed project at the stage that failed; earlier stages are not re-run. Refused
    (:class:`RetryLimitReached`) after ``max_failures`` identical failures of that stage."""
    check_transition(project.status, STAGE_BY_STEP[project.failed_stage or "ideas"].active)
    failures.check_retry_allowed(session, project, max_failures=max_failures)
    stage = STAGE_BY_STEP[project.failed_stage or "ideas"]
    step = start_run(session, project, stage, prices=prices)
    return [step.id]


def advance(session: Session, project: Project, *, prices: dict[str, int], autopilot: bool = False,
            until: str | None = None) -> list[str]:
    """Continue a draft from the gate where it rests."""
    if autopilot:
        project.autopilot = True
    if until:
        project.until = until
    stage = next_stage(project.status)
    if stage is None:
        check_transition(project.status, "generating")  # raises a clear IllegalTransition
        return []
    step = start_run(session, project, stage, prices=prices)
    return [step.id]


def rerun_stage(session: Session, project: Project, step_name: str, *, prices: dict[str, int]) -> list[str]:
    """Regenerate the output of a gate's stage (ideas reroll, script or scenes regeneration)."""
    stage = STAGE_BY_STEP[step_name]
    step = start_run(session, project, stage, prices=prices)
    return [step.id]


def reopen(session: Session, project: Project, gate: str) -> None:
    """Take a failed project back to a review gate (e.g. to shorten a voiceover line), keeping
    every output up to that gate; ``project advance`` then runs again from there."""
    from adloom.errors import InvalidOption
    from adloom.projects.states import GATES, stage_index

    if gate not in GATES:
        raise InvalidOption(f"A project can be reopened at {', '.join(GATES)}, not '{gate}'.")
    check_transition(project.status, gate)
    stage = next(s for s in STAGES if s.done == gate)
    if project.failed_stage and stage_index(project.failed_stage) <= stage_index(stage.step):
        raise InvalidOption(
            f"The project failed at {project.failed_stage}, before {gate}; retry it instead.",
        )
    project.status = gate
    project.error = None
    project.failed_stage = None
    project.detail = ""
    session.flush()


def cancel(session: Session, project: Project) -> None:
    """Cancel at any stage: open steps are cancelled and their holds released."""
    check_transition(project.status, "cancelled")
    open_steps = session.scalars(
        select(Step).where(Step.project_id == project.id, Step.status.in_(("queued", "running")))
    ).all()
    for step in open_steps:
        step.status = "cancelled"
        step.lease_owner = None
        step.finished_at = utcnow()
        if step.hold_id:
            credits.release_for_step(session, hold_id=step.hold_id)
    end_run(session, project)
    project.status = "cancelled"
    project.detail = ""
    session.flush()


def sweep(session: Session, *, lease_seconds: float, now: datetime | None = None) -> list[str]:
    """Steps to re-enqueue: running with an expired lease (dead worker), or queued for too long
    (a queue that lost its message). Claiming is atomic, so a duplicate message is harmless."""
    now = now or utcnow()
    stale_queue = now - timedelta(seconds=max(2 * lease_seconds, 5))
    rows = session.scalars(
        select(Step).where(
            or_(
                (Step.status == "running") & (Step.lease_expires_at < now),
                (Step.status == "queued") & (Step.queued_at < stale_queue),
            )
        )
    ).all()
    for step in rows:
        if step.status == "queued":
            step.queued_at = now
    return [step.id for step in rows]


def hand_back(session: Session, step_id: str, owner: str) -> bool:
    """Put a running step back in the queue (its worker is shutting down); the hold stays."""
    return (
        rowcount(session.execute(
            update(Step)
            .where(Step.id == step_id, Step.lease_owner == owner, Step.status == "running")
            .values(status="queued", lease_owner=None, lease_expires_at=None, queued_at=utcnow())
            .execution_options(synchronize_session=False)
        ))
        == 1
    )


def workspace_has_room(session: Session, step_id: str, limit: int) -> bool:
    """False when the step's workspace already runs ``limit`` steps (0 means no limit).

    Locks the workspace row (PostgreSQL; SQLite writes are serialised anyway) so that two workers
    cannot both take the last slot; the caller claims in the same transaction."""
    if limit <= 0:
        return True
    step = session.get(Step, step_id)
    if step is None or step.status != "queued":
        return True  # claim() decides
    workspace_id = session.scalar(select(Project.workspace_id).where(Project.id == step.project_id))
    session.execute(select(Workspace.id).where(Workspace.id == workspace_id).with_for_update())
    running = session.scalar(
        select(func.count())
        .select_from(Step)
        .join(Project, Project.id == Step.project_id)
        .where(Project.workspace_id == workspace_id, Step.status == "running", Step.lease_expires_at > utcnow())
    )
    return int(running or 0) < limit


def stage_outputs(session: Session, project_id: str) -> dict[str, dict[str, Any]]:
    """The latest successful output of each stage of a project."""
    outputs: dict[str, dict[str, Any]] = {}
    rows = session.scalars(
        select(Step)
        .where(Step.project_id == project_id, Step.status == "succeeded")
        .order_by(Step.attempt)
    ).all()
    for step in rows:
        outputs[step.name] = step.output or {}
    return outputs


__all__ = [
    "STAGES",
    "advance",
    "cancel",
    "claim",
    "continue_pipeline",
    "fail_step",
    "finish_step",
    "heartbeat",
    "retry",
    "start_stage",
    "sweep",
]

"""What a failed project tells its user: what it was charged, and whether retrying can help.

A step that fails records a *fingerprint* (error code, stage and its message with the numbers and
ids taken out). When the last ``step_max_failures`` attempts of a stage failed with the same
fingerprint, another retry would only fail again: retry is refused with
:class:`RetryLimitReached`, and the message names the gate to reopen and what to edit there.
The charges are read from the ledger, so "not charged" is only ever said when it is true.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from adloom.credits.models import LedgerEntry
from adloom.errors import RetryLimitReached
from adloom.projects.models import Project, Step
from adloom.projects.states import STAGES, stage_index

# Where to go back to, and what to edit there, when a stage keeps failing the same way.
EDIT_ADVICE: dict[str, tuple[str | None, str]] = {
    "ideas": (None, "the campaign's product description and strategy pillars, then start a new project"),
    "script": ("ideas_ready", "the chosen idea (or choose another one)"),
    "scenes": ("script_ready", "the script: its headline, lines and call to action"),
    "generate": ("scenes_ready", "the scenes: their on-screen text, voiceover lines and durations"),
    "render": ("scenes_ready", "the scenes (on-screen text, layouts, durations) or the formats asked for"),
    "stitch": ("scenes_ready", "the scenes (voiceover lines, durations) or the formats asked for"),
}

_VOLATILE = re.compile(r"[0-9a-f]{8,}|\d+(?:\.\d+)?")


def fingerprint(info: dict[str, Any]) -> str:
    """The same failure has the same fingerprint, whatever ids, sizes or timings it mentions."""
    message = _VOLATILE.sub("#", str(info.get("message", "")).lower())
    key = f"{info.get('code')}|{info.get('step')}|{' '.join(message.split())}"
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def failure_streak(session: Session, project_id: str, step_name: str) -> int:
    """How many of the latest attempts of a stage failed with the fingerprint of the last one."""
    attempts = session.execute(
        select(Step.status, Step.error)
        .where(Step.project_id == project_id, Step.name == step_name)
        .order_by(Step.attempt.desc())
    ).all()
    failed = [error or {} for status, error in attempts if status == "failed"]
    last = failed[0].get("fingerprint") if failed else None
    streak = 0
    for status, error in attempts:
        if status != "failed" or last is None or (error or {}).get("fingerprint") != last:
            break
        streak += 1
    return streak


def charges(session: Session, project: Project, failed_step: str) -> dict[str, Any]:
    """Which stages of the project were charged (from the ledger) and which were not."""
    rows = session.execute(
        select(Step.name, LedgerEntry.held_delta)
        .join(Step, Step.id == LedgerEntry.step_id)
        .where(LedgerEntry.project_id == project.id, LedgerEntry.kind == "capture")
    ).all()
    charged: dict[str, int] = {}
    for name, held_delta in rows:
        charged[name] = charged.get(name, 0) - int(held_delta)
    ordered = [{"stage": s.step, "credits": charged[s.step]} for s in STAGES if charged.get(s.step)]
    later = [s.step for s in STAGES[stage_index(failed_step):]]
    return {"charged": ordered, "not_charged": later}


def charges_sentence(summary: dict[str, Any]) -> str:
    not_charged = ", ".join(summary["not_charged"])
    if not summary["charged"]:
        return "Nothing has been charged for this project."
    paid = ", ".join(f"{line['stage']} ({line['credits']} credits)" for line in summary["charged"])
    return f"Charged so far: {paid}, kept for the retry. Not charged: {not_charged}."


def edit_advice(project_id: str, step_name: str, times: int) -> str:
    gate, what = EDIT_ADVICE[step_name]
    where = (
        f"Reopen the project at {gate} (adloom project reopen {project_id} --at {gate}), edit {what}, "
        "then advance it."
        if gate
        else f"Edit {what}."
    )
    return f"The {step_name} step failed the same way {times} times, so another retry would fail again. {where}"


def check_retry_allowed(session: Session, project: Project, *, max_failures: int) -> None:
    """Refuse a retry that would repeat a failure already seen ``max_failures`` times in a row."""
    step_name = project.failed_stage
    if not step_name or max_failures <= 0:
        return
    times = failure_streak(session, project.id, step_name)
    if times >= max_failures:
        gate, what = EDIT_ADVICE[step_name]
        raise RetryLimitReached(
            edit_advice(project.id, step_name, times),
            hint=f"Edit {what}" + (f" at {gate}" if gate else "") + ", then run it again.",
            stage=step_name,
            failures=times,
            reopen_at=gate,
        )

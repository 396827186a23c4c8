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


# ----------------------------------------------------------------- the failure, as the dashboard shows it

REOPEN_LABELS: dict[str, str] = {"scenes_ready": "Back to scenes", "script_ready": "Back to script"}
PLAIN_SENTENCES = 2
PLAIN_CHARS = 280
QUOTE_CHARS = 60
_QUOTED = re.compile(rf"([\"“])([^\"”]{{{QUOTE_CHARS + 1},}})([\"”])")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\"“])")
_SCENE = re.compile(r"\bscene (\d+)\b", re.IGNORECASE)


def plain_words(text: str, *, sentences: int = PLAIN_SENTENCES, limit: int = PLAIN_CHARS) -> str:
    """An error trimmed to what a person reads: long quoted text (a pasted voiceover line) cut
    short, the first sentence or two, never more than ``limit`` characters."""
    text = " ".join(str(text).split())
    text = _QUOTED.sub(lambda m: f"{m.group(1)}{m.group(2)[:QUOTE_CHARS].rstrip()}…{m.group(3)}", text)
    kept = " ".join(_SENTENCE_END.split(text)[:sentences])
    return kept if len(kept) <= limit else kept[: limit - 1].rstrip() + "…"


def failed_scene(error: dict[str, Any]) -> int | None:
    """The scene (0-based) a failure names, e.g. "The voiceover of scene 3 lasts…"; None if none."""
    if isinstance(error.get("scene"), int):
        return int(error["scene"])
    match = _SCENE.search(f"{error.get('message', '')} {error.get('next_action', '')}")
    return int(match.group(1)) - 1 if match else None


def failure_view(error: dict[str, Any] | None) -> dict[str, Any]:
    """What the Studio shows of a failure: the message and next step in plain words, and the
    scene it concerns."""
    error = error or {}
    next_action = error.get("next_action") or error.get("hint") or ""
    return {
        "message": plain_words(error.get("message") or "The stage failed."),
        "next_action": plain_words(next_action, sentences=3) if next_action else "",
        "scene": failed_scene(error),
        "error_id": error.get("error_id"),
    }


def reopen_choices(project: Project) -> list[tuple[str, str]]:
    """The review gates a failed project can go back to, keeping its work: (gate, button label)."""
    if project.status != "failed" or not project.failed_stage:
        return []
    failed_at = stage_index(project.failed_stage)
    gates = {s.done: stage_index(s.step) for s in STAGES if s.done in REOPEN_LABELS}
    later_first = sorted(gates.items(), key=lambda item: -item[1])
    return [(gate, REOPEN_LABELS[gate]) for gate, index in later_first if index < failed_at]


def latest_failure(steps: list[Step]) -> dict[str, Any] | None:
    """The failure of the project's most recent step, if its most recent step failed (after a
    "Back to scenes", the scenes gate still says what went wrong until the scenes are saved)."""
    if not steps:
        return None
    last = max(steps, key=lambda s: (s.queued_at, s.attempt))
    return dict(last.error or {}) if last.status == "failed" else None

"""A reroll of ideas that brings no new idea is not charged.

The writer is asked for new angles; when every hook and title it returns was already shown in
this project (the same three, reshuffled), the step keeps the ideas the user had, is not
charged, and says so. Judged on hooks and titles, normalised (``projects.ideas.idea_key``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from adloom.projects.ideas import IDEA_KEYS, idea_key, shown_ideas
from adloom.projects.models import Step

NOTHING_NEW = "No new ideas left for this brief; nothing was charged. Pick one of these, or edit the campaign."


def previous_ideas(session: Session, step: Step) -> dict[str, Any] | None:
    """The ideas shown before this reroll when it brought nothing new; None when it did (or when
    this is the project's first ideas step, which is always kept)."""
    if step.name != "ideas":
        return None
    seen = shown_ideas(session, step.project_id, before_attempt=step.attempt)
    if not seen:
        return None
    ideas = (step.output or {}).get("ideas") or []
    fresh = [idea for idea in ideas if idea_key(str(idea.get("hook", ""))) not in seen]
    if fresh:
        return None
    previous = session.scalars(
        select(Step.output)
        .where(Step.project_id == step.project_id, Step.name == "ideas", Step.status == "succeeded",
               Step.attempt < step.attempt)
        .order_by(Step.attempt.desc())
    ).first()
    return dict(previous) if previous else None


def keep_previous(step: Step, previous: dict[str, Any]) -> None:
    """Record the reroll as bringing nothing new: the user's ideas (and choice) stay on screen."""
    step.input = {**(step.input or {}), "rerolled_output": step.output, "compared_on": list(IDEA_KEYS)}
    step.output = previous
    step.warnings = [*(step.warnings or []), NOTHING_NEW]
    step.credits = 0

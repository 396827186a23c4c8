"""The ideas a project was shown and the one it used: read from its ``ideas`` steps.

Compare shows each side's chosen idea, and a reroll is judged against every hook the project
has already shown (see ``pipeline.engine``)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from adloom.projects.models import Step
from adloom.writer.text import clean

IDEA_KEYS = ("title", "hook")


def chosen_idea(session: Session, project_id: str) -> dict[str, str] | None:
    """Title and hook of the idea the project's script develops (its latest ideas' choice)."""
    output = session.scalars(
        select(Step.output)
        .where(Step.project_id == project_id, Step.name == "ideas", Step.status == "succeeded")
        .order_by(Step.attempt.desc())
    ).first()
    ideas = (output or {}).get("ideas") or []
    chosen = int((output or {}).get("chosen") or 0)
    if not 0 <= chosen < len(ideas):
        return None
    return {key: str(ideas[chosen].get(key, "")) for key in IDEA_KEYS}


def idea_key(text: str) -> str:
    """Two hooks are the same idea when they read the same, whatever the case and punctuation."""
    return " ".join("".join(ch for ch in clean(text).lower() if ch.isalnum() or ch.isspace()).split())


def shown_ideas(session: Session, project_id: str, *, before_attempt: int | None = None) -> set[str]:
    """Every hook and title the project's earlier ideas steps showed (its user's own edits too)."""
    stmt = select(Step.output).where(Step.project_id == project_id, Step.name == "ideas",
                                     Step.status == "succeeded")
    if before_attempt is not None:
        stmt = stmt.where(Step.attempt < before_attempt)
    seen: set[str] = set()
    for output in session.scalars(stmt):
        for idea in (output or {}).get("ideas") or []:
            seen.update(idea_key(str(idea.get(key, ""))) for key in IDEA_KEYS)
    return seen - {""}


def shown_hooks(session: Session, project_id: str, *, before_attempt: int | None = None) -> tuple[str, ...]:
    """The hooks the project's earlier ideas steps showed, oldest first, each once: what a reroll
    is told to walk past (the user's own edits count as shown)."""
    stmt = select(Step.output).where(Step.project_id == project_id, Step.name == "ideas",
                                     Step.status == "succeeded").order_by(Step.attempt)
    if before_attempt is not None:
        stmt = stmt.where(Step.attempt < before_attempt)
    hooks: dict[str, str] = {}
    for output in session.scalars(stmt):
        for idea in (output or {}).get("ideas") or []:
            hook = str(idea.get("hook", ""))
            hooks.setdefault(idea_key(hook), hook)
    return tuple(hook for key, hook in hooks.items() if key)

"""Project actions that touch the queue: generate, advance, retry, cancel, regenerate.

Each commits its transaction first and enqueues afterwards, so tasks only see committed rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from adloom.errors import InvalidOption
from adloom.pipeline import engine
from adloom.pipeline.runtime import Runtime
from adloom.pipeline.states import GATES, STAGES
from adloom.projects import service as projects
from adloom.projects.models import Project


def generate(
    rt: Runtime,
    *,
    workspace_id: str,
    campaign_id: str,
    kind: str,
    options: Mapping[str, Any],
    autopilot: bool = False,
    until: str | None = None,
    created_by: str | None = None,
) -> str:
    """Create a project and start its first stage; returns the project id."""
    if until is not None and until not in GATES:  # the stage machine's gates: checked here, not in projects
        raise InvalidOption(f"--until must be one of {', '.join(GATES)}, not '{until}'.")
    with rt.db.session() as session:
        project = projects.create_project(
            session, workspace_id=workspace_id, campaign_id=campaign_id, kind=kind, options=options,
            autopilot=autopilot, until=until, created_by=created_by,
        )
        prices = rt.prices_for(session, workspace_id)
        # On autopilot this reserves the whole run's quote first, or refuses (402) spending nothing.
        step = engine.start_run(session, project, STAGES[0], prices=prices)
        project_id, step_ids, status = project.id, [step.id], project.status
    rt.enqueue(step_ids)
    rt.notify(project_id, status)
    return project_id


def _act(rt: Runtime, workspace_id: str | None, project_id: str, action: Any) -> list[str]:
    with rt.db.session() as session:
        project = projects.get_project_or_raise(session, project_id, workspace_id=workspace_id)
        step_ids: list[str] = action(session, project, rt.prices_for(session, project.workspace_id))
        status = project.status
    rt.enqueue(step_ids)
    rt.notify(project_id, status)
    return step_ids


def advance(rt: Runtime, *, workspace_id: str | None, project_id: str, autopilot: bool = False,
            until: str | None = None) -> None:
    """Continue a draft past the gate where it rests. A run that will not stop at another gate
    reserves its whole remaining quote first, or is refused (402) having spent nothing."""
    def action(session: Any, project: Project, prices: dict[str, int]) -> list[str]:
        project.error = None
        return engine.advance(session, project, prices=prices, autopilot=autopilot, until=until)

    _act(rt, workspace_id, project_id, action)


def retry(rt: Runtime, *, workspace_id: str | None, project_id: str) -> None:
    """Resume a failed project at the stage that failed; refused with ``retry_limit_reached``
    once that stage failed the same way ``step_max_failures`` times in a row."""
    _act(rt, workspace_id, project_id,
         lambda s, p, prices: engine.retry(s, p, prices=prices, max_failures=rt.settings.step_max_failures))


def cancel(rt: Runtime, *, workspace_id: str | None, project_id: str) -> None:
    def action(session: Any, project: Project, prices: dict[str, int]) -> list[str]:
        engine.cancel(session, project)
        return []

    _act(rt, workspace_id, project_id, action)


def regenerate(rt: Runtime, *, workspace_id: str | None, project_id: str, stage: str) -> None:
    """Reroll ideas, or regenerate the script or scenes, from the gate that shows them."""
    if stage not in ("ideas", "script", "scenes"):
        raise InvalidOption(f"Only ideas, script or scenes can be regenerated, not '{stage}'.")
    _act(rt, workspace_id, project_id, lambda s, p, prices: engine.rerun_stage(s, p, stage, prices=prices))


def reopen(rt: Runtime, *, workspace_id: str | None, project_id: str, gate: str = "scenes_ready") -> None:
    """Take a failed project back to a review gate to edit, then advance again."""
    def action(session: Any, project: Project, prices: dict[str, int]) -> list[str]:
        engine.reopen(session, project, gate)
        return []

    _act(rt, workspace_id, project_id, action)

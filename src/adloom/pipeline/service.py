"""Project actions that touch the queue or the writer: generate (and generate again), advance,
retry, cancel, regenerate a stage or one scene.

Each commits its transaction first and enqueues afterwards, so tasks only see committed rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from adloom.errors import InvalidEdit, InvalidOption
from adloom.pipeline import engine
from adloom.pipeline.runtime import Runtime
from adloom.pipeline.stages import StageInput, writer_request
from adloom.projects import service as projects
from adloom.projects.models import Project, Step
from adloom.projects.states import GATES, STAGES
from adloom.writer.base import Writer


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


def generate_again(rt: Runtime, *, workspace_id: str, project_id: str, created_by: str | None = None) -> str:
    """A new project with the kind and options of ``project_id``, the next seed and a distinct
    title ("… A" → "… B", else "… (2)"), started; returns its id."""
    with rt.db.session() as session:
        source = projects.get_project_or_raise(session, project_id, workspace_id=workspace_id)
        options = projects.copy_options(session, source, next_seed=True)
        kind, campaign_id = source.kind, source.campaign_id
    return generate(rt, workspace_id=workspace_id, campaign_id=campaign_id, kind=kind, options=options,
                    created_by=created_by)


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


def regenerate_scene(rt: Runtime, *, workspace_id: str | None, project_id: str, index: int,
                     seed: int | None = None) -> None:
    """A new take on one scene of a project resting at scenes_ready (the others are kept); the
    dashboard and the API both come here, so they store the same step for the same input."""
    with rt.db.session() as session:
        project = projects.get_project_or_raise(session, project_id, workspace_id=workspace_id)
        _new_scene_take(session, project, writer=rt.writer, workdir=rt.workdir(project.id), index=index,
                        seed=seed)
        status = project.status
    rt.notify(project_id, status)


def _new_scene_take(
    session: Session, project: Project, *, writer: Writer, workdir: Path, index: int, seed: int | None = None,
) -> Step:
    """Ask the writer for a new take on scene ``index`` (from 0); the others are kept. Free
    (scenes cost 0). The seed, unless given, is the current scenes' seed plus the new attempt
    number, so each take differs and the step records the seed it really used."""
    scenes_step, script, scenes = projects.review_models(session, project)
    if not 0 <= index < projects.scene_count(scenes):
        count = projects.scene_count(scenes)
        raise InvalidEdit(f"There is no scene {index}; this project has {count} (numbered from 0).")
    attempt = projects.latest_attempt(session, project.id, "scenes")
    new_seed = seed if seed is not None else scenes_step.seed + attempt + 1
    request = writer_request(StageInput(
        project_id=project.id, campaign_id=project.campaign_id, kind=project.kind, step="scenes", seed=new_seed,
        options=dict(project.options), snapshot=dict(project.snapshot), outputs={}, workdir=workdir,
    ))
    result = writer.regenerate_scene(request, script, scenes, index, seed=new_seed)
    return projects.record_attempt(
        session, project, "scenes", output=result.value.model_dump(mode="json"), provider=result.provider,
        model=result.model, prompt=result.prompt, seed=new_seed,
        input={"regenerated_scene": index, "from": scenes_step.id},
    )

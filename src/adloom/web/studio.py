"""Studio actions that are not plain pipeline calls: saving a form edit, regenerating one scene.

Both record a new attempt of the stage's step (the model's earlier output stays as history), the
same way ``projects.service.edit_output`` records a user's edit.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from adloom.db import utcnow
from adloom.errors import InvalidEdit
from adloom.pipeline import engine
from adloom.pipeline.runtime import Runtime
from adloom.pipeline.stages import StageInput, writer_request
from adloom.projects import service as projects
from adloom.projects.models import Project, Step
from adloom.writer.schemas import SCENE_MODELS, SCRIPT_MODELS


def save_edit(session: Session, project: Project, *, name: str, value: dict[str, Any]) -> Step:
    """Save the whole edited output of ``name`` (validated) as the user's new version."""
    current = projects.latest_output(session, project.id, name)
    if current is not None and (current.output or {}) == value:
        return current  # nothing changed: no new attempt
    return projects.edit_output(session, project, name=name, patch=value, user="dashboard")


def _record(session: Session, project: Project, name: str, output: dict[str, Any], *, provider: str,
            model: str, prompt: str | None = None, input: dict[str, Any] | None = None) -> Step:
    if projects.EDITABLE.get(project.status) != name:
        raise InvalidEdit(f"The {name} can only be changed while the project rests at {name}_ready "
                          f"(it is {project.status}).")
    current = projects.latest_output(session, project.id, name)
    now = utcnow()
    step = Step(project_id=project.id, name=name, attempt=projects.latest_attempt(session, project.id, name) + 1,
                status="succeeded", output=output, provider=provider, model=model, prompt=prompt,
                seed=current.seed if current else 0, input=input or {}, started_at=now, finished_at=now)
    session.add(step)
    session.flush()
    return step


def regenerate_scene(rt: Runtime, session: Session, project: Project, *, index: int) -> Step:
    """A new take on one scene (writer.regenerate_scene); the other scenes stay as they are."""
    if project.status != "scenes_ready":
        raise InvalidEdit(f"A scene can be regenerated while the project rests at scenes_ready (it is {project.status}).")
    outputs = engine.stage_outputs(session, project.id)
    if "scenes" not in outputs or "script" not in outputs:
        raise InvalidEdit("There are no scenes to regenerate yet.")
    attempt = projects.latest_attempt(session, project.id, "scenes")
    inp = StageInput(project_id=project.id, campaign_id=project.campaign_id, kind=project.kind, step="scenes",
                     seed=project.seed + attempt, options=dict(project.options), snapshot=dict(project.snapshot),
                     outputs=outputs, workdir=rt.workdir(project.id))
    script = SCRIPT_MODELS[project.kind].model_validate(outputs["script"])
    scenes = SCENE_MODELS[project.kind].model_validate(outputs["scenes"])
    result = rt.writer.regenerate_scene(writer_request(inp), script, scenes, index, seed=inp.seed + index)
    return _record(session, project, "scenes", result.value.model_dump(mode="json"), provider=result.provider,
                   model=result.model, prompt=result.prompt, input={"regenerate_scene": index})

"""Regenerate one scene of a project resting at scenes_ready (a new attempt of the scenes step)."""

from __future__ import annotations

from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from adloom.db import utcnow
from adloom.errors import InvalidEdit
from adloom.pipeline.runtime import Runtime
from adloom.pipeline.stages import StageInput, writer_request
from adloom.projects import service as projects
from adloom.projects.models import Project, Step
from adloom.projects.service import latest_attempt
from adloom.writer.schemas import SCENE_MODELS, SCRIPT_MODELS


def _scene_count(scenes: BaseModel) -> int:
    lists = [v for v in scenes.model_dump().values() if isinstance(v, list)]
    return len(lists[0]) if lists else 0


def _request(rt: Runtime, project: Project, seed: int) -> StageInput:
    return StageInput(
        project_id=project.id, campaign_id=project.campaign_id, kind=project.kind, step="scenes", seed=seed,
        options=dict(project.options), snapshot=dict(project.snapshot), outputs={}, workdir=rt.workdir(project.id),
    )


def regenerate_scene(rt: Runtime, *, workspace_id: str, project_id: str, index: int, seed: int | None) -> None:
    """Ask the writer for a new take on scene ``index``; the others are kept. Free (scenes cost 0)."""
    with rt.db.session() as session:
        project = projects.get_project_or_raise(session, project_id, workspace_id=workspace_id)
        if project.status != "scenes_ready":
            raise InvalidEdit(f"A scene can only be regenerated at scenes_ready (the project is {project.status}).")
        script_step = projects.latest_output(session, project.id, "script")
        scenes_step = projects.latest_output(session, project.id, "scenes")
        if script_step is None or scenes_step is None:
            raise InvalidEdit("This project has no scenes to regenerate yet.")
        try:
            script = SCRIPT_MODELS[project.kind].model_validate(script_step.output)
            scenes = SCENE_MODELS[project.kind].model_validate(scenes_step.output)
        except PydanticValidationError as exc:
            raise InvalidEdit(f"The stored scenes cannot be read: {exc.errors()[0]['msg']}") from None
        if not 0 <= index < _scene_count(scenes):
            raise InvalidEdit(f"There is no scene {index}; this project has {_scene_count(scenes)} (numbered from 0).")
        attempt = latest_attempt(session, project.id, "scenes") + 1
        new_seed = seed if seed is not None else scenes_step.seed + attempt
        result = rt.writer.regenerate_scene(writer_request(_request(rt, project, new_seed)), script, scenes, index,
                                            seed=new_seed)
        now = utcnow()
        session.add(Step(
            project_id=project.id, name="scenes", attempt=attempt, status="succeeded",
            output=result.value.model_dump(mode="json"), provider=result.provider, model=result.model,
            prompt=result.prompt, seed=new_seed, input={"regenerated_scene": index, "from": scenes_step.id},
            started_at=now, finished_at=now,
        ))

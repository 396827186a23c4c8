"""The Studio's storyboard at the scenes gate: a free still of every scene of a video project,
painted by the render's own painter at low resolution (``assets.video.storyboard``)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from adloom.assets.video.spec import NAME as VIDEO
from adloom.errors import AssetNotFound, InvalidEdit
from adloom.pipeline import engine
from adloom.pipeline.runtime import Runtime
from adloom.pipeline.stages import StageInput, job_context
from adloom.projects.models import Project


def storyboard_still(rt: Runtime, session: Session, project: Project, *, index: int) -> Path:
    """The still of scene ``index`` (0-based) of the project's current scenes; free."""
    from adloom.assets.video.storyboard import paint_storyboard  # skia and numpy: load on first use

    if project.kind != VIDEO:
        raise InvalidEdit("The storyboard shows video scenes; this project is not a video.")
    outputs = engine.stage_outputs(session, project.id)
    if "scenes" not in outputs or "script" not in outputs:
        raise InvalidEdit("There are no scenes to show yet.")
    workdir = rt.workdir(project.id)
    inp = StageInput(project_id=project.id, campaign_id=project.campaign_id, kind=project.kind, step="scenes",
                     seed=project.seed, options=dict(project.options), snapshot=dict(project.snapshot),
                     outputs=outputs, workdir=workdir)
    stills = paint_storyboard(job_context(inp, rt.storage, lambda *_: None), workdir / "storyboard")
    if not 0 <= index < len(stills):
        raise AssetNotFound(f"There is no scene {index + 1}; this project has {len(stills)}.")
    return stills[index]

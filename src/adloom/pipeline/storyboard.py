"""The Studio's storyboard at the scenes gate: a free still of every scene (video) or layout
(banners), painted by the kind's own painter at low resolution. The kind's spec names the
painter (``KindSpec.storyboard``); a kind without one has no storyboard."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import cast

from sqlalchemy.orm import Session

from adloom.assets import registry
from adloom.assets.base import JobContext
from adloom.errors import AssetNotFound, InvalidEdit
from adloom.pipeline import engine
from adloom.pipeline.runtime import Runtime
from adloom.pipeline.stages import StageInput, job_context
from adloom.projects.models import Project

Painter = Callable[[JobContext, Path], list[Path]]


def has_storyboard(kind: str) -> bool:
    spec = registry.find(kind)
    return bool(spec and spec.storyboard)


def _painter(kind: str) -> Painter:
    """The kind's painter, imported on first use (skia and numpy load slowly)."""
    spec = registry.get(kind)
    if not spec.storyboard:
        raise InvalidEdit(f"This project ({spec.label.lower()}) has no storyboard; its scenes are shown as text.")
    module, _, name = spec.storyboard.partition(":")
    return cast(Painter, getattr(importlib.import_module(module), name))


def load_painters() -> None:
    """Import every kind's painter now (the app does it at start, off the request path)."""
    for spec in registry.specs():
        if spec.storyboard:
            _painter(spec.name)


def storyboard_still(rt: Runtime, session: Session, project: Project, *, index: int) -> Path:
    """The still of scene (or layout) ``index`` (0-based) of the project's current scenes; free."""
    paint = _painter(project.kind)
    outputs = engine.stage_outputs(session, project.id)
    if "scenes" not in outputs or "script" not in outputs:
        raise InvalidEdit("There are no scenes to show yet.")
    workdir = rt.workdir(project.id)
    inp = StageInput(project_id=project.id, campaign_id=project.campaign_id, kind=project.kind, step="scenes",
                     seed=project.seed, options=dict(project.options), snapshot=dict(project.snapshot),
                     outputs=outputs, workdir=workdir)
    stills = paint(job_context(inp, rt.storage, lambda *_: None), workdir / "storyboard")
    if not 0 <= index < len(stills):
        raise AssetNotFound(f"There is no scene {index + 1}; this project has {len(stills)}.")
    return stills[index]

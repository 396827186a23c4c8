"""Projects: create, read, describe as JSON, rename, duplicate, archive; record a gate's new output
(a user's edit or a one-scene regeneration) as a new attempt of its step."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from adloom.assets import registry
from adloom.campaigns import service as campaigns
from adloom.db import utcnow
from adloom.errors import (
    InvalidEdit,
    ProjectNotFound,
    ProjectRunning,
    ValidationError,
)
from adloom.projects.models import Asset, Project, Step
from adloom.projects.options import validate_options
from adloom.projects.states import ACTIVE
from adloom.projects.views import AssetView, current_assets_by_project, project_view
from adloom.storage import Storage
from adloom.writer.critic import facts_from_snapshot
from adloom.writer.critic_collect import critique_step
from adloom.writer.edit import apply_edit
from adloom.writer.schemas import IdeaSet


def create_project(
    session: Session,
    *,
    workspace_id: str,
    campaign_id: str,
    kind: str,
    options: Mapping[str, Any],
    autopilot: bool = False,
    until: str | None = None,
    created_by: str | None = None,
) -> Project:
    """A draft project that snapshots the campaign's current strategy (its title: the ``title``
    option, else "<product> — <kind>")."""
    campaign = campaigns.get_campaign_or_raise(session, campaign_id, workspace_id=workspace_id)
    clean = validate_options(kind, options)
    version_id, snap = campaigns.snapshot(session, campaign)
    project = Project(
        workspace_id=workspace_id,
        campaign_id=campaign.id,
        kind=kind,
        title=clean.get("title") or f"{campaign.product.get('name', campaign.name)} — {kind}",
        status="draft",
        options=clean,
        autopilot=autopilot,
        until=until,
        seed=int(clean.get("seed", 0)),
        strategy_version_id=version_id,
        snapshot=snap,
        created_by=created_by,
    )
    session.add(project)
    session.flush()
    return project


def latest_attempt(session: Session, project_id: str, name: str) -> int:
    """The highest attempt number of a project's step ``name`` (0 before its first run).

    It lives here, with the project's steps, so that the pipeline builds on projects and not the
    other way round."""
    value = session.scalar(select(func.max(Step.attempt)).where(Step.project_id == project_id, Step.name == name))
    return int(value or 0)


def get_project_or_raise(session: Session, project_id: str, *, workspace_id: str | None) -> Project:
    """A project of this workspace (None: any workspace, for admin tools)."""
    project = session.get(Project, project_id)
    if project is None or (workspace_id is not None and project.workspace_id != workspace_id):
        raise ProjectNotFound(f"There is no project '{project_id}' in this workspace.")
    return project


def list_projects(
    session: Session, *, workspace_id: str, campaign_id: str | None = None, status: str | None = None,
    kind: str | None = None, limit: int = 200, archived: bool | None = False,
) -> list[Project]:
    """Newest first; ``archived``: False hides archived projects, True lists only them, None both."""
    stmt = select(Project).where(Project.workspace_id == workspace_id)
    if archived is not None:
        stmt = stmt.where(Project.archived_at.is_not(None) if archived else Project.archived_at.is_(None))
    if campaign_id:
        stmt = stmt.where(Project.campaign_id == campaign_id)
    if status:
        stmt = stmt.where(Project.status == status)
    if kind:
        stmt = stmt.where(Project.kind == kind)
    return list(session.scalars(stmt.order_by(Project.created_at.desc()).limit(limit)))


def steps_of(session: Session, project_id: str) -> list[Step]:
    return list(
        session.scalars(select(Step).where(Step.project_id == project_id).order_by(Step.queued_at, Step.attempt))
    )


def assets_of(session: Session, project_id: str) -> list[Asset]:
    return list(session.scalars(select(Asset).where(Asset.project_id == project_id).order_by(Asset.created_at)))


def current_assets(session: Session, project_id: str) -> list[AssetView]:
    """Assets of each stage's latest successful step (older attempts are history)."""
    return current_assets_by_project(session, [project_id]).get(project_id, [])


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def asset_dict(asset: Asset | AssetView, storage: Storage) -> dict[str, Any]:
    path = storage.local_path(asset.storage_key)
    return {
        "id": asset.id,
        "role": asset.role,
        "label": asset.label,
        "name": asset.name,
        "path": str(path) if path else None,
        "media_type": asset.media_type,
        "width": asset.width,
        "height": asset.height,
        "duration": asset.duration,
        "bytes": asset.bytes,
        "checksum": asset.checksum,
        "meta": asset.meta,
    }


def step_dict(step: Step) -> dict[str, Any]:
    return {
        "id": step.id,
        "name": step.name,
        "status": step.status,
        "attempt": step.attempt,
        "provider": step.provider,
        "model": step.model,
        "seed": step.seed,
        "credits": step.credits,
        "price": step.price,
        "started_at": _iso(step.started_at),
        "finished_at": _iso(step.finished_at),
        "error": step.error,
        "warnings": step.warnings,
        "output": step.output,
    }


def project_dict(session: Session, project: Project, storage: Storage, *, with_steps: bool = True) -> dict[str, Any]:
    """The CLI's ``--json`` shape of a project (assets and credits from the shared read model)."""
    view = project_view(session, project)
    data: dict[str, Any] = {
        "project": project.id,
        "campaign": project.campaign_id,
        "kind": project.kind,
        "title": project.title,
        "status": project.status,
        "detail": project.detail,
        "progress": round(project.progress, 3),
        "error": project.error,
        "options": project.options,
        "autopilot": project.autopilot,
        "strategy_version": project.snapshot.get("strategy", {}).get("version"),
        "strategy_version_id": project.strategy_version_id,
        "strategy": project.snapshot.get("strategy"),
        "credits_spent": view.credits,
        "archived": project.archived_at is not None,
        "created_at": _iso(project.created_at),
        "updated_at": _iso(project.updated_at),
        "assets": [asset_dict(a, storage) for a in view.assets],
    }
    if with_steps:
        data["steps"] = [step_dict(s) for s in steps_of(session, project.id)]
    return data


EDITABLE: dict[str, str] = {"ideas_ready": "ideas", "script_ready": "script", "scenes_ready": "scenes"}


def latest_output(session: Session, project_id: str, name: str) -> Step | None:
    return session.scalars(
        select(Step)
        .where(Step.project_id == project_id, Step.name == name, Step.status == "succeeded")
        .order_by(Step.attempt.desc())
    ).first()


def model_for(kind: str, name: str) -> type[BaseModel]:
    if name == "ideas":
        return IdeaSet
    spec = registry.get(kind)
    return spec.script_model if name == "script" else spec.scenes_model


def record_attempt(
    session: Session, project: Project, name: str, *, output: dict[str, Any], provider: str, model: str,
    seed: int, prompt: str | None = None, input: dict[str, Any] | None = None, warnings: list[Any] | None = None,
) -> Step:
    """A finished attempt of step ``name`` that no worker ran (a user's edit, a one-scene
    regeneration): the next attempt number, succeeded now. The earlier attempts stay as history."""
    now = utcnow()
    step = Step(
        project_id=project.id, name=name, attempt=latest_attempt(session, project.id, name) + 1,
        status="succeeded", output=output, provider=provider, model=model, prompt=prompt, seed=seed,
        input=input or {}, warnings=warnings or [], started_at=now, finished_at=now,
    )
    session.add(step)
    session.flush()
    return step


def _editable_output(session: Session, project: Project, name: str) -> Step:
    """The latest output of ``name``, which must be the gate the project rests at."""
    if EDITABLE.get(project.status) != name:
        raise InvalidEdit(
            f"The {name} can only be edited while the project rests at {name}_ready (it is {project.status}).",
        )
    current = latest_output(session, project.id, name)
    if current is None:
        raise InvalidEdit(f"There are no {name} to edit yet.")
    return current


def edit_output(session: Session, project: Project, *, name: str, patch: Mapping[str, Any], user: str = "user") -> Step:
    """Save a user's edit of ideas, script or scenes as a new attempt of that step (provenance:
    the edit is recorded, the model's output is kept as history). An edit that changes nothing
    records nothing and returns the current step."""
    current = _editable_output(session, project, name)
    kind = registry.get(project.kind).copy
    value = apply_edit(model_for(project.kind, name), dict(current.output or {}), dict(patch), kind)
    output = value.model_dump(mode="json")
    if output == current.output:
        return current
    found = critique_step(facts_from_snapshot(project.snapshot or {}), kind, name, value)
    return record_attempt(
        session, project, name, output=output, provider="user", model=user, seed=current.seed,
        input={"edited_from": current.id, "patch": dict(patch)}, warnings=[v.as_warning() for v in found],
    )


def scene_count(scenes: BaseModel) -> int:
    lists = [v for v in scenes.model_dump().values() if isinstance(v, list)]
    return len(lists[0]) if lists else 0


def review_models(session: Session, project: Project) -> tuple[Step, BaseModel, BaseModel]:
    """The latest scenes step and the script and scenes it shows, parsed."""
    if project.status != "scenes_ready":
        raise InvalidEdit(f"A scene can only be regenerated at scenes_ready (the project is {project.status}).")
    script_step = latest_output(session, project.id, "script")
    scenes_step = latest_output(session, project.id, "scenes")
    if script_step is None or scenes_step is None:
        raise InvalidEdit("This project has no scenes to regenerate yet.")
    try:
        script = model_for(project.kind, "script").model_validate(script_step.output)
        scenes = model_for(project.kind, "scenes").model_validate(scenes_step.output)
    except PydanticValidationError as exc:
        raise InvalidEdit(f"The stored scenes cannot be read: {exc.errors()[0]['msg']}") from None
    return scenes_step, script, scenes


# ------------------------------------------------------------------ rename, duplicate, archive

MAX_TITLE = 200
_LETTER = re.compile(r"^(?P<base>.*\S)\s+(?P<letter>[A-Y])$")
_NUMBER = re.compile(r"^(?P<base>.*\S)\s+\((?P<n>\d+)\)$")


def _fit(base: str, suffix: str) -> str:
    return base[: MAX_TITLE - len(suffix)].rstrip() + suffix


def _title_candidates(title: str) -> Iterator[str]:
    """"… A" → "… B", "… C"…; "… (2)" → "… (3)"…; anything else → "… (2)", "… (3)"…"""
    letter = _LETTER.match(title)
    if letter:
        for code in range(ord(letter["letter"]) + 1, ord("Z") + 1):
            yield _fit(letter["base"], f" {chr(code)}")
    number = _NUMBER.match(title)
    base, n = (number["base"], int(number["n"]) + 1) if number else (title, 2)
    while True:
        yield _fit(base, f" ({n})")
        n += 1


def distinct_title(session: Session, project: Project) -> str:
    """A title for a copy of ``project`` that no project of its campaign has yet."""
    taken = set(session.scalars(select(Project.title).where(Project.campaign_id == project.campaign_id)))
    return next(t for t in _title_candidates(project.title.strip() or project.kind) if t not in taken)


def clean_title(title: str) -> str:
    """A project title as stored: trimmed, 1 to 200 characters."""
    cleaned = " ".join(title.split())
    if not cleaned or len(cleaned) > MAX_TITLE:
        raise ValidationError(f"A project title needs 1 to {MAX_TITLE} characters.", hint="Type a shorter title.")
    return cleaned


def rename_project(session: Session, project: Project, *, title: str) -> Project:
    """Give a project a new title (the ``title`` option follows, so the two never disagree)."""
    project.title = clean_title(title)
    if "title" in (project.options or {}):
        project.options = {**project.options, "title": project.title}
    return project


def copy_options(session: Session, project: Project, *, next_seed: bool) -> dict[str, Any]:
    """The options of a copy of ``project``: the same, with a distinct title (and the next seed
    when the copy is a regeneration)."""
    options = {**(project.options or {}), "title": distinct_title(session, project)}
    if next_seed:
        options["seed"] = int(options.get("seed", 0)) + 1
    return options


def duplicate_project(session: Session, project: Project, *, created_by: str | None = None) -> Project:
    """A new draft with the same kind and options (same seed) and a distinct title; it snapshots
    the campaign's strategy as it is now, like any new project."""
    return create_project(
        session, workspace_id=project.workspace_id, campaign_id=project.campaign_id, kind=project.kind,
        options=copy_options(session, project, next_seed=False), created_by=created_by,
    )


def set_archived(session: Session, project: Project, *, archived: bool) -> Project:
    """Archive (hide from the hub and My Videos, files kept) or restore a project."""
    if archived and project.status in ACTIVE:
        raise ProjectRunning(
            f"'{project.title}' is running ({project.status}), so it cannot be archived now.",
            hint="Cancel it or wait until it finishes, then archive it.",
        )
    if archived:
        project.archived_at = project.archived_at or utcnow()
    else:
        project.archived_at = None
    return project

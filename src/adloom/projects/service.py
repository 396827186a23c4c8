"""Projects: create, read, describe as JSON, edit a gate's output."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from adloom.campaigns import service as campaigns
from adloom.db import utcnow
from adloom.errors import InvalidEdit, ProjectNotFound
from adloom.projects.models import Asset, Project, Step
from adloom.projects.options import validate_options
from adloom.storage import Storage
from adloom.writer.critic import facts_from_snapshot
from adloom.writer.critic_collect import critique_step
from adloom.writer.edit import apply_edit
from adloom.writer.schemas import SCENE_MODELS, SCRIPT_MODELS, IdeaSet


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
    """A draft project that snapshots the campaign's current strategy."""
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
    kind: str | None = None, limit: int = 200,
) -> list[Project]:
    stmt = select(Project).where(Project.workspace_id == workspace_id)
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


def current_assets(session: Session, project_id: str) -> list[Asset]:
    """Assets of each stage's latest successful step (older attempts are history)."""
    latest: dict[str, str] = {}
    for step in steps_of(session, project_id):
        if step.status == "succeeded":
            latest[step.name] = step.id
    keep = set(latest.values())
    return [asset for asset in assets_of(session, project_id) if asset.step_id in keep]


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def asset_dict(asset: Asset, storage: Storage) -> dict[str, Any]:
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


def credits_spent(session: Session, project_id: str) -> int:
    return sum(step.credits for step in steps_of(session, project_id))


def project_dict(session: Session, project: Project, storage: Storage, *, with_steps: bool = True) -> dict[str, Any]:
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
        "credits_spent": credits_spent(session, project.id),
        "created_at": _iso(project.created_at),
        "updated_at": _iso(project.updated_at),
        "assets": [asset_dict(a, storage) for a in current_assets(session, project.id)],
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
    return {"ideas": IdeaSet, "script": SCRIPT_MODELS[kind], "scenes": SCENE_MODELS[kind]}[name]


def edit_output(session: Session, project: Project, *, name: str, patch: Mapping[str, Any], user: str = "user") -> Step:
    """Save a user's edit of ideas, script or scenes as a new attempt of that step (provenance:
    the edit is recorded, the model's output is kept as history)."""
    if EDITABLE.get(project.status) != name:
        raise InvalidEdit(
            f"The {name} can only be edited while the project rests at {name}_ready (it is {project.status}).",
        )
    current = latest_output(session, project.id, name)
    if current is None:
        raise InvalidEdit(f"There are no {name} to edit yet.")
    value = apply_edit(model_for(project.kind, name), dict(current.output or {}), dict(patch))
    found = critique_step(facts_from_snapshot(project.snapshot or {}), project.kind, name, value)
    now = utcnow()
    step = Step(
        project_id=project.id,
        name=name,
        attempt=latest_attempt(session, project.id, name) + 1,
        status="succeeded",
        output=value.model_dump(mode="json"),
        provider="user",
        model=user,
        seed=current.seed,
        input={"edited_from": current.id, "patch": dict(patch)},
        warnings=[v.as_warning() for v in found],
        started_at=now,
        finished_at=now,
    )
    session.add(step)
    session.flush()
    return step

"""Projects (create, list, read, rename, archive, duplicate, quote, advance, edit, regenerate, retry,
cancel) and assets."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Header, Path, Query, Request, Response
from fastapi.responses import StreamingResponse
from sqlalchemy.orm import Session

from adloom.campaigns import service as campaigns
from adloom.credits import service as credits
from adloom.errors import AssetNotFound
from adloom.pipeline import service as pipeline
from adloom.pipeline.pricing import quote
from adloom.pipeline.runtime import Runtime
from adloom.projects import downloads
from adloom.projects import service as projects
from adloom.projects.models import Asset, Project
from adloom.projects.options import validate_options
from adloom.projects.views import project_views

from . import schemas as s
from .auth import Principal, Reader, Writer, runtime_of
from .errors import error_responses
from .idempotency import run_once
from .views import asset_out, dump, project_out

router = APIRouter(tags=["projects"], responses=error_responses())
IdemKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=255,
                                       description="Makes the create safe to retry.")]


def _project(request: Request, principal: Principal, project_id: str) -> s.ProjectOut:
    with runtime_of(request).db.session() as session:
        project = projects.get_project_or_raise(session, project_id, workspace_id=principal.workspace_id)
        return project_out(session, project)


@router.post("/projects", status_code=201, response_model=s.ProjectOut,
             summary="Create a project and start it (ideas first; autopilot runs through)")
def create_project(request: Request, body: s.ProjectCreate, principal: Writer, idempotency_key: IdemKey = None) -> Response:
    rt = runtime_of(request)

    def action() -> tuple[int, Any]:
        project_id = pipeline.generate(rt, workspace_id=principal.workspace_id, campaign_id=body.campaign_id,
                                       kind=body.kind, options=body.options, autopilot=body.autopilot,
                                       until=body.until)
        return 201, dump(_project(request, principal, project_id))

    return run_once(rt, workspace_id=principal.workspace_id, key=idempotency_key, method="POST", path="/projects",
                    payload=body.model_dump(mode="json"), action=action)


@router.get("/projects", response_model=list[s.ProjectOut], summary="List projects (filters: campaign, status, kind)")
def list_projects(
    request: Request, principal: Reader, campaign_id: str | None = None, status: str | None = None,
    kind: s.Kind | None = None, limit: Annotated[int, Query(ge=1, le=200)] = 50,
    include_archived: Annotated[bool, Query(description="Also list archived projects.")] = False,
) -> Any:
    with runtime_of(request).db.session() as session:
        rows = projects.list_projects(session, workspace_id=principal.workspace_id, campaign_id=campaign_id,
                                      status=status, kind=kind, limit=limit,
                                      archived=None if include_archived else False)
        return [project_out(session, p, view) for p, view in zip(rows, project_views(session, rows), strict=True)]


@router.get("/projects/{project_id}", response_model=s.ProjectOut, summary="Read a project")
def get_project(request: Request, project_id: str, principal: Reader) -> Any:
    return _project(request, principal, project_id)


@router.patch("/projects/{project_id}", response_model=s.ProjectOut,
              summary="Rename a project, or archive or restore it")
def update_project(request: Request, project_id: str, body: s.ProjectUpdate, principal: Writer) -> Any:
    with runtime_of(request).db.session() as session:
        project = projects.get_project_or_raise(session, project_id, workspace_id=principal.workspace_id)
        if body.title is not None:
            projects.rename_project(session, project, title=body.title)
        if body.archived is not None:
            projects.set_archived(session, project, archived=body.archived)
        session.flush()
        return project_out(session, project)


@router.post("/projects/{project_id}/duplicate", status_code=201, response_model=s.ProjectOut,
             summary="Copy a project as a new draft (same kind and options, a distinct title)")
def duplicate_project(request: Request, project_id: str, principal: Writer) -> Any:
    with runtime_of(request).db.session() as session:
        project = projects.get_project_or_raise(session, project_id, workspace_id=principal.workspace_id)
        return project_out(session, projects.duplicate_project(session, project))


def _quote(session: Session, rt: Runtime, project: Project, workspace_id: str) -> s.QuoteOut:
    q = quote(session, project, prices=rt.prices_for(session, workspace_id))
    available = credits.get_balance(session, workspace_id=workspace_id).available
    return s.QuoteOut(total=q.total, lines=[s.QuoteLineOut(**line) for line in q.to_dict()["lines"]],
                      available=available)


@router.get("/projects/{project_id}/quote", response_model=s.QuoteOut, summary="Credits the rest of the run will take")
def project_quote(request: Request, project_id: str, principal: Reader) -> Any:
    rt = runtime_of(request)
    with rt.db.session() as session:
        project = projects.get_project_or_raise(session, project_id, workspace_id=principal.workspace_id)
        return _quote(session, rt, project, principal.workspace_id)


@router.post("/credits/quote", response_model=s.QuoteOut, tags=["credits"],
             summary="Quote a project before creating it")
def quote_new(request: Request, body: s.QuoteRequest, principal: Reader) -> Any:
    rt = runtime_of(request)
    with rt.db.session() as session:
        campaign = campaigns.get_campaign_or_raise(session, body.campaign_id, workspace_id=principal.workspace_id)
        draft = Project(id="", workspace_id=principal.workspace_id, campaign_id=campaign.id, kind=body.kind,
                        status="draft", options=validate_options(body.kind, body.options))
        return _quote(session, rt, draft, principal.workspace_id)


@router.post("/projects/{project_id}/advance", response_model=s.ProjectOut,
             summary="Continue past the review gate where the project rests")
def advance(request: Request, project_id: str, principal: Writer,
            body: Annotated[s.AdvanceRequest | None, Body()] = None) -> Any:
    body = body or s.AdvanceRequest()
    pipeline.advance(runtime_of(request), workspace_id=principal.workspace_id, project_id=project_id,
                     autopilot=body.autopilot, until=body.until)
    return _project(request, principal, project_id)


@router.patch("/projects/{project_id}/outputs/{name}", response_model=s.ProjectOut,
              summary="Edit the ideas, script or scenes at their review gate")
def edit_output(request: Request, project_id: str, name: Literal["ideas", "script", "scenes"],
                patch: dict[str, Any], principal: Writer) -> Any:
    rt = runtime_of(request)
    with rt.db.session() as session:
        project = projects.get_project_or_raise(session, project_id, workspace_id=principal.workspace_id)
        projects.edit_output(session, project, name=name, patch=patch, user=f"apikey:{principal.key_id}")
        return project_out(session, project)


@router.post("/projects/{project_id}/regenerate", response_model=s.ProjectOut,
             summary="Reroll the ideas, or regenerate the script or scenes")
def regenerate(request: Request, project_id: str, body: s.RegenerateRequest, principal: Writer) -> Any:
    pipeline.regenerate(runtime_of(request), workspace_id=principal.workspace_id, project_id=project_id,
                        stage=body.stage)
    return _project(request, principal, project_id)


@router.post("/projects/{project_id}/scenes/{index}/regenerate", response_model=s.ProjectOut,
             summary="Regenerate one scene (numbered from 0); the others are kept")
def regenerate_one_scene(request: Request, project_id: str, index: Annotated[int, Path(ge=0, le=1000)],
                         principal: Writer,
                         body: Annotated[s.SceneRegenerateRequest | None, Body()] = None) -> Any:
    body = body or s.SceneRegenerateRequest()
    pipeline.regenerate_scene(runtime_of(request), workspace_id=principal.workspace_id, project_id=project_id,
                              index=index, seed=body.seed)
    return _project(request, principal, project_id)


@router.post("/projects/{project_id}/retry", response_model=s.ProjectOut, summary="Resume a failed project")
def retry(request: Request, project_id: str, principal: Writer) -> Any:
    pipeline.retry(runtime_of(request), workspace_id=principal.workspace_id, project_id=project_id)
    return _project(request, principal, project_id)


@router.post("/projects/{project_id}/cancel", response_model=s.ProjectOut, summary="Cancel a project")
def cancel(request: Request, project_id: str, principal: Writer) -> Any:
    pipeline.cancel(runtime_of(request), workspace_id=principal.workspace_id, project_id=project_id)
    return _project(request, principal, project_id)


# ------------------------------------------------------------------ assets


@router.get("/projects/{project_id}/assets", response_model=list[s.AssetOut], tags=["assets"],
            summary="The project's current files")
def list_assets(request: Request, project_id: str, principal: Reader) -> Any:
    with runtime_of(request).db.session() as session:
        project = projects.get_project_or_raise(session, project_id, workspace_id=principal.workspace_id)
        return [asset_out(a) for a in projects.current_assets(session, project.id)]


def _asset(request: Request, principal: Principal, asset_id: str) -> Asset:
    with runtime_of(request).db.session() as session:
        asset = session.get(Asset, asset_id)
        if asset is None or asset.workspace_id != principal.workspace_id:
            raise AssetNotFound(f"There is no asset '{asset_id}' in this workspace.")
        return asset


@router.get("/assets/{asset_id}", response_model=s.AssetOut, tags=["assets"], summary="Read an asset's metadata")
def get_asset(request: Request, asset_id: str, principal: Reader) -> Any:
    return asset_out(_asset(request, principal, asset_id))


DOWNLOAD_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
          "description": "The whole file."},
    206: {"content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
          "description": "Part of the file (Range request), with Content-Range."},
    **error_responses(416),
}


@router.get("/assets/{asset_id}/download", tags=["assets"], responses=DOWNLOAD_RESPONSES,
            response_class=StreamingResponse, summary="Download a file (supports Range requests)")
def download(request: Request, asset_id: str, principal: Reader,
             range_header: Annotated[str | None, Header(alias="Range")] = None) -> Response:
    rt = runtime_of(request)
    with rt.db.session() as session:
        found = downloads.find_download(session, asset_id, workspace_id=principal.workspace_id)
    return downloads.stream_asset(rt.storage, found, range_header=range_header)

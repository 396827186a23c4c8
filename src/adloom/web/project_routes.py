"""The Create Ad wizard and the Studio: kind → options → ideas → script → scenes → quote → render.

A project is saved at every step: it is a project resting at a gate (draft, ideas_ready,
script_ready, scenes_ready), so the wizard can be left and continued in the Studio at any time.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import FileResponse, Response

from adloom.assets import registry
from adloom.campaigns import service as campaigns
from adloom.credits import service as credits
from adloom.errors import InvalidEdit
from adloom.pipeline import failures, reroll
from adloom.pipeline import service as pipeline
from adloom.pipeline.pricing import quote, quote_new, stage_price
from adloom.pipeline.storyboard import has_storyboard, storyboard_still
from adloom.projects import downloads
from adloom.projects import service as projects
from adloom.projects.models import Project
from adloom.projects.options import validate_options
from adloom.projects.states import ACTIVE, GATES, STAGES, next_stage
from adloom.projects.views import project_view
from adloom.web import forms, hub
from adloom.web.common import price_labels, redirect, render, runtime, viewer_session
from adloom.web.deps import Editor
from adloom.writer.schemas import AwarenessStage, CreativeStyle, IdeaSet, PersuasionTrigger

router = APIRouter(include_in_schema=False)
WIZARD_STEPS = ("Kind", "Options", "Ideas", "Script", "Scenes", "Quote", "Render")


def option_choices() -> dict[str, Any]:
    """The campaign-level choices, and each kind's formats (``<kind>_formats``) from its spec."""
    return {
        "awareness_stage": [s.value for s in AwarenessStage],
        "persuasion_trigger": [s.value for s in PersuasionTrigger],
        "creative_style": [s.value for s in CreativeStyle],
        **{f"{spec.name}_formats": tuple(spec.format_labels) for spec in registry.specs()},
    }


@router.get("/dashboard/campaigns/{campaign_id}/create")
def wizard_start(request: Request, campaign_id: str, viewer: Editor, kind: str = "") -> Response:
    with runtime(request).db.session() as session:
        campaign = campaigns.get_campaign_or_raise(session, campaign_id, workspace_id=viewer.workspace_id)
        if kind:
            registry.get(kind)  # InvalidOption naming the kinds there are
        prices = runtime(request).prices_for(session, viewer.workspace_id)
        default_total = quote_new(session, kind=kind, options=validate_options(kind, _options_from_form(kind, {}, {})),
                                  prices=prices).total if kind else 0
        return render(request, "projects/create.html", {"autopilot_total": default_total,
            "viewer": viewer, "campaign": campaign, "kind": kind, "kinds": registry.kinds(),
            "specs": {spec.name: spec for spec in registry.specs()},
            "choices": option_choices(), "steps": WIZARD_STEPS, "current": 1 if kind else 0, "prices": prices,
            "error": None})


def _options_from_form(kind: str, form: dict[str, Any], lists: dict[str, list[str]]) -> dict[str, Any]:
    options: dict[str, Any] = {}
    for key in ("awareness_stage", "persuasion_trigger", "creative_style", "title", "tier", "tone", "vocal"):
        if form.get(key):
            options[key] = form[key]
    spec = registry.find(kind)
    if spec is not None:
        options.update(spec.form_options(form, lists))
    if form.get("seed"):
        options["seed"] = form["seed"]
    return options


@router.post("/dashboard/campaigns/{campaign_id}/projects")
async def wizard_create(request: Request, campaign_id: str, viewer: Editor) -> Response:
    raw = await request.form()
    form = {k: v for k, v in raw.items() if isinstance(v, str)}
    lists = {k: [v for v in raw.getlist(k) if isinstance(v, str)] for k in ("formats", "sizes", "image_formats")}
    kind = form.get("kind", "")
    rt = runtime(request)
    autopilot = bool(form.get("autopilot"))
    if autopilot and form.get("confirmed") != "1":
        return _confirm_autopilot(request, campaign_id, kind, _options_from_form(kind, form, lists), raw)
    project_id = pipeline.generate(rt, workspace_id=viewer.workspace_id, campaign_id=campaign_id, kind=kind,
                                   options=_options_from_form(kind, form, lists), autopilot=autopilot,
                                   created_by=viewer.user_id)
    return redirect(request, "/dashboard/videos" if autopilot else f"/dashboard/projects/{project_id}/studio")


def _autopilot_quote(request: Request, kind: str, options: dict[str, Any]) -> Any:
    with viewer_session(request) as (session, viewer):
        prices = runtime(request).prices_for(session, viewer.workspace_id)
        return (quote_new(session, kind=kind, options=validate_options(kind, options), prices=prices),
                credits.get_balance(session, workspace_id=viewer.workspace_id))


def _confirm_autopilot(request: Request, campaign_id: str, kind: str, options: dict[str, Any],
                       raw: Any) -> Response:
    """Autopilot asks once, with its whole quote, before anything is created or spent: the same
    form again with ``confirmed=1`` (in place over htmx, else as a page of its own)."""
    quoted, balance = _autopilot_quote(request, kind, options)
    posted = [(k, v) for k, v in raw.multi_items() if isinstance(v, str) and k not in ("csrf_token", "confirmed")]
    context = {"quote": quoted, "balance": balance, "posted": posted, "campaign_id": campaign_id,
               "price_labels": price_labels(), "kind": kind}
    if request.headers.get("hx-request"):
        return render(request, "projects/_autopilot_confirm.html", context,
                      headers={"HX-Retarget": "#create-action", "HX-Reswap": "innerHTML"})
    with viewer_session(request) as (session, viewer):
        campaign = campaigns.get_campaign_or_raise(session, campaign_id, workspace_id=viewer.workspace_id)
        return render(request, "projects/confirm.html", {**context, "viewer": viewer, "campaign": campaign})


@router.post("/dashboard/campaigns/{campaign_id}/create/quote")
async def autopilot_price(request: Request, campaign_id: str, viewer: Editor) -> Response:
    """The create button's autopilot total for the options as they stand (htmx, on every change)."""
    raw = await request.form()
    form = {k: v for k, v in raw.items() if isinstance(v, str)}
    lists = {k: [v for v in raw.getlist(k) if isinstance(v, str)] for k in ("formats", "sizes", "image_formats")}
    kind = form.get("kind", "")
    quoted, _ = _autopilot_quote(request, kind, _options_from_form(kind, form, lists))
    return Response(str(quoted.total), media_type="text/html")


def _get(session: Any, viewer: Any, project_id: str) -> Project:
    return projects.get_project_or_raise(session, project_id, workspace_id=viewer.workspace_id)


def wizard_position(project: Project, view: str) -> int:
    status = project.status
    if status in ("draft", "generating_ideas", "ideas_ready"):
        return 2
    if status in ("generating_script", "script_ready"):
        return 3
    if status in ("generating_scenes",):
        return 4
    if status == "scenes_ready":
        return 5 if view == "quote" else 4
    if status == "failed" and project.failed_stage in ("ideas", "script", "scenes"):
        return {"ideas": 2, "script": 3, "scenes": 4}[project.failed_stage]
    return 6


def studio_context(request: Request, session: Any, viewer: Any, project: Project, view: str) -> dict[str, Any]:
    rt = runtime(request)
    prices = rt.prices_for(session, viewer.workspace_id)
    latest = {name: step for name in ("ideas", "script", "scenes")
              if (step := projects.latest_output(session, project.id, name)) is not None}
    outputs = {name: step.output for name, step in latest.items()}
    groups: list[Any] = []
    editing = projects.EDITABLE.get(project.status)
    if editing in ("script", "scenes") and outputs.get(editing):
        groups = forms.fields_for(projects.model_for(project.kind, editing), outputs[editing] or {}, project.kind)
    nxt = next_stage(project.status)
    steps = projects.steps_of(session, project.id)
    view_model = project_view(session, project)
    campaign = campaigns.get_campaign_or_raise(session, project.campaign_id, workspace_id=viewer.workspace_id)
    return {
        "viewer": viewer, "project": project, "campaign": campaign, "view": view, "pv": view_model,
        "ideas": IdeaSet.model_validate(outputs["ideas"]) if outputs.get("ideas") else None,
        "outputs": outputs, "groups": groups, "editing": editing,
        "steps_list": steps, "steps": WIZARD_STEPS,
        "current": wizard_position(project, view),
        "quote": quote(session, project, prices=prices),
        "balance": credits.get_balance(session, workspace_id=viewer.workspace_id),
        "next_price": stage_price(session, project, nxt.step, prices=prices) if nxt else 0,
        "reroll_price": prices.get("ideas_reroll", 0),
        "regen_price": {name: stage_price(session, project, name, prices=prices) for name in ("script", "scenes")},
        "active": project.status in ACTIVE, "gates": GATES, "stages": STAGES,
        "summary": hub.option_summary(project), "format": hub.format_of(project),
        "spent": view_model.credits, "price_labels": price_labels(),
        "file_names": {a.id: downloads.download_name(a, campaign=campaign.name, kind=project.kind)
                       for a in view_model.assets},
        **_failure_context(project, steps),
        "storyboard_version": latest["scenes"].id if "scenes" in latest else "",
        "storyboard": has_storyboard(project.kind),
        "reroll_notice": reroll.NOTHING_NEW if "ideas" in latest and reroll.NOTHING_NEW in (
            latest["ideas"].warnings or []) else "",
        "short_of": shortfall_reason(credits.get_balance(session, workspace_id=viewer.workspace_id).available),
    }


def shortfall_reason(available: int) -> Any:
    """``short_of(price)``: why a priced button is disabled ("Needs 2 credits; 1 available"), or ""
    when the balance covers it, so every priced button says the same thing the same way."""
    def short_of(price: int) -> str:
        if price <= available:
            return ""
        return f"Needs {price} {'credit' if price == 1 else 'credits'}; {available} available"

    return short_of


def _failure_context(project: Project, steps: list[Any]) -> dict[str, Any]:
    """The failure in plain words and the gates it can go back to; at a gate, the failure that
    sent the project back there (until the next save) with the scene it names."""
    error = project.error if project.status == "failed" else failures.latest_failure(steps)
    return {"failure": failures.failure_view(error) if error else None,
            "reopen_choices": failures.reopen_choices(project)}


@router.get("/dashboard/projects/{project_id}/studio")
def studio(request: Request, project_id: str, view: str = "") -> Response:
    with viewer_session(request) as (session, viewer):
        project = _get(session, viewer, project_id)
        return render(request, "projects/studio.html", studio_context(request, session, viewer, project, view))


@router.get("/dashboard/projects/{project_id}/voice-sample")
def voice_sample(request: Request, project_id: str) -> Response:
    """A short line in the voice and delivery this project's voiceover or jingle will use (the
    ``voice`` option, else the brand kit's voice; the brand's tone), to hear before rendering."""
    from fastapi.responses import FileResponse

    from adloom.providers import tts

    rt = runtime(request)
    with viewer_session(request) as (session, viewer):
        project = _get(session, viewer, project_id)
        campaign = campaigns.get_campaign_or_raise(session, project.campaign_id, workspace_id=viewer.workspace_id)
        brand = campaigns.snapshot(session, campaign)[1]["brand"]
        name = str((project.options or {}).get("voice") or brand.get("voice") or "")
        tone = str((project.options or {}).get("tone") or brand.get("tone") or "")
    voice = tts.voice_named(name, folder=rt.settings.voices_dir).with_delivery(tts.delivery_for_tone(tone))
    path = tts.voice_sample(voice, rt.settings.data_dir / "cache" / "voice-samples")
    return FileResponse(path, media_type="audio/wav", headers={"Cache-Control": "private, max-age=3600"})


@router.get("/dashboard/projects/{project_id}/panel")
def studio_panel(request: Request, project_id: str, view: str = "") -> Response:
    """The part of the Studio that changes while a stage runs (polled, and pushed over SSE)."""
    with viewer_session(request) as (session, viewer):
        project = _get(session, viewer, project_id)
        return render(request, "projects/_panel.html", studio_context(request, session, viewer, project, view))


def _back(request: Request, project_id: str, view: str = "") -> Response:
    suffix = f"?view={view}" if view else ""
    return redirect(request, f"/dashboard/projects/{project_id}/studio{suffix}")


@router.post("/dashboard/projects/{project_id}/ideas")
def choose_idea(request: Request, project_id: str, viewer: Editor, chosen: int = Form(0)) -> Response:
    rt = runtime(request)
    with runtime(request).db.session() as session:
        project = _get(session, viewer, project_id)
        if project.status != "ideas_ready":
            raise InvalidEdit(f"Ideas can be picked while the project rests at ideas_ready (it is {project.status}).")
        projects.edit_output(session, project, name="ideas", patch={"chosen": chosen}, user="dashboard")
    pipeline.advance(rt, workspace_id=viewer.workspace_id, project_id=project_id)
    return _back(request, project_id)


async def _posted(request: Request) -> dict[str, str]:
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str)}


@router.post("/dashboard/projects/{project_id}/edit/{name}")
async def save_output(request: Request, project_id: str, name: str, viewer: Editor) -> Response:
    posted = await _posted(request)
    rt = runtime(request)
    if name not in ("script", "scenes"):
        raise InvalidEdit(f"Only the script and the scenes are edited here, not '{name}'.")
    with runtime(request).db.session() as session:
        project = _get(session, viewer, project_id)
        current = projects.latest_output(session, project.id, name)
        if current is None or projects.EDITABLE.get(project.status) != name:
            raise InvalidEdit(f"The {name} can be edited while the project rests at {name}_ready "
                              f"(it is {project.status}).", hint="Open the project in the Studio to see where it is.")
        groups = forms.fields_for(projects.model_for(project.kind, name), current.output or {}, project.kind)
        value = forms.apply_fields(current.output or {}, posted, forms.bool_fields(groups))
        projects.edit_output(session, project, name=name, patch=value, user="dashboard")
    then = posted.get("then", "")
    if then == "continue" and name == "script":
        pipeline.advance(rt, workspace_id=viewer.workspace_id, project_id=project_id)
    return _back(request, project_id, "quote" if then == "continue" and name == "scenes" else "")


@router.post("/dashboard/projects/{project_id}/scenes/{index}/regenerate")
def regenerate_one_scene(request: Request, project_id: str, index: int, viewer: Editor) -> Response:
    pipeline.regenerate_scene(runtime(request), workspace_id=viewer.workspace_id, project_id=project_id, index=index)
    return _back(request, project_id)


@router.post("/dashboard/projects/{project_id}/regenerate/{stage}")
def regenerate(request: Request, project_id: str, stage: str, viewer: Editor) -> Response:
    pipeline.regenerate(runtime(request), workspace_id=viewer.workspace_id, project_id=project_id, stage=stage)
    return _back(request, project_id)


@router.post("/dashboard/projects/{project_id}/advance")
def advance(request: Request, project_id: str, viewer: Editor, autopilot: str = Form("")) -> Response:
    pipeline.advance(runtime(request), workspace_id=viewer.workspace_id, project_id=project_id,
                     autopilot=bool(autopilot))
    return _back(request, project_id)


@router.post("/dashboard/projects/{project_id}/retry")
def retry(request: Request, project_id: str, viewer: Editor) -> Response:
    pipeline.retry(runtime(request), workspace_id=viewer.workspace_id, project_id=project_id)
    return _back(request, project_id)


@router.get("/dashboard/projects/{project_id}/storyboard/{index}.jpg")
def storyboard(request: Request, project_id: str, index: int) -> Response:
    """A free still of one scene at the scenes gate (cached by the scene's content hash)."""
    with viewer_session(request) as (session, viewer):
        path = storyboard_still(runtime(request), session, _get(session, viewer, project_id), index=index)
    return FileResponse(path, media_type="image/jpeg", headers={"Cache-Control": "private, max-age=3600"})


@router.post("/dashboard/projects/{project_id}/reopen")
def reopen(request: Request, project_id: str, viewer: Editor, gate: str = Form("scenes_ready")) -> Response:
    """"Back to scenes" / "Back to script" from a failed project: the CLI's ``project reopen``."""
    pipeline.reopen(runtime(request), workspace_id=viewer.workspace_id, project_id=project_id, gate=gate)
    return _back(request, project_id)


@router.post("/dashboard/projects/{project_id}/cancel")
def cancel(request: Request, project_id: str, viewer: Editor) -> Response:
    pipeline.cancel(runtime(request), workspace_id=viewer.workspace_id, project_id=project_id)
    return _back(request, project_id)


@router.post("/dashboard/projects/{project_id}/again")
def generate_again(request: Request, project_id: str, viewer: Editor) -> Response:
    """Regenerate an existing project: a new project with the same kind and options, the next
    seed and a distinct title."""
    new_id = pipeline.generate_again(runtime(request), workspace_id=viewer.workspace_id, project_id=project_id,
                                     created_by=viewer.user_id)
    return redirect(request, f"/dashboard/projects/{new_id}/studio")


@router.post("/dashboard/projects/{project_id}/rename")
def rename(request: Request, project_id: str, viewer: Editor, title: str = Form("")) -> Response:
    with runtime(request).db.session() as session:
        projects.rename_project(session, _get(session, viewer, project_id), title=title)
    return _back(request, project_id)


@router.post("/dashboard/projects/{project_id}/duplicate")
def duplicate(request: Request, project_id: str, viewer: Editor) -> Response:
    """A copy of the project as a new draft (same kind and options, a distinct title)."""
    with runtime(request).db.session() as session:
        copy = projects.duplicate_project(session, _get(session, viewer, project_id), created_by=viewer.user_id)
        new_id = copy.id
    return redirect(request, f"/dashboard/projects/{new_id}/studio")


@router.post("/dashboard/projects/{project_id}/archive")
def archive(request: Request, project_id: str, viewer: Editor, restore: str = Form("")) -> Response:
    """Archive a project (hidden from the hub and My Videos, files kept), or restore it."""
    with runtime(request).db.session() as session:
        project = projects.set_archived(session, _get(session, viewer, project_id), archived=not restore)
        campaign_id = project.campaign_id
    return redirect(request, f"/dashboard/projects/{project_id}/studio" if restore
                    else f"/dashboard/campaigns/{campaign_id}")

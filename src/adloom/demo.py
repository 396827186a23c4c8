"""The demo: a seeded user and workspace, the Northbound campaign, and every installed kind."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import select

from adloom.accounts import service as accounts
from adloom.accounts.models import User
from adloom.assets import registry
from adloom.campaigns import service as campaigns
from adloom.campaigns.brief import parse_brief_file
from adloom.campaigns.models import Campaign
from adloom.pipeline.runtime import Runtime
from adloom.pipeline.stages import generator_available

DEMO_EMAIL = "demo@adloom.local"
DEMO_PASSWORD = "adloom-demo"
DEMO_WORKSPACE = "demo"


def demo_brief_path(name: str = "northbound-coldbrew.yaml") -> Path:
    return Path(str(resources.files("adloom") / "demo_data" / "briefs" / name))


def seed_demo_account(rt: Runtime) -> dict[str, str]:
    """The demo user, workspace and Northbound campaign (idempotent)."""
    with rt.db.session() as session:
        user = session.scalars(select(User).where(User.email == DEMO_EMAIL)).first()
        if user is None:
            workspace = accounts.create_workspace(
                session, name="Demo workspace", welcome_credits=rt.settings.welcome_credits, slug=DEMO_WORKSPACE
            )
            accounts.create_user(session, email=DEMO_EMAIL, password=DEMO_PASSWORD, name="Demo", workspace=workspace)
        workspace = accounts.get_workspace_or_raise(session, DEMO_WORKSPACE)
        has_campaign = session.scalar(select(Campaign.id).where(Campaign.workspace_id == workspace.id))
        if not has_campaign:
            parsed = parse_brief_file(demo_brief_path())
            campaigns.create_campaign_from_brief(session, rt.storage, workspace_id=workspace.id, parsed=parsed)
    return {"email": DEMO_EMAIL, "password": DEMO_PASSWORD, "workspace": DEMO_WORKSPACE}


def run_demo(rt: Runtime, *, kinds: list[str], progress: Any = None) -> dict[str, Any]:
    """Create the Northbound campaign in the local workspace and generate each kind on autopilot."""
    from adloom.pipeline import service as pipeline
    from adloom.projects import service as projects

    with rt.db.session() as session:
        workspace = accounts.default_workspace(session, welcome_credits=rt.settings.welcome_credits)
        parsed = parse_brief_file(demo_brief_path())
        campaign = campaigns.create_campaign_from_brief(session, rt.storage, workspace_id=workspace.id, parsed=parsed)
        workspace_id, campaign_id = workspace.id, campaign.id
        wanted = kinds or list(campaign.assets_wanted)
    results = []
    for kind in wanted:
        if registry.find(kind) is None or not generator_available(kind, rt.settings.generators):
            results.append({"kind": kind, "status": "skipped (generator not installed)", "files": []})
            continue
        if progress is not None:
            progress.print(f"Generating {kind}…")
        project_id = pipeline.generate(rt, workspace_id=workspace_id, campaign_id=campaign_id, kind=kind,
                                       options={}, autopilot=True)
        rt.wait_for(project_id)
        with rt.db.session() as session:
            project = projects.get_project_or_raise(session, project_id, workspace_id=workspace_id)
            data = projects.project_dict(session, project, rt.storage, with_steps=False)
        files = [a["path"] for a in data["assets"] if a["role"] in ("final", "poster", "contact_sheet", "sonic_logo")]
        results.append({"kind": kind, "project": project_id, "status": data["status"], "error": data["error"],
                        "files": files})
    return {"campaign": campaign_id, "workspace": workspace_id, "projects": results}

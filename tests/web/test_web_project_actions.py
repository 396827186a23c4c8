"""Project operations live once, in services, and the dashboard and the API both call them:
one scene regeneration, one read model, one role dependency; rename, duplicate and archive."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from factories import make_settings
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from helpers_web import client_for, post, sign_up, upload_northbound
from sqlalchemy import select, update

from adloom.accounts import apikeys
from adloom.accounts.models import Membership, Workspace
from adloom.pipeline.runtime import Runtime
from adloom.projects import service as projects
from adloom.projects.models import Project, Step
from adloom.projects.views import project_views

API = "/api/v1"


@pytest.fixture
def env(database_url: str, tmp_path: Path) -> Iterator[SimpleNamespace]:
    """Ann signed in to the dashboard, the Northbound campaign, and a write key of her workspace."""
    rt = Runtime(make_settings(tmp_path, database_url=database_url), migrate=True)
    ann = client_for(rt)
    sign_up(ann, "ann@example.com")
    campaign_id = upload_northbound(ann)
    with rt.db.session() as session:
        workspace_id = session.scalars(select(Workspace.id)).one()
        _key, secret = apikeys.create_api_key(session, workspace_id=workspace_id, name="t", scopes="write")
    api = TestClient(ann.app, headers={"Authorization": f"Bearer {secret}"})
    yield SimpleNamespace(rt=rt, ann=ann, api=api, campaign=campaign_id, workspace=workspace_id)
    rt.close()


def create(env: SimpleNamespace, **body: Any) -> dict[str, Any]:
    response = env.api.post(f"{API}/projects", json={"campaign_id": env.campaign, "kind": "banner", **body})
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()
    return data


def latest_scenes(env: SimpleNamespace, project_id: str) -> Step:
    with env.rt.db.session() as session:
        step = projects.latest_output(session, project_id, "scenes")
        assert step is not None
        session.expunge(step)
        return step


def titles(env: SimpleNamespace) -> list[str]:
    with env.rt.db.session() as session:
        return list(session.scalars(select(Project.title).where(Project.campaign_id == env.campaign)
                                    .order_by(Project.created_at)))


def test_one_scene_regenerated_through_the_api_and_the_dashboard_is_the_same_step(env: SimpleNamespace) -> None:
    """Same input, same stored key and seed: both faces call pipeline.service.regenerate_scene."""
    first, second = create(env, until="scenes_ready"), create(env, until="scenes_ready")
    assert first["status"] == second["status"] == "scenes_ready"
    before = latest_scenes(env, first["id"])
    by_api = env.api.post(f"{API}/projects/{first['id']}/scenes/0/regenerate")
    assert by_api.status_code == 200, by_api.text
    by_dashboard = post(env.ann, f"/dashboard/projects/{second['id']}/scenes/0/regenerate",
                        page=f"/dashboard/projects/{second['id']}/studio")
    assert by_dashboard.status_code == 303, by_dashboard.text[:500]
    one, two = latest_scenes(env, first["id"]), latest_scenes(env, second["id"])
    assert one.input == {"regenerated_scene": 0, "from": before.id}
    assert set(two.input) == set(one.input) and two.input["regenerated_scene"] == 0
    assert (one.attempt, one.seed, one.provider) == (two.attempt, two.seed, two.provider)
    assert one.seed == before.seed + one.attempt  # the seed really used is the one stored
    assert one.output == two.output


def test_regenerate_in_the_hub_gives_the_copy_a_distinct_title(env: SimpleNamespace) -> None:
    lettered = create(env, options={"title": "Saltmarsh — Reels 30s A"})
    plain = create(env)
    for source in (lettered, lettered, plain):
        response = post(env.ann, f"/dashboard/projects/{source['id']}/again")
        assert response.status_code == 303, response.text[:500]
    shown = titles(env)
    assert shown[-3:-1] == ["Saltmarsh — Reels 30s B", "Saltmarsh — Reels 30s C"]
    assert shown[-1] == f"{plain['title']} (2)"
    assert len(set(shown)) == len(shown)
    with env.rt.db.session() as session:
        again = session.scalars(select(Project).where(Project.title == "Saltmarsh — Reels 30s B")).one()
        assert again.seed == 1 and again.options["title"] == again.title


def test_rename_duplicate_and_archive_from_the_project_page(env: SimpleNamespace) -> None:
    project = create(env, options={"title": "Harbour launch"})
    studio = f"/dashboard/projects/{project['id']}/studio"
    page = env.ann.get(studio).text
    for action in ("rename", "duplicate", "archive"):
        assert f'action="/dashboard/projects/{project["id"]}/{action}"' in page
    assert post(env.ann, f"/dashboard/projects/{project['id']}/rename", {"title": "  Harbour   launch v2 "},
                page=studio).status_code == 303
    copy = post(env.ann, f"/dashboard/projects/{project['id']}/duplicate", page=studio)
    assert copy.status_code == 303
    copy_id = copy.headers["location"].split("/")[3]
    with env.rt.db.session() as session:
        duplicate = session.get(Project, copy_id)
        assert duplicate is not None
        assert (duplicate.title, duplicate.status, duplicate.kind) == ("Harbour launch v2 (2)", "draft", "banner")
    hub = f"/dashboard/campaigns/{env.campaign}"
    assert "Harbour launch v2 (2)" in env.ann.get(hub).text
    archived = post(env.ann, f"/dashboard/projects/{copy_id}/archive", page=studio)
    assert archived.status_code == 303 and archived.headers["location"] == hub
    assert "Harbour launch v2 (2)" not in env.ann.get(hub).text
    assert "Harbour launch v2 (2)" not in env.ann.get("/dashboard/videos").text
    assert "Harbour launch v2 (2)" in env.ann.get("/dashboard/videos?archived=1").text
    assert post(env.ann, f"/dashboard/projects/{copy_id}/archive", {"restore": "1"}, page=studio).status_code == 303
    assert "Harbour launch v2 (2)" in env.ann.get(hub).text


def test_a_running_project_cannot_be_archived(env: SimpleNamespace) -> None:
    project = create(env)
    with env.rt.db.session() as session:
        session.execute(update(Project).where(Project.id == project["id"]).values(status="rendering"))
    response = env.api.patch(f"{API}/projects/{project['id']}", json={"archived": True})
    assert response.status_code == 409 and response.json()["error"]["code"] == "project_running"


def test_the_api_renames_duplicates_and_archives(env: SimpleNamespace) -> None:
    project = create(env, options={"title": "Spring A"})
    renamed = env.api.patch(f"{API}/projects/{project['id']}", json={"title": "Spring B"})
    assert renamed.status_code == 200 and renamed.json()["title"] == "Spring B"
    assert renamed.json()["archived"] is False
    copy = env.api.post(f"{API}/projects/{project['id']}/duplicate")
    assert copy.status_code == 201, copy.text
    assert (copy.json()["title"], copy.json()["status"]) == ("Spring C", "draft")
    archived = env.api.patch(f"{API}/projects/{project['id']}", json={"archived": True})
    assert archived.json()["archived"] is True
    listed = {p["id"] for p in env.api.get(f"{API}/projects").json()}
    assert project["id"] not in listed and copy.json()["id"] in listed
    everything = {p["id"] for p in env.api.get(f"{API}/projects", params={"include_archived": True}).json()}
    assert project["id"] in everything
    assert env.api.patch(f"{API}/projects/{project['id']}", json={"title": "   "}).status_code == 422
    restored = env.api.patch(f"{API}/projects/{project['id']}", json={"archived": False})
    assert restored.json()["archived"] is False


def test_hub_api_and_cli_show_the_same_assets_and_credits(env: SimpleNamespace) -> None:
    """One read model: the same current files and credits spent, whoever asks."""
    project = create(env, autopilot=True)
    assert project["status"] == "completed" and project["credits_spent"] > 0
    shown = env.api.get(f"{API}/projects/{project['id']}").json()
    with env.rt.db.session() as session:
        row = session.get(Project, project["id"])
        assert row is not None
        cli = projects.project_dict(session, row, env.rt.storage)
        hub = project_views(session, [row])[0]
    assert shown["credits_spent"] == cli["credits_spent"] == hub.credits == project["credits_spent"]
    assert [a["id"] for a in shown["assets"]] == [a["id"] for a in cli["assets"]] == [a.id for a in hub.assets]
    assert shown["archived"] is cli["archived"] is False


def test_an_edit_that_changes_nothing_records_no_attempt(env: SimpleNamespace) -> None:
    project = create(env, until="scenes_ready")
    before = latest_scenes(env, project["id"])
    response = env.api.patch(f"{API}/projects/{project['id']}/outputs/scenes", json={})
    assert response.status_code == 200, response.text
    assert latest_scenes(env, project["id"]).id == before.id


def _calls(route: APIRoute) -> set[str]:
    names, todo = set(), list(route.dependant.dependencies)
    while todo:
        dep = todo.pop()
        names.add(getattr(dep.call, "__name__", ""))
        todo += dep.dependencies
    return names


# Unsafe dashboard routes any signed-in person may call: their own account, accepting an
# invitation, switching workspace, signing in or up, password resets, and the credit grant (the
# service checks the instance admin).
OPEN_TO_MEMBERS = {"/invite/{token}", "/dashboard/workspace", "/dashboard/account/password",
                   "/dashboard/account/sign-out-everywhere", "/dashboard/credits/grant", "/login", "/signup",
                   "/logout", "/reset", "/reset/{token}"}


def test_every_dashboard_route_that_changes_something_declares_its_role() -> None:
    from adloom.web.routes import FEATURES

    routes = [r for feature in FEATURES for r in feature.router.routes if isinstance(r, APIRoute)]
    unsafe = [r for r in routes if r.methods & {"POST", "PUT", "PATCH", "DELETE"} and r.path not in OPEN_TO_MEMBERS]
    assert OPEN_TO_MEMBERS <= {r.path for r in routes} and len(unsafe) > 20
    undeclared = [r.path for r in unsafe if not _calls(r) & {"editor", "owner"}]
    assert undeclared == []


def test_a_viewer_cannot_rename_duplicate_or_archive(env: SimpleNamespace) -> None:
    project = create(env, options={"title": "Quiet one"})
    with env.rt.db.session() as session:
        session.execute(update(Membership).values(role="viewer"))
    studio = f"/dashboard/projects/{project['id']}/studio"
    page = env.ann.get(studio).text
    assert not re.search(r'action="[^"]+/(rename|duplicate|archive)"', page)
    for action, data in (("rename", {"title": "Loud one"}), ("duplicate", {}), ("archive", {})):
        response = post(env.ann, f"/dashboard/projects/{project['id']}/{action}", data, page=studio)
        assert response.status_code == 403, (action, response.status_code)
    assert titles(env) == ["Quiet one"]

"""Authorisation and safety of the dashboard: workspaces are sealed, viewers cannot spend,
CSRF is required on every unsafe request, user text is escaped."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from helpers_web import client_for, csrf_of, post, sign_up, upload_northbound
from sqlalchemy import select

from adloom.accounts import service as accounts
from adloom.accounts.models import User
from adloom.credits import service as credits
from adloom.projects.models import Asset, Project


@pytest.fixture(scope="module")
def rt(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One runtime for the module: the workspaces below are isolated from each other by design."""
    from factories import make_settings

    from adloom.pipeline.runtime import Runtime

    runtime = Runtime(make_settings(tmp_path_factory.mktemp("web")), migrate=True)
    yield runtime
    runtime.close()


@pytest.fixture(scope="module")
def two_workspaces(rt: Any) -> dict[str, Any]:
    """Ann owns a campaign with a completed banner project; Bob is in another workspace."""
    ann, bob = client_for(rt), client_for(rt)
    sign_up(ann, "ann@example.com")
    sign_up(bob, "bob@example.com")
    campaign_id = upload_northbound(ann)
    response = post(ann, f"/dashboard/campaigns/{campaign_id}/projects", {"kind": "banner", "autopilot": "1", "confirmed": "1"})
    assert response.status_code == 303, response.text[:800]
    with rt.db.session() as session:
        project = session.scalars(select(Project).where(Project.campaign_id == campaign_id)).one()
        assert project.status == "completed"
        asset_id = session.scalars(select(Asset.id).where(Asset.project_id == project.id)).first()
    return {"ann": ann, "bob": bob, "campaign": campaign_id, "project": project.id, "asset": asset_id}


def ann_urls(ids: dict[str, Any]) -> list[str]:
    c, p, a = ids["campaign"], ids["project"], ids["asset"]
    return [f"/dashboard/campaigns/{c}", f"/dashboard/campaigns/{c}/pillars/messaging",
            f"/dashboard/campaigns/{c}/create?kind=video", f"/dashboard/campaigns/{c}/photo/0",
            f"/dashboard/campaigns/{c}/assets", f"/dashboard/campaigns/{c}/assets/banner?offset=0",
            f"/dashboard/campaigns/{c}/compare?p={p}&p={p}", f"/dashboard/projects/{p}/studio",
            f"/dashboard/projects/{p}/panel", f"/dashboard/projects/{p}/download.zip",
            f"/dashboard/assets/{a}/download", f"/dashboard/assets/{a}/download?inline=1"]


def test_the_owner_can_open_every_url(two_workspaces: dict[str, Any]) -> None:
    ann = two_workspaces["ann"]
    for url in ann_urls(two_workspaces):
        if "compare" in url:
            continue  # comparing a project with itself is refused (needs two)
        assert ann.get(url).status_code == 200, url


def test_another_workspace_gets_404_for_every_campaign_project_asset_and_download(two_workspaces: dict[str, Any]) -> None:
    bob = two_workspaces["bob"]
    for url in ann_urls(two_workspaces):
        response = bob.get(url)
        assert response.status_code == 404, (url, response.status_code)
        assert "Northbound" not in response.text
    c, p = two_workspaces["campaign"], two_workspaces["project"]
    for url, data in ((f"/dashboard/campaigns/{c}/pillars/messaging", {"text": "hijacked"}),
                      (f"/dashboard/campaigns/{c}/archive", {}),
                      (f"/dashboard/campaigns/{c}/projects", {"kind": "banner"}),
                      (f"/dashboard/projects/{p}/retry", {}), (f"/dashboard/projects/{p}/cancel", {}),
                      (f"/dashboard/projects/{p}/again", {}), (f"/dashboard/projects/{p}/advance", {})):
        assert post(bob, url, data).status_code == 404, url


def test_a_viewer_can_look_but_not_edit_or_spend(rt: Any, two_workspaces: dict[str, Any]) -> None:
    ann, c, p = two_workspaces["ann"], two_workspaces["campaign"], two_workspaces["project"]
    page = post(ann, "/dashboard/members/invite", {"email": "vic@example.com", "role": "viewer"},
                page="/dashboard/members")
    link = re.search(r"/invite/([A-Za-z0-9_-]+)", page.text)
    assert link, page.text[:500]
    vic = client_for(rt)
    token = csrf_of(vic, "/signup")
    vic.post("/signup", data={"email": "vic@example.com", "password": "viewer password", "invite": link.group(1),
                              "csrf_token": token})
    with rt.db.session() as session:
        workspace_id = session.scalars(select(Project.workspace_id).where(Project.id == p)).one()
        balance_before = credits.get_balance(session, workspace_id=workspace_id)
    assert vic.get(f"/dashboard/campaigns/{c}").status_code == 200
    assert "Edit the Messaging pillar" not in vic.get(f"/dashboard/campaigns/{c}").text
    denied = [(f"/dashboard/campaigns/{c}/pillars/messaging", {"text": "viewer edit"}),
              (f"/dashboard/campaigns/{c}/projects", {"kind": "banner", "autopilot": "1", "confirmed": "1"}),
              (f"/dashboard/projects/{p}/again", {}), (f"/dashboard/projects/{p}/retry", {}),
              (f"/dashboard/campaigns/{c}/archive", {}), ("/dashboard/api-keys", {"name": "x"}),
              ("/dashboard/members/invite", {"email": "x@example.com", "role": "owner"})]
    for url, data in denied:
        assert post(vic, url, data, page=f"/dashboard/campaigns/{c}").status_code == 403, url
    assert vic.get(f"/dashboard/campaigns/{c}/create?kind=video").status_code == 403
    assert vic.get(f"/dashboard/campaigns/{c}/pillars/messaging?edit=1").status_code == 403
    with rt.db.session() as session:
        assert credits.get_balance(session, workspace_id=workspace_id) == balance_before
        assert len(list(session.scalars(select(Project).where(Project.campaign_id == c)))) == 1


def test_forms_without_the_csrf_token_are_rejected(two_workspaces: dict[str, Any], rt: Any) -> None:
    ann, c = two_workspaces["ann"], two_workspaces["campaign"]
    cases = [(f"/dashboard/campaigns/{c}/pillars/messaging", {"text": "forged"}),
             (f"/dashboard/campaigns/{c}/projects", {"kind": "banner"}), ("/logout", {}),
             ("/dashboard/api-keys", {"name": "forged"})]
    for url, data in cases:
        assert ann.post(url, data=data).status_code == 403, url
        assert ann.post(url, data={**data, "csrf_token": "not-the-token"}).status_code == 403, url
    fresh = client_for(rt)
    assert fresh.post("/login", data={"email": "ann@example.com", "password": "correct horse battery"}).status_code == 403
    good = csrf_of(ann, f"/dashboard/campaigns/{c}")
    assert ann.post(f"/dashboard/campaigns/{c}/pillars/messaging", data={"text": "via header"},
                    headers={"X-CSRF-Token": good, "HX-Request": "true"}).status_code == 200
    assert "via header" in ann.get(f"/dashboard/campaigns/{c}").text
    assert "forged" not in ann.get(f"/dashboard/campaigns/{c}").text


def test_user_text_is_escaped_everywhere(rt: Any) -> None:
    client = client_for(rt)
    sign_up(client, "eve@example.com", workspace="<img src=x onerror=alert(2)>")
    evil = "<script>alert(1)</script>"
    response = post(client, "/dashboard/campaigns", {"name": evil, "product_name": evil, "description": evil,
                                                     "messaging": evil}, page="/dashboard/campaigns/new")
    assert response.status_code == 303, response.text[:1000]
    campaign_id = response.headers["location"].rsplit("/", 1)[-1]
    for url in ("/dashboard", f"/dashboard/campaigns/{campaign_id}", "/dashboard/members"):
        html = client.get(url).text
        assert evil not in html and "<img src=x" not in html, url
    hub = client.get(f"/dashboard/campaigns/{campaign_id}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in hub


def test_sign_in_sign_out_and_password_reset(rt: Any, capsys: pytest.CaptureFixture[str]) -> None:
    client = client_for(rt)
    sign_up(client, "rita@example.com", password="first password")
    assert client.get("/dashboard").status_code == 200
    cookie = client.cookies.get("adloom_session")
    assert post(client, "/logout").status_code == 303
    assert client.get("/dashboard").headers["location"].startswith("/login")
    bad = client.post("/login", data={"email": "rita@example.com", "password": "wrong password",
                                      "csrf_token": csrf_of(client)})
    assert bad.status_code == 401 and "do not match" in bad.text
    post(client, "/reset", {"email": "rita@example.com"}, page="/reset")
    link = re.search(r"/reset/([A-Za-z0-9_-]+)", capsys.readouterr().out)
    assert link
    assert post(client, f"/reset/{link.group(1)}", {"password": "second password"}, page="/reset").status_code == 303
    assert client.get("/dashboard").status_code == 200
    assert post(client, f"/reset/{link.group(1)}", {"password": "third password"}, page="/reset").status_code == 404
    old = client_for(rt)
    old.cookies.set("adloom_session", cookie or "")
    assert old.get("/dashboard").status_code == 303  # the reset signed out the old session
    with rt.db.session() as session:
        user = session.scalars(select(User).where(User.email == "rita@example.com")).one()
        assert accounts.verify_password(user.password_hash, "second password")


def test_session_cookie_is_httponly_and_samesite(rt: Any) -> None:
    client = client_for(rt)
    token = csrf_of(client, "/signup")
    response = client.post("/signup", data={"email": "sam@example.com", "password": "long password",
                                            "csrf_token": token})
    header = response.headers["set-cookie"].lower()
    assert "httponly" in header and "samesite=lax" in header


def test_invitations_workspace_switching_and_roles(rt: Any, two_workspaces: dict[str, Any]) -> None:
    ann, bob, c = two_workspaces["ann"], two_workspaces["bob"], two_workspaces["campaign"]
    page = post(ann, "/dashboard/members/invite", {"email": "bob@example.com", "role": "editor"},
                page="/dashboard/members")
    token = re.search(r"/invite/([A-Za-z0-9_-]+)", page.text).group(1)  # type: ignore[union-attr]
    assert "Join" in bob.get(f"/invite/{token}").text
    assert post(bob, f"/invite/{token}", page=f"/invite/{token}").status_code == 303
    assert bob.get(f"/dashboard/campaigns/{c}").status_code == 200  # now in Ann's workspace
    assert post(bob, f"/invite/{token}", page="/dashboard").status_code == 404  # spent
    with rt.db.session() as session:
        bob_id = session.scalars(select(User.id).where(User.email == "bob@example.com")).one()
        ann_id = session.scalars(select(User.id).where(User.email == "ann@example.com")).one()
    assert post(bob, f"/dashboard/campaigns/{c}/pillars/goals", {"text": "Editors can edit"}).status_code == 200
    assert post(ann, f"/dashboard/members/{bob_id}/role", {"role": "viewer"}, page="/dashboard/members").status_code == 303
    assert post(bob, f"/dashboard/campaigns/{c}/pillars/goals", {"text": "Viewers cannot"}).status_code == 403
    assert post(ann, f"/dashboard/members/{ann_id}/role", {"role": "editor"}, page="/dashboard/members").status_code == 409
    members = bob.get("/dashboard/members").text
    own = re.search(r'<option value="([0-9a-f]{32})" >bob', members)
    assert own, "Bob can switch back to his own workspace"
    assert post(bob, "/dashboard/workspace", {"workspace_id": own.group(1)}).status_code == 303
    assert bob.get(f"/dashboard/campaigns/{c}").status_code == 404
    assert post(ann, f"/dashboard/members/{bob_id}/remove", page="/dashboard/members").status_code == 303

"""Every dashboard page shows the workspace's credits in the sidebar and, while anything runs,
a Processing badge with the number of active projects."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from helpers_web import client_for, post, sign_up, upload_northbound
from sqlalchemy import select

from adloom.accounts.models import User
from adloom.projects.models import Project


@pytest.fixture(scope="module")
def rt(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from factories import make_settings

    from adloom.pipeline.runtime import Runtime

    runtime = Runtime(make_settings(tmp_path_factory.mktemp("shell")), migrate=True)
    yield runtime
    runtime.close()


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_balance_and_the_processing_badge_are_on_every_page(rt: Any) -> None:
    client = client_for(rt)
    sign_up(client, "shell@example.com")
    campaign = upload_northbound(client)
    pages = ["/dashboard", f"/dashboard/campaigns/{campaign}", "/dashboard/videos", "/dashboard/brands",
             "/dashboard/credits", "/dashboard/members", "/dashboard/api-keys"]
    welcome = rt.settings.welcome_credits
    for url in pages:
        page = client.get(url)
        assert page.status_code == 200, url
        assert f"{welcome} credits" in _text(page.text), url
        assert "Processing ·" not in page.text, url
    assert post(client, f"/dashboard/campaigns/{campaign}/projects", {"kind": "banner"}).status_code == 303
    with rt.db.session() as session:
        project = session.scalars(select(Project).where(Project.campaign_id == campaign)).one()
        project.status = "rendering"  # as a worker leaves it mid-render
        assert session.scalars(select(User)).first() is not None
    for url in pages:
        assert "Processing · 1" in _text(client.get(url).text), url


def test_the_processing_badge_follows_the_work_without_a_reload(rt: Any) -> None:
    """The header badge re-reads itself while something runs and leaves when it is done (it
    stayed at "Processing · 1" on a page opened mid-run)."""
    client = client_for(rt)
    sign_up(client, "badge@example.com")
    campaign = upload_northbound(client)
    assert post(client, f"/dashboard/campaigns/{campaign}/projects", {"kind": "banner"}).status_code == 303
    idle = client.get("/dashboard/brands").text
    assert 'id="processing-badge"' in idle and "every 5s" not in idle  # nothing runs: no polling
    with rt.db.session() as session:
        project = session.scalars(select(Project).where(Project.campaign_id == campaign)).one()
        project.status = "rendering"
        project_id = project.id
    page = client.get("/dashboard/brands").text
    badge = re.search(r'<span id="processing-badge" hx-get="/dashboard/shell/badge" hx-trigger="([^"]*)"', page)
    assert badge and "every 5s" in badge.group(1) and "Processing · 1" in _text(page)
    with rt.db.session() as session:
        done = session.get(Project, project_id)
        assert done is not None
        done.status = "completed"
    fragment = client.get("/dashboard/shell/badge")
    assert fragment.status_code == 200 and "Processing" not in fragment.text and "every 5s" not in fragment.text
    assert fragment.text.strip().startswith('<span id="processing-badge"')


def test_the_studio_panel_brings_the_badge_and_the_balance_up_to_date(rt: Any) -> None:
    """The Studio swaps only its panel while a project runs; the header's badge and the sidebar's
    balance come with each swap (out of band), so "Completed" never sits beside "Processing · 1"."""
    client = client_for(rt)
    sign_up(client, "oob@example.com")
    campaign = upload_northbound(client)
    created = post(client, f"/dashboard/campaigns/{campaign}/projects", {"kind": "banner"})
    project_id = created.headers["location"].split("/")[3]
    with rt.db.session() as session:
        project = session.get(Project, project_id)
        assert project is not None
        project.status = "rendering"
    studio = client.get(f"/dashboard/projects/{project_id}/studio").text
    assert studio.count('id="processing-badge"') == 1 and "hx-swap-oob" not in studio
    with rt.db.session() as session:
        project = session.get(Project, project_id)
        assert project is not None
        project.status = "completed"
    panel = client.get(f"/dashboard/projects/{project_id}/panel", headers={"HX-Request": "true"}).text
    active = re.search(r'<span id="processing-badge"[^>]*hx-swap-oob="true">(.*?)</span>', panel, re.DOTALL)
    assert active and "Processing" not in active.group(1), panel[-800:]
    balance = re.search(r'id="shell-balance"[^>]*hx-swap-oob="true">(.*?)</a>', panel, re.DOTALL)
    assert balance and f"{rt.settings.welcome_credits}</span> credits" in balance.group(1)

"""The dashboard speaks words, not machine values: every enum value and format id on the main
pages of a campaign with one project of each kind reads as a human label (issue 16, labels)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from factories import make_settings
from fastapi.testclient import TestClient
from helpers_web import client_for, csrf_of, sign_up, upload_northbound

from adloom.assets import registry
from adloom.pipeline import service as pipeline
from adloom.projects.models import Project

# Raw values the issue saw on screen, and every snake_case enum word in a non-human form.
RAW = re.compile(r"\b(push_in|pull_out|text_left|text_right|direct_response|problem_aware|social_proof"
                 r"|b2b_services|four_on_floor|color_field|[a-z]+_[a-z_]+|Ugc|Saas|B2b|Cta)\b")
BARE_SIZE = re.compile(r"(?<![·×\d])\b\d{3,4}x\d{2,4}\b")  # "300x250" with no name beside it
FILE_NAME = re.compile(r"\S+\.(?:png|jpe?g|webp|pdf|mp4|wav|mp3|mid|srt|vtt|zip|html)\b")  # names, not labels
SEED = re.compile(r"\bSeed\b")


def visible_text(page: str) -> str:
    """What a reader sees: no scripts, styles, tags or attribute values."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.DOTALL | re.IGNORECASE)
    page = re.sub(r"<[^>]+>", " ", page)
    return html.unescape(page)


def progression_words(text: str) -> bool:
    return "I–V–vi–IV" in text or "Progression:" in text


@pytest.fixture
def rt(tmp_path: Path, database_url: str) -> Iterator[Any]:
    from adloom.pipeline.runtime import Runtime

    runtime = Runtime(make_settings(tmp_path, database_url=database_url), migrate=True)
    yield runtime
    runtime.close()


def _create(client: TestClient, campaign_id: str, kind: str) -> str:
    token = csrf_of(client, f"/dashboard/campaigns/{campaign_id}/create?kind={kind}")
    response = client.post(f"/dashboard/campaigns/{campaign_id}/projects", data={"csrf_token": token, "kind": kind})
    assert response.status_code == 303, response.text[:1500]
    return str(response.headers["location"].split("/")[-2])


def _advance(rt: Any, project_id: str) -> None:
    with rt.db.session() as session:
        project = session.get(Project, project_id)
        assert project is not None
        workspace_id = project.workspace_id
    pipeline.advance(rt, workspace_id=workspace_id, project_id=project_id)


def _check(client: TestClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.text[:800])
    text = FILE_NAME.sub(" ", visible_text(response.text))
    assert RAW.findall(text) == [], url
    assert BARE_SIZE.findall(text) == [], url
    assert SEED.findall(text) == [], url
    assert re.findall(r"Progression \d", text) == [], url  # the jingle's "Progression 1: vi"
    return text


def test_main_pages_show_human_labels_for_every_kind(rt: Any) -> None:
    client = client_for(rt)
    sign_up(client, "maker@example.com")
    campaign_id = upload_northbound(client)
    seen: dict[str, str] = {}
    for kind in registry.kinds():
        _check(client, f"/dashboard/campaigns/{campaign_id}/create?kind={kind}")
        project_id = _create(client, campaign_id, kind)
        for _gate in ("script_ready", "scenes_ready"):
            _advance(rt, project_id)
            seen[kind] = seen.get(kind, "") + _check(client, f"/dashboard/projects/{project_id}/studio")
    for url in ("/dashboard", f"/dashboard/campaigns/{campaign_id}", f"/dashboard/campaigns/{campaign_id}/create",
                "/dashboard/credits", "/dashboard/videos", "/dashboard/campaigns/new",
                f"/dashboard/campaigns/{campaign_id}/edit", "/dashboard/brands"):
        _check(client, url)
    choices = _check(client, "/dashboard/campaigns/new")  # the business types and styles the issue saw raw
    assert "B2B services" in choices and "SaaS" in choices and "UGC style" in choices
    create_banner = _check(client, f"/dashboard/campaigns/{campaign_id}/create?kind=" + registry.kinds()[1])
    assert "Medium rectangle · 300×250" in create_banner and "Large leaderboard · 970×90" in create_banner
    assert "Variation number" in create_banner
    assert "Call to action" in "".join(seen.values())
    assert progression_words(seen[registry.kinds()[-1]])


def test_a_finished_banner_set_names_its_sizes(tmp_path: Path) -> None:
    """The Studio's files of a completed banner project read "Medium rectangle · 300×250", not the
    bare pixels, and their roles are words (generators that label their files as the real ones do)."""
    from webgens import PREVIEW

    from adloom.pipeline.runtime import Runtime

    rt = Runtime(make_settings(tmp_path, generators=PREVIEW), migrate=True)
    client = client_for(rt)
    sign_up(client, "sizes@example.com")
    campaign_id = upload_northbound(client)
    banner = registry.kinds()[1]
    token = csrf_of(client, f"/dashboard/campaigns/{campaign_id}")
    made = client.post(f"/dashboard/campaigns/{campaign_id}/projects",
                       data={"kind": banner, "autopilot": "1", "confirmed": "1", "csrf_token": token})
    assert made.status_code == 303, made.text[:800]
    with rt.db.session() as session:
        project = session.query(Project).one()
        assert project.status == "completed", project.status
        project_id = project.id
    text = _check(client, f"/dashboard/projects/{project_id}/studio")
    assert "Medium rectangle · 300×250" in text
    rt.close()


def test_a_stage_is_named_in_the_words_of_its_kind() -> None:
    from adloom.labels import STAGES, label

    banner, video = registry.get(registry.kinds()[1]), registry.get(registry.kinds()[0])
    assert label("generate", "step", banner.name) == "Product cut-out and logo"
    assert label("generate", "step", video.name) == "Voice, music and media"
    assert label("generate", "step") == "Media preparation" and label("stitch", "step", banner.name) == "Final assembly"
    for spec in registry.specs():
        assert set(spec.stage_labels) <= set(STAGES), spec.name

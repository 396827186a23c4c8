"""Item 11: inputs that crashed with a 500 or a traceback now get a clear refusal (or just work)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from adloom.assets.jingle.midi import write_midi
from adloom.render.music.compose import compose_jingle, compose_logo
from adloom.writer.music import plan_for_tone

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))
from helpers_api import BRIEF, make_env
from helpers_web import client_for, sign_up, upload_northbound


@pytest.fixture
def api(tmp_path: Path) -> Any:
    env = make_env(tmp_path)
    with TestClient(env.app) as client:
        headers = {"Authorization": f"Bearer {env.write_key}"}
        campaign = client.post("/api/v1/campaigns", json=BRIEF, headers=headers).json()["id"]
        yield client, headers, campaign
    env.rt.close()


def _at_scenes(client: TestClient, headers: dict[str, str], campaign: str, kind: str) -> str:
    created = client.post("/api/v1/projects", headers=headers,
                          json={"campaign_id": campaign, "kind": kind, "until": "scenes_ready"}).json()
    project = client.get(f"/api/v1/projects/{created['id']}", headers=headers).json()
    assert project["status"] == "scenes_ready", project
    return str(project["id"])


def test_a_scene_patch_with_a_word_for_a_key_is_a_clear_422(api: Any) -> None:
    client, headers, campaign = api
    project = _at_scenes(client, headers, campaign, "video")
    for patch in ({"scenes": {"x": {}}}, {"scenes": {"1" * 5000: {}}}, {"scenes": {"²": {}}}):
        response = client.patch(f"/api/v1/projects/{project}/outputs/scenes", json=patch, headers=headers)
        assert response.status_code == 422, response.text[:300]
        assert response.json()["error"]["code"] == "invalid_edit"
        assert "is not an item number" in response.json()["error"]["message"]


def test_an_emoji_only_voiceover_is_refused_when_edited(api: Any) -> None:
    client, headers, campaign = api
    project = _at_scenes(client, headers, campaign, "video")
    response = client.patch(f"/api/v1/projects/{project}/outputs/scenes", headers=headers,
                            json={"scenes": {"0": {"voiceover": "🎉🔥 🚀!"}}})
    assert response.status_code == 422, response.text[:300]
    message = response.json()["error"]["message"]
    assert "scene 1" in message and "no words a voice can speak" in message
    fine = client.patch(f"/api/v1/projects/{project}/outputs/scenes", headers=headers,
                        json={"scenes": {"0": {"voiceover": "Cold brew 🎉"}}})
    assert fine.status_code == 200, fine.text[:300]


def test_a_huge_tile_offset_shows_no_more_tiles(rt: Any) -> None:
    client = client_for(rt)
    sign_up(client, "ann@example.com")
    campaign = upload_northbound(client)
    response = client.get(f"/dashboard/campaigns/{campaign}/assets/banner",
                          params={"offset": "100000000000000000000"})
    assert response.status_code == 200, response.text[:300]


@pytest.mark.parametrize("tone", ["bold", "calm", "premium"])
def test_a_tagline_with_nothing_singable_still_composes(tone: str, tmp_path: Path) -> None:
    plan = plan_for_tone(tone)
    # The report's "§Å" composes (Å is a letter, so it is sung); symbols alone leave nothing to sing.
    reported = compose_logo(plan, "§Å")
    assert reported.seconds > 2.0 and write_midi(reported, tmp_path / "r.mid", title="§Å").stat().st_size > 0
    logo = compose_logo(plan, "§ ¶ — ★")
    jingle = compose_jingle(plan, "§ ¶ — ★")
    assert logo.seconds > 2.0 and jingle.seconds == 30.0
    assert not logo.vocal and not jingle.vocal  # nothing to sing: accompaniment and sting only
    assert write_midi(logo, tmp_path / "logo.mid", title="§ ¶ — ★").stat().st_size > 0


def test_a_nul_character_is_refused_with_the_field_name(tmp_path: Path, database_url: str) -> None:
    env = make_env(tmp_path, database_url=database_url)
    with TestClient(env.app) as client:
        headers = {"Authorization": f"Bearer {env.write_key}"}
        as_json = {**BRIEF, "product": {**BRIEF["product"], "description": "Cold\u0000brew"}}
        response = client.post("/api/v1/campaigns", json=as_json, headers=headers)
        assert response.status_code == 422, response.text[:300]
        assert "product.description" in response.text and "NUL" in response.text
        as_yaml = 'name: "Spring\\0push"\nproduct: {name: Cold brew, description: Smooth}\n'
        response = client.post("/api/v1/campaigns/brief", content=as_yaml.encode(),
                               headers={**headers, "Content-Type": "application/yaml"})
        assert response.status_code == 422, response.text[:300]
        assert response.json()["error"]["code"] == "invalid_brief"
        assert "name" in response.json()["error"]["fields"]["problems"][0]["loc"]
        campaign = client.post("/api/v1/campaigns", json=BRIEF, headers=headers).json()["id"]
        response = client.patch(f"/api/v1/campaigns/{campaign}", json={"tone": "warm\u0000"}, headers=headers)
        assert response.status_code == 422 and "tone" in response.text, response.text[:300]
    env.rt.close()


def test_the_database_refuses_nul_whatever_the_path(rt: Any, workspace: str) -> None:
    from adloom.campaigns.models import Campaign
    from adloom.errors import ValidationError

    with pytest.raises(ValidationError, match=r"campaign.name contains a NUL"), rt.db.session() as session:
        session.add(Campaign(workspace_id=workspace, name="x\x00y"))

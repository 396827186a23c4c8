"""The dashboard plays a sample of the project's voice before rendering (issue 20): the brand's
voice with the delivery of its tone, synthesised once and cached."""

from __future__ import annotations

from typing import Any

from helpers_web import client_for, sign_up, upload_northbound

from adloom.campaigns.models import Campaign
from adloom.projects import service as projects


def test_a_jingle_project_offers_a_cached_sample_of_its_voice(rt: Any) -> None:
    client = client_for(rt)
    sign_up(client, "sound@example.com")
    campaign_id = upload_northbound(client)
    with rt.db.session() as session:
        workspace = session.get(Campaign, campaign_id).workspace_id
        project = projects.create_project(session, workspace_id=workspace, campaign_id=campaign_id,
                                          kind="jingle", options={"tone": "calm"})
        project_id = project.id
    first = client.get(f"/dashboard/projects/{project_id}/voice-sample")
    assert first.status_code == 200 and first.headers["content-type"] == "audio/wav"
    assert first.content[:4] == b"RIFF" and len(first.content) > 22050  # over half a second
    cached = list((rt.settings.data_dir / "cache" / "voice-samples").glob("voice-*.wav"))
    assert len(cached) == 1
    again = client.get(f"/dashboard/projects/{project_id}/voice-sample")
    assert again.content == first.content  # Piper varies between reads: this is the cached file


def test_another_workspace_cannot_hear_it(rt: Any) -> None:
    owner, other = client_for(rt), client_for(rt)
    sign_up(owner, "owner@example.com")
    sign_up(other, "other@example.com")
    campaign_id = upload_northbound(owner)
    with rt.db.session() as session:
        workspace = session.get(Campaign, campaign_id).workspace_id
        project_id = projects.create_project(session, workspace_id=workspace, campaign_id=campaign_id,
                                             kind="jingle", options={}).id
    assert other.get(f"/dashboard/projects/{project_id}/voice-sample").status_code == 404

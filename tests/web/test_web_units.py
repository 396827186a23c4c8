"""The dashboard's pure pieces and its HTTP details: form editing, byte ranges, uploads, events."""

from __future__ import annotations

import asyncio
import io
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from helpers_web import client_for, post, shared_file, sign_up, upload_northbound
from PIL import Image
from sqlalchemy import select

from adloom.assets.video.models import VideoScenes
from adloom.errors import InvalidBrief
from adloom.projects.downloads import ByteRange, RangeNotSatisfiable, parse_range
from adloom.projects.models import Asset, Project, Step
from adloom.web.events import EventHub
from adloom.web.forms import apply_fields, bool_fields, fields_for
from adloom.web.intake import parse_uploaded_brief
from adloom.web.uploads import CheckedUpload

SCENES = {
    "kind": "video", "length": 15,
    "scenes": [
        {"index": 0, "duration": 7.5, "on_screen_text": "Tired of bitter coffee?", "voiceover": "Tired?",
         "visual": "Close-up of a mug", "motion": "push_in", "product": "none", "logo": False,
         "transition": "cut", "role": "hook"},
        {"index": 1, "duration": 7.5, "on_screen_text": "Start my trial", "voiceover": "Try it.",
         "visual": "Bottle on a table", "motion": "static", "product": "hero", "logo": True,
         "transition": "crossfade", "role": "cta"},
    ],
}


def test_scene_fields_are_grouped_typed_and_offer_the_literal_choices() -> None:
    groups = dict(fields_for(VideoScenes, SCENES))
    assert list(groups) == ["General", "Scene 1", "Scene 2"]
    by_path = {f.path: f for fields in groups.values() for f in fields}
    assert "scenes.0.index" not in by_path and "kind" not in by_path
    assert by_path["scenes.0.motion"].type == "select"
    assert by_path["scenes.0.motion"].choices == ("push_in", "pull_out", "pan_left", "pan_right", "parallax", "static")
    assert by_path["scenes.1.logo"].type == "bool" and by_path["scenes.0.duration"].type == "number"
    assert by_path["scenes.1.on_screen_text"].label == "On screen text"


def test_posted_fields_are_written_back_with_their_types() -> None:
    groups = fields_for(VideoScenes, SCENES)
    posted = {"f.scenes.0.on_screen_text": "Bitter coffee again?", "f.scenes.0.duration": "6.5",
              "f.scenes.1.duration": "8.5", "f.scenes.0.logo": "true", "f.scenes.9.visual": "ignored",
              "f.nope": "ignored", "csrf_token": "x"}
    value = apply_fields(SCENES, posted, bool_fields(groups))
    assert value["scenes"][0]["on_screen_text"] == "Bitter coffee again?"
    assert value["scenes"][0]["duration"] == 6.5 and value["scenes"][1]["duration"] == 8.5
    assert value["scenes"][0]["logo"] is True and value["scenes"][1]["logo"] is False  # unticked box
    assert "nope" not in value and len(value["scenes"]) == 2
    assert SCENES["scenes"][0]["on_screen_text"] == "Tired of bitter coffee?"  # the input is not mutated
    VideoScenes.model_validate(value)


@pytest.mark.parametrize(("header", "expected"), [
    (None, None), ("bytes=0-99", ByteRange(0, 99)), ("bytes=100-", ByteRange(100, 999)),
    ("bytes=-10", ByteRange(990, 999)), ("bytes=900-5000", ByteRange(900, 999)), ("bytes=0-1,5-6", None),
    ("items=0-5", None),
])
def test_byte_ranges(header: str | None, expected: ByteRange | None) -> None:
    assert parse_range(header, 1000) == expected


def test_unsatisfiable_range() -> None:
    with pytest.raises(RangeNotSatisfiable):
        parse_range("bytes=1000-", 1000)


def _png(size: tuple[int, int] = (8, 6)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def _upload(name: str, data: bytes, media: str) -> CheckedUpload:
    import hashlib

    return CheckedUpload(filename=name, media_type=media, suffix="." + name.rsplit(".", 1)[-1], size=len(data),
                         checksum=hashlib.sha256(data).hexdigest(), data=data)


def test_an_uploaded_brief_must_come_with_the_photos_it_names(tmp_path: Any) -> None:
    brief = shared_file("briefs", "northbound-coldbrew.yaml").read_bytes()
    with pytest.raises(InvalidBrief) as caught:
        parse_uploaded_brief(_upload("northbound.yaml", brief, "application/yaml"),
                             [_upload("coffee.png", _png(), "image/png")], tmp_path)
    assert [loc for loc, _ in caught.value.problems] == ["brand.logo"]
    assert "add logo.png to the upload" in caught.value.problems[0][1]
    parsed = parse_uploaded_brief(_upload("northbound.yaml", brief, "application/yaml"),
                                  [_upload("coffee.png", _png(), "image/png"), _upload("logo.png", _png(), "image/png")],
                                  tmp_path / "again")
    assert [p.name for p in parsed.photos] == ["coffee.png"] and parsed.logo is not None


@pytest.fixture(scope="module")
def owner(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Any, str]]:
    from factories import make_settings

    from adloom.pipeline.runtime import Runtime

    runtime = Runtime(make_settings(tmp_path_factory.mktemp("units"), max_upload_mb=1), migrate=True)
    client = client_for(runtime)
    sign_up(client, "una@example.com")
    yield runtime, client, upload_northbound(client)
    runtime.close()


def test_bad_uploads_are_refused_in_place_and_nothing_is_stored(owner: tuple[Any, Any, str]) -> None:
    rt, client, _campaign = owner
    files_before = sorted(p.name for p in (rt.settings.data_dir / "files").rglob("*") if p.is_file())
    brief = shared_file("briefs", "northbound-coldbrew.yaml")
    cases = [
        [("brief", ("brief.yaml", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "application/x-yaml"))],
        [("brief", (brief.name, brief.read_bytes(), "text/yaml")), ("images", ("coffee.png", b"GIF89a....", "image/png")),
         ("images", ("logo.png", _png(), "image/png"))],
        [("brief", (brief.name, brief.read_bytes(), "text/yaml")),
         ("images", ("coffee.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * (1024 * 1024 + 10), "image/png"))],
        [("brief", ("notes.txt", b"name: x", "text/plain"))],
    ]
    for files in cases:
        response = post(client, "/dashboard/campaigns/upload", page="/dashboard/campaigns/new", files=files)
        assert response.status_code in (413, 422), response.status_code
        assert 'class="error-box"' in response.text and "New campaign" in response.text
    files_after = sorted(p.name for p in (rt.settings.data_dir / "files").rglob("*") if p.is_file())
    assert files_after == files_before


def test_downloads_stream_with_ranges_and_zips_hold_every_file(owner: tuple[Any, Any, str]) -> None:
    import zipfile

    rt, client, campaign = owner
    assert post(client, f"/dashboard/campaigns/{campaign}/projects", {"kind": "flyer", "autopilot": "1", "confirmed": "1"}).status_code == 303
    with rt.db.session() as session:
        project = session.scalars(select(Project).where(Project.campaign_id == campaign, Project.kind == "flyer")).one()
        asset = session.scalars(select(Asset).where(Asset.project_id == project.id, Asset.role == "final")).one()
        body = b"".join(rt.storage.open_stream(asset.storage_key))
    whole = client.get(f"/dashboard/assets/{asset.id}/download")
    assert whole.status_code == 200 and whole.content == body
    assert whole.headers["accept-ranges"] == "bytes" and "attachment" in whole.headers["content-disposition"]
    part = client.get(f"/dashboard/assets/{asset.id}/download?inline=1", headers={"Range": "bytes=2-9"})
    assert part.status_code == 206 and part.content == body[2:10]
    assert part.headers["content-range"] == f"bytes 2-9/{len(body)}" and "inline" in part.headers["content-disposition"]
    assert client.get(f"/dashboard/assets/{asset.id}/download", headers={"Range": f"bytes={len(body)}-"}).status_code == 416
    archive = client.get(f"/dashboard/projects/{project.id}/download.zip")
    assert archive.status_code == 200
    with zipfile.ZipFile(io.BytesIO(archive.content)) as zipped:
        names = zipped.namelist()
        assert len(names) == 3 and any(n.startswith("final/") for n in names)  # generate, render, stitch


def test_my_videos_polls_only_while_something_is_active(owner: tuple[Any, Any, str]) -> None:
    rt, client, campaign = owner
    page = client.get("/dashboard/videos/list").text
    assert 'data-polling="off"' in page and "every 8s" not in page
    with rt.db.session() as session:
        project = session.scalars(select(Project).where(Project.campaign_id == campaign)).first()
        project.status, project.progress = "rendering", 0.5
    page = client.get("/dashboard/videos/list").text
    assert 'data-polling="on"' in page and 'hx-trigger="every 8s, adloom:status from:body"' in page
    assert "Processing" in page and 'aria-valuenow="75"' in page  # stage 5 of 6, half done
    with rt.db.session() as session:
        session.get(Project, project.id).status = "completed"


def test_event_hub_delivers_status_from_worker_threads() -> None:
    async def scenario() -> tuple[str, str]:
        hub = EventHub()
        subscriber = hub.subscribe()
        threading.Thread(target=hub.publish, args=("p1", "completed")).start()
        item = await asyncio.wait_for(subscriber[1].get(), 5)
        hub.unsubscribe(subscriber)
        hub.publish("p2", "failed")  # nobody listens any more: no error
        return item

    assert asyncio.run(scenario()) == ("p1", "completed")


def test_provenance_lines_name_models_voices_and_licences() -> None:
    from adloom.projects.views import provenance_lines

    meta = {"voice": {"name": "joe", "license": "CC0", "sample_rate": 22050}, "font": "Manrope",
            "font_licence": "OFL-1.1", "qr_box_px": [1, 2, 3, 4], "hash": "abc"}
    assert provenance_lines(meta) == ["voice · name: joe", "voice · license: CC0", "font: Manrope",
                                      "font licence: OFL-1.1"]


def test_an_invalid_scene_edit_is_refused_in_place_and_saves_nothing(owner: tuple[Any, Any, str]) -> None:
    rt, client, campaign = owner
    created = post(client, f"/dashboard/campaigns/{campaign}/projects", {"kind": "video", "length": "15"})
    project_id = created.headers["location"].split("/")[3]
    studio = f"/dashboard/projects/{project_id}/studio"
    assert post(client, f"/dashboard/projects/{project_id}/ideas", {"chosen": "0"}, page=studio).status_code == 303
    assert post(client, f"/dashboard/projects/{project_id}/edit/script", {"then": "continue"},
                page=studio).status_code == 303
    with rt.db.session() as session:
        assert session.get(Project, project_id).status == "scenes_ready"
        attempts = session.scalars(select(Step.id).where(Step.project_id == project_id)).all()
    too_long = "one two three four five six seven eight nine"
    response = post(client, f"/dashboard/projects/{project_id}/edit/scenes", {"f.scenes.0.on_screen_text": too_long},
                    page=studio, headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert 'class="error-box"' in response.text and "the limit is 7" in response.text
    page = client.get(studio).text
    assert too_long not in page and "Edit the scenes" in page
    with rt.db.session() as session:
        assert session.scalars(select(Step.id).where(Step.project_id == project_id)).all() == attempts

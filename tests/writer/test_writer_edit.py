"""Editing ideas, scripts and scenes: merge, re-validate, plain-words errors, timing kept whole."""

from __future__ import annotations

import pytest
from writer_briefs import request_from_brief

from adloom.assets import registry
from adloom.assets.banner.models import BannerScript
from adloom.assets.flyer.models import FlyerScript
from adloom.assets.jingle.models import JingleScript
from adloom.assets.video.models import VideoScenes, VideoScript
from adloom.errors import InvalidEdit
from adloom.writer.edit import apply_edit
from adloom.writer.local import LocalWriter
from adloom.writer.schemas import IdeaSet

VIDEO = registry.get("video").copy


def video(length: int = 30) -> tuple[VideoScript, VideoScenes]:
    writer = LocalWriter()
    req = request_from_brief("northbound-coldbrew", "video", options={"length": length})
    idea = writer.ideas(req, seed=1).value.ideas[0]
    script = writer.script(req, idea, seed=1).value
    scenes = writer.scenes(req, script, seed=1).value
    assert isinstance(script, VideoScript) and isinstance(scenes, VideoScenes)
    return script, scenes


def test_editing_on_screen_text_keeps_everything_else():
    _, scenes = video()
    data = scenes.model_dump(mode="json")
    edited = apply_edit(
        VideoScenes, data, {"scenes": {"1": {"on_screen_text": "Bitter coffee again?"}}}, VIDEO
    )
    assert edited.scenes[1].on_screen_text == "Bitter coffee again?"
    assert edited.scenes[0] == scenes.scenes[0] and edited.scenes[2:] == scenes.scenes[2:]


def test_too_many_words_on_screen_is_explained_per_scene():
    _, scenes = video()
    patch = {"scenes": {"2": {"on_screen_text": "one two three four five six seven eight nine"}}}
    with pytest.raises(InvalidEdit) as caught:
        apply_edit(VideoScenes, scenes.model_dump(mode="json"), patch, VIDEO)
    assert "scene 3: on-screen text has 9 words; the limit is 7" in caught.value.message


def test_empty_cta_and_long_headline_are_listed_together():
    writer = LocalWriter()
    req = request_from_brief("launchpad-webinar", "banner")
    script = writer.script(req, writer.ideas(req, seed=1).value.ideas[0], seed=1).value
    assert isinstance(script, BannerScript)
    patch = {"variants": {"0": {"cta": "  ", "headline": "x" * 45}}}
    with pytest.raises(InvalidEdit) as caught:
        apply_edit(BannerScript, script.model_dump(mode="json"), patch)
    message = caught.value.message
    assert "variant 1: CTA must not be empty" in message
    assert "variant 1: headline has 45 characters; the limit is 40" in message
    assert len(caught.value.fields["problems"]) == 2


def test_changing_a_scene_duration_rebalances_the_others_to_the_length():
    _, scenes = video(30)
    edited = apply_edit(
        VideoScenes, scenes.model_dump(mode="json"), {"scenes": {"0": {"duration": 6}}}, VIDEO
    )
    assert isinstance(edited, VideoScenes)
    assert edited.scenes[0].duration == 6
    assert sum(s.duration for s in edited.scenes) == pytest.approx(30, abs=0.01)
    untouched_before = [s.duration for s in scenes.scenes[1:]]
    untouched_after = [s.duration for s in edited.scenes[1:]]
    assert untouched_after != untouched_before and all(d > 0.5 for d in untouched_after)


def test_a_duration_that_leaves_no_room_is_refused():
    _, scenes = video(15)
    with pytest.raises(InvalidEdit, match="leaves too little"):
        apply_edit(
            VideoScenes, scenes.model_dump(mode="json"), {"scenes": {"0": {"duration": 14.5}}}, VIDEO
        )


def test_replacing_the_scene_list_must_add_up():
    _, scenes = video(30)
    data = scenes.model_dump(mode="json")
    short = data["scenes"][:-1]
    with pytest.raises(InvalidEdit, match="add up to"):
        apply_edit(VideoScenes, data, {"scenes": short}, VIDEO)


def test_flyer_body_jingle_tagline_and_idea_edits():
    writer = LocalWriter()
    req = request_from_brief("northbound-coldbrew", "flyer")
    flyer = writer.script(req, writer.ideas(req, seed=1).value.ideas[0], seed=1).value
    with pytest.raises(
        InvalidEdit, match="body point 2: body point has 95 characters; the limit is 90"
    ):
        apply_edit(FlyerScript, flyer.model_dump(mode="json"), {"body": {"1": "y" * 95}})
    jreq = request_from_brief("northbound-coldbrew", "jingle")
    jingle = writer.script(jreq, writer.ideas(jreq, seed=1).value.ideas[0], seed=1).value
    with pytest.raises(InvalidEdit, match="Tagline has 12 words; the limit is 10"):
        apply_edit(JingleScript, jingle.model_dump(mode="json"), {"tagline": " ".join(["la"] * 12)})
    ideas = writer.ideas(req, seed=1).value
    patch = {"ideas": {"2": {"hook": "Cold brew, <b>ready</b> {{now}}."}}}
    edited = apply_edit(IdeaSet, ideas.model_dump(mode="json"), patch)
    assert isinstance(edited, IdeaSet)
    assert edited.ideas[2].hook == "Cold brew, ready."
    assert edited.ideas[:2] == ideas.ideas[:2] and edited.chosen == ideas.chosen

"""Issue 3 'Done when': every awareness stage x every kind, for both shared briefs."""

from __future__ import annotations

import itertools
import re

import pytest
from pydantic import BaseModel
from writer_briefs import KINDS, STAGES, request_from_brief

from adloom.assets.banner.models import BannerScript
from adloom.assets.flyer.models import FlyerScript
from adloom.assets.jingle.models import JingleScript
from adloom.assets.video.models import VideoScenes, VideoScript
from adloom.writer.compose import overlap
from adloom.writer.context import build_context
from adloom.writer.local import LocalWriter
from adloom.writer.readability import fk_grade
from adloom.writer.text import sentences, tokens, words

BRIEFS = ("northbound-coldbrew", "launchpad-webinar")


@pytest.fixture()
def writer() -> LocalWriter:
    return LocalWriter()


# What a marketer would accept as the CTA for each brief's goal (written here, not imported).
GOAL_CTAS = {
    "northbound-coldbrew": re.compile(r"trial|free bottle", re.IGNORECASE),  # trial subscription
    "launchpad-webinar": re.compile(r"^(Save my seat|Register free|Reserve my spot)$"),  # sign-ups
}
MARKERS = re.compile(r"[{}<>\[\]]|lorem|ipsum|TODO|TBD|\bNone\b|\bnull\b|%s|__", re.IGNORECASE)


def copy_text(script: BaseModel, scenes: BaseModel | None = None) -> str:
    """Every word a reader or listener meets, as one text."""
    if isinstance(script, VideoScript):
        parts = [f"{b.voiceover} {b.on_screen_text}." for b in script.beats] + [script.cta]
    elif isinstance(script, BannerScript):
        parts = [f"{v.headline}. {v.subhead} {v.short_headline}. {v.cta}." for v in script.variants]
    elif isinstance(script, FlyerScript):
        parts = [script.headline, script.subhead, *script.body, script.offer or "", script.cta]
    else:
        assert isinstance(script, JingleScript)
        parts = [script.tagline, *script.lyrics]
    return " ".join(parts)


def units(script: BaseModel) -> list[str]:
    """Texts read as one piece, where a repeated sentence would be a flaw."""
    if isinstance(script, VideoScript):
        return [script.voiceover_text]
    if isinstance(script, BannerScript):
        return [f"{v.headline}. {v.subhead}" for v in script.variants]
    if isinstance(script, FlyerScript):
        return [" ".join([script.headline + ".", script.subhead, *script.body])]
    assert isinstance(script, JingleScript)
    return [" ".join([*script.lyrics, script.tagline])]


def ctas(script: BaseModel) -> list[str]:
    if isinstance(script, BannerScript):
        return [v.cta for v in script.variants]
    if isinstance(script, VideoScript | FlyerScript):
        return [script.cta]
    return []


def run(writer: LocalWriter, brief: str, stage: str, kind: str, seed: int = 1, **options: object):
    req = request_from_brief(brief, kind, awareness_stage=stage, options=options)
    ideas = writer.ideas(req, seed=seed).value
    script = writer.script(req, ideas.ideas[ideas.chosen], seed=seed).value
    scenes = writer.scenes(req, script, seed=seed).value
    return req, ideas, script, scenes


@pytest.mark.parametrize("brief", BRIEFS)
@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_copy_names_product_and_promise_and_reads_clean(writer, brief, stage, kind):
    req, ideas, script, _scenes = run(writer, brief, stage, kind)
    text = copy_text(script)
    ctx = build_context(req)
    assert req.product_name.lower() in text.lower()
    present = set(tokens(text))
    assert ctx.key_terms and all(term in present for term in ctx.key_terms), (ctx.key_terms, text)
    assert not MARKERS.search(text), text
    for unit in units(script):
        seen = [" ".join(tokens(s)) for s in sentences(unit)]
        assert len(seen) == len(set(seen)), f"a sentence is repeated: {unit}"
    for cta in ctas(script):
        assert GOAL_CTAS[brief].search(cta), cta
    assert fk_grade(text) <= 8.0
    for idea in ideas.ideas:
        # Every text of the idea, nested concept fields included (not the JSON's own braces).
        dumped = idea.model_dump()
        texts = [v for v in dumped.values() if isinstance(v, str)]
        texts += list((dumped.get("concept") or {}).values())
        assert not any(MARKERS.search(t) for t in texts), idea


@pytest.mark.parametrize("brief", BRIEFS)
@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("length", [15, 30, 60])
def test_video_fits_length_pace_and_scene_rules(writer, brief, stage, length):
    _, _, script, scenes = run(writer, brief, stage, "video", length=length)
    assert isinstance(script, VideoScript) and isinstance(scenes, VideoScenes)
    count = len(words(script.voiceover_text))
    assert 2.3 * length <= count <= 2.8 * length, (count, script.voiceover_text)
    assert fk_grade(script.voiceover_text) <= 8.0
    assert script.beats[0].start == 0 and script.beats[-1].end == pytest.approx(length)
    low, high = {15: (3, 5), 30: (4, 8), 60: (7, 12)}[length]
    assert low <= len(scenes.scenes) <= high
    assert sum(s.duration for s in scenes.scenes) == pytest.approx(length, abs=0.01)
    assert all(
        len(s.on_screen_text.split()) <= 7 and s.voiceover and s.visual for s in scenes.scenes
    )
    assert scenes.scenes[0].role == "hook" and scenes.scenes[-1].role == "cta"
    assert scenes.scenes[-1].logo and scenes.scenes[-1].product == "hero"
    assert sum(1 for s in scenes.scenes if s.product != "none") >= 2


@pytest.mark.parametrize("brief", BRIEFS)
@pytest.mark.parametrize("stage", STAGES)
def test_banner_and_flyer_limits(writer, brief, stage):
    _, _, banner, layouts = run(
        writer, brief, stage, "banner", sizes=["300x250", "728x90", "160x600", "320x50"]
    )
    assert len(banner.variants) >= 3
    for v in banner.variants:
        assert len(v.headline) <= 40 and len(v.cta) <= 18 and len(v.short_headline) <= 20
        assert len(v.subhead) <= 90
        assert req_name(brief).lower() in f"{v.headline} {v.subhead} {v.short_headline}".lower()
    assert len({v.headline for v in banner.variants}) == len(banner.variants)
    assert [layout.size_class for layout in layouts.layouts] == [
        "rectangle",
        "leaderboard",
        "skyscraper",
        "mobile_strip",
    ]
    _, _, flyer, flayouts = run(writer, brief, stage, "flyer", formats=["A4", "1080x1920"])
    assert 3 <= len(flyer.body) <= 5 and flyer.url and flyer.url.startswith("https://")
    assert all(len(point) <= 90 and point.endswith((".", "?", "!")) for point in flyer.body)
    assert (flyer.event is not None) == (brief == "launchpad-webinar")
    assert flyer.offer
    assert [layout.format for layout in flayouts.layouts] == ["A4", "1080x1920"]
    assert {layout.family for layout in flayouts.layouts} == {
        "event" if brief == "launchpad-webinar" else "offer"
    }


def req_name(brief: str) -> str:
    return request_from_brief(brief).product_name


@pytest.mark.parametrize("brief", BRIEFS)
def test_jingle_tagline_and_arrangement(writer, brief):
    _, _, script, scenes = run(writer, brief, "problem_aware", "jingle")
    assert isinstance(script, JingleScript)
    assert len(script.tagline.split()) <= 10
    expected_tag = {
        "northbound-coldbrew": "Slow coffee for fast mornings",
        "launchpad-webinar": "Plan it. Pitch it. Launch it",
    }
    assert expected_tag[brief] in script.tagline
    assert [s.name for s in scenes.sections] == list(script.plan.structure)
    vocal = {s.name for s in scenes.sections if s.vocal}
    assert vocal and vocal <= {"chorus", "tag"}


# Hooks for different stages must not read as the same line. Jaccard overlap of content words
# below 0.4: the only words two stages may share are the campaign's own names (product,
# audience), which the brief puts in every hook; a shared framing ("Still ...?", "Picture ...")
# would push a pair well above 0.5. Measured maximum over these seeds: 0.38.
HOOK_OVERLAP_MAX = 0.4


@pytest.mark.parametrize("brief", BRIEFS)
@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_hooks_differ_between_stages(writer, brief, seed):
    hooks = {}
    for stage in STAGES:
        req = request_from_brief(brief, awareness_stage=stage)
        hooks[stage] = [idea.hook for idea in writer.ideas(req, seed=seed).value.ideas]
    for a, b in itertools.combinations(STAGES, 2):
        for ha, hb in itertools.product(hooks[a], hooks[b]):
            assert overlap(ha, hb) < HOOK_OVERLAP_MAX, (a, b, ha, hb)


@pytest.mark.parametrize("brief", BRIEFS)
def test_three_distinct_ideas_reproducible_rerolls(writer, brief):
    req = request_from_brief(brief)
    first = writer.ideas(req, seed=5).value
    again = writer.ideas(req, seed=5).value
    reroll = writer.ideas(req, seed=6).value
    assert first == again
    assert len({i.hook for i in first.ideas}) == 3 and len({i.title for i in first.ideas}) == 3
    assert [i.hook for i in reroll.ideas] != [i.hook for i in first.ideas]
    for a, b in itertools.combinations(first.ideas, 2):
        assert overlap(a.hook, b.hook) < 0.6


def test_changing_a_pillar_changes_the_next_copy_and_not_the_last(writer):
    before_req = request_from_brief("northbound-coldbrew")
    idea = writer.ideas(before_req, seed=2).value.ideas[0]
    before = writer.script(before_req, idea, seed=2).value
    after_req = request_from_brief(
        "northbound-coldbrew",
        messaging="Barista-grade nitro cold brew in a can: no queue, no cup, no compromise.",
    )
    after = writer.script(after_req, idea, seed=2).value
    assert "barista-grade" in after.voiceover_text.lower()
    assert "café-quality" not in after.voiceover_text.lower()
    # Regenerating the earlier project from its snapshot gives back exactly its copy.
    assert writer.script(before_req, idea, seed=2).value == before
    assert "café-quality" in before.voiceover_text.lower()


def test_same_seed_same_output_different_seed_may_differ(writer):
    req = request_from_brief("launchpad-webinar", "video", options={"length": 30})
    idea = writer.ideas(req, seed=1).value.ideas[0]
    a = writer.script(req, idea, seed=9).value
    b = writer.script(req, idea, seed=9).value
    assert a == b


def test_provenance_records_inputs_and_playbooks(writer):
    req = request_from_brief("northbound-coldbrew")
    result = writer.ideas(req, seed=1)
    assert result.provider == "local" and result.model == "playbooks-v1"
    assert '"playbooks"' in result.prompt and "Northbound Cold Brew" in result.prompt
    assert '"seed": 1' in result.prompt and "problem_aware" in result.prompt


def test_regenerating_one_scene_keeps_the_others(writer):
    req, _, script, scenes = run(writer, "northbound-coldbrew", "problem_aware", "video", length=30)
    new = writer.regenerate_scene(req, script, scenes, 2, seed=4).value
    assert isinstance(new, VideoScenes)
    for i, (old, fresh) in enumerate(zip(scenes.scenes, new.scenes, strict=True)):
        if i == 2:
            assert (
                fresh != old and fresh.duration == old.duration and fresh.voiceover == old.voiceover
            )
        else:
            assert fresh == old
    for kind, field in (("banner", "layouts"), ("flyer", "layouts"), ("jingle", "sections")):
        req, _, script, scenes = run(writer, "launchpad-webinar", "problem_aware", kind)
        new = writer.regenerate_scene(req, script, scenes, 0, seed=3).value
        old_items, new_items = getattr(scenes, field), getattr(new, field)
        assert new_items[0] != old_items[0] and new_items[1:] == old_items[1:]


def test_strategy_draft_uses_the_product(writer):
    req = request_from_brief("northbound-coldbrew", audience="", messaging="", goals="")
    draft = writer.draft_strategy(req).value
    assert "small-batch cold brew coffee" in draft.messaging.lower()
    assert "steeped for 18 hours" in draft.messaging.lower()
    assert "subscription" in draft.goals.lower()
    assert "Instagram" in draft.audience
    lp = writer.draft_strategy(request_from_brief("launchpad-webinar")).value
    assert "registration" in lp.goals.lower() and "founders" in lp.audience.lower()


STYLES = (
    "direct_response",
    "ugc",
    "cinematic",
    "storytelling",
    "testimonial",
    "problem_solution",
    "before_after",
    "listicle",
    "demo",
    "luxury_minimal",
)


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("brief", BRIEFS)
def test_every_creative_style_keeps_pace_grade_and_no_repeats(writer, brief, style):
    for stage, length in (("problem_aware", 15), ("solution_aware", 30), ("product_aware", 60)):
        req = request_from_brief(
            brief, "video", creative_style=style, awareness_stage=stage, options={"length": length}
        )
        ideas = writer.ideas(req, seed=2).value
        assert len({i.narrative for i in ideas.ideas}) == 3  # each angle tells its own story
        script = writer.script(req, ideas.ideas[0], seed=2).value
        text = script.voiceover_text
        assert 2.3 * length <= len(words(text)) <= 2.8 * length, (style, stage, text)
        assert fk_grade(text) <= 8.0
        keys = [" ".join(tokens(s)) for s in sentences(text)]
        assert len(keys) == len(set(keys)), text
        assert req.product_name in text


def test_styles_change_the_copy(writer):
    texts = set()
    for style in ("listicle", "before_after", "problem_solution", "ugc"):
        req = request_from_brief(
            "northbound-coldbrew", "video", creative_style=style, options={"length": 30}
        )
        texts.add(
            writer.script(
                req, writer.ideas(req, seed=1).value.ideas[0], seed=1
            ).value.voiceover_text
        )
    assert len(texts) == 4


def test_static_kinds_get_layout_visuals_not_footage(writer):
    # Each idea's visuals open on its angle's treatment, then say what the kind is made of.
    for kind, layout in (
        ("banner", "treatment on every size"),
        ("flyer", "poster"),
        ("video", "in frame from the reveal on"),
    ):
        req = request_from_brief("northbound-coldbrew", kind)
        for idea in writer.ideas(req, seed=1).value.ideas:
            assert idea.treatment and idea.visuals.startswith(idea.treatment), idea.visuals
            assert layout in idea.visuals, idea.visuals

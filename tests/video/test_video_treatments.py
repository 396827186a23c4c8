"""Treatments: brands do not share one template, and one project's concepts look different."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np
import pytest
from videogens import make_video_ctx

from adloom.assets.base import JobContext
from adloom.assets.video.clips import ClipJob, render_still
from adloom.assets.video.generator import _look_spec
from adloom.assets.video.models import read_scenes, read_script
from adloom.assets.video.plan import build_plan
from adloom.assets.video.treatments import TREATMENTS, choose_treatment, family_for

# mean absolute difference (0-255, over R, G and B) of 27x48 thumbnails. Calibrated on contact sheets of
# the sample ad (2026-12-07): the same brand rendered twice is 0; the hook of one brand under
# two treatments 7-186 (two dark ones that differ by layout only: 7-21); two brands (navy and
# orange, warm tone vs. magenta and teal, bold tone) 39-135 at 1.5, 6 and 13 s.
DISTINCT = 25.0


def _thumb(frame: np.ndarray) -> np.ndarray:
    return cv2.resize(frame, (27, 48), interpolation=cv2.INTER_AREA).astype(float)


def _frames(ctx: JobContext, times: tuple[float, ...] = (1.5, 6.0, 13.0)) -> list[np.ndarray]:
    plan = build_plan(read_script(ctx.script), read_scenes(ctx.scenes), {"scale": 0.15})
    look = _look_spec(ctx, None)
    out = []
    for t in times:
        scene = next(s for s in plan.scenes if s.start <= t < s.start + s.duration)
        job = ClipJob(scene, plan.formats[0], look, (), Path("/unused"))
        out.append(_thumb(render_still(job, round((t - scene.start) * 30))))
    return out


def _bold_brand(ctx: JobContext) -> JobContext:
    colors = {"primary": "#C2185B", "secondary": "#1A1A2E", "accent": "#00BFA6",
              "background": "#FFF8F0", "text": "#1A1A2E"}
    return replace(ctx, brand=replace(ctx.brand, name="Zing Energy", colors=colors,
                                      tone="bold, energetic, playful"))


def test_two_brands_frames_differ_at_the_same_moment(tmp_path: Path) -> None:
    calm = make_video_ctx(tmp_path)
    bold = _bold_brand(calm)
    assert _look_spec(calm, None).treatment != _look_spec(bold, None).treatment
    distances = [np.abs(a - b).mean() for a, b in zip(_frames(calm), _frames(bold), strict=True)]
    assert min(distances) > DISTINCT


def test_there_are_six_treatments_and_each_looks_different(tmp_path: Path) -> None:
    assert len(TREATMENTS) >= 6
    ctx = make_video_ctx(tmp_path)
    looks = {name: _frames(replace(ctx, options={**ctx.options, "treatment": name}), (1.5,))[0]
             for name in TREATMENTS}
    names = list(looks)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            assert np.abs(looks[a] - looks[b]).mean() > 5.0, (a, b)


def test_a_named_treatment_wins_and_concepts_spread_over_the_family() -> None:
    assert choose_treatment(requested="poster", tone="calm", brand_key="x",
                            concept_key="y") == "poster"
    family = family_for("warm, unhurried", "Northbound")
    hooks = [f"hook line {i}" for i in range(12)]
    chosen = {choose_treatment(requested=None, tone="warm", brand_key="Northbound",
                               concept_key=h) for h in hooks}
    assert chosen == set(family)


def test_brands_of_one_tone_family_do_not_share_the_first_ideas_treatment() -> None:
    """The idea's slot picks within the family, turned by the brand's name: over a dozen
    elegant brands the first idea takes every treatment of the family, and each brand's three
    ideas still take three different ones."""
    names = ["Maison Vert", "Fernweh Home", "Atelier Nord", "Lune & Lin", "Casa Oro",
             "Velours", "Hollis", "Sable Row", "Odette", "Marlow", "Ivy Lane", "Aurel"]
    first = set()
    for name in names:
        picks = [choose_treatment(requested=None, tone="refined", brand_key=name + "#colours",
                                  concept_key="hook", slot=slot, brand_name=name)
                 for slot in range(3)]
        assert sorted(picks) == sorted(family_for("refined", name))
        first.add(picks[0])
        # the name, not the colours, turns the family: a colour edit keeps the treatment
        assert picks[0] == choose_treatment(requested=None, tone="refined", brand_key=name + "x",
                                            concept_key="hook", slot=0, brand_name=name)
    assert first == set(family_for("refined", "any"))


@pytest.mark.parametrize("tone", ["bold and loud", "elegant", "warm", "professional", ""])
def test_every_tone_has_a_family_of_three_distinct_treatments(tone: str) -> None:
    family = family_for(tone, "brand")
    assert len(set(family)) == 3 and set(family) <= set(TREATMENTS)


@pytest.mark.parametrize("name", sorted(TREATMENTS))
def test_partial_redraw_matches_full_frames_in_every_treatment(name: str) -> None:
    """Backdrops, caption styles, shots and the end card's lines change what is redrawn:
    every frame drawn by regions must still equal a full redraw."""
    from factories import fixture_path

    from adloom.assets.video.clips import FrameCanvas, painter_for
    from adloom.assets.video.look import LookSpec
    from adloom.assets.video.sample import CTA, NORTHBOUND_COLORS, sample_scenes, sample_script
    from adloom.providers.tts import WordTiming

    plan = build_plan(read_script(sample_script(30)), read_scenes(sample_scenes(30)),
                      {"scale": 0.1})
    look = LookSpec(tuple(sorted(NORTHBOUND_COLORS.items())), "Manrope", "Lato", "Northbound",
                    CTA, fixture_path("coffee.png"), None, fixture_path("logo.png"),
                    offer="First bottle free", url="northbound.example", treatment=name)
    fmt = plan.formats[0]
    for scene in plan.scenes:
        words = tuple(WordTiming(w, 0.3 + i * 0.35, 0.6 + i * 0.35)
                      for i, w in enumerate(scene.voiceover.split()))
        painter = painter_for(ClipJob(scene, fmt, look, words, Path("/unused")))
        partial, full = FrameCanvas(fmt.width, fmt.height), FrameCanvas(fmt.width, fmt.height)
        for k in range(scene.frame_count):
            changed = painter.draw_changes(partial.canvas, k, partial.pixels)
            got = np.frombuffer(partial.yuv420(changed), np.uint8).astype(int)
            painter.draw(full.canvas, k)
            want = np.frombuffer(full.yuv420(), np.uint8).astype(int)
            assert np.abs(got - want).max() <= 6, (scene.index, k)

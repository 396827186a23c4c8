"""The shot vocabulary: number counters, icons from the bundled set, split screens, and the
writer's plan of which scene gets which."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from factories import fixture_path

from adloom.assets.video.clips import ClipJob, painter_for, render_still
from adloom.assets.video.look import LookSpec
from adloom.assets.video.models import read_scenes, read_script
from adloom.assets.video.plan import build_plan
from adloom.assets.video.sample import CTA, NORTHBOUND_COLORS, sample_scenes, sample_script
from adloom.render.icons import KEYWORDS, choose_icon, icon_names, render_icon
from adloom.render.numbers import attach_units, counting_text, has_number, number_spans


@pytest.mark.parametrize(("word", "halfway", "done"), [
    ("€11,900", "€5,950", "€11,900"),
    ("3.9", "1.9", "3.9"),
    ("80\u00a0%", "40\u00a0%", "80\u00a0%"),
    ("0–100", "0–50", "0–100"),
])
def test_a_number_counts_up_with_its_format_and_unit_kept(word: str, halfway: str,
                                                          done: str) -> None:
    assert counting_text(word, 0.5) == halfway
    assert counting_text(word, 1.0) == done


@pytest.mark.parametrize("text", ["Open 24/7", "Doors at 8:30", "Since 2019", "Book today"])
def test_times_fractions_years_and_wordy_lines_are_not_counted(text: str) -> None:
    assert not has_number(text)


def test_a_unit_and_a_currency_sign_stay_with_their_number() -> None:
    assert attach_units("Charge 80 % in 35 min") == "Charge 80\u00a0% in 35\u00a0min"
    assert attach_units("From € 11,900") == "From €\u00a011,900"
    assert number_spans("11,900")[0].value == 11900


def test_icons_are_chosen_by_meaning_and_exist_in_the_bundled_set() -> None:
    assert {icon for _, icon in KEYWORDS} <= icon_names()
    assert choose_icon("Adopt a rescue dog this weekend") == "paw-print"
    assert choose_icon("Charge in 28 minutes") == "battery-charging"
    assert choose_icon("A new patient check-up", "dental clinic") == "smile"
    assert choose_icon("Quietly wonderful") is None  # no keyword: no random icon
    image = render_icon("clock", 48, "#E4572E")
    pixels = np.asarray(image.toarray())
    assert pixels[..., 3].max() == 255 and 0.03 < (pixels[..., 3] > 0).mean() < 0.5


def _painter(index: int, **scene: object):  # type: ignore[no-untyped-def]
    scenes = sample_scenes(30)
    scenes["scenes"][index].update(scene)
    plan = build_plan(read_script(sample_script(30)), read_scenes(scenes), {"scale": 0.25})
    look = LookSpec(tuple(sorted(NORTHBOUND_COLORS.items())), "Manrope", "Lato", "Northbound",
                    CTA, fixture_path("coffee.png"), None, None,
                    product_name="Northbound Cold Brew")
    job = ClipJob(plan.scenes[index], plan.formats[0], look, (), Path("/unused"))
    return job, painter_for(job)


def test_a_counter_scene_draws_the_number_counting_then_landed() -> None:
    job, painter = _painter(0, on_screen_text="Charge 80 % in 35 min", product="none")
    assert painter.shot == "counter"
    early, late = render_still(job, 6), render_still(job, 45)
    box = painter.layout.headline
    rows, cols = slice(int(box.y), int(box.bottom)), slice(int(box.x), int(box.right))
    assert np.abs(early[rows, cols].astype(int) - late[rows, cols].astype(int)).mean() > 2


def test_an_icon_scene_puts_the_icon_above_the_line_clear_of_the_captions() -> None:
    job, painter = _painter(1, on_screen_text="Late again? Every morning", product="none",
                            shot="icon")
    assert painter.icon == "clock" and painter.icon_box is not None
    assert painter.icon_box.bottom <= painter.layout.headline.y
    assert painter.layout.headline.bottom <= painter.captions_area.y
    frame = render_still(job, 40)
    b = painter.icon_box
    patch = frame[int(b.y):int(b.bottom), int(b.x):int(b.right)].astype(int)
    assert patch.std() > 20  # a disc with a drawn icon, not an empty patch


def test_a_split_scene_shows_the_photo_grey_on_the_left_and_in_colour_on_the_right() -> None:
    _, painter = _painter(2, shot="split", product="inset")
    assert painter.shot == "split" and painter.shot_media == []
    assert painter.media is not None
    card = np.asarray(painter.media.toarray())[..., :3].astype(int)
    h, w = card.shape[:2]
    rows = slice(h // 4, 3 * h // 4)
    left, right = card[rows, w // 8: 3 * w // 8], card[rows, 5 * w // 8: 7 * w // 8]

    def chroma(x: np.ndarray) -> float:
        return float(np.abs(x - x.mean(axis=-1, keepdims=True)).mean())

    assert chroma(left) < 8 < chroma(right)


def test_scenes_written_before_the_shot_field_stay_valid_and_read_as_auto() -> None:
    from adloom.assets.video.models import VideoScenes

    old = VideoScenes.model_validate(sample_scenes(30))
    assert all(s.shot == "auto" and s.icon is None for s in old.scenes)  # old scenes stay valid


def _written_scenes(brief: str):  # type: ignore[no-untyped-def]
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "creative"))
    from creative_corpus import BRIEFS, request_for, run_project

    from adloom.campaigns.brief import parse_brief_file
    from adloom.writer.local import LocalWriter

    parsed = parse_brief_file(BRIEFS / f"{brief}.yaml").brief
    project = run_project(LocalWriter(), request_for(parsed, "video", parsed.awareness_stage.value))
    return project.script, project.scenes


def test_the_writer_splits_a_before_after_ad_where_the_product_arrives() -> None:
    script, scenes = _written_scenes("kestrel-ev-car")  # creative style: before/after
    shots = [s.shot for s in scenes.scenes]
    assert shots.count("split") == 1 and shots[0] != "split" and shots[-1] == "type"
    split = scenes.scenes[shots.index("split")]
    assert split.product != "none" and split.icon is not None  # panels carry the product's icon
    assert script.angle  # the script says which concept angle it tells


@pytest.mark.parametrize("brief", ["whiskerbox", "brightsmile-dental", "sprout-meals"])
def test_the_writer_counts_only_lines_with_numbers_and_never_repeats_an_icon(brief: str) -> None:
    _, scenes = _written_scenes(brief)
    for scene in scenes.scenes:
        if scene.shot == "counter":
            assert has_number(scene.on_screen_text)
        if scene.shot == "icon":
            assert scene.product == "none" and scene.icon in icon_names()
    icons = [s.icon if s.shot == "icon" else None for s in scenes.scenes]
    assert all(a is None or a != b for a, b in itertools.pairwise(icons))

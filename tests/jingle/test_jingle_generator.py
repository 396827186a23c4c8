"""The generator's seam: script validation, option overrides, clear errors (no rendering)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from adloom.assets.base import BrandSpec, JobContext, ProductSpec
from adloom.assets.jingle.generator import JingleGenerator, plan_jingle
from adloom.assets.jingle.vocal import render_vocal
from adloom.errors import RenderError, SoundFontNotFound, ValidationError
from adloom.render.music.compose import compose_jingle, compose_logo
from adloom.render.music.synth import (
    bundled_soundfont,
    default_soundfont,
    resolve_soundfont,
    system_soundfonts,
)
from adloom.writer.music import plan_for_tone


def context(tmp_path: Path, script: dict[str, object], **options: object) -> JobContext:
    return JobContext(
        project_id="p",
        campaign_id="c",
        kind="jingle",
        options=options,
        brand=BrandSpec("Northbound", {}),
        product=ProductSpec("Cold brew", "Coffee"),
        strategy={},
        campaign={},
        script=script,
        scenes={},
        workdir=tmp_path,
        seed=3,
    )


def script(tone: str = "warm", tagline: str = "Slow coffee for fast mornings") -> dict[str, object]:
    return {
        "kind": "jingle",
        "tagline": tagline,
        "plan": plan_for_tone(tone).model_dump(mode="json"),
    }


def test_the_tone_option_rebuilds_the_plan_and_keeps_the_scripts_vocal(tmp_path: Path) -> None:
    base = plan_jingle(context(tmp_path, script("warm")))
    bold = plan_jingle(context(tmp_path, script("warm"), tone="bold, energetic"))
    assert base.jingle.tempo == 96.0 and bold.jingle.tempo == 144.0
    assert bold.plan.mode == "minor" and bold.plan.vocal == base.plan.vocal == "sung"
    spoken = plan_jingle(context(tmp_path, script("warm"), vocal="spoken"))
    assert spoken.plan.vocal == "spoken"
    silent = plan_jingle(context(tmp_path, script("warm"), vocal="none"))
    assert silent.plan.vocal == "none"


def test_an_invalid_script_fails_with_a_clear_error(tmp_path: Path) -> None:
    bad = {"kind": "jingle", "tagline": "", "plan": {}}
    with pytest.raises(ValidationError, match="jingle script is not valid"):
        JingleGenerator().generate(context(tmp_path, bad))


def test_an_unknown_soundfont_is_named_in_the_error_with_the_available_ones(tmp_path: Path) -> None:
    with pytest.raises(SoundFontNotFound, match="no SoundFont named 'nope'") as caught:
        resolve_soundfont("nope", folder=tmp_path)
    assert caught.value.fields["available"] == sorted(["TimGM6mb", *system_soundfonts()])
    assert resolve_soundfont(None) == default_soundfont()
    assert resolve_soundfont("TimGM6mb") == bundled_soundfont()


def test_fluidr3_is_the_default_bank_where_debian_installed_it_and_is_named_fluidr3_gm() -> None:
    fluid = Path("/usr/share/sounds/sf2/FluidR3_GM.sf2")
    if not fluid.is_file():
        assert default_soundfont() == bundled_soundfont()
        return
    assert default_soundfont().path == fluid and default_soundfont().license == "MIT"
    assert resolve_soundfont("FluidR3_GM") == resolve_soundfont("FluidR3_GM.sf2") == default_soundfont()


def test_spoken_mode_places_the_words_on_the_beat() -> None:
    from adloom.providers.tts import synthesize

    plan = plan_for_tone("premium")
    assert plan.vocal == "spoken"
    jingle = compose_jingle(plan, "Made with love", cut_seconds=10.0)
    take = render_vocal(jingle, synthesize("Made with love."), mode="spoken", sample_rate=16000)
    first = jingle.at(jingle.vocal[0].start)
    assert first == pytest.approx(jingle.at(4.0))  # the verse after a bar of intro: early
    rate = 16000
    before = take.samples[: int((first - 0.2) * rate)]
    during = take.samples[int(first * rate) : int((first + 1.0) * rate)]
    assert len(before) and float(np.abs(before).max()) == 0.0
    assert float(np.sqrt(np.mean(during**2))) > 0.01
    for note in jingle.vocal:  # every word starts where its note does
        if jingle.lyric.syllables[note.syllable].index_in_word == 0:
            start = int(jingle.at(note.start) * rate)
            assert float(np.abs(take.samples[start : start + int(0.25 * rate)]).max()) > 0.02


def test_stitch_without_a_render_says_to_retry(tmp_path: Path) -> None:
    with pytest.raises(RenderError, match="rendered music is missing") as caught:
        JingleGenerator().stitch(context(tmp_path, script()))
    assert "Retry" in (caught.value.hint or "")


def test_render_many_matches_rendering_one_by_one_and_maps_child_failures(tmp_path: Path) -> None:
    from adloom.render.music.synth import SoundFont, SynthJob, render_many, render_parts

    logo = compose_logo(plan_for_tone("bold"), "Plan it. Pitch it. Launch it.")
    font = resolve_soundfont(None)
    jobs = [SynthJob(logo, (part,), 1.0) for part in logo.parts[:3]]
    together = dict(render_many(jobs, font))
    assert sorted(together) == [0, 1, 2]
    for index, job in enumerate(jobs):
        alone = render_parts(job.composition, job.parts, font, seconds=1.0)
        assert together[index].shape == (48000, 2)
        assert np.array_equal(together[index], alone)
    broken = tmp_path / "broken.sf2"
    broken.write_bytes(b"RIFF nonsense")
    with pytest.raises(RenderError, match="SoundFont synthesis failed"):
        dict(render_many(jobs, SoundFont(broken, "broken", "none")))

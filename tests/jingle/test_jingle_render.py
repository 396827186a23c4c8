"""Real synthesis (midirenderer + the bundled SoundFont), the real Piper voice and real ffmpeg,
on short lengths: every output's loudness, true peak and duration; the bed's seam; the vocal
where the tagline is placed, and on pitch."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from adloom.assets.base import BrandSpec, JobContext, OutputFile, ProductSpec
from adloom.assets.jingle import JingleGenerator
from adloom.assets.jingle.generator import JingleLengths
from adloom.assets.jingle.vocal import midi_hz, render_vocal, track_pitch
from adloom.render import audio
from adloom.render.music.bed import render_bed
from adloom.render.music.compose import compose_logo
from adloom.render.music.synth import default_soundfont
from adloom.writer.music import plan_for_tone

RATE = 48000
LAUNCHPAD = ("bold, energetic, practical", "Plan it. Pitch it. Launch it.")


def make_context(tmp_path: Path, tone: str, tagline: str, **options: object) -> JobContext:
    plan = plan_for_tone(tone)
    return JobContext(
        project_id="p1",
        campaign_id="c1",
        kind="jingle",
        options=options,
        brand=BrandSpec("Launchpad", {"primary": "#5B2EFF"}, tone=tone, tagline=tagline),
        product=ProductSpec("Launchpad", "Webinar"),
        strategy={},
        campaign={},
        script={"kind": "jingle", "tagline": tagline, "plan": plan.model_dump(mode="json")},
        scenes={},
        workdir=tmp_path,
        seed=0,
    )


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, object], list[OutputFile]]:
    """One short end-to-end run: a 10 s jingle (cut-down 5 s), logo, 5/10 s beds."""
    ctx = make_context(tmp_path_factory.mktemp("jingle"), *LAUNCHPAD)
    generator = JingleGenerator(JingleLengths(cut=5.0, beds=(5, 10)))
    generated = generator.generate(ctx)
    rendered = generator.render(ctx)
    stitched = generator.stitch(ctx)
    files = [*generated.files, *rendered.files, *stitched.files]
    return dict(generated.output), files


def by(files: list[OutputFile], label: str, media_type: str = "audio/wav") -> OutputFile:
    return next(f for f in files if f.label == label and f.media_type == media_type)


def test_every_output_is_present_with_the_right_roles(
    outputs: tuple[dict[str, object], list[OutputFile]],
) -> None:
    _, files = outputs
    labels = {(f.role, f.label, f.media_type) for f in files}
    for role, label in [
        ("final", "jingle-10s"), ("final", "jingle-5s"), ("sonic_logo", "sonic-logo"),
        ("bed", "bed-5s"), ("bed", "bed-10s"),
    ]:  # fmt: skip
        assert (role, label, "audio/wav") in labels
        assert (role, label, "audio/mpeg") in labels
    assert ("midi", "jingle-midi", "audio/midi") in labels
    assert ("waveform", "waveform", "image/png") in labels
    assert {f.label for f in files if f.role == "stem"} == {
        "stem-drums", "stem-bass", "stem-music", "stem-lead", "stem-vocal",
    }  # fmt: skip
    assert all(f.path.exists() and f.path.stat().st_size > 0 for f in files)


def test_loudness_true_peak_and_duration_of_every_audio_file(
    outputs: tuple[dict[str, object], list[OutputFile]],
) -> None:
    _, files = outputs
    expected = {"jingle-10s": 10.0, "jingle-5s": 5.0, "bed-5s": 5.0, "bed-10s": 10.0}
    for file in files:
        if file.media_type not in ("audio/wav", "audio/mpeg"):
            continue
        if file.media_type == "audio/wav":
            samples, sr = audio.read_wav(file.path)
            assert sr == RATE
            if file.label in expected:
                assert len(samples) == round(expected[file.label] * RATE), file.label
            if file.label == "sonic-logo":
                assert 3.0 <= len(samples) / RATE <= 5.0
        else:
            samples = audio.decode_audio(file.path, RATE, 2)
        loudness = audio.measure_loudness(samples, RATE)
        peak = audio.true_peak_db(samples, RATE)
        assert loudness == pytest.approx(-14.0, abs=0.5), (file.label, file.media_type, loudness)
        assert peak <= -1.0, (file.label, file.media_type, peak)


def test_provenance_names_soundfont_voice_and_licences(
    outputs: tuple[dict[str, object], list[OutputFile]],
) -> None:
    output, files = outputs
    jingle = by(files, "jingle-10s")
    bank = default_soundfont()
    assert jingle.meta["soundfont"] == bank.name and jingle.meta["soundfont_license"] == bank.license
    assert "midirenderer" in jingle.meta["synthesizer"]
    assert (
        jingle.meta["voice"] == "en_US-joe-medium"
        and "lessac" in jingle.meta["voice_fine_tuned_from"]
    )
    assert "voice" not in by(files, "bed-10s").meta  # beds are instrumental
    assert output["tempo"] == 144.0 and output["key"] in ("E minor", "A minor")


def test_vocal_stem_carries_the_tagline_where_it_is_placed(
    outputs: tuple[dict[str, object], list[OutputFile]],
) -> None:
    output, files = outputs
    samples, _ = audio.read_wav(by(files, "stem-vocal").path)
    mono = samples.mean(axis=1)
    phrases = output["vocal"]["phrases"]  # type: ignore[index]
    assert phrases and phrases[0][0] == pytest.approx(1.667, abs=0.3)  # the verse, after 1 bar
    assert any(start == pytest.approx(5.0, abs=0.3) for start, _ in phrases)  # the cut-down's chorus
    inside = np.zeros(len(mono), dtype=bool)
    for start, end in phrases:
        inside[int(start * RATE) : int(end * RATE)] = True
    rms_in = np.sqrt(np.mean(mono[inside] ** 2))
    # before the voice (its first consonant may lead the note by up to half a second)
    rms_out = np.sqrt(np.mean(mono[: int((phrases[0][0] - 0.5) * RATE)] ** 2))
    assert 20 * np.log10(rms_in / max(rms_out, 1e-9)) > 40.0


def test_the_tagline_is_sung_on_the_melody_notes() -> None:
    from adloom.providers.tts import synthesize

    plan = plan_for_tone("warm")
    logo = compose_logo(plan, "Made with love")
    take = render_vocal(logo, synthesize("Made with love."), mode="sung", sample_rate=22050)
    track = track_pitch(take.samples, 22050)
    hits = 0
    for note in logo.vocal:
        start, end = logo.at(note.start), logo.at(note.end)
        frames = track.f0[int(start / 0.005) + 6 : int(end / 0.005) - 4]
        frames = frames[frames > 0]
        if len(frames) < 6:
            continue
        cents = 1200 * np.log2(np.median(frames) / midi_hz(note.pitch))
        hits += abs(cents) < 50
    assert hits >= 2


def test_bed_loops_without_a_click() -> None:
    plan = plan_for_tone("bold")
    bed = render_bed(plan, 6.0)
    assert bed.shape == (6 * RATE, 2) and bed.dtype == np.float32 and bed.sample_rate == RATE
    x = np.asarray(bed, dtype=np.float64)
    assert audio.measure_loudness(x, RATE) == pytest.approx(-14.0, abs=0.5)
    assert audio.true_peak_db(x, RATE) <= -1.0
    steps = np.abs(np.diff(x, axis=0))
    seam_step = np.abs(x[0] - x[-1])
    assert np.all(seam_step <= np.percentile(steps, 99.9, axis=0))  # the seam is an ordinary step
    curvature = np.abs(np.diff(x, 2, axis=0))
    seam_curvature = np.abs((x[0] - x[-1]) - (x[-1] - x[-2]))
    assert np.all(seam_curvature <= np.percentile(curvature, 99.9, axis=0))
    # the tiled bed sounds the same across the seam as inside the loop (no gap, no level jump)
    tiled = np.concatenate([x, x])
    around = tiled[len(x) - RATE // 10 : len(x) + RATE // 10]
    assert audio.rms_db(around) == pytest.approx(audio.rms_db(x), abs=6.0)

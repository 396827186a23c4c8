"""Pure parts of the video generator: ffmpeg argument builders, probing, captions, plan, layout."""

from __future__ import annotations

from pathlib import Path

import pytest

from adloom.assets.video.captions import group_words, to_srt, to_vtt
from adloom.assets.video.encode import (
    EncodeSpec,
    MuxSpec,
    build_aac_args,
    build_encode_args,
    build_mux_args,
    concat_list_text,
    parse_probe,
)
from adloom.assets.video.models import read_scenes, read_script
from adloom.assets.video.painter import scene_layout
from adloom.assets.video.plan import build_plan, make_format
from adloom.assets.video.sample import sample_scenes, sample_script
from adloom.errors import InvalidOption, RenderError
from adloom.providers.tts import WordTiming


def _after(args: list[str], flag: str) -> str:
    return args[args.index(flag) + 1]


def test_encode_args_are_h264_high_yuv420p_30fps_from_stdin() -> None:
    args = build_encode_args(EncodeSpec(108, 192, Path("/tmp/x.mp4")))
    assert _after(args, "-f") == "rawvideo" and _after(args, "-i") == "-"
    assert _after(args, "-s") == "108x192"
    assert _after(args, "-c:v") == "libx264" and _after(args, "-profile:v") == "high"
    assert _after(args, "-preset") == "veryfast"
    assert args[args.index("-pix_fmt", args.index("-i")) + 1] == "yuv420p"
    assert _after(args, "-r") == "30" and _after(args, "-movflags") == "+faststart"
    assert args[-1] == "/tmp/x.mp4"


def test_encode_args_split_a_run_into_clips_at_idr_frames() -> None:
    spec = EncodeSpec(108, 192, Path("/w/part%03d.mp4"), segment_frames=(120, 270))
    args = build_encode_args(spec)
    assert _after(args, "-force_key_frames") == "expr:eq(n,120)+eq(n,270)"
    assert _after(args, "-forced-idr") == "1" and _after(args, "-segment_frames") == "120,270"
    assert args[args.index("-i") + 2:].count("-f") == 1 and _after(args, "-reset_timestamps") == "1"
    assert args[-1] == "/w/part%03d.mp4" and "+faststart" not in args


def test_mux_args_copy_video_and_encode_aac_48k_stereo() -> None:
    args = build_mux_args(MuxSpec(Path("/w/list.txt"), Path("/w/mix.wav"), Path("/w/ad.mp4")))
    assert _after(args, "-f") == "concat" and _after(args, "-c:v") == "copy"
    assert _after(args, "-c:a") == "aac" and _after(args, "-ar") == "48000"
    assert _after(args, "-ac") == "2" and _after(args, "-movflags") == "+faststart"


def test_mux_args_copy_audio_already_encoded_as_aac() -> None:
    args = build_mux_args(MuxSpec(Path("/w/list.txt"), Path("/w/mix-1.m4a"), Path("/w/ad.mp4")))
    assert _after(args, "-c:v") == "copy" and _after(args, "-c:a") == "copy"
    assert "-b:a" not in args and _after(args, "-movflags") == "+faststart"


def test_aac_args_encode_48k_stereo_mp4_audio() -> None:
    args = build_aac_args(Path("/w/mix.wav"), Path("/w/.mix.partial.m4a"))
    assert _after(args, "-i") == "/w/mix.wav" and _after(args, "-c:a") == "aac"
    assert _after(args, "-ar") == "48000" and _after(args, "-ac") == "2"
    assert _after(args, "-f") == "mp4" and args[-1] == "/w/.mix.partial.m4a"


def test_concat_list_quotes_paths(tmp_path: Path) -> None:
    text = concat_list_text([tmp_path / "a'b.mp4"])
    assert text == f"file '{tmp_path}/a'\\''b.mp4'\n"


def test_parse_probe_reads_ffmpeg_banner() -> None:
    text = (
        "  Duration: 00:00:15.02, start: 0.000000, bitrate: 216 kb/s\n"
        "  Stream #0:0[0x1](und): Video: h264 (High) (avc1 / 0x31637661), yuv420p(tv, "
        "smpte170m, progressive), 1080x1920 [SAR 1:1 DAR 9:16], 2 kb/s, 30 fps, 30 tbr\n"
        "  Stream #0:1[0x2](und): Audio: aac (LC) (mp4a / 0x6134706D), 48000 Hz, stereo, fltp\n"
    )
    info = parse_probe(text)
    assert info.duration == pytest.approx(15.02)
    assert (info.video_codec, info.video_profile, info.pix_fmt) == ("h264", "High", "yuv420p")
    assert (info.width, info.height, info.fps) == (1080, 1920, 30.0)
    assert (info.audio_codec, info.audio_rate, info.audio_channels) == ("aac", 48000, "stereo")


def _words(*spans: tuple[str, float, float]) -> list[WordTiming]:
    return [WordTiming(t, a, b) for t, a, b in spans]


def test_caption_groups_break_on_punctuation_pauses_and_length() -> None:
    words = _words(("Meet", 0.0, 0.2), ("Northbound.", 0.25, 0.7), ("Smooth,", 0.9, 1.2),
                   ("low", 1.25, 1.4), ("acid", 1.45, 1.7), ("naturally", 2.5, 2.9),
                   ("sweet.", 2.95, 3.3))
    cues = group_words(words)
    assert [c.text for c in cues] == ["Meet Northbound.", "Smooth,", "low acid", "naturally sweet."]
    assert cues[2].start == 1.25 and cues[2].end == 1.7


def test_srt_and_vtt_timestamps() -> None:
    cues = group_words(_words(("Hello", 61.5, 62.0), ("there.", 62.1, 62.75)))
    assert to_srt(cues) == "1\n00:01:01,500 --> 00:01:02,750\nHello there.\n"
    assert to_vtt(cues) == "WEBVTT\n\n00:01:01.500 --> 00:01:02.750\nHello there.\n"


def test_plan_is_frame_exact_and_transitions_are_paired() -> None:
    plan = build_plan(read_script(sample_script(30)), read_scenes(sample_scenes(30)), {})
    assert plan.total_frames == 900
    assert sum(s.frame_count for s in plan.scenes) == 900
    assert [s.first_frame for s in plan.scenes] == [0, 120, 270, 420, 570, 735]
    for before, after in zip(plan.scenes, plan.scenes[1:]):
        assert before.transition_out == after.transition_in
    assert plan.scenes[-1].transition_out == "none"
    assert [f.label for f in plan.formats] == ["9:16"]


def test_plan_length_option_rescales_scenes() -> None:
    plan = build_plan(read_script(sample_script(30)), read_scenes(sample_scenes(30)),
                      {"length": 60, "formats": ["1:1", "16:9"]})
    assert plan.total_frames == 1800 and sum(s.frame_count for s in plan.scenes) == 1800
    assert [(f.width, f.height) for f in plan.formats] == [(1080, 1080), (1920, 1080)]


def test_bad_options_and_scenes_are_clear_errors() -> None:
    with pytest.raises(InvalidOption, match="Unknown video format '3:2'"):
        build_plan(read_script(sample_script(15)), read_scenes(sample_scenes(15)),
                   {"formats": ["3:2"]})
    with pytest.raises(InvalidOption, match="45 s"):
        build_plan(read_script(sample_script(15)), read_scenes(sample_scenes(15)), {"length": 45})
    scenes = sample_scenes(15)
    scenes["scenes"][1]["on_screen_text"] = "  "
    with pytest.raises(RenderError, match="scene 2 \\(on_screen_text\\)"):
        read_scenes(scenes)


@pytest.mark.parametrize("label", ["9:16", "1:1", "4:5", "16:9"])
def test_text_captions_and_cta_stay_inside_the_safe_zone(label: str) -> None:
    fmt = make_format(label)
    safe = fmt.safe_zone()
    plan = build_plan(read_script(sample_script(30)), read_scenes(sample_scenes(30)), {})
    for scene in plan.scenes:
        layout = scene_layout(scene, fmt)
        for box in (layout.headline, layout.captions, layout.cta, layout.logo):
            if box is not None:
                assert safe.contains(box, tolerance=0.5), (label, scene.index, box)


def test_safe_zone_matches_the_platform_numbers_on_1080x1920() -> None:
    safe = make_format("9:16").safe_zone()
    assert (round(safe.x), round(safe.y), round(safe.right), round(safe.bottom)) == (65, 270, 930, 1250)


@pytest.mark.parametrize("lend", [False, True], ids=["one-buffer", "two-buffers"])
def test_partial_redraw_matches_full_frames(lend: bool) -> None:
    """Clips redraw only the moving regions; every frame must equal a full redraw (also when
    the yuv buffers alternate, as they do when frames are lent to the encoder)."""
    import numpy as np
    from factories import fixture_path

    from adloom.assets.video.clips import ClipJob, FrameCanvas, painter_for
    from adloom.assets.video.look import LookSpec
    from adloom.assets.video.sample import CTA, NORTHBOUND_COLORS

    plan = build_plan(read_script(sample_script(30)), read_scenes(sample_scenes(30)),
                      {"scale": 0.1})
    look = LookSpec(tuple(sorted(NORTHBOUND_COLORS.items())), "Manrope", "Lato", "Northbound",
                    CTA, fixture_path("coffee.png"), None, fixture_path("logo.png"))
    fmt = plan.formats[0]
    for scene in plan.scenes:
        words = tuple(WordTiming(w, 0.3 + i * 0.35, 0.6 + i * 0.35)
                      for i, w in enumerate(scene.voiceover.split()))
        painter = painter_for(ClipJob(scene, fmt, look, words, Path("/unused")))
        partial = FrameCanvas(fmt.width, fmt.height, lend=lend)
        full = FrameCanvas(fmt.width, fmt.height)
        for k in range(scene.frame_count):
            changed = painter.draw_changes(partial.canvas, k, partial.pixels)
            got = np.frombuffer(partial.yuv420(changed), np.uint8).astype(int)
            painter.draw(full.canvas, k)
            want = np.frombuffer(full.yuv420(), np.uint8).astype(int)
            # anti-aliased edges cut by a region's clip may differ by a few levels; a missed
            # region (a moving layer left stale) differs by tens
            assert np.abs(got - want).max() <= 6, (scene.index, k)


def test_rebalance_moves_spare_time_to_the_scene_that_needs_it() -> None:
    from adloom.assets.video.voiceover import rebalance

    assert rebalance([5.0, 5.0, 5.0], [7.0, 3.0, 4.0]) == pytest.approx([7.0, 3.6666, 4.3333], abs=1e-3)
    assert rebalance([5.0, 5.0, 5.0], [9.0, 4.0, 4.0]) is None
    assert rebalance([5.0, 5.0], [3.0, 4.0]) == [5.0, 5.0]


def test_plan_uses_settled_durations() -> None:
    plan = build_plan(read_script(sample_script(15)), read_scenes(sample_scenes(15)), {},
                      [3.0, 7.0, 5.0])
    assert [s.frame_count for s in plan.scenes] == [90, 210, 150]


def test_block_loudness_matches_the_reference_meter() -> None:
    import numpy as np

    from adloom.assets.video.soundtrack import loudness_in_blocks
    from adloom.render.audio import measure_loudness

    rng = np.random.default_rng(1)
    signal = rng.normal(0, 0.1, (25 * 48000, 2)).astype(np.float32)
    signal[: 8 * 48000] *= 0.01  # a quiet stretch, so the gates matter
    assert loudness_in_blocks(signal) == pytest.approx(measure_loudness(signal, 48000), abs=0.1)


@pytest.mark.parametrize("colors", [
    {"primary": "#1F3A5F", "secondary": "#F2E8DC", "accent": "#E07A2E", "background": "#FBF7F2",
     "text": "#1B1B1B"},
    {"primary": "#5B2EFF", "secondary": "#0E0B1F", "accent": "#00D1B2", "background": "#FFFFFF",
     "text": "#0E0B1F"},
])
def test_headline_keeps_contrast_over_the_background_shapes(colors: dict[str, str]) -> None:
    """Text may cross the decorative shapes: it must stay readable (WCAG AA) over them too."""
    from factories import fixture_path

    from adloom.assets.video.clips import ClipJob, painter_for
    from adloom.assets.video.look import LookSpec
    from adloom.render.design import contrast_ratio, mix

    plan = build_plan(read_script(sample_script(30)), read_scenes(sample_scenes(30)), {"scale": 0.1})
    look = LookSpec(tuple(sorted(colors.items())), "Manrope", "Lato", "Brand", "Go",
                    fixture_path("coffee.png"), None, None)
    for scene in plan.scenes[:2]:  # one dark and one light scene
        painter = painter_for(ClipJob(scene, plan.formats[0], look, (), Path("/unused")))
        light = "#FFFFFF" if painter.dark else painter.look.palette.accent
        shape = mix(painter.bg_top, light, 0.1 if painter.dark else 0.14)
        for surface in (painter.bg_top, painter.bg_bottom, shape):
            assert contrast_ratio(painter.ink, surface) >= 4.5, (scene.index, surface)


def _northbound_painter(scale: float, product: str) -> tuple[object, object]:
    from factories import fixture_path

    from adloom.assets.video.clips import ClipJob, painter_for
    from adloom.assets.video.look import LookSpec
    from adloom.assets.video.sample import CTA, NORTHBOUND_COLORS

    plan = build_plan(read_script(sample_script(30)), read_scenes(sample_scenes(30)),
                      {"scale": scale})
    look = LookSpec(tuple(sorted(NORTHBOUND_COLORS.items())), "Manrope", "Lato", "Northbound",
                    CTA, fixture_path("coffee.png"), None, fixture_path("logo.png"))
    scene = next(s for s in plan.scenes if s.product == product)
    return painter_for(ClipJob(scene, plan.formats[0], look, (), Path("/unused"))), plan.formats[0]


@pytest.mark.parametrize("product", ["hero", "inset"])
def test_product_resampled_by_opencv_matches_skia(product: str) -> None:
    """The moving product (and the background in a zoom or slide) is resampled by OpenCV onto
    whole pixels; it must land where skia's own bilinear drawing puts it (a half-pixel slip
    differs by tens of levels along every edge)."""
    import numpy as np
    import skia

    from adloom.assets.video.clips import FrameCanvas

    painter, fmt = _northbound_painter(0.5, product)
    fast, reference = FrameCanvas(fmt.width, fmt.height), FrameCanvas(fmt.width, fmt.height)
    # 3 and the last frames: in the zoom, slide or wipe transitions (the background resampled too)
    for k in (3, 20, 47, 90, painter.scene.frame_count - 2):
        painter.draw(fast.canvas, k)
        reference.canvas.save()
        reference.canvas.skew(1e-9, 0.0)  # not scale-and-translate: skia draws the product
        painter.draw(reference.canvas, k)
        reference.canvas.restore()
        diff = np.abs(fast.pixels.astype(int) - reference.pixels.astype(int))
        assert diff.max() <= 24 and diff.mean() < 0.2, (k, diff.max(), diff.mean())
    assert isinstance(painter.media, skia.Image)


def test_text_outlines_draw_as_shaped_text_does() -> None:
    import numpy as np
    import skia

    from adloom.render.text import draw_shaped, make_font, shape, text_path

    face = skia.Typeface("Manrope")
    font = make_font(face, 96)
    canvases = [np.zeros((160, 900, 4), np.uint8) for _ in range(2)]
    for pixels, use_path in zip(canvases, (False, True), strict=True):
        info = skia.ImageInfo.MakeN32Premul(900, 160)
        canvas = skia.Surface.MakeRasterDirect(info, pixels).getCanvas()
        canvas.clear(skia.ColorBLACK)
        paint = skia.Paint(AntiAlias=True, Color=skia.ColorWHITE)
        if use_path:
            canvas.translate(20, 120)
            path = text_path("Bitter coffee?", font)
            assert path is not None
            canvas.drawPath(path, paint)
        else:
            draw_shaped(canvas, shape("Bitter coffee?", face), 20, 120, 96, paint)
    text, outline = (c[:, :, 0] > 128 for c in canvases)
    assert text.sum() > 10_000  # the text is there
    # the same glyphs in the same places; skia's glyph masks only add a little contrast (ink)
    assert (text & outline).sum() / (text | outline).sum() > 0.9
    ink = [float(c[:, :, 0].sum()) for c in canvases]
    assert 0.9 < ink[1] / ink[0] <= 1.0


def test_first_mastering_gain_lands_the_limited_mix_on_target() -> None:
    """The estimate of what the true-peak limiter takes off must be good enough that one pass
    through it lands within the tolerance, also for a peaky voice (crest ~20 dB) that the
    limiter cuts by about a decibel."""
    import numpy as np

    from adloom.assets.video import soundtrack
    from adloom.assets.video.soundtrack import LoudnessMeter, first_master_gain, mix

    rng = np.random.default_rng(3)
    rate, seconds = soundtrack.RATE, 12
    t = np.arange(rate * seconds) / rate
    syllables = np.clip(np.sin(2 * np.pi * 4.0 * t), 0, None) ** 6  # bursts, 4 a second
    voice = (rng.standard_normal(len(t)) * syllables * 0.3).astype(np.float32)
    voice[::997] *= 4  # plosive-like spikes
    bed = (0.05 * np.stack([np.sin(2 * np.pi * 220 * t), np.sin(2 * np.pi * 330 * t)], axis=1)
           ).astype(np.float32)
    mixed = mix(voice, bed, [(0.0, seconds)])
    ceiling = soundtrack.PEAK_CEILING - 0.1
    gain_db = first_master_gain(mixed, ceiling)
    assert gain_db is not None
    meter, raw_meter = LoudnessMeter(), LoudnessMeter()
    for block in mixed.mastered_blocks(10 ** (gain_db / 20), ceiling):
        meter.add(block)
    for raw, a, b in mixed.raw_blocks():
        raw_meter.add(raw[a:b])
    assert abs(meter.loudness() - soundtrack.TARGET_LUFS) <= soundtrack.LOUDNESS_TOLERANCE
    limited_off = raw_meter.loudness() + gain_db - meter.loudness()
    assert limited_off > 0.7  # the limiter really works on this mix

"""The user's clips are checked before anything keeps them: a real clip passes with its facts;
audio only, an unaccepted codec, too long, too large, corrupt or not a video at all is refused
with words that say which, and nothing half-written stays behind."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from clipgens import ClipRecipe, make_audio_only, make_clip
from factories import fixture_path

from adloom.clip_uploads import ClipLimits, check_clip_file, sniff_video, validate_clip_upload
from adloom.errors import BadMedia
from adloom.render.footage import (
    SKIP_START,
    DecodeSpec,
    best_window,
    build_decode_args,
    check_clip,
    parse_clip_probe,
    sharp_still,
)
from adloom.uploads import UploadRejected, UploadTooLarge


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_clip(tmp_path_factory.mktemp("clip") / "subject.mp4", SMALL)


SMALL = ClipRecipe(width=640, height=360, seconds=3.0, box_x0=420, box_speed=20, box=100, box_y=130)


def test_a_real_clip_passes_with_its_facts(clip: Path) -> None:
    info = check_clip(clip)
    assert (info.width, info.height, info.video_codec, info.audio_codec) == (640, 360, "h264", "aac")
    assert abs(info.duration - 3.0) < 0.1


def test_audio_only_is_refused_as_having_no_video(tmp_path: Path) -> None:
    with pytest.raises(BadMedia, match="no video stream"):
        check_clip(make_audio_only(tmp_path / "voice.mp4"))


def test_a_clip_longer_than_the_limit_is_refused(clip: Path) -> None:
    with pytest.raises(BadMedia, match="longer than the 2.0 s limit"):
        check_clip(clip, max_seconds=2)


def test_an_unaccepted_codec_is_refused(tmp_path: Path) -> None:
    odd = make_clip(tmp_path / "frames.mov", ClipRecipe(width=160, height=90, seconds=1.0, audio=False,
                                                        codec=["-c:v", "png"]))
    with pytest.raises(BadMedia, match="'png' video codec"):
        check_clip(odd)


def test_a_truncated_clip_is_refused_as_corrupt(clip: Path, tmp_path: Path) -> None:
    data = clip.read_bytes()
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(data[: len(data) // 2])  # the index (moov) survives at the end? no: cut in half
    with pytest.raises(BadMedia) as caught:
        check_clip(cut)
    assert "not a video file" in caught.value.message or "cannot be decoded" in caught.value.message


def test_corrupt_frames_are_refused(clip: Path, tmp_path: Path) -> None:
    data = bytearray(clip.read_bytes())
    mdat = data.find(b"mdat")
    rng = np.random.default_rng(5)
    start = mdat + 64
    data[start:start + 60000] = rng.integers(0, 256, 60000, dtype=np.uint8).tobytes()
    bad = tmp_path / "bad.mp4"
    bad.write_bytes(bytes(data))
    with pytest.raises(BadMedia, match="cannot be decoded"):
        check_clip(bad)


def test_upload_too_large_keeps_nothing(clip: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    with pytest.raises(UploadTooLarge, match="limit for video clips"):
        validate_clip_upload("big.mp4", clip.read_bytes(), folder=folder, limits=ClipLimits(max_bytes=10_000))
    assert list(folder.iterdir()) == []


def test_upload_that_is_not_a_video_keeps_nothing(tmp_path: Path) -> None:
    png = fixture_path("coffee.png")
    folder = tmp_path / "in"
    with pytest.raises(UploadRejected, match="a PNG|not an MP4, MOV or WebM"):
        validate_clip_upload("holiday.mp4", png.read_bytes(), folder=folder)
    assert list(folder.iterdir()) == []


def test_upload_of_audio_only_keeps_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    with pytest.raises(UploadRejected, match="no video stream"):
        validate_clip_upload("song.mp4", make_audio_only(tmp_path / "a.mp4").read_bytes(), folder=folder)
    assert list(folder.iterdir()) == []


def test_upload_of_a_real_clip_is_written_under_a_safe_name(clip: Path, tmp_path: Path) -> None:
    checked = validate_clip_upload("My holiday.MP4", clip.open("rb"), folder=tmp_path / "in")
    assert checked.path.read_bytes() == clip.read_bytes()
    assert checked.media_type == "video/mp4" and checked.path.parent == tmp_path / "in"
    assert [p.name for p in (tmp_path / "in").iterdir()] == [checked.filename]


def test_brief_file_check_names_the_problem(clip: Path, tmp_path: Path) -> None:
    assert check_clip_file(clip) is None
    assert check_clip_file(tmp_path / "missing.mp4") == "file not found"
    assert "limit for video clips" in (check_clip_file(clip, ClipLimits(max_bytes=100)) or "")
    assert "longer than" in (check_clip_file(clip, ClipLimits(max_seconds=1)) or "")


def test_containers_are_sniffed_from_bytes() -> None:
    assert sniff_video(b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00") == "mp4"
    assert sniff_video(b"\x00\x00\x00\x14ftypqt  \x00\x00\x02\x00") == "mov"
    assert sniff_video(b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm") == "webm"
    assert sniff_video(b"\x89PNG\r\n\x1a\n") is None


def test_probe_text_of_a_portrait_phone_clip_is_turned() -> None:
    text = ("Duration: 00:00:12.50, start: 0.0\n  Stream #0:0[0x1](und): Video: hevc (Main) (hvc1 / 0x31637668), "
            "yuv420p(tv, bt709), 1920x1080, 9000 kb/s, 29.97 fps, 29.97 tbr\n    Side data:\n"
            "      displaymatrix: rotation of -90.00 degrees\n  Stream #0:1: Audio: aac (LC), 44100 Hz, stereo")
    info = parse_clip_probe(text)
    assert (info.width, info.height, info.video_codec, info.fps) == (1080, 1920, "hevc", 29.97)
    assert info.duration == 12.5 and info.audio_codec == "aac"


def test_decode_args_trim_crop_scale_and_mute() -> None:
    args = build_decode_args(DecodeSpec(Path("c.mp4"), 1.5, 90, (100, 0, 606, 1080), 1080, 1920))
    joined = " ".join(args)
    assert "-ss 1.500" in joined and "-frames:v 90" in joined and "-an" in args
    assert "crop=606:1080:100:0,scale=1080:1920" in joined and "-stream_loop" not in args


def test_the_segment_skips_the_start_and_follows_the_motion() -> None:
    profile = np.zeros(40, dtype=np.float32)  # 10 s at 4 values a second
    profile[24:32] = 5.0  # the action: 6 s to 8 s
    assert best_window(profile, 10.0, 2.0) == 6.0
    assert best_window(np.zeros(40, dtype=np.float32), 10.0, 2.0) == SKIP_START
    # a second scene of the same clip avoids the part the first one took
    profile += 1.0
    again = best_window(profile, 10.0, 2.0, avoid=((6.0, 8.0),))
    assert again + 2.0 <= 6.0 or again >= 8.0


def test_a_sharp_still_is_a_full_size_frame_of_the_clip(clip: Path, tmp_path: Path) -> None:
    from PIL import Image

    still = sharp_still(clip, tmp_path / "still.png")
    rgb = np.asarray(Image.open(still).convert("RGB")).astype(int)
    assert rgb.shape == (360, 640, 3)
    magenta = (rgb[:, :, 0] > 200) & (rgb[:, :, 2] > 200) & (rgb[:, :, 1] < 60)
    assert magenta.sum() > 0.8 * SMALL.box**2  # the box, whole, at its source size


def test_the_storyboard_shows_the_clip_behind_the_scenes(clip: Path, tmp_path: Path) -> None:
    from dataclasses import replace

    from PIL import Image
    from videogens import make_video_ctx

    from adloom.assets.video.storyboard import paint_storyboard, storyboard_jobs

    ctx = make_video_ctx(tmp_path / "work", length=15)
    ctx = replace(ctx, product=replace(ctx.product, photos=(), clips=(clip,)))
    stills = paint_storyboard(ctx, tmp_path / "story")
    jobs = storyboard_jobs(ctx, tmp_path / "story")
    for job, still in zip(jobs, stills, strict=True):
        rgb = np.asarray(Image.open(still).convert("RGB")).astype(int)
        magenta = (rgb[..., 0] > 110) & (rgb[..., 2] > 110) & (rgb[..., 1] < 60)
        assert (magenta.sum() > 100) == (not job.scene.is_end_card), (job.scene.index, int(magenta.sum()))


def test_one_decode_gives_the_motion_and_the_subjects_place(clip: Path) -> None:
    from adloom.render.footage import PROFILE_FPS, analyse_clip

    analysis = analyse_clip(clip)
    assert abs(len(analysis.motion) - (SMALL.seconds * PROFILE_FPS - 1)) <= 1
    assert analysis.motion.max() > 0  # the test card and the box move
    framing = analysis.framing(0.5, 2.0)
    centre_x = (SMALL.box_left(1.5) + SMALL.box / 2) / SMALL.width
    centre_y = (SMALL.box_y + SMALL.box / 2) / SMALL.height
    assert abs(framing.focal[0] - centre_x) < 0.08 and abs(framing.focal[1] - centre_y) < 0.12, framing

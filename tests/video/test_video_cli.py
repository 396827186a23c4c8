"""`adloom generate video --autopilot --json` on the two shipped briefs, with the real writer,
voice, SoundFont and ffmpeg (preview scale keeps it quick; bench_video.py runs full size)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from factories import brief_path
from typer.testing import CliRunner

from adloom.assets.video.encode import probe
from adloom.cli import app
from adloom.render.audio import decode_audio, measure_loudness, true_peak_db


@pytest.fixture
def cli(tmp_path: Path) -> Any:
    env = {"ADLOOM_DATA_DIR": str(tmp_path / "data"),
           "ADLOOM_QUEUE_URL": f"sqlite://{tmp_path / 'queue.db'}"}
    runner = CliRunner()

    def run(*args: str) -> Any:
        result = runner.invoke(app, list(args), env=env)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    return run


@pytest.mark.parametrize("brief", ["northbound-coldbrew.yaml", "launchpad-webinar.yaml"])
def test_generate_video_on_autopilot_gives_a_platform_ready_file(cli: Any, brief: str) -> None:
    cid = cli("campaign", "create", "--from", str(brief_path(brief)), "--json")["id"]
    data = cli("generate", "video", "--campaign", cid, "--autopilot", "--json", "-o", "scale=0.1")
    assert (data["status"], data["error"]) == ("completed", None) and data["credits_spent"] > 0
    shown = cli("project", "show", data["project"], "--json")
    planned = next(s for s in shown["steps"] if s["name"] == "stitch")["output"]["duration"]
    finals = [a for a in data["assets"] if a["role"] == "final"]
    assert len(finals) == 1
    info = probe(Path(finals[0]["path"]))
    assert (info.video_codec, info.video_profile, info.pix_fmt) == ("h264", "High", "yuv420p")
    assert (info.width, info.height, info.fps) == (108, 192, 30.0)
    assert abs(info.duration - planned) <= 0.1
    assert (info.audio_codec, info.audio_rate, info.audio_channels) == ("aac", 48000, "stereo")
    sound = decode_audio(Path(finals[0]["path"]), 48000, 2)
    assert abs(measure_loudness(sound, 48000) + 14.0) <= 1.0
    assert true_peak_db(sound, 48000) <= -1.0
    roles = {a["role"] for a in data["assets"]}
    assert {"poster", "thumbnail", "captions", "clip", "voiceover", "music"} <= roles

"""`adloom generate jingle --autopilot --json` on the Northbound brief, full length, with the
real writer, SoundFont, voice and ffmpeg: every output is returned and measured."""

from __future__ import annotations

import json
from pathlib import Path

from factories import brief_path
from typer.testing import CliRunner

from adloom.cli import app
from adloom.render import audio

EXPECTED = {
    ("midi", "jingle-midi"), ("waveform", "waveform"),
    *{("stem", f"stem-{part}") for part in ("drums", "bass", "music", "lead", "vocal")},
    ("final", "jingle-30s"), ("final", "jingle-15s"), ("sonic_logo", "sonic-logo"),
    ("bed", "bed-15s"), ("bed", "bed-30s"), ("bed", "bed-60s"),
}
SECONDS = {"jingle-30s": 30.0, "jingle-15s": 15.0, "bed-15s": 15.0, "bed-30s": 30.0, "bed-60s": 60.0}


def test_generate_jingle_on_autopilot_returns_every_output_at_minus_14_lufs(tmp_path: Path) -> None:
    env = {"ADLOOM_DATA_DIR": str(tmp_path / "data"),
           "ADLOOM_QUEUE_URL": f"sqlite://{tmp_path / 'queue.db'}"}
    runner = CliRunner()

    def cli(*args: str) -> dict:
        result = runner.invoke(app, [*args, "--json"], env=env)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    cid = cli("campaign", "create", "--from", str(brief_path("northbound-coldbrew.yaml")))["id"]
    data = cli("generate", "jingle", "--campaign", cid, "--autopilot")
    assert (data["status"], data["error"]) == ("completed", None)
    assets = data["assets"]
    found = {(a["role"], a["label"]) for a in assets}
    assert EXPECTED <= found, EXPECTED - found
    audio_files = [a for a in assets if a["media_type"] in ("audio/wav", "audio/mpeg")]
    assert len(audio_files) == 2 * 6 + 5  # six deliverables as WAV and MP3, five WAV stems
    for asset in audio_files:
        path = Path(asset["path"])
        if asset["media_type"] == "audio/wav":
            samples, rate = audio.read_wav(path)
        else:
            samples, rate = audio.decode_audio(path, 48000, 2), 48000
        label = asset["label"]
        assert abs(audio.measure_loudness(samples, rate) + 14.0) <= 0.5, (label, asset["media_type"])
        assert audio.true_peak_db(samples, rate) <= -1.0, (label, asset["media_type"])
        if label in SECONDS:
            assert abs(len(samples) / rate - SECONDS[label]) <= 0.05, label
        if label == "sonic-logo":
            assert 3.0 <= len(samples) / rate <= 5.0


"""The seams of item 4 and 5 of issue 16: one runner for ffmpeg, one renderer for errors, the
wiring (``Runtime``) apart from the worker that consumes the queues."""

from __future__ import annotations

import ast
import math
import wave
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

import adloom
from adloom.app import create_app
from adloom.errors import FFmpegFailed
from adloom.pipeline.runtime import Runtime
from adloom.pipeline.worker import Worker
from adloom.render import audio
from adloom.render.ffmpeg import STDERR_TAIL, ffmpeg_exe, run_ffmpeg
from adloom.settings import Settings

SRC = Path(adloom.__file__).resolve().parent


def _calls(name: str) -> list[str]:
    """Modules under src/adloom that call ``name`` (as a function or a method)."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if called == name:
                    found.append(str(path.relative_to(SRC)))
                    break
    return found


# ----------------------------------------------------------------------------- ffmpeg


def test_video_and_audio_share_the_one_ffmpeg_runner() -> None:
    from adloom.assets.video import encode, generator

    assert generator.run_ffmpeg is run_ffmpeg and audio.run_ffmpeg is run_ffmpeg
    assert encode.ffmpeg_exe is ffmpeg_exe and audio.ffmpeg_exe is ffmpeg_exe
    assert _calls("get_ffmpeg_exe") == ["doctor.py", "render/ffmpeg.py"]  # doctor reports the version


def test_a_failed_run_carries_the_end_of_stderr_bounded(tmp_path: Path) -> None:
    missing = tmp_path / "missing-input.wav"
    chatter = ["-loglevel", "debug"]  # megabytes of stderr are possible; the error keeps the end
    with pytest.raises(FFmpegFailed) as caught:
        run_ffmpeg([ffmpeg_exe(), "-hide_banner", *chatter, "-i", str(missing), "-f", "null", "-"])
    assert "missing-input.wav" in caught.value.message and "No such file" in caught.value.message
    assert len(caught.value.message) <= len("ffmpeg failed: ") + 400 < STDERR_TAIL


def test_a_run_past_its_timeout_fails_and_says_so() -> None:
    endless = [ffmpeg_exe(), "-hide_banner", "-re", "-f", "lavfi", "-i", "anullsrc", "-f", "null", "-"]
    with pytest.raises(FFmpegFailed, match="timed out after 1 s"):
        run_ffmpeg(endless, timeout=1.0)


def test_audio_decoding_runs_through_the_runner(tmp_path: Path) -> None:
    tone = tmp_path / "tone.wav"
    with wave.open(str(tone), "wb") as out:  # 200 ms of 440 Hz, mono 16-bit at 8 kHz
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"".join(int(12000 * math.sin(2 * math.pi * 440 * n / 8000)).to_bytes(2, "little", signed=True)
                                 for n in range(1600)))
    decoded = audio.decode_audio(tone, sr=8000, channels=1)
    assert decoded.shape == (1600, 1) and 0.3 < float(abs(decoded).max()) < 0.4
    (tmp_path / "not-audio.wav").write_bytes(b"this is not audio")
    with pytest.raises(FFmpegFailed):
        audio.decode_audio(tmp_path / "not-audio.wav")


# ----------------------------------------------------------------------------- errors


def test_only_one_module_installs_error_handlers() -> None:
    assert _calls("add_exception_handler") == ["http_errors.py"]
    assert _calls("exception_handler") == []  # no decorator-registered handlers elsewhere


@pytest.fixture
def client(settings: Settings) -> Any:
    runtime = Runtime(settings, migrate=True)
    yield TestClient(create_app(settings, runtime=runtime, workers=False), follow_redirects=False)
    runtime.close()


def test_one_renderer_answers_each_face_in_its_shape(client: TestClient) -> None:
    # the dashboard: a person is sent to sign in; htmx is told where to go; a JSON client gets JSON
    page = client.get("/dashboard/videos", headers={"accept": "text/html"})
    assert (page.status_code, page.headers["location"]) == (303, "/login?next=/dashboard/videos")
    swap = client.get("/dashboard/videos", headers={"hx-request": "true"})
    assert (swap.status_code, swap.headers["hx-redirect"]) == (204, "/login?next=/dashboard/videos")
    asked = client.get("/dashboard/videos", headers={"accept": "application/json"})
    assert (asked.status_code, asked.json()["error"]["code"]) == (401, "login_required")
    # the API: its own error shape for routing errors and for an AdloomError
    assert client.get("/api/v1/no-such-thing").json() == {"error": {"code": "http_404", "message": "Not Found"}}
    assert client.get("/api/v1/campaigns").json()["error"]["code"] == "unauthorized"
    # a dashboard path nobody serves keeps FastAPI's own 404 body
    assert client.get("/dashboard-nope").json() == {"detail": "Not Found"}


# ----------------------------------------------------------------------------- wiring and worker


def test_the_wiring_holds_no_loop_and_the_worker_holds_no_wiring(settings: Settings) -> None:
    runtime = Runtime(settings, migrate=True)
    try:
        assert isinstance(runtime.worker, Worker) and runtime.worker.rt is runtime
        loops = ("start_workers", "stop_workers", "sweep_once", "run_step", "clean_workdirs", "hand_back")
        assert [name for name in loops if hasattr(runtime, name)] == []
        assert runtime.webhooks in runtime.worker.companions
        assert runtime.webhooks.on_status in runtime.on_status
    finally:
        runtime.close()


def test_no_optional_module_guards_or_dunder_imports_in_the_app_factory_or_studio() -> None:
    for name in ("app.py", "web/project_routes.py", "pipeline/runtime.py"):
        text = (SRC / name).read_text(encoding="utf-8")
        assert "__import__" not in text and "importlib" not in text, name
        assert "except ModuleNotFoundError" not in text and "except ImportError" not in text, name

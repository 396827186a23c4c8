"""``adloom doctor``: check every dependency and provider, and say what is wrong."""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Callable
from typing import Any

from adloom.settings import Settings


def _database(settings: Settings) -> str:
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from adloom.db import Database

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = Database(settings.effective_database_url)
    try:
        with db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        try:
            with db.engine.connect() as conn:
                version = ", ".join(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())
        except DBAPIError:
            raise RuntimeError("the database answers but has no schema yet: run 'adloom migrate'") from None
    finally:
        db.dispose()
    return f"{db.engine.url.render_as_string(hide_password=True)} (schema {version})"


def _queue(settings: Settings) -> str:
    from adloom.pipeline.queue import QUEUE_NAMES, make_huey

    queues = {key: make_huey(settings, name) for key, name in QUEUE_NAMES.items()}
    waiting = ", ".join(f"{key} {huey.pending_count()}" for key, huey in queues.items())  # pings Redis
    return f"{type(queues['light']).__name__}, task(s) waiting: {waiting}"


def _storage(settings: Settings) -> str:
    from adloom.storage import make_storage

    storage = make_storage(settings.storage_url, settings.data_dir)
    blob = storage.put_bytes(b"adloom doctor", suffix=".txt")
    data = b"".join(storage.open_stream(blob.key))
    if data != b"adloom doctor":
        raise RuntimeError("read back different bytes")
    return f"{type(storage).__name__} writable"


def _ffmpeg(settings: Settings) -> str:
    import imageio_ffmpeg

    exe = imageio_ffmpeg.get_ffmpeg_exe()
    first = subprocess.run([exe, "-hide_banner", "-version"], capture_output=True, text=True, timeout=20, check=False).stdout
    return first.splitlines()[0] if first else exe


def _voice(settings: Settings) -> str:
    """The shipped voice (the default) and the operator's voices a project may name."""
    from adloom.providers import tts

    info = tts.VOICE_INFO
    folder = settings.voices_dir
    if folder is not None and not folder.is_dir():
        raise FileNotFoundError(f"ADLOOM_VOICES_DIR {folder} is not a folder")
    extra = tts.available_voices(folder)
    named = ", ".join(extra) if extra else "none (add NAME.onnx + NAME.onnx.json to ADLOOM_VOICES_DIR)"
    return (f"{info.get('voice')} ({info.get('provider')}), dataset {info.get('dataset_license')}, "
            f"fine-tuned from {info.get('fine_tuned_from')}; operator voices: {named}")


def _soundfont(settings: Settings) -> str:
    """Which bank jingles use by default (FluidR3_GM where Debian's package is installed, else
    the bundled TimGM6mb) and every name the ``soundfont`` option accepts."""
    import midirenderer  # noqa: F401  (the synthesiser must import)

    from adloom.render.music.synth import (
        available_soundfonts,
        bundled_soundfont,
        default_soundfont,
    )

    if not bundled_soundfont().path.is_file():
        raise FileNotFoundError(f"{bundled_soundfont().path} is missing; reinstall pretty_midi")
    folder = settings.soundfont_dir
    if folder is not None and not folder.is_dir():
        raise FileNotFoundError(f"ADLOOM_SOUNDFONT_DIR {folder} is not a folder")
    bank = default_soundfont()
    names = ", ".join(available_soundfonts(folder))
    return (f"bank in use: {bank.name}, {bank.license}, {bank.path} ({bank.path.stat().st_size // 1024} KB) "
            f"with midirenderer (read once per worker, cut down to each render's presets); "
            f"jingles may name: {names}")


def _fonts(settings: Settings) -> str:
    from adloom.render import fonts

    choices = [fonts.resolve_font(name) for name in ("Manrope", "Lato", "Fjalla One", "Source Sans Pro")]
    missing = [c.requested for c in choices if c.fallback]
    status = fonts.fallback_status()
    present = [font.name for font, path in status if path is not None]
    absent = [f"{font.name} ({font.covers})" for font, path in status if path is None]
    report = "shipped: " + ", ".join(c.family for c in choices)
    report += f" (fallback for {missing})" if missing else ""
    report += "; fallback fonts in use: " + (", ".join(present) or "none")
    if absent:
        # text still renders; only the characters these fonts cover come out as boxes
        report += "; WARNING missing fallback: " + ", ".join(absent)
    return report


def _generators(settings: Settings) -> str:
    from adloom.assets import registry
    from adloom.pipeline.stages import generator_available

    present = [kind for kind in registry.kinds() if generator_available(kind, settings.generators)]
    missing = [kind for kind in registry.kinds() if kind not in present]
    if missing:
        raise RuntimeError(f"installed: {', '.join(present) or 'none'}; missing: {', '.join(missing)}")
    return "video, banner, flyer, jingle"


def _writer(settings: Settings) -> str:
    if settings.writer == "local":
        return "local writer (offline)"
    import httpx

    url = settings.llm_base_url.rstrip("/")
    try:
        httpx.get(url, timeout=5)
    except httpx.HTTPError as exc:
        raise RuntimeError(f"{settings.writer} at {url} is unreachable: {exc}") from exc
    return f"{settings.writer} at {url} reachable"


def _disk(settings: Settings) -> str:
    import shutil

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    free = shutil.disk_usage(settings.data_dir).free / 1e9
    if free < 1:
        raise RuntimeError(f"only {free:.2f} GB free in {settings.data_dir}")
    with tempfile.NamedTemporaryFile(dir=settings.data_dir):
        pass
    return f"{free:.1f} GB free in {settings.data_dir}"


CHECKS: list[tuple[str, Callable[[Settings], str], bool]] = [
    ("database", _database, True),
    ("queue", _queue, True),
    ("storage", _storage, True),
    ("disk", _disk, True),
    ("ffmpeg", _ffmpeg, True),
    ("voice", _voice, True),
    ("soundfont", _soundfont, True),
    ("fonts", _fonts, True),
    ("generators", _generators, False),
    ("writer", _writer, True),
]


def run_checks(settings: Settings) -> list[dict[str, Any]]:
    results = []
    for name, check, required in CHECKS:
        try:
            results.append({"name": name, "ok": True, "detail": check(settings), "required": required})
        except Exception as exc:  # noqa: BLE001 (every failure is reported, none stops the others)
            results.append({"name": name, "ok": False, "detail": f"{type(exc).__name__}: {exc}", "required": required})
    return results

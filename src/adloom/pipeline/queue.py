"""The task queue (Huey), chosen by ``ADLOOM_QUEUE_URL``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey

from adloom.errors import ValidationError
from adloom.settings import Settings


def _immediate(url: str, settings: Settings, name: str) -> Huey:
    return MemoryHuey(name, immediate=True)


def _memory(url: str, settings: Settings, name: str) -> Huey:
    return MemoryHuey(name)


def _sqlite(url: str, settings: Settings, name: str) -> Huey:
    path = url.removeprefix("sqlite://") or str(settings.data_dir / "queue.db")
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(name, filename=path, results=False)


def _redis(url: str, settings: Settings, name: str) -> Huey:
    # Non-blocking reads: a worker polls two queues in turn (its own backoff), and a blocking BRPOP
    # on an empty light queue would stall the render queue for a second on every turn.
    return RedisHuey(name, url=url, results=False, blocking=False)


# Light steps (ideas, script, scenes) and CPU-heavy rendering (generate, render, stitch) travel on
# separate queues so that workers can be sized per kind of work (`adloom worker --queues render`).
QUEUE_NAMES: dict[str, str] = {"light": "adloom", "render": "adloom-render"}
RENDER_STEPS = frozenset({"generate", "render", "stitch"})


def queue_for_step(step_name: str) -> str:
    return "render" if step_name in RENDER_STEPS else "light"


QUEUE_BACKENDS: dict[str, Callable[[str, Settings, str], Huey]] = {
    "": _sqlite,
    "sqlite": _sqlite,
    "redis": _redis,
    "rediss": _redis,
    "immediate": _immediate,
    "memory": _memory,
}


def make_huey(settings: Settings, name: str = "adloom") -> Huey:
    url = settings.queue_url
    scheme = url.split("://", 1)[0] if "://" in url else url
    try:
        factory = QUEUE_BACKENDS[scheme]
    except KeyError:
        raise ValidationError(
            f"ADLOOM_QUEUE_URL has an unknown scheme '{scheme}'.",
            hint="Use sqlite://PATH (default), redis://HOST:PORT/DB or 'immediate'.",
        ) from None
    return factory(url, settings, name)


def is_shared_queue(settings: Settings) -> bool:
    """True when separate worker processes consume the queue (Redis)."""
    return settings.queue_url.startswith(("redis://", "rediss://"))

"""The task queue (Huey), chosen by ``ADLOOM_QUEUE_URL``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey

from adloom.errors import ValidationError
from adloom.settings import Settings


def _immediate(url: str, settings: Settings) -> Huey:
    return MemoryHuey("adloom", immediate=True)


def _memory(url: str, settings: Settings) -> Huey:
    return MemoryHuey("adloom")


def _sqlite(url: str, settings: Settings) -> Huey:
    path = url.removeprefix("sqlite://") or str(settings.data_dir / "queue.db")
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("adloom", filename=path, results=False)


def _redis(url: str, settings: Settings) -> Huey:
    return RedisHuey("adloom", url=url, results=False)


QUEUE_BACKENDS: dict[str, Callable[[str, Settings], Huey]] = {
    "": _sqlite,
    "sqlite": _sqlite,
    "redis": _redis,
    "rediss": _redis,
    "immediate": _immediate,
    "memory": _memory,
}


def make_huey(settings: Settings) -> Huey:
    url = settings.queue_url
    scheme = url.split("://", 1)[0] if "://" in url else url
    try:
        factory = QUEUE_BACKENDS[scheme]
    except KeyError:
        raise ValidationError(
            f"ADLOOM_QUEUE_URL has an unknown scheme '{scheme}'.",
            hint="Use sqlite://PATH (default), redis://HOST:PORT/DB or 'immediate'.",
        ) from None
    return factory(url, settings)


def is_shared_queue(settings: Settings) -> bool:
    """True when separate worker processes consume the queue (Redis)."""
    return settings.queue_url.startswith(("redis://", "rediss://"))

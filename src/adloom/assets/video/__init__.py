"""Video ads: approved scenes -> voiceover, music, motion, captions -> platform-ready MP4s."""

from __future__ import annotations

from typing import Any

__all__ = ["VideoGenerator", "VideoSettings"]


def __getattr__(name: str) -> Any:
    """The generator is imported on first use: it pulls in scipy and the voice, seconds of
    imports that the storyboard (painter only) does not need."""
    if name in __all__:
        from . import generator

        return getattr(generator, name)
    raise AttributeError(name)

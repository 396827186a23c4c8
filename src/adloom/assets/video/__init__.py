"""Video ads: approved scenes -> voiceover, music, motion, captions -> platform-ready MP4s.

The generator is imported on first use, so reading the kind's ``spec`` (the registry does, at
start-up) does not load the renderers.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .generator import VideoGenerator, VideoSettings

_LAZY = {"VideoGenerator": ".generator", "VideoSettings": ".generator"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(name)


__all__ = ["VideoGenerator", "VideoSettings"]

"""Brand jingles: a sonic identity composed, sung and mastered locally (issue 7).

Public seam: :class:`JingleGenerator` (the pipeline's generator for this kind), imported on
first use so that reading the kind's ``spec`` does not load the synthesiser. The music engine
it composes with is shared with the video kind's beds (``adloom.render.music``); the creative
half, tone -> music plan, is :func:`adloom.writer.music.plan_for_tone`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from adloom.assets.jingle.generator import JingleGenerator

_LAZY = {"JingleGenerator": "adloom.assets.jingle.generator"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(name)


__all__ = ["JingleGenerator"]

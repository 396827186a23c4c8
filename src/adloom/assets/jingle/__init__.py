"""Brand jingles: a sonic identity composed, sung and mastered locally (issue 7).

Public seams: :class:`JingleGenerator` (the pipeline's generator for this kind) and
:func:`render_bed` (instrumental beds for the video ads). The creative half, tone -> music
plan, is :func:`adloom.writer.music.plan_for_tone`. Both are imported on first use, so reading
the kind's ``spec`` does not load the synthesiser.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from adloom.assets.jingle.bed import Bed, render_bed
    from adloom.assets.jingle.generator import JingleGenerator

_LAZY = {"Bed": "adloom.assets.jingle.bed", "render_bed": "adloom.assets.jingle.bed",
         "JingleGenerator": "adloom.assets.jingle.generator"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(name)


__all__ = ["Bed", "JingleGenerator", "render_bed"]

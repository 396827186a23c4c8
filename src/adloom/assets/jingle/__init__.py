"""Brand jingles: a sonic identity composed, sung and mastered locally (issue 7).

Public seams: :class:`JingleGenerator` (the pipeline's generator for kind "jingle") and
:func:`render_bed` (instrumental beds for the video ads). The creative half, tone -> music
plan, is :func:`adloom.writer.music.plan_for_tone`.
"""

from __future__ import annotations

from adloom.assets.jingle.bed import Bed, render_bed
from adloom.assets.jingle.generator import JingleGenerator

__all__ = ["Bed", "JingleGenerator", "render_bed"]

"""A brand as the renderers see it: name, colours, fonts, tone, logo; plain data.

It lives in ``render`` (the lowest media layer) so that palettes and layouts can read it without
importing the asset generators; ``adloom.assets.base`` re-exports it for the generators' seam.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class BrandSpec:
    name: str
    colors: Mapping[str, str]  # primary, secondary, accent, background, text as "#RRGGBB"
    heading_font: str = "Inter"
    body_font: str = "Inter"
    tone: str = ""
    tagline: str = ""
    logo: Path | None = None
    voice: str = ""  # the brand's Piper voice name (brief brand.voice); empty: the shipped voice

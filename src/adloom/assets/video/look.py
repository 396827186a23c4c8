"""What every scene of one ad shares: palette, typefaces, product and logo images.

:class:`LookSpec` is the picklable description (paths, colours, family names) that travels to
render processes and into content hashes; :class:`Look` is the loaded form (skia images and
typefaces) built once per process.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import skia

from adloom.errors import BadMedia
from adloom.render.cutout import read_image, skia_image
from adloom.render.design import Palette, mix, palette_from_colors
from adloom.render.fonts import FontChoice, resolve_font, typeface
from adloom.render.framing import Framing


@dataclass(frozen=True)
class LookSpec:
    """The brand look of one ad, as plain data."""

    colors: tuple[tuple[str, str], ...]  # (name, "#RRGGBB")
    heading_font: str
    body_font: str
    brand_name: str
    cta: str
    photo: Path | None = None
    cutout: Path | None = None  # RGBA PNG made by the generate stage
    logo: Path | None = None
    photo_focal: tuple[float, float] = (0.5, 0.5)  # where the photo's subject is (fractions)
    photo_keep: tuple[float, float, float, float] | None = None  # a face crops keep whole
    # what the end card signs off with, besides the logo and the CTA
    product_name: str = ""
    offer: str | None = None
    url: str | None = None
    treatment: str = "orbit"
    tagline: str = ""  # see treatments.py

    @property
    def framing(self) -> Framing:
        return Framing(self.photo_focal, self.photo_keep)

    @property
    def palette(self) -> Palette:
        return palette_from_colors(dict(self.colors))

    def fingerprint(self) -> dict[str, Any]:
        """Everything about the look that changes pixels, with file contents hashed."""
        data = asdict(self)
        for key in ("photo", "cutout", "logo"):
            path = getattr(self, key)
            data[key] = file_digest(path) if path else None
        data["fonts"] = [str(c.path.name) for c in self.fonts()]
        return data

    def fonts(self) -> tuple[FontChoice, FontChoice, FontChoice]:
        """Heading (bold), heading (extra bold, CTA) and body (semibold, captions)."""
        return (
            resolve_font(self.heading_font, weight=700),
            resolve_font(self.heading_font, weight=800),
            resolve_font(self.body_font, weight=700),
        )


@lru_cache(maxsize=32)
def _digest(path: str, mtime: float, size: int) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def file_digest(path: Path) -> str:
    stat = path.stat()
    return _digest(str(path), stat.st_mtime, stat.st_size)


@dataclass(frozen=True)
class Look:
    """A :class:`LookSpec` loaded for drawing."""

    spec: LookSpec
    palette: Palette
    heading: skia.Typeface
    heading_heavy: skia.Typeface
    body: skia.Typeface
    photo: skia.Image | None
    cutout: skia.Image | None
    logo: skia.Image | None

    @property
    def dark(self) -> str:
        """A deep version of the primary colour for dark scenes and dips."""
        return mix(self.palette.primary, "#000000", 0.35)


def load_look(spec: LookSpec) -> Look:
    heading, heavy, body = spec.fonts()
    return Look(
        spec=spec,
        palette=spec.palette,
        heading=typeface(heading),
        heading_heavy=typeface(heavy),
        body=typeface(body),
        photo=_load_image(spec.photo, "product photo"),
        cutout=_load_image(spec.cutout, "product cutout"),
        logo=_load_image(spec.logo, "logo"),
    )


def _load_image(path: Path | None, what: str) -> skia.Image | None:
    if path is None:
        return None
    try:
        pil = read_image(path)
    except BadMedia:
        raise
    except Exception as exc:  # pragma: no cover - read_image maps the known failures
        raise BadMedia(f"The {what} {path.name} cannot be read: {exc}") from exc
    rgba = np.ascontiguousarray(np.asarray(pil.convert("RGBA")))
    return skia_image(rgba)

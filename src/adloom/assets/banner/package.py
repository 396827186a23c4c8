"""Banner packaging: HTML5 zips (IAB / Google Ads rules) and the contact sheet."""

from __future__ import annotations

import html
import io
import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import skia
from PIL import Image

from adloom.render.fonts import resolve_font, typeface
from adloom.render.raster import encode_within_budget, new_surface
from adloom.render.text import draw_text, fit_text

ZIP_MAX_BYTES = 150_000
ZIP_MAX_FILES = 40
_FIXED_TIME = (2020, 1, 1, 0, 0, 0)  # zip entries get a fixed timestamp: same input, same bytes


def build_index_html(*, width: int, height: int, image_name: str, alt: str, click_url: str) -> str:
    """The ad's index.html: ad.size meta, a clickTag variable and a click-through that uses it."""
    # a JSON string is a valid JS string; "<" escaped so a URL can never close the script
    url = json.dumps(click_url).replace("<", "\\u003c")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="ad.size" content="width={width},height={height}">
<title>{html.escape(alt)}</title>
<script type="text/javascript">var clickTag = {url};</script>
<style>html,body{{margin:0;padding:0;overflow:hidden}}a,img{{display:block;border:0}}</style>
</head>
<body>
<a id="clickthrough" href="javascript:window.open(window.clickTag, '_blank')">
<img src="{html.escape(image_name)}" width="{width}" height="{height}" alt="{html.escape(alt)}">
</a>
</body>
</html>
"""


def build_zip(
    *, width: int, height: int, image_name: str, image: bytes, alt: str, click_url: str
) -> bytes:
    """A deterministic HTML5 zip: index.html + the image."""
    buffer = io.BytesIO()
    entries = [
        (
            "index.html",
            build_index_html(
                width=width, height=height, image_name=image_name, alt=alt, click_url=click_url
            ).encode(),
        ),
        (image_name, image),
    ]
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


@dataclass(frozen=True)
class SheetItem:
    label: str
    path: Path


def _sheet_positions(
    sizes: Sequence[tuple[int, int]], width: int, scale: float, gap: int
) -> tuple[list[tuple[int, int]], int]:
    """Shelf-pack thumbnails left to right; returns positions and the total height."""
    x, y, shelf, positions = gap, gap + 24, 0, []
    for w, h in sizes:
        tw, th = round(w * scale), round(h * scale)
        if x + tw + gap > width and x > gap:
            x, y, shelf = gap, y + shelf + gap + 18, 0
        positions.append((x, y))
        x += tw + gap
        shelf = max(shelf, th)
    return positions, y + shelf + gap + 18


def contact_sheet(
    items: Sequence[SheetItem], *, title: str, width: int = 1600, scale: float = 0.5
) -> bytes:
    """One PNG showing every size at ``scale``, labelled, ≤ 400 KB."""
    images = [np.asarray(Image.open(item.path).convert("RGBA")) for item in items]
    order = sorted(range(len(items)), key=lambda i: (-images[i].shape[0], images[i].shape[1]))
    gap = 24
    dims = [(images[i].shape[1], images[i].shape[0]) for i in order]
    positions, height = _sheet_positions(dims, width, scale, gap)
    surface = new_surface(width, height)
    canvas = surface.getCanvas()
    canvas.clear(skia.ColorSetRGB(0xEE, 0xEE, 0xEC))
    label_face = typeface(resolve_font("Manrope", weight=600))
    _label(canvas, title, gap, 6, width - 2 * gap, 18, label_face)
    for (x, y), index in zip(positions, order, strict=True):
        rgba = images[index]
        tw, th = round(rgba.shape[1] * scale), round(rgba.shape[0] * scale)
        thumb = Image.fromarray(rgba).resize((tw, th), Image.Resampling.LANCZOS)
        canvas.drawRect(
            skia.Rect.MakeXYWH(x - 1, y - 1, tw + 2, th + 2),
            skia.Paint(Color=skia.ColorSetRGB(0xC8, 0xC8, 0xC4)),
        )
        canvas.drawImage(
            skia.Image.fromarray(
                np.ascontiguousarray(np.asarray(thumb)),
                colorType=skia.ColorType.kRGBA_8888_ColorType,
            ),
            x,
            y,
        )
        _label(canvas, items[index].label, x, y + th + 3, max(tw, 60), 13, label_face)
    return encode_within_budget(surface.makeImageSnapshot(), "png", max_bytes=400_000)


def _label(
    canvas: skia.Canvas, text: str, x: float, y: float, w: float, h: float, face: skia.Typeface
) -> None:
    fitted = fit_text(
        text, width=w, height=h, typeface=face, max_lines=1, min_size=8, max_size=h * 0.85
    )
    if fitted is not None:
        draw_text(canvas, fitted, x, y, "#4A4A48")

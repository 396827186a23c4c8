"""Write a painted flyer plan as a print PDF (true size, bleed, boxes) or a PNG."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pypdf
import skia
from pypdf.generic import ArrayObject, FloatObject, NameObject

from adloom.errors import RenderError
from adloom.render.layout import Box
from adloom.render.raster import new_surface, to_pil

from .compose import FlyerImages, PlacedText, paint_plan
from .formats import PageGeometry, crop_mark_lines, page_geometry
from .plan import FlyerPlan

PRINT_DPI = 300


@dataclass(frozen=True)
class PdfInfo:
    title: str = ""
    author: str = ""
    subject: str = ""


def _box(values: tuple[float, float, float, float]) -> ArrayObject:
    return ArrayObject([FloatObject(round(v, 4)) for v in values])


def set_page_boxes(path: Path, geometry: PageGeometry) -> None:
    """Write exact MediaBox/CropBox/BleedBox/TrimBox (skia only writes a rounded MediaBox)."""
    reader = pypdf.PdfReader(path)
    writer = pypdf.PdfWriter(clone_from=reader)
    for page in writer.pages:
        page[NameObject("/MediaBox")] = _box(geometry.media)
        page[NameObject("/CropBox")] = _box(geometry.media)
        page[NameObject("/BleedBox")] = _box(geometry.bleed)
        page[NameObject("/TrimBox")] = _box(geometry.trim)
    with path.open("wb") as handle:
        writer.write(handle)


def _draw_crop_marks(canvas: skia.Canvas, plan: FlyerPlan, geometry: PageGeometry) -> None:
    # Registration marks: drawn white-under-black so they show on any slug colour.
    for width, tone in ((1.0, skia.ColorWHITE), (0.25, skia.ColorBLACK)):
        paint = skia.Paint(AntiAlias=True, Color=tone, StrokeWidth=width)
        paint.setStyle(skia.Paint.kStroke_Style)
        for x0, y0, x1, y1 in crop_mark_lines(plan.fmt, geometry):
            canvas.drawLine(x0, y0, x1, y1, paint)


def write_pdf(
    path: Path,
    plan: FlyerPlan,
    texts: tuple[PlacedText, ...],
    images: FlyerImages,
    *,
    crop_marks: bool = False,
    info: PdfInfo = PdfInfo(),
) -> dict[str, tuple[Box, Box]]:
    """A one-page print PDF at true size: MediaBox = trim + 2 × bleed (+ crop-mark slug),
    text as text with subset fonts embedded, shapes and QR as vectors, images at their full
    source resolution. Returns where each image went."""
    geometry = page_geometry(plan.fmt, crop_marks=crop_marks)
    media_w, media_h = geometry.media_size
    page_w, page_h = math.ceil(media_w), math.ceil(media_h)
    metadata = skia.PDF.Metadata()
    metadata.fTitle, metadata.fAuthor, metadata.fSubject = info.title, info.author, info.subject
    metadata.fCreator = "Adloom"
    metadata.fRasterDPI = PRINT_DPI  # blurred shadows are rasterised at print resolution
    stream = skia.FILEWStream(str(path))
    if not stream.isValid():
        raise RenderError(f"Cannot write the PDF to {path}.", hint="Check the work folder.")
    document = skia.PDF.MakeDocument(stream, metadata)
    canvas = document.beginPage(page_w, page_h)
    # skia flips y around the rounded page height; shift down so the exact media box we set
    # afterwards (origin at the bottom-left) holds the whole design.
    canvas.translate(0, page_h - media_h)
    ox, oy = geometry.trim_origin
    canvas.save()
    canvas.clipRect(skia.Rect.MakeLTRB(*_y_down(geometry.bleed, media_h)))
    canvas.translate(ox, oy)
    used = paint_plan(canvas, plan, texts, images, px_per_unit=PRINT_DPI / 72)
    canvas.restore()
    _draw_crop_marks(canvas, plan, geometry)
    document.endPage()
    document.close()
    stream.flush()
    del stream
    set_page_boxes(path, geometry)
    return used


def _y_down(
    box: tuple[float, float, float, float], height: float
) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = box
    return x0, height - y1, x1, height - y0


def render_raster(
    plan: FlyerPlan,
    texts: tuple[PlacedText, ...],
    images: FlyerImages,
    *,
    scale: float,
    px_per_unit: float,
) -> tuple[skia.Image, dict[str, tuple[Box, Box]]]:
    """The trim area at ``scale`` pixels per unit (1 for social canvases). ``px_per_unit`` must
    match the PDF's so that the preview shows the same placement."""
    width = max(1, round(plan.fmt.width * scale))
    height = max(1, round(plan.fmt.height * scale))
    surface = new_surface(width, height)
    canvas = surface.getCanvas()
    canvas.scale(scale, scale)
    used = paint_plan(canvas, plan, texts, images, px_per_unit=px_per_unit)
    return surface.makeImageSnapshot(), used


def write_png(path: Path, image: skia.Image, *, opaque: bool = True) -> tuple[int, int]:
    """PNG (RGB for flyers; RGBA for cutouts). zlib level 3: within a few % of level 6 in size
    and about twice as fast on photo-heavy pages."""
    to_pil(image, opaque=opaque).save(path, format="PNG", compress_level=3)
    return image.width(), image.height()

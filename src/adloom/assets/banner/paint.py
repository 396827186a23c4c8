"""Draw a :class:`BannerPlan` with skia. Deterministic: same plan and images, same pixels."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import skia

from adloom.assets.banner.layout import BannerPlan, ImageElement, Shape
from adloom.render.cutout import Shadow, composite_with_shadow, resized, skia_image
from adloom.render.layout import Box
from adloom.render.raster import new_surface
from adloom.render.text import draw_text


@dataclass(frozen=True)
class BannerImages:
    """Pixels the plan refers to (RGBA arrays)."""

    product: np.ndarray | None = None  # tight cutout
    photo: np.ndarray | None = None  # full photo (for cover crops)
    logo: np.ndarray | None = None


def _color(hex_color: str, alpha: int = 255) -> int:
    v = hex_color.lstrip("#")
    return int(skia.ColorSetARGB(alpha, int(v[0:2], 16), int(v[2:4], 16), int(v[4:6], 16)))


def _rect(box: Box) -> skia.Rect:
    return skia.Rect.MakeXYWH(box.x, box.y, box.w, box.h)


def _draw_shape(canvas: skia.Canvas, shape: Shape) -> None:
    paint = skia.Paint(AntiAlias=True, Color=_color(shape.color))
    if shape.kind == "circle":
        canvas.drawOval(_rect(shape.box), paint)
    elif shape.kind == "gradient":
        points = [skia.Point(shape.box.x, shape.box.y), skia.Point(shape.box.x, shape.box.bottom)]
        paint.setShader(
            skia.GradientShader.MakeLinear(points, [_color(shape.color), _color(shape.color2)])
        )
        canvas.drawRect(_rect(shape.box), paint)
    elif shape.kind == "rrect":
        canvas.drawRoundRect(_rect(shape.box), shape.radius, shape.radius, paint)
    else:
        canvas.drawRect(_rect(shape.box), paint)


def _draw_photo(canvas: skia.Canvas, photo: np.ndarray, element: ImageElement) -> None:
    crop = element.crop or Box(0, 0, photo.shape[1], photo.shape[0])
    x0, y0 = int(crop.x), int(crop.y)
    x1 = min(photo.shape[1], round(crop.right))
    y1 = min(photo.shape[0], round(crop.bottom))
    box = element.box.rounded()
    part = resized(np.ascontiguousarray(photo[y0:y1, x0:x1]), int(box.w), int(box.h))
    canvas.save()
    if element.radius > 0:
        canvas.clipRRect(
            skia.RRect.MakeRectXY(_rect(box), element.radius, element.radius), doAntiAlias=True
        )
    canvas.drawImage(skia_image(part), box.x, box.y)
    canvas.restore()


def _draw_image(
    canvas: skia.Canvas, element: ImageElement, images: BannerImages, height: int
) -> None:
    if element.role == "photo" and images.photo is not None:
        _draw_photo(canvas, images.photo, element)
    elif element.role == "product" and images.product is not None:
        composite_with_shadow(canvas, images.product, element.box, shadow=Shadow(opacity=0.30))
    elif element.role == "logo" and images.logo is not None:
        composite_with_shadow(canvas, images.logo, element.box, shadow=None)


def paint_plan(plan: BannerPlan, images: BannerImages) -> skia.Image:
    """Render a plan to an opaque RGBA skia image."""
    surface = new_surface(plan.width, plan.height)
    canvas = surface.getCanvas()
    canvas.clear(_color(plan.background))
    for shape in plan.shapes:
        canvas.save()
        canvas.clipRect(skia.Rect.MakeWH(plan.width, plan.height))
        _draw_shape(canvas, shape)
        canvas.restore()
    for element in plan.images:
        _draw_image(canvas, element, images, plan.height)
    if plan.button is not None:
        _draw_shape(canvas, plan.button)
    for text in plan.texts:
        draw_text(canvas, text.fitted, text.box.x, text.box.y, text.color, text.align)
    return surface.makeImageSnapshot()

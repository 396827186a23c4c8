"""Fit a plan's copy into its boxes, and paint a plan on any skia canvas (PDF or raster)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
import skia

from adloom.render.framing import Framing, subject_crop
from adloom.render.layout import Box, contain
from adloom.render.text import FittedText, draw_text, fit_text

from .plan import FlyerPlan, FontRole, ImageSlot, Shape, TextSlot
from .qr import QrMatrix, draw_qr

Fonts = Mapping[FontRole, skia.Typeface]

# Slots whose members share one size, so a list reads as a list.
_GROUPS = ("body.", "details.")


@dataclass(frozen=True)
class PlacedText:
    """A text slot with its fitted lines and the top-left of the text block."""

    slot: TextSlot
    fitted: FittedText
    x: float
    y: float

    @property
    def bounds(self) -> Box:
        """The ink box of the block (widest line, ascent of the first to descent of the last)."""
        offset = {"left": 0.0, "center": (self.slot.box.w - self.fitted.width) / 2}.get(
            self.slot.align, self.slot.box.w - self.fitted.width
        )
        return Box(self.x + offset, self.y, self.fitted.width, self.fitted.height)


# ----------------------------------------------------------------------------- fitting


def _fit(
    slot: TextSlot,
    face: skia.Typeface,
    *,
    max_size: float | None = None,
    min_size: float | None = None,
    text: str | None = None,
) -> FittedText | None:
    return fit_text(
        slot.text if text is None else text,
        width=slot.box.w,
        height=slot.box.h,
        typeface=face,
        max_lines=slot.max_lines,
        min_size=slot.min_size if min_size is None else min_size,
        max_size=max_size if max_size is not None else slot.max_size,
        line_height=slot.line_height,
    )


def _shortened(text: str) -> list[str]:
    """Ever shorter versions of ``text``: whole words first, then characters, with an ellipsis."""
    words = text.split()
    out = [" ".join(words[:n]).rstrip(",;:.-—") + "…" for n in range(len(words) - 1, 0, -1)]
    last = words[0] if words else ""
    out += [last[:n] + "…" for n in range(len(last) - 1, 0, -1)]
    return out


def _fit_shortened(slot: TextSlot, face: skia.Typeface) -> FittedText | None:
    """The largest fit in the slot's size range; else down to the legibility floor; else the
    longest shortened copy (ellipsis) that fits at the floor. None only if not even one letter
    fits (a box smaller than the floor size)."""
    fitted = _fit(slot, face) or _fit(slot, face, min_size=min(slot.floor, slot.min_size))
    if fitted is not None:
        return fitted
    for text in _shortened(slot.text):
        fitted = _fit(slot, face, min_size=slot.floor, max_size=slot.floor, text=text)
        if fitted is not None:
            return fitted
    return None


_BALANCED = ("headline", "subhead", "offer", "qr_caption")


def _balanced(slot: TextSlot, fitted: FittedText) -> FittedText:
    """Same size and line count, but lines of similar length (no one-word last line): the
    narrowest width that still wraps into as many lines, found by bisection."""
    if slot.name not in _BALANCED or len(fitted.lines) < 2 or fitted.lines[-1].endswith("…"):
        return fitted
    text = " ".join(fitted.lines)
    lo, hi = fitted.width * 0.5, fitted.width
    best = fitted
    for _ in range(12):
        mid = (lo + hi) / 2
        trial = fit_text(
            text,
            width=mid,
            height=slot.box.h,
            typeface=fitted.typeface,
            max_lines=len(fitted.lines),
            min_size=fitted.size,
            max_size=fitted.size,
            line_height=fitted.line_height,
        )
        if (
            trial is not None
            and len(trial.lines) == len(fitted.lines)
            and trial.size == fitted.size
        ):
            best, hi = trial, mid
        else:
            lo = mid
    return replace(best, box_width=slot.box.w, box_height=slot.box.h)


def _place(slot: TextSlot, fitted: FittedText) -> PlacedText:
    spare = max(0.0, slot.box.h - fitted.height)
    dy = {"top": 0.0, "center": spare / 2, "bottom": spare}[slot.valign]
    return PlacedText(slot, fitted, slot.box.x, slot.box.y + dy)


def _group_key(name: str) -> str:
    for prefix in _GROUPS:
        if name.startswith(prefix):
            return prefix + name.rsplit(".", 1)[-1] if prefix == "details." else prefix
    return name


def fit_plan(plan: FlyerPlan, fonts: Fonts) -> tuple[PlacedText, ...]:
    """Fit every text slot (largest size that fits, never overflowing its box; copy that cannot
    fit at the legibility floor is shortened with an ellipsis). Grouped slots (body points,
    detail labels, detail values) share the smallest of their sizes."""
    first: dict[str, FittedText] = {}
    for slot in plan.texts:
        fitted = _fit_shortened(slot, fonts[slot.font])
        if fitted is not None:
            first[slot.name] = fitted
    group_size: dict[str, float] = {}
    for name, fitted in first.items():
        key = _group_key(name)
        group_size[key] = min(group_size.get(key, fitted.size), fitted.size)
    placed: list[PlacedText] = []
    for slot in plan.texts:
        fitted = first.get(slot.name)
        if fitted is None:
            continue
        size = group_size[_group_key(slot.name)]
        if size < fitted.size:
            fitted = _fit(slot, fonts[slot.font], max_size=size, min_size=size) or fitted
        placed.append(_place(slot, _balanced(slot, fitted)))
    return _stack_lists(tuple(placed))


def _stack_lists(placed: tuple[PlacedText, ...]) -> tuple[PlacedText, ...]:
    """Body points in one column follow each other with a paragraph gap (instead of sitting at
    the tops of equal cells). Each block only moves up, so it stays inside its own cell."""
    out: list[PlacedText] = []
    next_y: dict[float, float] = {}  # column x -> where the next point may start
    for item in placed:
        if not item.slot.name.startswith("body."):
            out.append(item)
            continue
        column = round(item.slot.box.x, 3)
        y = min(item.y, next_y.get(column, item.y))
        out.append(PlacedText(item.slot, item.fitted, item.x, y))
        next_y[column] = y + item.fitted.height + item.fitted.size * 0.8
    return tuple(out)


# ----------------------------------------------------------------------------- painting


def color(value: str) -> int:
    """'#RRGGBB' or '#RRGGBBAA' to a skia colour."""
    v = value.lstrip("#")
    alpha = int(v[6:8], 16) if len(v) == 8 else 255
    return int(skia.ColorSetARGB(alpha, int(v[0:2], 16), int(v[2:4], 16), int(v[4:6], 16)))


def _rect(box: Box) -> skia.Rect:
    return skia.Rect.MakeXYWH(box.x, box.y, box.w, box.h)


def _paint_shape(canvas: skia.Canvas, shape: Shape) -> None:
    # gradients take their alpha from their stops: the paint itself stays opaque
    gradient = shape.kind in ("linear", "radial")
    paint = skia.Paint(AntiAlias=True, Color=skia.ColorBLACK if gradient else color(shape.color))
    r = _rect(shape.box)
    if shape.kind == "linear":
        paint.setShader(
            skia.GradientShader.MakeLinear(
                [skia.Point(r.centerX(), r.top()), skia.Point(r.centerX(), r.bottom())],
                [color(shape.color), color(shape.color2)],
            )
        )
        canvas.drawRect(r, paint)
    elif shape.kind == "radial":
        paint.setShader(
            skia.GradientShader.MakeRadial(
                skia.Point(r.centerX(), r.centerY()),
                r.width() / 2,
                [color(shape.color), color(shape.color2)],
            )
        )
        canvas.drawOval(r, paint)
    elif shape.kind == "circle":
        canvas.drawOval(r, paint)
    elif shape.kind == "stroke":
        paint.setStyle(skia.Paint.kStroke_Style)
        paint.setStrokeWidth(shape.width)
        canvas.drawOval(r, paint)
    elif shape.kind == "round_rect":
        canvas.drawRoundRect(r, shape.radius, shape.radius, paint)
    else:
        canvas.drawRect(r, paint)


@dataclass(frozen=True)
class FlyerImages:
    """Decoded images for one flyer. ``hero`` is a photo (cover) or an RGBA cutout (contain)."""

    hero: skia.Image | None = None
    logo: skia.Image | None = None
    qr: QrMatrix | None = None
    hero_min_fill: float = 1.0  # a too-small cutout may shrink to this fraction of its box
    hero_framing: Framing | None = None  # where a photo hero's subject is (crops keep it)


def image_from_rgba(rgba: np.ndarray) -> skia.Image:
    return skia.Image.fromarray(
        np.ascontiguousarray(rgba),
        colorType=skia.ColorType.kRGBA_8888_ColorType,
        alphaType=skia.AlphaType.kUnpremul_AlphaType,
    )


def placed_image(
    slot: ImageSlot,
    image: skia.Image,
    *,
    min_fill: float = 1.0,
    px_per_unit: float = 0.0,
    framing: Framing | None = None,
) -> tuple[Box, Box]:
    """(source crop in image pixels, destination box) for an image in a slot.

    For "contain" slots with ``px_per_unit`` (the pixels per unit that print sharp, e.g. 300/72
    for points), the image is shrunk towards ``min_fill`` of the slot while that keeps it sharp.
    """
    w, h = image.width(), image.height()
    if slot.fit == "cover":
        # cropped around the subject; a face no crop of this shape can hold: the whole photo
        crop = subject_crop(w, h, slot.box.w, slot.box.h, framing)
        if crop is None:
            return Box(0, 0, w, h), contain(w, h, slot.box, anchor=slot.anchor)
        return crop, slot.box
    anchor = slot.anchor
    dst = contain(w, h, slot.box, anchor=anchor)
    if px_per_unit > 0 and min_fill < 1.0:
        sharp = w / px_per_unit  # widest placement that stays sharp
        target = max(dst.w * min_fill, min(dst.w, sharp))
        dst = contain(w, h, slot.box.place(target, slot.box.h, "center"), anchor=anchor)
    return Box(0, 0, w, h), dst


def _clip(canvas: skia.Canvas, slot: ImageSlot) -> None:
    r = _rect(slot.box)
    if slot.clip == "circle":
        canvas.clipRRect(skia.RRect.MakeOval(r), doAntiAlias=True)
    elif slot.clip == "round":
        canvas.clipRRect(skia.RRect.MakeRectXY(r, slot.radius, slot.radius), doAntiAlias=True)


def _contact_shadow(canvas: skia.Canvas, dst: Box) -> None:
    shadow = Box(dst.x + dst.w * 0.12, dst.bottom - dst.h * 0.05, dst.w * 0.76, dst.h * 0.08)
    paint = skia.Paint(AntiAlias=True, Color=skia.ColorSetARGB(90, 0, 0, 0))
    paint.setMaskFilter(skia.MaskFilter.MakeBlur(skia.kNormal_BlurStyle, max(0.5, dst.h * 0.025)))
    canvas.drawOval(_rect(shadow), paint)


def paint_image(
    canvas: skia.Canvas,
    slot: ImageSlot,
    image: skia.Image,
    *,
    min_fill: float,
    px_per_unit: float,
    framing: Framing | None = None,
) -> tuple[Box, Box]:
    """Draw an image slot; returns the source crop and the destination box it used."""
    src, dst = placed_image(
        slot, image, min_fill=min_fill, px_per_unit=px_per_unit, framing=framing
    )
    if slot.backing:
        card = dst.inset(-slot.backing_pad) if slot.name != "hero" else slot.box
        canvas.drawRoundRect(
            _rect(card),
            slot.radius,
            slot.radius,
            skia.Paint(AntiAlias=True, Color=color(slot.backing)),
        )
    canvas.save()
    _clip(canvas, slot)
    if slot.name == "hero" and slot.fit == "contain":
        _contact_shadow(canvas, dst)
    sampling = skia.SamplingOptions(skia.CubicResampler.Mitchell())
    canvas.drawImageRect(image, _rect(src), _rect(dst), sampling, skia.Paint(AntiAlias=True))
    canvas.restore()
    return src, dst


def _paint_marker(canvas: skia.Canvas, placed: PlacedText) -> None:
    """A round bullet in the gutter, centred on the first line's x-height."""
    size = placed.fitted.size
    r = size * 0.22
    cx = placed.slot.box.x - size * 0.95
    cy = placed.y + placed.fitted.baseline(0) - size * 0.32
    canvas.drawCircle(cx, cy, r, skia.Paint(AntiAlias=True, Color=color(placed.slot.marker)))


def paint_background(canvas: skia.Canvas, plan: FlyerPlan) -> None:
    """The ground and the brand shapes under the pictures (no copy, images or scrims)."""
    canvas.drawColor(color(plan.ground))
    for shape in plan.shapes:
        if not shape.over:
            _paint_shape(canvas, shape)


def paint_plan(
    canvas: skia.Canvas,
    plan: FlyerPlan,
    texts: tuple[PlacedText, ...],
    images: FlyerImages,
    *,
    px_per_unit: float = 300 / 72,
) -> dict[str, tuple[Box, Box]]:
    """Paint the plan with the trim's top-left at the canvas origin. Returns the source crop
    and destination of each image drawn (to report print resolution)."""
    paint_background(canvas, plan)
    used: dict[str, tuple[Box, Box]] = {}
    for slot in plan.images:
        if slot.name == "qr" and images.qr is not None:
            draw_qr(canvas, images.qr, x=slot.box.x, y=slot.box.y, size=slot.box.w)
            side = float(images.qr.modules_with_quiet_zone)
            used["qr"] = (Box(0, 0, side, side), slot.box)
            continue
        image = images.hero if slot.name == "hero" else images.logo if slot.name == "logo" else None
        if image is not None:
            fill = images.hero_min_fill if slot.name == "hero" else 1.0
            framing = images.hero_framing if slot.name == "hero" else None
            used[slot.name] = paint_image(
                canvas, slot, image, min_fill=fill, px_per_unit=px_per_unit, framing=framing
            )
    for shape in plan.shapes:
        if shape.over:
            _paint_shape(canvas, shape)
    for placed in texts:
        if placed.slot.marker:
            _paint_marker(canvas, placed)
        draw_text(
            canvas, placed.fitted, placed.x, placed.y, placed.slot.color[:7], placed.slot.align
        )
    return used

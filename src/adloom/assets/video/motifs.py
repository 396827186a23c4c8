"""The shot vocabulary beyond type and photo: number counters, icons and split screens.

- **Counters.** A number in a scene's line (a price, "80 % in 35 min", "0-100 km/h in 3.9 s",
  "from €11,900") counts up from zero as its word rises, in the headline itself, so its unit,
  currency sign and decimals stay attached and the line reads the same once it has landed.
  Only numbers the line has are animated; years, clock times and "24/7" are left alone.
- **Icons.** A scene without a product picture may carry a line icon from the bundled set
  (``render/icons.py``) on an accent disc above its line: the disc pops in, the icon is revealed
  by a clockwise sweep and a ring ripples out once.
- **Split screens.** "Us vs. the old way" and before/after scenes show the photo in two halves:
  the left in cold grey under a cross, the right in full colour under a tick and the product's
  name, split by an accent rule; with no photo, two panels (grey and the accent colour) carry
  the scene's icon.

Pure where it can be: which words count, what a counting word reads at a time, the layout
boxes. The drawing takes a skia canvas.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import skia

from adloom.render.design import Palette, contrast_ratio, mix
from adloom.render.icons import choose_icon, known_icon, render_icon
from adloom.render.layout import Box
from adloom.render.numbers import (
    attach_units,
    count_progress,
    counting_text,
    has_number,
    number_spans,
)

__all__ = ["attach_units", "count_progress", "counting_text", "has_number", "number_spans"]

ICON_IN = -0.15  # the icon's disc is already popping in on the scene's first frame

# ----------------------------------------------------------------------------- which shot


def scene_shot(shot: str, text: str, product: str, end_card: bool) -> str:
    """What a scene draws beyond type and photo: "counter", "icon", "split" or "type".

    "auto" (scripts from before the shot field, LLM scenes that leave it out) counts a number
    the line has and adds nothing else; a counter asked of a line without a number is plain
    type (a number is never invented); an end card is its own layout."""
    if end_card:
        return "type"
    if shot == "auto":
        return "counter" if has_number(text) else "type"
    if shot == "counter" and not has_number(text):
        return "type"
    return shot


def scene_icon(requested: str | None, *texts: str) -> str | None:
    """The named icon when the set has it, else one chosen by the scene's words."""
    return known_icon(requested) or choose_icon(*texts)


# ----------------------------------------------------------------------------- icons


def icon_box(safe: Box, width: float, height: float, align: str) -> tuple[Box, Box]:
    """(icon box, headline box) for a type-only scene that carries an icon."""
    if width / height > 1.2:  # wide: the line on the left, the icon in the right half
        side = min(height * 0.42, safe.w * 0.3)
        cx = safe.x + safe.w * 0.78
        head = Box(safe.x, safe.y, safe.w * 0.55, safe.h * 0.62)
        return Box(cx - side / 2, height / 2 - side / 2 - safe.h * 0.08, side, side), head
    side = min(safe.h * 0.26, safe.w * 0.42)
    x = safe.cx - side / 2 if align == "center" else safe.x
    icon = Box(x, safe.y + safe.h * 0.05, side, side)
    # the line ends above the captions' band (its top at 85 % of the safe zone, less its pop)
    head = Box(safe.x, icon.bottom + safe.h * 0.04, safe.w, safe.h * 0.44)
    return icon, head


def ease_out_back(p: float) -> float:
    p = min(1.0, max(0.0, p))
    return 1 + 2.7 * (p - 1) ** 3 + 1.7 * (p - 1) ** 2


def _argb(color: str, alpha: float = 1.0) -> int:
    value = color.lstrip("#")
    r, g, b = (int(value[i:i + 2], 16) for i in (0, 2, 4))
    return int(skia.ColorSetARGB(round(255 * min(1.0, max(0.0, alpha))), r, g, b))


def icon_colors(pal: Palette, background: str) -> tuple[str, str]:
    """(disc, stroke): the accent disc when it stands out from the background, else the
    primary; the stroke in the disc's own readable ink."""
    disc = pal.accent if contrast_ratio(pal.accent, background) >= 1.6 else pal.primary
    ink = "#FFFFFF" if contrast_ratio("#FFFFFF", disc) >= contrast_ratio("#111111", disc) \
        else "#111111"
    return disc, ink


def icon_settles_at() -> float:
    return ICON_IN + 0.9


def draw_icon(canvas: skia.Canvas, name: str, box: Box, t: float, pal: Palette,
              background: str) -> None:
    """The icon badge at ``t`` s into its scene: a disc that pops in, a ring that ripples out
    once, and the icon revealed by a clockwise sweep."""
    pop = ease_out_back((t - ICON_IN) / 0.45)
    if pop <= 0:
        return
    disc, ink = icon_colors(pal, background)
    cx, cy, r = box.cx, box.cy, min(box.w, box.h) / 2
    ripple = min(1.0, max(0.0, (t - ICON_IN - 0.2) / 0.7))
    if 0 < ripple < 1:
        ring = skia.Paint(AntiAlias=True, Style=skia.Paint.kStroke_Style,
                          StrokeWidth=max(1.0, r * 0.05), Color=_argb(disc, 0.6 * (1 - ripple)))
        canvas.drawCircle(cx, cy, r * (1 + 0.35 * ripple), ring)
    canvas.drawCircle(cx, cy, r * pop, skia.Paint(AntiAlias=True, Color=_argb(disc)))
    sweep = min(1.0, max(0.0, (t - ICON_IN - 0.15) / 0.55))
    if sweep <= 0:
        return
    side = max(2, round(r * 1.1))
    image = render_icon(name, side, ink, 1.75)
    canvas.save()
    if sweep < 1:
        wedge = skia.Path()
        wedge.moveTo(cx, cy)
        wedge.arcTo(skia.Rect.MakeLTRB(cx - r, cy - r, cx + r, cy + r), -90, 360 * sweep, False)
        wedge.close()
        canvas.clipPath(wedge, skia.ClipOp.kIntersect, True)
    canvas.drawImage(image, cx - side / 2, cy - side / 2,
                     skia.SamplingOptions(skia.FilterMode.kLinear))
    canvas.restore()


# ----------------------------------------------------------------------------- split screens


@dataclass(frozen=True)
class SplitParts:
    """What a split card shows: the picture (RGBA pixels, or None for panels), the icon for
    panels and the right half's label."""

    picture: skia.Image | None
    icon: str | None
    label: str


def _grey(image: skia.Image, tint: str) -> skia.Image:
    """``image`` in cold, dimmed grey: the old way."""
    pixels = np.asarray(image.toarray(colorType=skia.kRGBA_8888_ColorType,
                                      alphaType=skia.kUnpremul_AlphaType)).astype(np.float32)
    luma = pixels[..., :3] @ np.array([0.299, 0.587, 0.114], np.float32)
    r, g, b = (int(tint.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))
    grey = np.stack([luma * 0.62 + 0.18 * c for c in (r, g, b)], axis=-1)
    out = np.dstack([np.clip(grey, 0, 255), pixels[..., 3:]]).astype(np.uint8)
    return skia.Image.fromarray(np.ascontiguousarray(out), colorType=skia.kRGBA_8888_ColorType)


def split_card(parts: SplitParts, w: int, h: int, pal: Palette, body: skia.Typeface,
               unit: float) -> skia.Image:
    """The two halves, side by side, ``w`` x ``h`` px, with their labels and the rule."""
    from adloom.render.text import fit_text, make_font, text_path

    surface = skia.Surface(max(2, w), max(2, h))
    canvas = surface.getCanvas()
    half = w / 2
    left, right = skia.Rect.MakeLTRB(0, 0, half, h), skia.Rect.MakeLTRB(half, 0, w, h)
    cool = mix("#8A94A6", pal.background, 0.15)
    if parts.picture is not None:
        sampling = skia.SamplingOptions(skia.CubicResampler.Mitchell())
        src = skia.Rect.MakeWH(parts.picture.width(), parts.picture.height())
        canvas.save()
        canvas.clipRect(left)
        canvas.drawImageRect(_grey(parts.picture, cool), src, skia.Rect.MakeWH(w, h), sampling)
        canvas.restore()
        canvas.save()
        canvas.clipRect(right)
        canvas.drawImageRect(parts.picture, src, skia.Rect.MakeWH(w, h), sampling)
        canvas.restore()
    else:
        canvas.drawRect(left, skia.Paint(Color=_argb(mix(cool, "#FFFFFF", 0.35))))
        canvas.drawRect(right, skia.Paint(Color=_argb(pal.accent)))
        side = round(min(half, h) * 0.42)
        if parts.icon and side > 4:
            grey_ink = mix(cool, "#000000", 0.25)
            lit_ink = pal.text_on_accent
            canvas.drawImage(render_icon(parts.icon, side, grey_ink, 1.5),
                             half / 2 - side / 2, h / 2 - side / 2)
            canvas.drawImage(render_icon(parts.icon, side, lit_ink, 1.75),
                             half * 1.5 - side / 2, h / 2 - side / 2)
    rule = max(2.0, 8 * unit)
    canvas.drawRect(skia.Rect.MakeLTRB(half - rule / 2, 0, half + rule / 2, h),
                    skia.Paint(Color=_argb(pal.accent)))
    # the labels: a cross on grey over the old half, a tick and the name over the new one
    pad, tag_h = 22 * unit, max(8.0, 64 * unit)
    _tag(canvas, skia.Rect.MakeXYWH(pad, pad, tag_h, tag_h), "x", "#3A3F47", "#FFFFFF")
    name = parts.label
    fitted = fit_text(name, width=half - 3 * pad - tag_h, height=tag_h * 0.6, typeface=body,
                      max_lines=1, min_size=max(4.0, 20 * unit), max_size=40 * unit) \
        if name else None
    width = tag_h + (fitted.width + pad if fitted is not None else 0)
    x = half + pad
    # on the photo the tag is the accent; on the accent panel it is the primary colour
    fill, ink = ((pal.accent, pal.text_on_accent) if parts.picture is not None
                 else (pal.primary, pal.text_on_primary))
    _tag(canvas, skia.Rect.MakeXYWH(x, pad, width, tag_h), "check", fill, ink)
    if fitted is not None:
        path = text_path(fitted.lines[0], make_font(fitted.typeface, fitted.size))
        if path is not None:
            canvas.save()
            canvas.translate(x + tag_h * 0.92, pad + tag_h / 2 + fitted.size * 0.36)
            canvas.drawPath(path, skia.Paint(AntiAlias=True, Color=_argb(ink)))
            canvas.restore()
    return surface.makeImageSnapshot()


def _tag(canvas: skia.Canvas, rect: skia.Rect, icon: str, fill: str, ink: str) -> None:
    h = rect.height()
    canvas.drawRRect(skia.RRect.MakeRectXY(rect, h / 2, h / 2),
                     skia.Paint(AntiAlias=True, Color=_argb(fill)))
    side = max(2, round(h * 0.62))
    canvas.drawImage(render_icon(icon, side, ink, 2.5), rect.left() + (h - side) / 2,
                     rect.top() + (h - side) / 2, skia.SamplingOptions(skia.FilterMode.kLinear))

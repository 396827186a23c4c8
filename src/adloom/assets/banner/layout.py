"""The banner layout as a pure function: sizes, copy, palette and fonts in; boxes out.

:func:`compute_layout` places every element (headline, subhead, CTA button, product or photo,
logo or wordmark) for one banner size and returns a :class:`BannerPlan`. Nothing is drawn
here, so the geometry (inside the banner, no overlaps, AA contrast) is tested without pixels;
``paint.py`` turns a plan into pixels.

Layouts differ by shape class: a row for leaderboards and mobile strips, copy beside media
for rectangles and landscapes, a vertical stack for squares, portraits and skyscrapers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal

import skia

from adloom.assets.banner.sizes import layout_family
from adloom.render.design import (
    WHITE,
    Palette,
    best_text_color,
    contrast_ratio,
    ensure_contrast,
    mix,
)
from adloom.render.framing import Framing, subject_crop
from adloom.render.layout import Anchor, Box, ShapeClass, contain
from adloom.render.text import Align, FittedText, fit_text

MediaMode = Literal["cutout", "photo", "none"]
MAX_UPSCALE = 1.25  # never show a photo larger than this multiple of its pixels


@dataclass(frozen=True)
class CopyText:
    headline: str
    subhead: str
    cta: str
    short_headline: str


@dataclass(frozen=True)
class Fonts:
    heading: skia.Typeface
    body: skia.Typeface
    cta: skia.Typeface


@dataclass(frozen=True)
class Media:
    """The product visual: a cutout (RGBA, tight) or a photo to crop; its pixel size."""

    mode: MediaMode
    width: int = 0
    height: int = 0
    focal: tuple[float, float] = (0.5, 0.5)
    keep: tuple[float, float, float, float] | None = None  # a face a crop must keep whole


Background = Literal["gradient", "color_field", "shapes", "split"]


@dataclass(frozen=True)
class LayoutHints:
    """Arrangement hints from the scenes step (``BannerLayout``) for one shape class."""

    arrangement: str = "text_left"  # text_left/right/top/bottom/center/only
    background: Background = "split"
    product: bool = True
    logo: bool = True
    # no product picture: the media panel holds a brand graphic in the background's style
    graphic: bool = False


@dataclass(frozen=True)
class BannerSpec:
    width: int
    height: int
    copy: CopyText
    palette: Palette
    fonts: Fonts
    media: Media
    logo: tuple[int, int] | None  # logo pixel size, None = wordmark
    brand_name: str
    hints: LayoutHints = LayoutHints()
    extra_line: str = ""  # the offer or tagline, shown where tall layouts have room


@dataclass(frozen=True)
class TextElement:
    role: str  # headline, subhead, cta, brand
    box: Box  # the block the text occupies (ink lies inside)
    fitted: FittedText
    color: str
    on: str  # the flat colour under the text
    align: Align


@dataclass(frozen=True)
class ImageElement:
    role: str  # product, photo, logo
    box: Box
    crop: Box | None = None  # source rectangle for photos (cover)
    radius: float = 0.0  # rounded corners (photo cards)


@dataclass(frozen=True)
class Shape:
    kind: Literal["rect", "circle", "rrect", "gradient"]
    box: Box
    color: str
    radius: float = 0.0
    color2: str = ""  # end colour of a top-to-bottom gradient


@dataclass(frozen=True)
class BannerPlan:
    width: int
    height: int
    shape: ShapeClass
    background: str
    shapes: tuple[Shape, ...]
    images: tuple[ImageElement, ...]
    texts: tuple[TextElement, ...]
    button: Shape | None
    used_short_headline: bool

    def content_boxes(self) -> list[tuple[str, Box]]:
        """Boxes that must not overlap: texts (the CTA as its button) and images."""
        boxes = [(t.role, t.box) for t in self.texts if t.role != "cta"]
        if self.button is not None:
            boxes.append(("cta", self.button.box))
        boxes += [(i.role, i.box) for i in self.images]
        return boxes


# ------------------------------------------------------------------ text stacks


@dataclass(frozen=True)
class _Stack:
    """Text settings for one layout: line limits and size ranges."""

    headline_lines: int
    headline_max: float
    headline_min: float
    subhead_lines: int
    subhead_max: float
    subhead_min: float
    cta_size: float
    gap: float
    align: Align = "left"
    valign: Literal["top", "center", "bottom"] = "center"


def _fit_headline(
    spec: BannerSpec, text: str, column: Box, st: _Stack, height: float
) -> FittedText | None:
    return fit_text(
        text,
        width=column.w,
        height=height,
        typeface=spec.fonts.heading,
        max_lines=st.headline_lines,
        min_size=st.headline_min,
        max_size=st.headline_max,
        line_height=1.08,
        balance=True,
    )


def _headline(
    spec: BannerSpec, column: Box, st: _Stack, height: float
) -> tuple[FittedText, bool] | None:
    """The full headline, or the short one when the full one cannot fit or would be cramped
    (below 1.5x the floor while the short one gets at least 1.3x larger)."""
    full = _fit_headline(spec, spec.copy.headline, column, st, height)
    if full is not None and full.size >= st.headline_min * 1.5:
        return full, False
    short = _fit_headline(spec, spec.copy.short_headline, column, st, height)
    if full is not None and (short is None or short.size < full.size * 1.3):
        return full, False
    return (short, True) if short is not None else None


def _subhead(
    spec: BannerSpec, column: Box, st: _Stack, height: float, cap: float
) -> FittedText | None:
    if st.subhead_lines < 1 or height < st.subhead_min:
        return None
    return fit_text(
        spec.copy.subhead,
        width=column.w,
        height=height,
        typeface=spec.fonts.body,
        max_lines=st.subhead_lines,
        min_size=st.subhead_min,
        max_size=min(st.subhead_max, cap),
        line_height=1.25,
    )


def cta_colors(palette: Palette) -> tuple[str, str]:
    """Button fill and label: the accent with a white label when a slightly deeper accent
    allows it, else the accent with the darkest AA label."""
    deeper = ensure_contrast(palette.accent, WHITE)
    if contrast_ratio(deeper, palette.accent) < 1.45:
        return deeper, WHITE
    return palette.accent, best_text_color(palette.accent, [palette.text, "#111111", WHITE])


def _button(spec: BannerSpec, size: float, max_w: float) -> tuple[Shape, FittedText] | None:
    """A CTA button whose label is at most ``size`` px and fits ``max_w``."""
    pad_x, height_factor = 1.1, 2.3
    label = fit_text(
        spec.copy.cta,
        width=max(1.0, max_w - 2 * pad_x * size * 0.6),
        height=size * 1.6,
        typeface=spec.fonts.cta,
        max_lines=1,
        min_size=min(9.0, size),
        max_size=size,
    )
    if label is None:
        return None
    pad = pad_x * label.size
    w, h = label.width + 2 * pad, label.size * height_factor
    fill, _ = cta_colors(spec.palette)
    return Shape("rrect", Box(0, 0, min(w, max_w), h), fill, radius=h * 0.18), label


def _place_button(
    spec: BannerSpec, button: tuple[Shape, FittedText], x: float, y: float
) -> tuple[Shape, TextElement]:
    shape, label = button
    box = Box(x, y, shape.box.w, shape.box.h)
    fill, ink = cta_colors(spec.palette)
    inner = Box(
        box.x + (box.w - label.width) / 2,
        box.y + (box.h - label.height) / 2,
        label.width,
        label.height,
    )
    fitted = replace(label, box_width=label.width)
    return replace(shape, box=box), TextElement("cta", inner, fitted, ink, fill, "left")


def _stack_texts(
    spec: BannerSpec, column: Box, st: _Stack, *, with_cta: bool = True
) -> tuple[list[TextElement], Shape | None, bool] | None:
    """Headline, subhead and CTA stacked in ``column``; None when the headline cannot fit."""
    pal = spec.palette
    button = _button(spec, st.cta_size, column.w) if with_cta else None
    reserved = (button[0].box.h + st.gap * 1.3) if button else 0.0
    room = column.h - reserved
    if room <= 0:
        return None
    head_room = room * 0.66 if st.subhead_lines else room
    found = _headline(spec, column, st, head_room)
    if found is None:
        return None
    head, short = found
    sub_room = room - head.height - st.gap
    sub = _subhead(spec, column, st, sub_room, head.size * 0.62)
    heights = [head.height] + ([sub.height] if sub else [])
    total = sum(heights) + st.gap * (len(heights) - 1) + reserved
    y = {
        "top": column.y,
        "center": column.y + (column.h - total) / 2,
        "bottom": column.bottom - total,
    }[st.valign]
    texts = [
        TextElement(
            "headline",
            Box(column.x, y, column.w, head.height),
            head,
            ensure_contrast(pal.primary, pal.background),
            pal.background,
            st.align,
        )
    ]
    y += head.height + st.gap
    if sub:
        texts.append(
            TextElement(
                "subhead",
                Box(column.x, y, column.w, sub.height),
                sub,
                pal.text,
                pal.background,
                st.align,
            )
        )
        y += sub.height + st.gap
    shape = None
    if button:
        y += st.gap * 0.3
        bx = {"left": column.x, "center": column.cx - button[0].box.w / 2}.get(
            st.align, column.right - button[0].box.w
        )
        shape, label = _place_button(spec, button, bx, y)
        texts.append(label)
    return texts, shape, short


# ------------------------------------------------------------------ media


def _product_box(spec: BannerSpec, area: Box, anchor: str = "center") -> Box | None:
    m = spec.media
    if m.mode != "cutout" or area.w < 12 or area.h < 12:
        return None
    return contain(m.width, m.height, area, anchor=anchor, max_scale=MAX_UPSCALE).rounded()  # type: ignore[arg-type]


def _photo(
    spec: BannerSpec,
    panel: Box,
    *,
    rounded: bool = False,
    card_inset: float = 0.0,
    card_anchor: Anchor = "center",
) -> ImageElement | None:
    """The photo filling ``panel`` (cropped around its subject, faces kept whole); when that
    would enlarge it past MAX_UPSCALE, a smaller rounded card instead (placed at
    ``card_anchor`` inside the panel less ``card_inset`` on each side), so it stays sharp.
    When no crop of the panel's shape can hold the face, the whole photo is shown as a card."""
    m = spec.media
    if m.mode != "photo" or panel.w < 8 or panel.h < 8:
        return None
    scale = max(panel.w / m.width, panel.h / m.height)
    box = panel.rounded()
    radius = max(4.0, min(box.w, box.h) * 0.04) if rounded else 0.0
    if scale > MAX_UPSCALE:
        area = panel.inset(card_inset, 0)
        shrink = min(MAX_UPSCALE / scale, area.w / panel.w)
        box = area.place(panel.w * shrink, panel.h * shrink, card_anchor).rounded()
        radius = max(4.0, min(box.w, box.h) * 0.04)
    crop = subject_crop(m.width, m.height, box.w, box.h, Framing(m.focal, m.keep))
    if crop is None:
        area = panel.inset(card_inset, 0)
        whole = contain(m.width, m.height, area, anchor=card_anchor, max_scale=MAX_UPSCALE)
        box, crop = whole.rounded(), Box(0, 0, m.width, m.height)
        radius = max(4.0, min(box.w, box.h) * 0.04)
    return ImageElement("photo", box, crop, radius)


def _logo_box(spec: BannerSpec, area: Box, anchor: str = "top_left") -> Box | None:
    if spec.logo is None or area.w < 10 or area.h < 10:
        return None
    w, h = spec.logo
    return contain(w, h, area, anchor=anchor, max_scale=1.0).rounded()  # type: ignore[arg-type]


def _wordmark(spec: BannerSpec, area: Box, align: Align, size: float) -> TextElement | None:
    pal = spec.palette
    fitted = fit_text(
        spec.brand_name.upper(),
        width=area.w,
        height=area.h,
        typeface=spec.fonts.cta,
        max_lines=1,
        min_size=9,
        max_size=size,
    )
    if fitted is None:
        return None
    return TextElement(
        "brand",
        Box(area.x, area.y + (area.h - fitted.height) / 2, area.w, fitted.height),
        fitted,
        ensure_contrast(pal.primary, pal.background),
        pal.background,
        align,
    )


def _brand_mark(
    spec: BannerSpec, area: Box, align: Align, size: float
) -> tuple[list[ImageElement], list[TextElement]]:
    """The logo when there is one, else the brand name as a small wordmark."""
    if spec.logo is not None:
        anchor = {"left": "left", "center": "center", "right": "right"}[align]
        box = _logo_box(spec, area, anchor)
        return ([ImageElement("logo", box)] if box else []), []
    mark = _wordmark(spec, area, align, size)
    return [], ([mark] if mark else [])


def _panel(spec: BannerSpec, panel: Box) -> list[Shape]:
    """The media panel's background: a flat colour field, or a gradient of it."""
    pal = spec.palette
    if spec.hints.background == "gradient":
        return [
            Shape(
                "gradient",
                panel.rounded(),
                pal.secondary,
                color2=mix(pal.secondary, pal.primary, 0.35),
            )
        ]
    return [Shape("rect", panel.rounded(), pal.secondary)]


def _media_decor(spec: BannerSpec, panel: Box, product: Box | None) -> list[Shape]:
    """The panel plus a brand circle behind the product (and an accent dot for "shapes")."""
    pal = spec.palette
    shapes = _panel(spec, panel)
    if product is not None:
        d = min(panel.w, panel.h) * 0.86
        circle = Box(product.cx - d / 2, product.cy - d / 2 + product.h * 0.04, d, d)
        shapes.append(Shape("circle", circle, pal.primary))
        if spec.hints.background == "shapes":
            dot = d * 0.22
            shapes.append(
                Shape(
                    "circle",
                    Box(circle.right - dot * 1.1, circle.y + dot * 0.1, dot, dot),
                    pal.accent,
                )
            )
    return shapes


def brand_graphic(spec: BannerSpec, panel: Box) -> list[Shape]:
    """A banner without a product picture: the media panel carries a graphic in the brand's
    colours, drawn in the style of the layout family's background (``render.looks``), so
    brands and ideas do not all come out as type on a blank ground."""
    pal, kind = spec.palette, spec.hints.background
    box = panel.rounded()
    if box.w < 24 or box.h < 24:
        return []
    d = min(box.w, box.h)
    if kind == "shapes":
        big = box.place(d * 0.9, d * 0.9, "center")
        dot = d * 0.26
        return [Shape("circle", big, pal.primary),
                Shape("circle", Box(big.right - dot, big.y, dot, dot), pal.accent)]
    if kind == "gradient":  # two overlapping discs, a tint and the primary
        big = box.place(d * 0.86, d * 0.86, "center")
        small = d * 0.5
        return [Shape("circle", big, mix(pal.secondary, pal.primary, 0.3)),
                Shape("circle", Box(big.right - small * 0.85, big.bottom - small * 0.85,
                                    small, small), pal.primary)]
    if kind == "split":
        band = max(4.0, round(box.h * 0.14))
        return [Shape("rect", box, pal.primary),
                Shape("rect", Box(box.x, box.bottom - band, box.w, band), pal.accent)]
    # color_field: an upright pill in the primary with an accent dot at its foot
    pill_w = min(box.w * 0.62, box.h * 0.55)
    pill = box.place(pill_w, min(box.h, pill_w * 1.7), "center").rounded()
    dot = pill_w * 0.34
    return [Shape("rrect", pill, pal.primary, radius=pill_w / 2),
            Shape("circle", Box(pill.x - dot * 0.35, pill.bottom - dot * 0.9, dot, dot),
                  pal.accent)]


# ------------------------------------------------------------------ layouts per shape


def _margin(spec: BannerSpec) -> float:
    return max(6.0, min(56.0, round(min(spec.width, spec.height) * 0.075)))


def _plan(
    spec: BannerSpec,
    shape: ShapeClass,
    shapes: list[Shape],
    images: list[ImageElement],
    texts: list[TextElement],
    button: Shape | None,
    short: bool,
) -> BannerPlan:
    return BannerPlan(
        spec.width,
        spec.height,
        shape,
        spec.palette.background,
        tuple(shapes),
        tuple(images),
        tuple(texts),
        button,
        short,
    )


def _row(spec: BannerSpec, shape: ShapeClass) -> BannerPlan | None:
    """Leaderboards and mobile strips: [media] [brand] [headline] [CTA] in one row."""
    W, H = spec.width, spec.height
    my = max(5.0, round(H * 0.14))
    mx = max(8.0, round(H * 0.22))
    canvas = Box(0, 0, W, H)
    shapes: list[Shape] = []
    images: list[ImageElement] = []
    texts: list[TextElement] = []
    rest = canvas.pad(left=mx, right=mx)
    if spec.media.mode != "none" and W >= 300:
        media_w = min(W * 0.22, H * 1.9) if spec.media.mode == "photo" else min(W * 0.18, H * 1.5)
        panel, _ = canvas.take_left(media_w)
        rest = rest.pad(left=media_w)
        if spec.media.mode == "photo":
            photo = _photo(spec, panel)
            images += [photo] if photo else []
        else:
            product = _product_box(spec, panel.inset(H * 0.08))
            shapes += _panel(spec, panel)
            images += [ImageElement("product", product)] if product else []
    stacked_cta = shape == "mobile_strip" and H >= 90  # 320x100: headline over the CTA
    cta_size = max(10.0, min(H * (0.13 if stacked_cta else 0.16), 18.0))
    button = None if stacked_cta else _button(spec, cta_size, rest.w * 0.4)
    btn_shape = None
    if button:
        bx = rest.right - button[0].box.w
        btn_shape, label = _place_button(spec, button, bx, (H - button[0].box.h) / 2)
        texts.append(label)
        rest = rest.pad(right=button[0].box.w + mx)
    if W >= 728 and H >= 60:
        mark_w = min(rest.w * 0.18, H * 1.6)
        mark_area = Box(rest.x, my, mark_w, H - 2 * my)
        logo_imgs, marks = _brand_mark(spec, mark_area.inset(0, H * 0.06), "left", H * 0.22)
        if logo_imgs or marks:
            images += logo_imgs
            texts += marks
            rest = rest.pad(left=mark_w + mx)
    column = Box(rest.x, my, rest.w, H - 2 * my)
    st = _Stack(
        headline_lines=2 if H >= 80 else 1,
        headline_max=H * 0.3,
        headline_min=11,
        subhead_lines=1 if H >= 90 and W >= 900 else 0,
        subhead_max=H * 0.16,
        subhead_min=11,
        cta_size=cta_size,
        gap=H * 0.04,
    )
    stacked = _stack_texts(spec, column, st, with_cta=stacked_cta)
    if stacked is None:
        return None
    t, stacked_button, short = stacked
    return _plan(spec, shape, shapes, images, texts + t, stacked_button or btn_shape, short)


def _side_by_side(spec: BannerSpec, shape: ShapeClass) -> BannerPlan | None:
    """Rectangles and landscapes: copy column on the left, media panel on the right."""
    W, H = spec.width, spec.height
    m = _margin(spec)
    canvas = Box(0, 0, W, H)
    media_fraction = 0.42 if shape == "rectangle" else 0.45
    shapes: list[Shape] = []
    images: list[ImageElement] = []
    texts: list[TextElement] = []
    copy_area = canvas
    # a graphic needs less room than a picture, and small rectangles keep all of it for copy
    graphic = spec.media.mode == "none" and spec.hints.graphic and W >= 400
    if graphic:
        media_fraction *= 0.7
    if spec.media.mode != "none" or graphic:
        if spec.hints.arrangement == "text_right":
            panel, copy_area = canvas.take_left(round(W * media_fraction))
        else:
            panel, copy_area = canvas.take_right(round(W * media_fraction))
        if spec.media.mode == "none":
            shapes += brand_graphic(spec, panel)
        elif spec.media.mode == "photo":
            photo = _photo(spec, panel)
            shapes += _panel(spec, panel)
            images += [photo] if photo else []
        else:
            product = _product_box(spec, panel.inset(panel.w * 0.1, H * 0.12))
            shapes += _media_decor(spec, panel, product)
            images += [ImageElement("product", product)] if product else []
    column = copy_area.inset(m)
    mark_h = max(14.0, round(H * 0.12))
    mark_area, body = column.take_top(mark_h, gap=m * 0.6)
    logo_imgs, marks = _brand_mark(
        spec, Box(mark_area.x, mark_area.y, mark_area.w * 0.6, mark_area.h), "left", mark_h * 0.7
    )
    if not (logo_imgs or marks):
        body = column
    images += logo_imgs
    texts += marks
    st = _Stack(
        headline_lines=3,
        headline_max=min(H * 0.16, W * 0.07),
        headline_min=12,
        subhead_lines=0 if shape == "rectangle" and H < 250 else 2,
        subhead_max=H * 0.06,
        subhead_min=11,
        cta_size=max(11.0, min(H * 0.055, 30.0)),
        gap=max(6.0, H * 0.035),
        valign="center",
    )
    stacked = _stack_texts(spec, body, st)
    if stacked is None:
        return None
    t, btn, short = stacked
    return _plan(spec, shape, shapes, images, texts + t, btn, short)


def _stack(spec: BannerSpec, shape: ShapeClass) -> BannerPlan | None:
    """Squares, portraits and skyscrapers: brand, copy, media, CTA from top to bottom."""
    W, H = spec.width, spec.height
    m = _margin(spec)
    inner = Box(0, 0, W, H).inset(m)
    narrow = W < 200
    align: Align = "center" if narrow or shape == "skyscraper" else "left"
    shapes: list[Shape] = []
    images: list[ImageElement] = []
    texts: list[TextElement] = []
    mark_h = max(14.0, round(min(W, H) * 0.1))
    mark_area, rest = inner.take_top(mark_h, gap=m * 0.6)
    logo_imgs, marks = (
        _brand_mark(spec, mark_area, align, mark_h * 0.75) if W >= 300 or H > W * 1.5 else ([], [])
    )
    if not (logo_imgs or marks):
        rest = inner
    images += logo_imgs
    texts += marks
    cta_size = max(11.0, min(W * 0.055, 34.0))
    button = _button(spec, cta_size, rest.w)
    btn_shape = None
    if button is not None:
        bw, bh = button[0].box.w, button[0].box.h
        bx = {"left": rest.x, "center": rest.cx - bw / 2}.get(align, rest.right - bw)
        btn_shape, label = _place_button(spec, button, bx, rest.bottom - bh)
        texts.append(label)
        rest = rest.pad(bottom=bh + m * 0.6)
    media_share = {"square": 0.42, "portrait": 0.5, "skyscraper": 0.45}.get(shape, 0.45)
    if spec.media.mode == "none":
        media_share = 0.3 if spec.hints.graphic else 0.0
    copy_area = Box(rest.x, rest.y, rest.w, rest.h * (1 - media_share))
    st = _Stack(
        headline_lines=4 if shape == "skyscraper" else 3,
        headline_max=min(W * 0.15, H * 0.1, 120),
        headline_min=12,
        subhead_lines=3 if H >= 400 else (2 if H >= 250 else 0),
        subhead_max=max(12.0, W * 0.055),
        subhead_min=11,
        cta_size=cta_size,
        gap=max(5.0, min(W, H) * 0.03),
        align=align,
        valign="top",
    )
    stacked = _stack_texts(spec, copy_area, st, with_cta=False)
    if stacked is None:
        return None
    copy_texts, _, short = stacked
    texts += copy_texts
    top = max(x.box.bottom for x in copy_texts) + m * 0.6
    panel = Box(0, top, W, max(0.0, rest.bottom - top))
    panel, extra = _extra_line(spec, panel, rest, align, st.subhead_max * 1.15, m)
    texts += [extra] if extra else []
    if spec.media.mode == "photo" and panel.h >= 24:
        photo = _photo(
            spec, panel, card_inset=m, card_anchor="left" if align == "left" else "center"
        )
        images += [photo] if photo else []
    elif spec.media.mode == "none" and spec.hints.graphic and panel.h >= min(W, H) * 0.15:
        shapes += brand_graphic(spec, Box(rest.x, panel.y, rest.w, panel.h))
    elif spec.media.mode == "cutout" and panel.h >= 24:
        d = min(panel.w - 2 * m, panel.h)
        circle = panel.place(d, d, "center")
        product = _product_box(spec, circle.inset(d * 0.04))
        if product is not None:
            shapes.append(Shape("circle", circle, spec.palette.primary))
            images.append(ImageElement("product", product))
    return _plan(spec, shape, shapes, images, texts, btn_shape, short)


def _extra_line(
    spec: BannerSpec, panel: Box, column: Box, align: Align, size: float, gap: float
) -> tuple[Box, TextElement | None]:
    """Where a tall layout leaves more height than the media can use, the offer (or tagline)
    goes above the CTA, taking its height from the bottom of the media panel."""
    if not spec.extra_line or panel.h < column.w * 1.35:
        return panel, None
    fitted = fit_text(
        spec.extra_line,
        width=column.w,
        height=panel.h * 0.2,
        typeface=spec.fonts.cta,
        max_lines=2,
        min_size=11,
        max_size=size,
        balance=True,
    )
    if fitted is None:
        return panel, None
    pal = spec.palette
    y = panel.bottom - fitted.height
    line = TextElement(
        "offer",
        Box(column.x, y, column.w, fitted.height),
        fitted,
        ensure_contrast(pal.accent, pal.background),
        pal.background,
        align,
    )
    return Box(panel.x, panel.y, panel.w, max(0.0, y - gap - panel.y)), line


def _square(spec: BannerSpec, shape: ShapeClass) -> BannerPlan | None:
    """Squares: brand and copy across the top; CTA bottom left, product bottom right."""
    W, H = spec.width, spec.height
    if spec.media.mode == "none":
        return _stack(spec, shape)
    m = _margin(spec)
    inner = Box(0, 0, W, H).inset(m)
    shapes: list[Shape] = []
    images: list[ImageElement] = []
    texts: list[TextElement] = []
    rest = inner
    if W >= 300:
        mark_h = max(14.0, round(W * 0.1))
        mark_area, rest = inner.take_top(mark_h, gap=m * 0.6)
        logo_imgs, marks = _brand_mark(spec, mark_area, "left", mark_h * 0.75)
        images += logo_imgs
        texts += marks
        if not (logo_imgs or marks):
            rest = inner
    st = _Stack(
        headline_lines=3,
        headline_max=min(W * 0.1, 110),
        headline_min=12,
        subhead_lines=2 if W >= 300 else 0,
        subhead_max=max(12.0, W * 0.04),
        subhead_min=11,
        cta_size=max(11.0, min(W * 0.05, 34.0)),
        gap=max(5.0, W * 0.03),
        valign="top",
    )
    stacked = _stack_texts(spec, Box(rest.x, rest.y, rest.w, rest.h * 0.5), st, with_cta=False)
    if stacked is None:
        return None
    copy_texts, _, short = stacked
    texts += copy_texts
    top = max(x.box.bottom for x in copy_texts) + m * 0.5
    bottom_area = Box(rest.x, top, rest.w, rest.bottom - top)
    button = _button(spec, st.cta_size, bottom_area.w * 0.6)
    if button is None:
        return None
    left, right = bottom_area.take_left(button[0].box.w, gap=m * 0.5)
    btn_shape, label = _place_button(spec, button, left.x, left.bottom - button[0].box.h)
    texts.append(label)
    if spec.media.mode == "photo":
        photo = _photo(spec, right, rounded=True)
        images += [photo] if photo else []
        return _plan(spec, shape, shapes, images, texts, btn_shape, short)
    d = min(right.w, right.h + m * 0.5)
    product = _product_box(spec, right.inset(d * 0.04), "bottom_right")
    if product is not None:
        circle = Box(product.cx - d / 2, product.cy - d / 2, d, d)
        shapes.append(Shape("circle", circle, spec.palette.primary))
        images.append(ImageElement("product", product))
    return _plan(spec, shape, shapes, images, texts, btn_shape, short)


_LAYOUTS: dict[str, Callable[[BannerSpec, ShapeClass], BannerPlan | None]] = {
    "leaderboard": _row,
    "mobile_strip": _row,
    "rectangle": _side_by_side,
    "landscape": _side_by_side,
    "square": _square,
    "portrait": _stack,
    "skyscraper": _stack,
}


def _apply_hints(spec: BannerSpec) -> BannerSpec:
    hints = spec.hints
    if not hints.product or hints.arrangement == "text_only":
        spec = replace(spec, media=Media("none"))
    if not hints.logo:
        spec = replace(spec, logo=None, brand_name="")
    return spec


def _text_only(spec: BannerSpec) -> BannerSpec:
    return replace(spec, media=Media("none"), hints=replace(spec.hints, graphic=False))


def compute_layout(spec: BannerSpec) -> BannerPlan:
    """Place every element of one banner. Falls back to the short headline, then to a
    layout without the product, then to headline + CTA only, so something always fits."""
    shape = layout_family(spec.width, spec.height)
    layout = _LAYOUTS[shape]
    spec = _apply_hints(spec)
    for attempt in (spec, _text_only(spec), replace(_text_only(spec), logo=None, brand_name="")):
        plan = layout(attempt, shape)
        if plan is not None:
            return plan
    return _bare(spec, shape)


def _bare(spec: BannerSpec, shape: ShapeClass) -> BannerPlan:
    """Last resort: only the short headline, as large as fits (may be empty)."""
    canvas = Box(0, 0, spec.width, spec.height).inset(2)
    fitted = fit_text(
        spec.copy.short_headline,
        width=canvas.w,
        height=canvas.h,
        typeface=spec.fonts.heading,
        max_lines=3,
        min_size=8,
        max_size=canvas.h,
    )
    pal = spec.palette
    texts: tuple[TextElement, ...] = ()
    if fitted is not None:
        texts = (
            TextElement(
                "headline",
                Box(canvas.x, canvas.y + (canvas.h - fitted.height) / 2, canvas.w, fitted.height),
                fitted,
                ensure_contrast(pal.primary, pal.background),
                pal.background,
                "center",
            ),
        )
    return BannerPlan(spec.width, spec.height, shape, pal.background, (), (), texts, None, True)

"""The four flyer layout families as pure functions: format + copy + palette -> boxes.

Nothing here draws or reads files. :func:`plan_flyer` returns a :class:`FlyerPlan` (shapes,
image slots and text slots, in trim coordinates: origin at the trim's top-left, y down, points
for print and pixels for social). :mod:`.compose` fits the text into its slots and paints the
plan on a raster or PDF canvas, so the same plan gives the PDF and the PNG preview.

Every text slot sits inside the format's safe area; decorative shapes and photos may run into
the bleed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal

from adloom.render.design import (
    AA_NORMAL,
    BLACK,
    WHITE,
    Palette,
    best_text_color,
    ensure_contrast,
    luminance,
    mix,
)
from adloom.render.layout import Box

from .formats import FlyerFormat

Family = Literal["event", "launch", "offer", "awareness"]
HeroKind = Literal["product", "photo", "typographic"]
FontRole = Literal["heading", "body", "body_bold"]
Align = Literal["left", "center", "right"]
ShapeKind = Literal["rect", "round_rect", "circle", "linear", "radial", "stroke"]

FAMILIES: tuple[Family, ...] = ("event", "launch", "offer", "awareness")


@dataclass(frozen=True)
class FlyerCopy:
    """Everything a flyer says, already chosen from the script and the campaign."""

    headline: str
    subhead: str
    body: tuple[str, ...]
    cta: str
    eyebrow: str = ""
    details: tuple[tuple[str, str], ...] = ()  # (label, value): ("Date", "21 Jan 2027")...
    offer: str = ""
    price: str = ""
    brand_name: str = ""
    qr_caption: str = ""
    display_url: str = ""


@dataclass(frozen=True)
class Visuals:
    """Which images the flyer has."""

    hero: HeroKind = "product"
    logo: bool = True
    qr: bool = True
    logo_on_card: bool = False  # an opaque (no transparency) logo sits on a white card


@dataclass(frozen=True)
class Shape:
    """A decorative fill. ``color2`` is the end colour of gradients."""

    kind: ShapeKind
    box: Box
    color: str
    color2: str = ""
    radius: float = 0.0
    width: float = 0.0  # stroke width
    over: bool = False  # drawn over the images (scrims, fades), under the text


@dataclass(frozen=True)
class TextSlot:
    """A piece of copy and the box it must fit in."""

    name: str
    text: str
    box: Box
    font: FontRole
    color: str
    max_lines: int
    min_size: float
    max_size: float
    align: Align = "left"
    line_height: float = 1.15
    valign: Literal["top", "center", "bottom"] = "top"
    marker: str = ""  # colour of a bullet drawn in the gutter left of the first line
    floor: float = (
        7.0  # legibility floor: copy too long for min_size may shrink to this, never below
    )


@dataclass(frozen=True)
class ImageSlot:
    """Where the hero image, logo or QR code goes."""

    name: Literal["hero", "logo", "qr"]
    box: Box
    fit: Literal["cover", "contain"] = "contain"
    clip: Literal["none", "round", "circle"] = "none"
    radius: float = 0.0
    backing: str = ""  # colour of a card drawn behind the image ("" for none)
    backing_pad: float = 0.0
    anchor: Literal["center", "bottom", "left", "top_left"] = "bottom"


@dataclass(frozen=True)
class FlyerPlan:
    fmt: FlyerFormat
    family: Family
    ground: str
    shapes: tuple[Shape, ...]
    images: tuple[ImageSlot, ...]
    texts: tuple[TextSlot, ...]
    content: Box  # the area text may use (inside the safe area)

    def image(self, name: str) -> ImageSlot | None:
        return next((slot for slot in self.images if slot.name == name), None)


# ----------------------------------------------------------------------------- helpers


@dataclass(frozen=True)
class _Kit:
    """Shared measures for one format."""

    fmt: FlyerFormat
    content: Box
    u: float  # 1 % of the trim width
    floor: float  # legibility floor for the smallest text
    qr: float  # side of the QR code (quiet zone included); the action row is this tall

    def size(self, fraction: float) -> float:
        return max(self.floor, fraction * self.fmt.width)

    def full_bleed(self, top: float, bottom: float) -> Box:
        b = self.fmt.bleed
        y0 = -b if top <= 0 else top
        y1 = self.fmt.height + b if bottom >= self.fmt.height else bottom
        return Box(-b, y0, self.fmt.width + 2 * b, y1 - y0)


def _kit(fmt: FlyerFormat) -> _Kit:
    margin = max(fmt.safe, 0.07 * fmt.width)
    safe = fmt.safe_area
    trim = fmt.trim.inset(margin)
    top, bottom = max(trim.y, safe.y), min(trim.bottom, safe.bottom)
    content = Box(trim.x, top, trim.w, bottom - top)
    floor = 18.0 if fmt.social else 7.0
    # small formats get a relatively larger code so its modules stay >= ~0.5 mm in print and
    # several pixels on a phone screen, even with long tracked URLs
    qr = fmt.width * (0.22 if fmt.social or fmt.width < 500 else 0.19)
    return _Kit(fmt=fmt, content=content, u=fmt.width / 100, floor=floor, qr=qr)


def _dark_ground(p: Palette) -> str:
    for candidate in (p.secondary, p.primary, p.text):
        if luminance(candidate) < 0.08:
            return candidate
    return mix(p.primary, BLACK, 0.55)


def _on(ground: str, *preferred: str) -> str:
    return best_text_color(ground, [*preferred, WHITE, BLACK])


def _accent_on(p: Palette, ground: str, ratio: float = AA_NORMAL) -> str:
    return ensure_contrast(p.accent, ground, min_ratio=ratio)


def _text(
    kit: _Kit,
    name: str,
    text: str,
    box: Box,
    *,
    font: FontRole,
    color: str,
    lines: int,
    size: tuple[float, float],
    align: Align = "left",
    line_height: float = 1.15,
    valign: Literal["top", "center", "bottom"] = "top",
) -> TextSlot:
    lo, hi = kit.size(size[0]), kit.size(size[1])
    return TextSlot(
        name,
        text,
        box,
        font,
        color,
        lines,
        lo,
        max(lo, hi),
        align,
        line_height,
        valign,
        floor=kit.floor,
    )


def _body_slots(
    kit: _Kit,
    points: tuple[str, ...],
    box: Box,
    *,
    color: str,
    size: tuple[float, float],
    columns: int = 1,
    prefix: str = "body",
    marker: str = "",
) -> list[TextSlot]:
    """One slot per body point, in rows (and columns), all inside ``box``. With a ``marker``
    colour, a gutter on the left of each cell holds the bullet."""
    if not points:
        return []
    gutter = 3.6 * kit.u if marker else 0.0
    rows = -(-len(points) // columns)
    gap_y = 1.2 * kit.u
    gap_x = 3 * kit.u
    cell_w = (box.w - gap_x * (columns - 1)) / columns
    cell_h = (box.h - gap_y * (rows - 1)) / rows
    slots = []
    for i, point in enumerate(points):
        row, col = divmod(i, columns)
        cell = Box(box.x + col * (cell_w + gap_x), box.y + row * (cell_h + gap_y), cell_w, cell_h)
        slot = _text(
            kit,
            f"{prefix}.{i}",
            point,
            cell.pad(left=gutter),
            font="body",
            color=color,
            lines=3,
            size=size,
            line_height=1.22,
        )
        slots.append(replace(slot, marker=marker))
    return slots


def _action_row(
    kit: _Kit,
    row: Box,
    copy: FlyerCopy,
    visuals: Visuals,
    *,
    button: str,
    button_text: str,
    caption_color: str,
    qr_backing: str = "",
) -> tuple[list[Shape], list[ImageSlot], list[TextSlot]]:
    """CTA button on the left; QR code (with its caption beside it) on the right."""
    shapes: list[Shape] = []
    images: list[ImageSlot] = []
    texts: list[TextSlot] = []
    rest = row
    if visuals.qr:
        qr_side = min(row.h, kit.qr)
        qr_box, rest = row.take_right(qr_side, 2.5 * kit.u)
        qr_box = qr_box.place(qr_side, qr_side, "bottom")
        images.append(ImageSlot("qr", qr_box, backing=qr_backing, backing_pad=0.0))
        cap_w = min(0.3 * kit.fmt.width, rest.w * 0.45)
        cap_box, rest = rest.take_right(cap_w, 2.5 * kit.u)
        cap_box = cap_box.place(cap_box.w, min(cap_box.h, qr_side), "bottom")
        caption, url_box = cap_box.split_y(0.5, 0.4 * kit.u)
        texts.append(
            _text(
                kit,
                "qr_caption",
                copy.qr_caption,
                caption,
                font="body_bold",
                color=caption_color,
                lines=2,
                size=(0.02, 0.03),
                align="right",
                valign="bottom",
            )
        )
        if copy.display_url:
            texts.append(
                _text(
                    kit,
                    "display_url",
                    copy.display_url,
                    url_box,
                    font="body",
                    color=caption_color,
                    lines=2,
                    size=(0.017, 0.022),
                    align="right",
                )
            )
    btn_h = min(rest.h, 0.095 * kit.fmt.width)
    btn = rest.place(rest.w, btn_h, "bottom_left")
    shapes.append(Shape("round_rect", btn, button, radius=btn_h / 2))
    label = btn.inset(btn_h * 0.45, btn_h * 0.22)
    texts.append(
        _text(
            kit,
            "cta",
            copy.cta,
            label,
            font="body_bold",
            color=button_text,
            lines=1,
            size=(0.024, 0.042),
            align="center",
            valign="center",
        )
    )
    return shapes, images, texts


def _logo(
    kit: _Kit, box: Box, copy: FlyerCopy, visuals: Visuals, *, color: str, backing: str = ""
) -> tuple[list[ImageSlot], list[TextSlot]]:
    if visuals.logo:
        backing = backing or (WHITE if visuals.logo_on_card else "")
        pad = 0.16 * box.h if backing else 0.0
        return [
            ImageSlot(
                "logo",
                box.inset(pad),
                backing=backing,
                backing_pad=pad,
                radius=box.h * 0.24,
                anchor="left",
            )
        ], []
    return [], [
        _text(
            kit,
            "brand",
            copy.brand_name or " ",
            box,
            font="heading",
            color=color,
            lines=1,
            size=(0.02, 0.04),
            valign="center",
        )
    ]


def _details_slots(
    kit: _Kit, copy: FlyerCopy, box: Box, *, label: str, value: str, rows: bool
) -> list[TextSlot]:
    """Date / time / venue as label-over-value cells, stacked (``rows``) or side by side."""
    items = copy.details
    if not items:
        return []
    n = len(items)
    gap = 1.6 * kit.u
    slots: list[TextSlot] = []
    for i, (lab, val) in enumerate(items):
        if rows:
            cell_h = (box.h - gap * (n - 1)) / n
            cell = Box(box.x, box.y + i * (cell_h + gap), box.w, cell_h)
        else:
            cell_w = (box.w - gap * (n - 1)) / n
            cell = Box(box.x + i * (cell_w + gap), box.y, cell_w, box.h)
        top, bottom = cell.take_top(min(cell.h * 0.4, kit.size(0.02) * 1.35), 0.3 * kit.u)
        slots.append(
            _text(
                kit,
                f"details.{i}.label",
                lab.upper(),
                top,
                font="body_bold",
                color=label,
                lines=1,
                size=(0.015, 0.02),
                valign="bottom",
            )
        )
        slots.append(
            _text(
                kit,
                f"details.{i}.value",
                val,
                bottom,
                font="heading",
                color=value,
                lines=2,
                size=(0.02, 0.045),
                line_height=1.1,
            )
        )
    return slots


def _split_rest(kit: _Kit, remaining: float, share: float, lo: float, hi: float) -> float:
    return max(lo * kit.fmt.height, min(hi * kit.fmt.height, share * remaining))


# ----------------------------------------------------------------------------- families


def _event(kit: _Kit, copy: FlyerCopy, visuals: Visuals, p: Palette) -> FlyerPlan:
    fmt, c, u = kit.fmt, kit.content, kit.u
    ground = _dark_ground(p)
    ink = _on(ground, p.secondary, p.background)
    accent = _accent_on(p, ground)
    muted = ensure_contrast(mix(ink, ground, 0.25), ground)
    fixed = 3 * u + 3.2 * u + 20 * u + 9 * u + 4 * u + kit.qr + 4 * u + (fmt.height - c.bottom)
    typographic = visuals.hero == "typographic"
    hero_h = _split_rest(kit, fmt.height - fixed, 0.5, 0.2, 0.36)
    hero_h = c.y + 14 * u if typographic else max(hero_h, c.y + 12 * u)
    shapes = [Shape("rect", kit.full_bleed(0, fmt.height), ground)]
    images: list[ImageSlot] = []
    hero_band = kit.full_bleed(0, hero_h)
    if visuals.hero == "photo":
        images.append(ImageSlot("hero", hero_band, fit="cover"))
        shapes_after = [
            Shape(
                "linear",
                Box(hero_band.x, hero_h - 14 * u, hero_band.w, 14 * u + 1),
                ground + "00",
                ground,
                over=True,
            ),
            Shape(
                "linear",
                Box(hero_band.x, hero_band.y, hero_band.w, c.y + 16 * u - hero_band.y),
                ground + "80",
                ground + "00",
                over=True,
            ),
        ]
    else:
        shapes.append(Shape("linear", hero_band, p.primary, mix(p.primary, ground, 0.6)))
        shapes.append(
            Shape(
                "circle",
                Box(fmt.width * 0.45, -0.25 * hero_h, hero_h * 1.3, hero_h * 1.3),
                mix(p.primary, WHITE, 0.12),
            )
        )
        shapes_after = []
        if visuals.hero == "product":
            images.append(
                ImageSlot("hero", Box(c.x + 0.35 * c.w, c.y, 0.65 * c.w, hero_h - c.y - 2 * u))
            )
    shapes += shapes_after
    logo_images, logo_texts = _logo(
        kit, Box(c.x, c.y, 30 * u, 11 * u), copy, visuals, color=_on(p.primary), backing=WHITE
    )
    images += logo_images
    col = Box(c.x, hero_h + 3 * u, c.w, c.bottom - hero_h - 3 * u)
    eyebrow, col = col.take_top(3.2 * u, 1.2 * u)
    # without a picture the headline is the hero: a taller box, one more line, larger type
    head_h = 20 * u + (0.55 * max(0.0, col.h - 60 * u - kit.qr) if typographic else 0.0)
    head, col = col.take_top(head_h, 1.5 * u)
    sub, col = col.take_top(9 * u, 4 * u)
    action, col = col.take_bottom(kit.qr, 4 * u)
    card = mix(ground, p.primary, 0.35)
    n = len(copy.details)
    cell_h = kit.size(0.02) * 1.35 + kit.size(0.04) * 1.25
    stacked = n * cell_h + (n - 1) * 1.6 * u + 4.8 * u <= col.h
    if stacked:  # body points left, a tall details card right
        body_box, details_box = col.split_x(0.56, 5 * u) if n else (col, col)
    else:  # short page: a details strip across the top, the points below it
        details_box, body_box = col.take_top(cell_h + 4.8 * u, 3 * u)
    texts = [
        *logo_texts,
        _text(
            kit,
            "eyebrow",
            copy.eyebrow.upper(),
            eyebrow,
            font="body_bold",
            color=accent,
            lines=1,
            size=(0.018, 0.026),
            valign="bottom",
        ),
        _text(
            kit,
            "headline",
            copy.headline,
            head,
            font="heading",
            color=ink,
            lines=4 if typographic else 3,
            size=(0.045, 0.14 if typographic else 0.095),
            line_height=1.05,
            valign="bottom",
        ),
        _text(
            kit,
            "subhead",
            copy.subhead,
            sub,
            font="body",
            color=muted,
            lines=3,
            size=(0.022, 0.034),
            line_height=1.2,
        ),
        *_body_slots(
            kit,
            copy.body,
            body_box,
            color=ink,
            size=(0.019, 0.026),
            marker=accent,
            columns=1 if stacked or len(copy.body) < 4 else 2,
        ),
    ]
    if n:
        shapes.append(Shape("round_rect", details_box, card, radius=2 * u))
        shapes.append(
            Shape(
                "rect",
                Box(details_box.x, details_box.y + 2 * u, 0.8 * u, details_box.h - 4 * u),
                accent,
            )
        )
        texts += _details_slots(
            kit,
            copy,
            details_box.inset(3 * u, 2.4 * u),
            label=_accent_on(p, card),
            value=_on(card, ink),
            rows=stacked,
        )
    s, i, t = _action_row(
        kit,
        action,
        copy,
        visuals,
        button=p.accent,
        button_text=_on(p.accent),
        caption_color=ink,
        qr_backing=WHITE,
    )
    return FlyerPlan(fmt, "event", ground, (*shapes, *s), (*images, *i), (*texts, *t), c)


def _launch(kit: _Kit, copy: FlyerCopy, visuals: Visuals, p: Palette) -> FlyerPlan:
    fmt, c, u = kit.fmt, kit.content, kit.u
    top_color = p.primary
    bottom_color = mix(p.primary, BLACK, 0.45)
    ink = _on(bottom_color, WHITE, p.secondary)
    ink = ink if _contrast_ok(ink, top_color) else _on(top_color, WHITE)
    shapes = [Shape("linear", kit.full_bleed(0, fmt.height), top_color, bottom_color)]
    col = c
    typographic = visuals.hero == "typographic"
    top, col = col.take_top(11 * u, 4 * u)
    rows = -(-len(copy.body) // 2)
    body_h = min(7.5 * u * rows, 0.35 * (col.h - 37 * u - kit.qr))
    spare = max(0.0, col.h - 22 * u - 1.5 * u - 8 * u - 3 * u - kit.qr - 4 * u - body_h - 4 * u)
    # without a picture the headline takes most of the hero's room
    head, col = col.take_top(22 * u + (0.7 * spare if typographic else 0.0), 1.5 * u)
    sub, col = col.take_top(8 * u, 3 * u)
    action, col = col.take_bottom(kit.qr, 4 * u)
    body_box, col = col.take_bottom(body_h, 4 * u)
    hero = col
    glow_d = min(hero.w * 1.05, hero.h * 1.25)
    glow = Box(hero.cx - glow_d / 2, hero.cy - glow_d / 2, glow_d, glow_d)
    if not typographic:
        shapes.append(Shape("radial", glow, mix(p.primary, WHITE, 0.35), top_color + "00"))
        shapes.append(Shape("circle", glow.inset(glow_d * 0.14), mix(p.primary, WHITE, 0.18)))
    else:  # a quiet brand mark: a large soft ring bleeding off the right edge
        ring_d = 0.9 * fmt.width
        shapes.append(Shape("stroke", Box(fmt.width - 0.45 * ring_d, head.y - 0.2 * ring_d,
                                          ring_d, ring_d), mix(p.primary, WHITE, 0.16),
                            width=6 * u))
    images: list[ImageSlot] = []
    if visuals.hero == "photo":
        images.append(ImageSlot("hero", glow.inset(glow_d * 0.16), fit="cover", clip="circle"))
    elif visuals.hero == "product":
        images.append(ImageSlot("hero", hero))
    logo_box, pill_area = top.take_left(30 * u, 2 * u)
    logo_images, logo_texts = _logo(kit, logo_box, copy, visuals, color=ink, backing=WHITE)
    images += logo_images
    pill_w = min(pill_area.w, 30 * u)
    pill = pill_area.place(pill_w, 5.6 * u, "right")
    shapes.append(Shape("round_rect", pill, p.accent, radius=2.8 * u))
    check = _on(p.accent)
    texts = [
        *logo_texts,
        _text(
            kit,
            "eyebrow",
            copy.eyebrow.upper(),
            pill.inset(2.2 * u, 1.2 * u),
            font="body_bold",
            color=check,
            lines=1,
            size=(0.016, 0.024),
            align="center",
            valign="center",
        ),
        _text(
            kit,
            "headline",
            copy.headline,
            head,
            font="heading",
            color=ink,
            lines=4 if typographic else 3,
            size=(0.05, 0.15 if typographic else 0.11),
            align="center",
            line_height=1.02,
            valign="center" if typographic else "bottom",
        ),
        _text(
            kit,
            "subhead",
            copy.subhead,
            sub,
            font="body",
            color=ink,
            lines=2,
            size=(0.022, 0.034),
            align="center",
        ),
    ]
    # ticks to the left of each body point
    cols = 2 if len(copy.body) > 2 else 1
    texts += _body_slots(
        kit, copy.body, body_box, color=ink, size=(0.019, 0.026), columns=cols, marker=p.accent
    )
    s, i, t = _action_row(
        kit,
        action,
        copy,
        visuals,
        button=WHITE,
        button_text=_on(WHITE, p.primary, p.text),
        caption_color=ink,
        qr_backing=WHITE,
    )
    return FlyerPlan(fmt, "launch", top_color, (*shapes, *s), (*images, *i), (*texts, *t), c)


def _contrast_ok(ink: str, ground: str) -> bool:
    from adloom.render.design import contrast_ratio

    return contrast_ratio(ink, ground) >= AA_NORMAL


def _offer(kit: _Kit, copy: FlyerCopy, visuals: Visuals, p: Palette) -> FlyerPlan:
    fmt, c, u = kit.fmt, kit.content, kit.u
    ground = p.background
    ink = _on(ground, p.text, p.primary)
    head_ink = _on(ground, p.primary, p.text)
    band_top = c.bottom - kit.qr - 4 * u
    shapes = [
        Shape("rect", kit.full_bleed(0, fmt.height), ground),
        Shape(
            "rect",
            Box(
                c.x + 0.5 * c.w,
                -fmt.bleed,
                fmt.width - c.x - 0.5 * c.w + fmt.bleed,
                band_top + fmt.bleed,
            ),
            p.surface,
        ),
        Shape("rect", kit.full_bleed(band_top, fmt.height), p.primary),
    ]
    band_ink = _on(p.primary, WHITE, p.secondary)
    top, col = Box(c.x, c.y, c.w, band_top - c.y - 3 * u).take_top(11 * u, 4 * u)
    left, right = col.split_x(0.5, 5 * u)
    images: list[ImageSlot] = []
    logo_images, logo_texts = _logo(kit, top.take_left(30 * u)[0], copy, visuals, color=head_ink)
    images += logo_images
    eyebrow, left = left.take_top(3.2 * u, 1.5 * u)
    head, left = left.take_top(min(30 * u, 0.45 * left.h), 2 * u)
    sub, left = left.take_top(min(11 * u, 0.3 * left.h), 3 * u)
    texts = [
        *logo_texts,
        _text(
            kit,
            "eyebrow",
            copy.eyebrow.upper(),
            eyebrow,
            font="body_bold",
            color=_accent_on(p, ground),
            lines=1,
            size=(0.018, 0.026),
            valign="bottom",
        ),
        _text(
            kit,
            "headline",
            copy.headline,
            head,
            font="heading",
            color=head_ink,
            lines=4,
            size=(0.05, 0.095),
            line_height=1.04,
        ),
        _text(
            kit,
            "subhead",
            copy.subhead,
            sub,
            font="body",
            color=ink,
            lines=4,
            size=(0.02, 0.03),
            line_height=1.2,
        ),
    ]
    texts += _body_slots(kit, copy.body, left, color=ink, size=(0.018, 0.024), marker=p.accent)
    typographic = visuals.hero == "typographic"
    badge_d = min(right.w * 0.62, 0.3 * fmt.width) if (copy.offer or copy.price) else 0.0
    if typographic and badge_d:
        badge_d = min(right.w * 0.92, right.h * 0.9, 0.42 * fmt.width)
    hero_box = Box(right.x, right.y + 0.55 * badge_d, right.w, right.h - 0.55 * badge_d)
    if visuals.hero == "photo":
        images.append(ImageSlot("hero", hero_box.inset(u), fit="cover", clip="round", radius=3 * u))
    elif visuals.hero == "product":
        images.append(ImageSlot("hero", hero_box, anchor="center"))
    if badge_d:
        d = badge_d
        badge = (Box(right.cx - d / 2, right.cy - d / 2, d, d) if typographic
                 else Box(right.right - d + 2 * u, right.y, d, d))
        shapes.append(Shape("circle", badge, p.accent))
        shapes.append(
            Shape("stroke", badge.inset(1.2 * u), mix(p.accent, WHITE, 0.55), width=0.35 * u)
        )
        inner = badge.inset(d * 0.17)
        label = copy.offer or copy.price
        texts.append(
            _text(
                kit,
                "offer",
                label,
                inner,
                font="heading",
                color=_on(p.accent),
                lines=5,
                size=(0.02, 0.05),
                align="center",
                valign="center",
                line_height=1.05,
            )
        )
    s, i, t = _action_row(
        kit,
        Box(c.x, band_top + 4 * u, c.w, c.bottom - band_top - 4 * u),
        copy,
        visuals,
        button=p.accent,
        button_text=_on(p.accent),
        caption_color=band_ink,
        qr_backing=WHITE,
    )
    return FlyerPlan(fmt, "offer", ground, (*shapes, *s), (*images, *i), (*texts, *t), c)


def _awareness(kit: _Kit, copy: FlyerCopy, visuals: Visuals, p: Palette) -> FlyerPlan:
    fmt, c, u = kit.fmt, kit.content, kit.u
    ground = p.background
    ink = _on(ground, p.text)
    head_ink = _on(ground, p.primary, p.text)
    muted = p.muted
    shapes = [Shape("rect", kit.full_bleed(0, fmt.height), ground)]
    typographic = visuals.hero == "typographic"
    d = 0.78 * fmt.width
    remaining = c.h - 4.5 * u - 28 * u - 10 * u - kit.qr - 16 * u
    d = max(0.4 * fmt.width, min(d, remaining + 0.1 * fmt.height))
    if typographic:
        d = 0.42 * fmt.width
    plate = Box(fmt.width - d * 0.86, c.y - 0.18 * d, d, d)
    disc = p.accent if typographic else p.secondary if p.secondary != ground else p.surface
    shapes.append(Shape("circle", plate, disc))
    shapes.append(Shape("stroke", plate.inset(-3 * u), p.accent, width=0.5 * u))
    images: list[ImageSlot] = []
    if visuals.hero == "photo":
        images.append(ImageSlot("hero", plate.inset(d * 0.04), fit="cover", clip="circle"))
    elif visuals.hero == "product":
        images.append(ImageSlot("hero", plate.inset(d * 0.12)))
    logo_images, logo_texts = _logo(
        kit, Box(c.x, c.y, 26 * u, 11 * u), copy, visuals, color=head_ink
    )
    images += logo_images
    col = Box(c.x, max(plate.bottom, c.y + 12 * u) + 3 * u, c.w, 0)
    col = Box(col.x, col.y, col.w, c.bottom - col.y)
    footer, col = col.take_bottom(kit.qr, 3 * u)
    eyebrow, col = col.take_top(3 * u, 1.5 * u)
    shapes.append(Shape("rect", Box(c.x, footer.y - 2 * u, c.w, max(1.0, 0.15 * u)), muted))
    head_h = min(44 * u, 0.62 * col.h) if typographic else min(28 * u, 0.5 * col.h)
    head, col = col.take_top(head_h, 2 * u)
    sub, col = col.take_top(min(10 * u, 0.35 * col.h), 3 * u)
    texts = [
        *logo_texts,
        _text(
            kit,
            "headline",
            copy.headline,
            head,
            font="heading",
            color=head_ink,
            lines=5 if typographic else 4,
            size=(0.05, 0.16 if typographic else 0.12),
            line_height=1.0,
            valign="bottom",
        ),
        _text(
            kit,
            "subhead",
            copy.subhead,
            sub,
            font="body",
            color=ink,
            lines=3,
            size=(0.022, 0.034),
            line_height=1.2,
        ),
        *_body_slots(
            kit,
            copy.body,
            col,
            color=muted,
            size=(0.018, 0.023),
            columns=2 if col.h < 12 * u * len(copy.body) else 1,
            marker=p.accent,
        ),
    ]
    texts.append(
        _text(
            kit,
            "eyebrow",
            copy.eyebrow.upper(),
            eyebrow,
            font="body_bold",
            color=_accent_on(p, ground),
            lines=1,
            size=(0.016, 0.022),
            valign="bottom",
        )
    )
    s, i, t = _action_row(
        kit, footer, copy, visuals, button=p.primary, button_text=_on(p.primary), caption_color=ink
    )
    return FlyerPlan(fmt, "awareness", ground, (*shapes, *s), (*images, *i), (*texts, *t), c)


_FAMILIES: dict[str, Callable[[_Kit, FlyerCopy, Visuals, Palette], FlyerPlan]] = {
    "event": _event,
    "launch": _launch,
    "offer": _offer,
    "awareness": _awareness,
}


def plan_flyer(
    fmt: FlyerFormat,
    family: Family,
    copy: FlyerCopy,
    palette: Palette,
    visuals: Visuals = Visuals(),
) -> FlyerPlan:
    """Lay one format out in one family. Pure: same inputs, same boxes."""
    plan = _FAMILIES[family](_kit(fmt), copy, visuals, palette)
    texts = tuple(slot for slot in plan.texts if slot.text.strip())
    return replace(plan, texts=texts)


__all__ = [
    "FAMILIES",
    "FlyerCopy",
    "FlyerPlan",
    "ImageSlot",
    "Shape",
    "TextSlot",
    "Visuals",
    "plan_flyer",
]

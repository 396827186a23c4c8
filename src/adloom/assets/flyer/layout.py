"""The four flyer layout families as pure functions: format + copy + palette -> boxes.

Nothing here draws or reads files. :func:`plan_flyer` returns a :class:`FlyerPlan` (shapes,
image slots and text slots, in trim coordinates). :mod:`.compose` fits the text into its slots
and paints the plan on a raster or PDF canvas, so the same plan gives the PDF and the PNG.

Every text slot sits inside the format's safe area; decorative shapes and photos may run into
the bleed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from adloom.render.design import BLACK, WHITE, Palette, ensure_contrast, mix
from adloom.render.layout import Box

from .blocks import (
    Kit,
    accent_on,
    action_row,
    body_slots,
    contrast_ok,
    dark_ground,
    details_slots,
    logo_slots,
    make_kit,
    on_color,
    split_rest,
    text_slot,
)
from .formats import FlyerFormat
from .plan import (
    Family,
    FlyerCopy,
    FlyerPlan,
    ImageSlot,
    Shape,
    Visuals,
)


def _event(kit: Kit, copy: FlyerCopy, visuals: Visuals, p: Palette) -> FlyerPlan:
    fmt, c, u = kit.fmt, kit.content, kit.u
    ground = dark_ground(p)
    ink = on_color(ground, p.secondary, p.background)
    accent = accent_on(p, ground)
    muted = ensure_contrast(mix(ink, ground, 0.25), ground)
    fixed = 3 * u + 3.2 * u + 20 * u + 9 * u + 4 * u + kit.qr + 4 * u + (fmt.height - c.bottom)
    typographic = visuals.hero == "typographic"
    hero_h = split_rest(kit, fmt.height - fixed, 0.5, 0.2, 0.36)
    hero_h = c.y + 12 * u if typographic else max(hero_h, c.y + 12 * u)
    shapes = [Shape("rect", kit.full_bleed(0, fmt.height), ground)]
    images: list[ImageSlot] = []
    if not typographic:  # give the band up to the room the points and details need
        hero_h = max(0.14 * fmt.height, c.y + 12 * u, hero_h - _event_deficit(kit, copy, hero_h))
    full_photo = visuals.hero == "photo" and visuals.photo_fits(kit.full_bleed(0, hero_h))
    inset_photo = visuals.hero == "photo" and not full_photo
    if inset_photo:  # the band only needs to hold the inset: the rest goes to the copy
        hero_h = max(c.y + 14 * u, min(hero_h, c.y + visuals.photo_max_h + 3 * u))
    hero_band = kit.full_bleed(0, hero_h)
    if full_photo:
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
        if not inset_photo:
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
        elif visuals.hero == "photo":  # too small to fill the band: a framed inset instead
            area = Box(c.x + 34 * u, c.y, c.w - 34 * u, hero_h - c.y - 3 * u)
            aspect = visuals.photo_max_w / visuals.photo_max_h  # the photo's own shape
            w = min(area.w, area.h * aspect, visuals.photo_max_w)
            inset = area.place(w, w / aspect, "right")
            images.append(ImageSlot("hero", inset, fit="cover", clip="round", radius=2 * u))
    shapes += shapes_after
    logo_images, logo_texts = logo_slots(
        kit, Box(c.x, c.y, 30 * u, 11 * u), copy, visuals, color=on_color(p.primary), backing=WHITE
    )
    images += logo_images
    col = Box(c.x, hero_h + 3 * u, c.w, c.bottom - hero_h - 3 * u)
    eyebrow, col = col.take_top(3.2 * u, 1.2 * u)
    # without a picture the headline is the hero: a taller box, one more line, larger type
    rest = col.h - 20 * u - 1.5 * u - 13 * u - kit.qr - 4 * u  # the middle, before growing
    grow = max(0.0, rest - _event_middle_need(kit, copy, rest)) if typographic else 0.0
    head_h = 20 * u + 0.7 * grow
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
        text_slot(
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
        text_slot(
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
        text_slot(
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
        *body_slots(
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
        texts += details_slots(
            kit,
            copy,
            details_box.inset(3 * u, 2.4 * u),
            label=accent_on(p, card),
            value=on_color(card, ink),
            rows=stacked,
        )
    s, i, t = action_row(
        kit,
        action,
        copy,
        visuals,
        button=p.accent,
        button_text=on_color(p.accent),
        caption_color=ink,
        qr_backing=WHITE,
    )
    return FlyerPlan(fmt, "event", ground, (*shapes, *s), (*images, *i), (*texts, *t), c)


def _event_deficit(kit: Kit, copy: FlyerCopy, hero_h: float) -> float:
    """How much taller the event's middle section (points + details) must be than what is left
    below a band of ``hero_h``, for every point to fit on two lines at its smallest size."""
    c, u = kit.content, kit.u
    middle = c.bottom - hero_h - 3 * u - 4.4 * u - 21.5 * u - 13 * u - kit.qr - 4 * u
    return max(0.0, _event_middle_need(kit, copy, middle) - middle)


def _event_middle_need(kit: Kit, copy: FlyerCopy, middle: float) -> float:
    """Height the points and details need (details stacked beside the points when ``middle``
    allows, else as a strip above them)."""
    u = kit.u
    per_point = 2 * kit.size(0.019) * 1.22 + 1.2 * u
    n = len(copy.body)
    details = len(copy.details) * (kit.size(0.02) * 1.35 + kit.size(0.04) * 1.25 + 1.6 * u)
    stacked_need = max(n * per_point, details + 4.8 * u)
    strip_need = kit.size(0.02) * 1.35 + kit.size(0.04) * 1.25 + 7.8 * u + -(-n // 2) * per_point
    return stacked_need if details + 4.8 * u <= middle else strip_need


def _launch(kit: Kit, copy: FlyerCopy, visuals: Visuals, p: Palette) -> FlyerPlan:
    fmt, c, u = kit.fmt, kit.content, kit.u
    top_color = p.primary
    bottom_color = mix(p.primary, BLACK, 0.45)
    ink = on_color(bottom_color, WHITE, p.secondary)
    ink = ink if contrast_ok(ink, top_color) else on_color(top_color, WHITE)
    shapes = [Shape("linear", kit.full_bleed(0, fmt.height), top_color, bottom_color)]
    col = c
    typographic = visuals.hero == "typographic"
    top, col = col.take_top(11 * u, 4 * u)
    rows = -(-len(copy.body) // 2)
    per_point = 2 * kit.size(0.019) * 1.22 + 1.2 * u  # two lines at the smallest size
    body_h = min(rows * per_point, 0.5 * (col.h - 37 * u - kit.qr))
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
        shapes.append(
            Shape(
                "stroke",
                Box(fmt.width - 0.45 * ring_d, head.y - 0.2 * ring_d, ring_d, ring_d),
                mix(p.primary, WHITE, 0.16),
                width=6 * u,
            )
        )
    images: list[ImageSlot] = []
    if visuals.hero == "photo":
        photo = visuals.photo_box(glow.inset(glow_d * 0.16))
        images.append(ImageSlot("hero", photo, fit="cover", clip="circle"))
    elif visuals.hero == "product":
        images.append(ImageSlot("hero", hero))
    logo_box, pill_area = top.take_left(30 * u, 2 * u)
    logo_images, logo_texts = logo_slots(kit, logo_box, copy, visuals, color=ink, backing=WHITE)
    images += logo_images
    pill_w = min(pill_area.w, 30 * u)
    pill = pill_area.place(pill_w, 5.6 * u, "right")
    shapes.append(Shape("round_rect", pill, p.accent, radius=2.8 * u))
    check = on_color(p.accent)
    texts = [
        *logo_texts,
        text_slot(
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
        text_slot(
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
        text_slot(
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
    texts += body_slots(
        kit, copy.body, body_box, color=ink, size=(0.019, 0.026), columns=cols, marker=p.accent
    )
    s, i, t = action_row(
        kit,
        action,
        copy,
        visuals,
        button=WHITE,
        button_text=on_color(WHITE, p.primary, p.text),
        caption_color=ink,
        qr_backing=WHITE,
    )
    return FlyerPlan(fmt, "launch", top_color, (*shapes, *s), (*images, *i), (*texts, *t), c)


def _offer(kit: Kit, copy: FlyerCopy, visuals: Visuals, p: Palette) -> FlyerPlan:
    fmt, c, u = kit.fmt, kit.content, kit.u
    ground = p.background
    ink = on_color(ground, p.text, p.primary)
    head_ink = on_color(ground, p.primary, p.text)
    band_top = c.bottom - kit.qr - 4 * u
    # on short pages the points leave the narrow column for a two-column list across the page
    per_point = 2 * kit.size(0.018) * 1.22 + 1.2 * u
    column_room = band_top - 3 * u - c.y - 15 * u - 4.7 * u - 32 * u - 14 * u
    wide = len(copy.body) * per_point > column_room
    wide_h = -(-len(copy.body) // 2) * per_point if wide else 0.0
    panel_bottom = band_top - (wide_h + 4 * u if wide else 0.0)
    shapes = [
        Shape("rect", kit.full_bleed(0, fmt.height), ground),
        Shape(
            "rect",
            Box(
                c.x + 0.5 * c.w,
                -fmt.bleed,
                fmt.width - c.x - 0.5 * c.w + fmt.bleed,
                panel_bottom + fmt.bleed,
            ),
            p.surface,
        ),
        Shape("rect", kit.full_bleed(band_top, fmt.height), p.primary),
    ]
    band_ink = on_color(p.primary, WHITE, p.secondary)
    top, col = Box(c.x, c.y, c.w, band_top - c.y - 3 * u).take_top(11 * u, 4 * u)
    body_area = None
    if wide:
        body_area, col = col.take_bottom(wide_h, 4 * u)
    left, right = col.split_x(0.5, 5 * u)
    images: list[ImageSlot] = []
    logo_images, logo_texts = logo_slots(
        kit, top.take_left(30 * u)[0], copy, visuals, color=head_ink
    )
    images += logo_images
    eyebrow, left = left.take_top(3.2 * u, 1.5 * u)
    # with the points moved below, headline and subhead share the whole column
    head, left = left.take_top(min(30 * u, (0.62 if wide else 0.45) * left.h), 2 * u)
    sub, left = left.take_top(min(11 * u, left.h if wide else 0.3 * left.h), 3 * u)
    texts = [
        *logo_texts,
        text_slot(
            kit,
            "eyebrow",
            copy.eyebrow.upper(),
            eyebrow,
            font="body_bold",
            color=accent_on(p, ground),
            lines=1,
            size=(0.018, 0.026),
            valign="bottom",
        ),
        text_slot(
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
        text_slot(
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
    if body_area is not None:
        texts += body_slots(
            kit, copy.body, body_area, color=ink, size=(0.018, 0.024), marker=p.accent, columns=2
        )
    else:
        texts += body_slots(kit, copy.body, left, color=ink, size=(0.018, 0.024), marker=p.accent)
    typographic = visuals.hero == "typographic"
    badge_d = min(right.w * 0.62, 0.3 * fmt.width) if (copy.offer or copy.price) else 0.0
    if typographic and badge_d:
        badge_d = min(right.w * 0.92, right.h * 0.9, 0.42 * fmt.width)
    hero_box = Box(right.x, right.y + 0.55 * badge_d, right.w, right.h - 0.55 * badge_d)
    if visuals.hero == "photo":
        photo = visuals.photo_box(hero_box.inset(u))
        images.append(ImageSlot("hero", photo, fit="cover", clip="round", radius=3 * u))
    elif visuals.hero == "product":
        images.append(ImageSlot("hero", hero_box, anchor="center"))
    if badge_d:
        d = badge_d
        badge = (
            Box(right.cx - d / 2, right.cy - d / 2, d, d)
            if typographic
            else Box(right.right - d + 2 * u, right.y, d, d)
        )
        # a sticker: drawn over the product photo, under the text
        shapes.append(Shape("circle", badge, p.accent, over=True))
        shapes.append(
            Shape(
                "stroke",
                badge.inset(1.2 * u),
                mix(p.accent, WHITE, 0.55),
                width=0.35 * u,
                over=True,
            )
        )
        inner = badge.inset(d * 0.17)
        label = copy.offer or copy.price
        texts.append(
            text_slot(
                kit,
                "offer",
                label,
                inner,
                font="heading",
                color=on_color(p.accent),
                lines=5,
                size=(0.02, 0.05),
                align="center",
                valign="center",
                line_height=1.05,
            )
        )
    s, i, t = action_row(
        kit,
        Box(c.x, band_top + 4 * u, c.w, c.bottom - band_top - 4 * u),
        copy,
        visuals,
        button=p.accent,
        button_text=on_color(p.accent),
        caption_color=band_ink,
        qr_backing=WHITE,
    )
    return FlyerPlan(fmt, "offer", ground, (*shapes, *s), (*images, *i), (*texts, *t), c)


def _awareness(kit: Kit, copy: FlyerCopy, visuals: Visuals, p: Palette) -> FlyerPlan:
    fmt, c, u = kit.fmt, kit.content, kit.u
    ground = p.background
    ink = on_color(ground, p.text)
    head_ink = on_color(ground, p.primary, p.text)
    muted = p.muted
    shapes = [Shape("rect", kit.full_bleed(0, fmt.height), ground)]
    typographic = visuals.hero == "typographic"
    # size the circle from the bottom up: footer, points (two lines each), subhead, headline
    n = len(copy.body)
    columns = 2 if n >= 4 else 1
    per_point = 2 * kit.size(0.018) * 1.22 + 1.2 * u
    body_need = -(-n // columns) * per_point
    head_need = 30 * u if typographic else 22 * u
    below = 4.5 * u + head_need + 2 * u + 10 * u + 3 * u + body_need + 3 * u + kit.qr + 3 * u
    fits = (c.bottom - below - c.y) / 0.82  # the circle starts 18 % above the content top
    d = max(0.3 * fmt.width, min(0.42 if typographic else 0.78, fits / fmt.width) * fmt.width)
    plate = Box(fmt.width - d * 0.86, c.y - 0.18 * d, d, d)
    disc = p.accent if typographic else p.secondary if p.secondary != ground else p.surface
    shapes.append(Shape("circle", plate, disc))
    shapes.append(Shape("stroke", plate.inset(-3 * u), p.accent, width=0.5 * u))
    images: list[ImageSlot] = []
    if visuals.hero == "photo":
        photo = visuals.photo_box(plate.inset(d * 0.04))
        images.append(ImageSlot("hero", photo, fit="cover", clip="circle"))
    elif visuals.hero == "product":
        images.append(ImageSlot("hero", plate.inset(d * 0.12)))
    logo_images, logo_texts = logo_slots(
        kit, Box(c.x, c.y, 26 * u, 11 * u), copy, visuals, color=head_ink
    )
    images += logo_images
    col = Box(c.x, max(plate.bottom, c.y + 12 * u) + 3 * u, c.w, 0)
    col = Box(col.x, col.y, col.w, c.bottom - col.y)
    footer, col = col.take_bottom(kit.qr, 3 * u)
    eyebrow, col = col.take_top(3 * u, 1.5 * u)
    shapes.append(Shape("rect", Box(c.x, footer.y - 2 * u, c.w, max(1.0, 0.15 * u)), muted))
    spare = max(0.0, col.h - head_need - 2 * u - 10 * u - 3 * u - body_need)
    head, col = col.take_top(min(head_need + 0.6 * spare, 0.62 * col.h), 2 * u)
    sub, col = col.take_top(min(10 * u, 0.35 * col.h), 3 * u)
    texts = [
        *logo_texts,
        text_slot(
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
        text_slot(
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
        *body_slots(
            kit,
            copy.body,
            col,
            color=muted,
            size=(0.018, 0.023),
            columns=columns,
            marker=p.accent,
        ),
    ]
    texts.append(
        text_slot(
            kit,
            "eyebrow",
            copy.eyebrow.upper(),
            eyebrow,
            font="body_bold",
            color=accent_on(p, ground),
            lines=1,
            size=(0.016, 0.022),
            valign="bottom",
        )
    )
    s, i, t = action_row(
        kit,
        footer,
        copy,
        visuals,
        button=p.primary,
        button_text=on_color(p.primary),
        caption_color=ink,
    )
    return FlyerPlan(fmt, "awareness", ground, (*shapes, *s), (*images, *i), (*texts, *t), c)


_FAMILIES: dict[str, Callable[[Kit, FlyerCopy, Visuals, Palette], FlyerPlan]] = {
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
    visuals: Visuals | None = None,
) -> FlyerPlan:
    """Lay one format out in one family. Pure: same inputs, same boxes."""
    plan = _FAMILIES[family](make_kit(fmt), copy, visuals or Visuals(), palette)
    texts = tuple(slot for slot in plan.texts if slot.text.strip())
    return replace(plan, texts=texts)


__all__ = ["plan_flyer"]

"""Building blocks shared by the layout families: measures, colours on a ground, text slots,
bullet lists, the CTA + QR action row, the logo and the event details."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from adloom.render.design import (
    AA_NORMAL,
    BLACK,
    WHITE,
    Palette,
    best_text_color,
    contrast_ratio,
    ensure_contrast,
    luminance,
    mix,
)
from adloom.render.layout import Box

from .formats import FlyerFormat
from .plan import Align, FlyerCopy, FontRole, ImageSlot, Shape, TextSlot, Visuals


@dataclass(frozen=True)
class Kit:
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


def make_kit(fmt: FlyerFormat) -> Kit:
    margin = max(fmt.safe, 0.07 * fmt.width)
    safe = fmt.safe_area
    trim = fmt.trim.inset(margin)
    top, bottom = max(trim.y, safe.y), min(trim.bottom, safe.bottom)
    content = Box(trim.x, top, trim.w, bottom - top)
    floor = 18.0 if fmt.social else 7.0
    # small formats get a relatively larger code so its modules stay >= ~0.5 mm in print and
    # several pixels on a phone screen, even with long tracked URLs
    qr = fmt.width * (0.22 if fmt.social or fmt.width < 500 else 0.19)
    return Kit(fmt=fmt, content=content, u=fmt.width / 100, floor=floor, qr=qr)


def dark_ground(p: Palette) -> str:
    for candidate in (p.secondary, p.primary, p.text):
        if luminance(candidate) < 0.08:
            return candidate
    return mix(p.primary, BLACK, 0.55)


def on_color(ground: str, *preferred: str) -> str:
    return best_text_color(ground, [*preferred, WHITE, BLACK])


def accent_on(p: Palette, ground: str, ratio: float = AA_NORMAL) -> str:
    return ensure_contrast(p.accent, ground, min_ratio=ratio)


def text_slot(
    kit: Kit,
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


def body_slots(
    kit: Kit,
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
        slot = text_slot(
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


def action_row(
    kit: Kit,
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
            text_slot(
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
                text_slot(
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
        text_slot(
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


def logo_slots(
    kit: Kit, box: Box, copy: FlyerCopy, visuals: Visuals, *, color: str, backing: str = ""
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
        text_slot(
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


def details_slots(
    kit: Kit, copy: FlyerCopy, box: Box, *, label: str, value: str, rows: bool
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
            text_slot(
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
            text_slot(
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


def split_rest(kit: Kit, remaining: float, share: float, lo: float, hi: float) -> float:
    return max(lo * kit.fmt.height, min(hi * kit.fmt.height, share * remaining))


def contrast_ok(ink: str, ground: str) -> bool:
    return contrast_ratio(ink, ground) >= AA_NORMAL

"""The end card's copy and layout: the brand signs off (logo, name, offer, URL) with one CTA.

The judges found end cards that said the CTA twice (as the headline and on the button) and
nothing else. The copy here is chosen so each line says something different, and the layout
stacks only the lines the brief has, so a brief without an offer or URL leaves no hole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from adloom.render.layout import Box

from .plan import VideoFormat

CAPTION_SHARE = 0.11  # of the safe zone's height, at its bottom
GAP_SHARE = 0.015


@dataclass(frozen=True)
class EndCardCopy:
    """What the end card says, line by line (empty / None: the line is left out)."""

    name: str
    headline: str
    offer: str | None
    url: str | None
    cta: str
    has_logo: bool


@dataclass(frozen=True)
class EndCardBoxes:
    logo: Box | None
    name: Box | None
    headline: Box
    media: Box | None
    offer: Box | None
    cta: Box
    url: Box | None
    captions: Box


def _words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def repeats(a: str, b: str) -> bool:
    """True when one line says the other again (case, punctuation and containment aside)."""
    x, y = _words(a), _words(b)
    return bool(x and y) and (x == y or x in y or y in x)


def display_url(url: str | None) -> str | None:
    """``https://www.example.com/`` shown as ``example.com``: what people type."""
    if not url or not url.strip():
        return None
    shown = re.sub(r"^[a-z]+://", "", url.strip(), flags=re.IGNORECASE)
    shown = re.sub(r"^www\.", "", shown, flags=re.IGNORECASE)
    return shown.rstrip("/") or None


def end_card_copy(*, scene_text: str, cta: str, brand_name: str, product_name: str,
                  offer: str | None, url: str | None, has_logo: bool,
                  tagline: str = "") -> EndCardCopy:
    """The scene's own line as the headline unless it repeats the CTA; then the product's
    name (when it is not the brand's) says what is being sold, else the brand's tagline."""
    headline = scene_text.strip()
    if repeats(headline, cta):
        headline = product_name.strip() if not repeats(product_name, brand_name) else ""
    if not headline and tagline.strip() and not repeats(tagline, cta):
        headline = tagline.strip()
    offer_line = offer.strip() if offer and offer.strip() else None
    if offer_line and (repeats(offer_line, cta) or repeats(offer_line, headline)):
        offer_line = None
    return EndCardCopy(brand_name.strip(), headline, offer_line, display_url(url), cta.strip(),
                       has_logo)


def end_card_boxes(copy: EndCardCopy, fmt: VideoFormat, *, with_product: bool) -> EndCardBoxes:
    """Stack the lines the card has down the safe zone (portrait/square: centred; 16:9: a left
    column with the product on the right); the captions keep the bottom band."""
    safe = fmt.safe_zone()
    wide = fmt.width / fmt.height > 1.2
    col = Box(safe.x, safe.y, safe.w * 0.55, safe.h) if wide else safe
    caps = Box(col.x, col.bottom - col.h * CAPTION_SHARE, col.w, col.h * CAPTION_SHARE)
    tall = with_product and not wide  # the product shares the column: tighter rows
    rows: list[tuple[str, float]] = []
    if copy.has_logo:
        rows.append(("logo", 0.14 if tall else 0.2))
    if copy.name:
        rows.append(("name", 0.065 if tall else 0.08))
    if copy.headline:
        rows.append(("headline", 0.15 if tall else 0.22))
    if tall:
        rows.append(("media", 0.27))
    if copy.offer:
        rows.append(("offer", 0.065 if tall else 0.08))
    rows.append(("cta", 0.1 if tall else 0.14))
    if copy.url:
        rows.append(("url", 0.05 if tall else 0.07))
    boxes = _stack(rows, Box(col.x, col.y, col.w, caps.y - col.y - col.h * 0.02), fmt, wide)
    media = boxes.get("media")
    if with_product and wide:
        media = Box(safe.x + safe.w * 0.6, fmt.height * 0.15, safe.w * 0.4, fmt.height * 0.7)
    headline = boxes.get("headline") or Box(col.x, boxes["cta"].y, col.w, 0)
    return EndCardBoxes(boxes.get("logo"), boxes.get("name"), headline, media,
                        boxes.get("offer"), boxes["cta"], boxes.get("url"), caps)


def _stack(rows: list[tuple[str, float]], area: Box, fmt: VideoFormat,
           wide: bool) -> dict[str, Box]:
    """Rows of the given height shares, gapped, scaled down to fit and centred in ``area``."""
    gap = GAP_SHARE * area.h
    total = sum(share for _, share in rows) * area.h + gap * (len(rows) - 1)
    # shrink to fit; a sparse card (no logo, no product) grows its rows up to 1.5x instead
    fit = min(1.5, (area.h - gap * (len(rows) - 1)) / max(1e-6, total - gap * (len(rows) - 1)))
    heights = [share * area.h * fit for _, share in rows]
    used = sum(heights) + gap * (len(rows) - 1)
    y = area.y + max(0.0, (area.h - used) / 2)
    out: dict[str, Box] = {}
    for (key, _), h in zip(rows, heights, strict=True):
        out[key] = _row_box(key, Box(area.x, y, area.w, h), fmt, wide)
        y += h + gap
    return out


def _row_box(key: str, row: Box, fmt: VideoFormat, wide: bool) -> Box:
    if key == "logo":  # a square badge
        x = row.x if wide else row.cx - row.h / 2
        return Box(x, row.y, row.h, row.h)
    if key == "cta":
        w = min(row.w * 0.86, 700 * fmt.unit)
        return Box(row.x if wide else row.cx - w / 2, row.y, w, row.h)
    return row

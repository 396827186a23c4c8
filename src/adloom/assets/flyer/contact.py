"""A contact sheet: every format's PNG side by side, to scale, with its label."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from adloom.render.fonts import resolve_font

TILE_HEIGHT = 520
GAP = 40
BACKDROP = (238, 236, 232)
INK = (40, 40, 40)


def _font(size: int, weight: int = 600) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(resolve_font("Manrope", weight=weight).path), size)


def _thumb(path: Path) -> Image.Image:
    with Image.open(path) as image:
        rgb = image.convert("RGB")
    width = round(rgb.width * TILE_HEIGHT / rgb.height)
    return rgb.resize((width, TILE_HEIGHT), Image.Resampling.LANCZOS)


def write_contact_sheet(
    path: Path, tiles: list[tuple[str, Path]], *, title: str = "", per_row: int = 4
) -> tuple[int, int]:
    """Tiles at one height (so their proportions compare), ``per_row`` to a row, labelled."""
    thumbs = [(label, _thumb(tile)) for label, tile in tiles]
    rows = [thumbs[i : i + per_row] for i in range(0, len(thumbs), per_row)]
    header = 96 if title else GAP
    row_h = TILE_HEIGHT + 70
    total_w = max(GAP + sum(t.width + GAP for _, t in row) for row in rows)
    sheet = Image.new("RGB", (total_w, header + row_h * len(rows) + GAP // 2), BACKDROP)
    draw = ImageDraw.Draw(sheet)
    if title:
        draw.text((GAP, 30), f"{title} — flyers and posters", fill=INK, font=_font(34, 700))
    label_font = _font(20)
    for r, row in enumerate(rows):
        x, y = GAP, header + r * row_h
        for label, thumb in row:
            sheet.paste(Image.new("RGB", thumb.size, (205, 202, 196)), (x + 4, y + 6))
            sheet.paste(thumb, (x, y))
            draw.text((x, y + TILE_HEIGHT + 16), label, fill=INK, font=label_font)
            x += thumb.width + GAP
    sheet.save(path, format="PNG", optimize=True)
    return sheet.width, sheet.height

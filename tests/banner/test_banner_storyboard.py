"""The banner storyboard (the scenes gate's free preview): every requested size is on a still,
each layout shows its sizes then the other copy variants, and the pixels are the render's."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
from PIL import Image
from test_banner_generator import FIXTURES, SCRIPT, make_ctx

from adloom.assets.banner.storyboard import (
    SHEET_BOX,
    SHEET_COLOUR,
    Tile,
    layout_tiles,
    paint_storyboard,
)


def _layouts(*classes: str) -> dict[str, object]:
    return {"kind": "banner", "layouts": [{"size_class": c, "arrangement": "text_left", "background": "split"}
                                          for c in classes]}


def test_every_requested_size_is_on_one_still_and_each_layout_shows_the_other_variants(tmp_path: Path) -> None:
    sizes = ["300x250", "728x90", "320x50", "160x600", "1080x1080"]
    ctx = replace(make_ctx(tmp_path / "w", sizes=sizes), scenes=_layouts("rectangle", "skyscraper", "leaderboard"))
    tiles = layout_tiles(ctx)
    variants = len(SCRIPT["variants"])
    first_variant = [t.size for layout in tiles for t in layout if t.variant == 0]
    assert sorted(first_variant) == sorted(sizes)  # 320x50 and 1080x1080 have no layout: they join the nearest
    assert tiles[0][0] == Tile("300x250", 0) and tiles[0][-variants + 1:] == [Tile("300x250", v)
                                                                             for v in range(1, variants)]
    assert [t.variant for t in tiles[1]] == [0] + list(range(1, variants))
    fewer = layout_tiles(replace(ctx, options={"sizes": sizes, "variants": 1}))
    assert all(t.variant == 0 for layout in fewer for t in layout)


def test_a_layout_with_none_of_the_requested_sizes_shows_its_first_standard_size(tmp_path: Path) -> None:
    ctx = replace(make_ctx(tmp_path / "w", sizes=["300x250"]), scenes=_layouts("rectangle", "leaderboard"))
    assert layout_tiles(ctx)[1][0] == Tile("728x90", 0)


def test_the_stills_are_painted_from_the_photo_and_cached(tmp_path: Path) -> None:
    ctx = make_ctx(tmp_path / "w", sizes=["300x250", "336x280"])
    ctx = replace(ctx, scenes=_layouts("rectangle"), product=replace(ctx.product, photos=(FIXTURES / "coffee.png",)))
    (still,) = paint_storyboard(ctx, tmp_path / "sb")
    sheet = np.asarray(Image.open(still).convert("RGB")).astype(int)
    assert sheet.shape[1] <= SHEET_BOX[0] + 2 and sheet.shape[0] <= SHEET_BOX[1] + 2
    assert (np.abs(sheet - np.array(SHEET_COLOUR)).sum(axis=2) > 30).mean() > 0.5  # mostly banners, not board
    coffee = np.asarray(Image.open(FIXTURES / "coffee.png").convert("RGB")).astype(int)
    reds = (sheet[..., 0] > 120) & (sheet[..., 1] < 80) & (sheet[..., 2] < 70)  # the cup's glaze
    assert ((coffee[..., 0] > 120) & (coffee[..., 1] < 80) & (coffee[..., 2] < 70)).mean() > 0.05
    assert reds.mean() > 0.02, "the product photo is on the still"
    stamp = still.stat().st_mtime_ns
    assert paint_storyboard(ctx, tmp_path / "sb") == [still] and still.stat().st_mtime_ns == stamp

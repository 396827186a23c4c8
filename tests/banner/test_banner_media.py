"""Product visual choice: a clean cutout when segmentation is trustworthy, else the photo."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from adloom.assets.banner.media import logo_cutout, product_visual
from adloom.errors import BadMedia

FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "images"
if not FIXTURES.exists():
    FIXTURES = Path("/work/shared/fixtures/images")
CUTOUT_SET = Path(__file__).resolve().parents[1] / "render" / "cutout_set"


def test_apple_on_a_plain_ground_is_cut_out() -> None:
    visual = product_visual(CUTOUT_SET / "apple-packshot.jpg")
    assert visual.mode == "cutout"
    alpha = visual.rgba[:, :, 3]
    assert alpha[alpha.shape[0] // 2, alpha.shape[1] // 2] == 255  # the apple itself is kept
    assert (alpha == 0).mean() > 0.1  # and the ground around it is gone


def test_cup_on_a_wooden_table_shows_the_photo() -> None:
    """The segmenter chews the saucer's rim where it meets the grain: the gate refuses it."""
    visual = product_visual(FIXTURES / "coffee.png")
    assert visual.mode == "photo" and "quality gate" in visual.reason
    assert visual.quality is not None and not visual.quality.usable


def test_launch_pad_scene_stays_a_photo_focused_on_the_rocket() -> None:
    visual = product_visual(FIXTURES / "rocket.jpg")
    assert visual.mode == "photo"
    assert visual.rgba.shape[:2] == (427, 640)
    fx, fy = visual.focal
    assert 0.4 <= fx <= 0.6 and 0.4 <= fy <= 0.7  # the rocket stands in the middle


def test_roundel_logo_without_alpha_keeps_its_inner_white_lines(tmp_path: Path) -> None:
    logo = logo_cutout(FIXTURES / "logo.png")
    h, w = logo.shape[:2]
    assert abs(h - w) <= 4 and h >= 470  # the whole circle, tight
    alpha = logo[:, :, 3]
    assert alpha[h // 2, w // 2] == 255  # the white S in the middle is part of the mark
    assert alpha[2, 2] == 0  # the white corners are not
    Image.fromarray(np.ascontiguousarray(logo)).save(tmp_path / "logo.png")


def test_blank_photo_is_rejected_clearly(tmp_path: Path) -> None:
    Image.new("RGB", (200, 200), "white").save(tmp_path / "blank.png")
    with pytest.raises(BadMedia, match="blank"):
        product_visual(tmp_path / "blank.png")


def test_sixteen_bit_greyscale_photo_is_scaled_not_clipped(tmp_path: Path) -> None:
    grey = np.asarray(Image.open(FIXTURES / "coffee.png").convert("L")).astype(np.uint16) * 257
    Image.fromarray(grey).save(tmp_path / "deep.png")
    visual = product_visual(tmp_path / "deep.png")
    assert 0 < visual.rgba[:, :, :3].mean() < 250

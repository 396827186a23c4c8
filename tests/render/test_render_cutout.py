"""Cutouts: alpha photos used as they are; opaque photos segmented (IoU against a known mask)."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
import skia
from PIL import Image

from adloom.errors import BadMedia
from adloom.render.cutout import composite_with_shadow, load_cutout, mask_iou, segment
from adloom.render.layout import Box
from adloom.render.raster import new_surface, to_rgba

FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "images"
if not FIXTURES.exists():
    FIXTURES = Path("/work/shared/fixtures/images")


def _wood(width: int = 360, height: int = 270) -> np.ndarray:
    """A busy, real background: the wood grain strip of the coffee photo."""
    coffee = np.asarray(Image.open(FIXTURES / "coffee.png").convert("RGB"))
    return np.ascontiguousarray(
        cv2.resize(coffee[:, 470:600], (width, height), interpolation=cv2.INTER_CUBIC)
    )


def _bottle_mask(height: int, width: int) -> np.ndarray:
    mask = np.zeros((height, width), np.uint8)
    cv2.rectangle(mask, (150, 90), (210, 230), 255, -1)
    cv2.rectangle(mask, (168, 45), (192, 95), 255, -1)
    cv2.ellipse(mask, (180, 95), (30, 14), 0, 0, 360, 255, -1)
    return mask


def _paste(background: np.ndarray, mask: np.ndarray) -> np.ndarray:
    width = background.shape[1]
    shade = np.linspace(0.7, 1.1, width)[None, :, None]
    bottle = np.clip(np.array([40, 90, 160])[None, None, :] * shade, 0, 255)
    return np.where(mask[..., None] > 0, bottle, background).astype(np.uint8)


def test_segmentation_recovers_a_pasted_object_on_a_busy_photo(tmp_path: Path) -> None:
    background = _wood()
    truth = _bottle_mask(*background.shape[:2])
    photo = _paste(background, truth)
    assert mask_iou(segment(photo), truth) >= 0.9

    Image.fromarray(photo).save(tmp_path / "bottle.jpg", quality=95)
    cutout = load_cutout(tmp_path / "bottle.jpg")
    ys, xs = np.nonzero(truth)
    # tight crop: the cutout is the object's bounding box plus at most its feathered edge
    assert abs(cutout.shape[1] - (xs.max() - xs.min() + 1)) <= 5
    assert abs(cutout.shape[0] - (ys.max() - ys.min() + 1)) <= 5


def test_segmentation_recovers_the_logo_on_the_wood() -> None:
    background = _wood()
    logo = np.asarray(Image.open(FIXTURES / "logo.png").convert("RGB"))
    ring = np.zeros(logo.shape[:2], np.uint8)
    cv2.circle(ring, (250, 250), 240, 255, -1)
    small = cv2.resize(logo, (160, 160), interpolation=cv2.INTER_AREA)
    small_mask = cv2.resize(ring, (160, 160), interpolation=cv2.INTER_NEAREST)
    truth = np.zeros(background.shape[:2], np.uint8)
    truth[50:210, 100:260] = small_mask
    photo = background.copy()
    photo[50:210, 100:260] = np.where(small_mask[..., None] > 0, small, photo[50:210, 100:260])
    assert mask_iou(segment(photo), truth) >= 0.9


def test_segmentation_is_deterministic() -> None:
    photo = _paste(_wood(), _bottle_mask(270, 360))
    assert np.array_equal(segment(photo), segment(photo))


def test_meaningful_alpha_is_used_and_tight_cropped(tmp_path: Path) -> None:
    rgba = np.zeros((100, 120, 4), np.uint8)
    rgba[20:60, 30:100] = [200, 40, 40, 255]
    Image.fromarray(rgba, "RGBA").save(tmp_path / "product.png")
    cutout = load_cutout(tmp_path / "product.png")
    assert cutout.shape == (40, 70, 4)
    assert (cutout[:, :, 3] == 255).all() and (cutout[:, :, 0] == 200).all()


@pytest.mark.parametrize(
    "content", [b"", b"not an image at all", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40]
)
def test_unreadable_files_raise_bad_media(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "photo.png"
    path.write_bytes(content)
    with pytest.raises(BadMedia) as error:
        load_cutout(path)
    assert "photo.png" in error.value.message and error.value.hint


def test_missing_file_raises_bad_media(tmp_path: Path) -> None:
    with pytest.raises(BadMedia, match="does not exist"):
        load_cutout(tmp_path / "nope.jpg")


def test_composite_draws_the_cutout_and_a_soft_shadow_below_it() -> None:
    cutout = np.zeros((40, 40, 4), np.uint8)
    cutout[:, :] = [0, 0, 255, 255]
    surface = new_surface(100, 100)
    surface.getCanvas().clear(skia.ColorWHITE)
    composite_with_shadow(surface.getCanvas(), cutout, Box(30, 20, 40, 40))
    pixels = to_rgba(surface)
    assert tuple(pixels[40, 50, :3]) == (0, 0, 255)
    below = pixels[62, 50, :3].astype(int)
    assert (
        below.sum() < 3 * 250 and below[0] == below[1] == below[2]
    )  # grey shadow under the object
    assert tuple(pixels[5, 5, :3]) == (255, 255, 255)

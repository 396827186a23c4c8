"""Framing photos: OpenCV's face cascade (evaluated in numpy) and crops that keep faces whole."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from adloom.render.cutout import read_image
from adloom.render.faces import detect_faces
from adloom.render.framing import frame_photo, subject_crop
from adloom.render.layout import Box, cover

SET = Path(__file__).with_name("cutout_set")


def _rgb(name: str) -> np.ndarray:
    return np.ascontiguousarray(np.asarray(read_image(SET / name))[:, :, :3])


def _inside(inner: Box, outer: Box) -> bool:
    return (inner.x >= outer.x - 0.5 and inner.y >= outer.y - 0.5
            and inner.right <= outer.right + 0.5 and inner.bottom <= outer.bottom + 0.5)


def test_the_astronauts_face_is_found_and_nothing_else() -> None:
    faces = detect_faces(_rgb("astronaut.jpg"))  # 480x480: her face spans about x 165-250
    assert len(faces) == 1
    face = faces[0]
    assert 160 <= face.cx <= 260 and 60 <= face.cy <= 160 and 60 <= face.w <= 130


@pytest.mark.parametrize("name", ["bottle-packshot.jpg", "phone-packshot.jpg", "car-packshot.jpg"])
def test_packshots_have_no_face(name: str) -> None:
    assert detect_faces(_rgb(name)) == []


@pytest.mark.parametrize("shape", [(16, 9), (1, 1), (9, 16), (4, 5), (2, 1), (300, 250)])
def test_the_crop_keeps_the_detected_face_whole(shape: tuple[int, int]) -> None:
    rgb = _rgb("astronaut.jpg")
    h, w = rgb.shape[:2]
    framing = frame_photo(rgb)
    face = detect_faces(rgb)[0]
    crop = subject_crop(w, h, *shape, framing)
    assert crop is not None
    assert abs(crop.w / crop.h - shape[0] / shape[1]) < 0.01
    assert _inside(face, crop)
    assert crop.x >= 0 and crop.y >= 0 and crop.right <= w + 0.5 and crop.bottom <= h + 0.5


def test_a_centred_crop_would_have_cut_the_face() -> None:
    """Why framing exists: the plain centred cover crop of a 16:9 slot cuts her head."""
    rgb = _rgb("astronaut.jpg")
    h, w = rgb.shape[:2]
    face = detect_faces(rgb)[0]
    assert not _inside(face, cover(w, h, Box(0, 0, 1600, 900)))
    crop = subject_crop(w, h, 1600, 900, frame_photo(rgb))
    assert crop is not None and _inside(face, crop)


def test_no_crop_when_the_face_cannot_fit_the_shape() -> None:
    rgb = _rgb("astronaut.jpg")
    h, w = rgb.shape[:2]
    assert subject_crop(w, h, 728, 90, frame_photo(rgb)) is None  # show the whole photo


def test_without_faces_the_crop_centres_on_the_salient_subject() -> None:
    rgb = _rgb("phone-packshot.jpg")  # the phone stands in the middle of a 400x480 frame
    h, w = rgb.shape[:2]
    framing = frame_photo(rgb)
    assert framing.keep is None and framing.faces == 0
    crop = subject_crop(w, h, 1, 1, framing)
    assert crop is not None and abs(crop.cy - h / 2) < 0.12 * h

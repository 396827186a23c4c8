"""Finding a picture inside another one, as a person checking a proof would: "is my photo in
this banner?" Multi-scale template matching (OpenCV, normalised correlation) on a central crop
of the picture, so that a photo that was framed, cropped or cut out is still found, at any size.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt

Image = npt.NDArray[np.uint8]

# Normalised correlation (TM_CCOEFF_NORMED) of the photo's central crop against the best window.
# Measured (tests/web/test_journeys.py): the uploaded photo, re-encoded as quantised PNG, JPEG or
# H.264 and scaled, scores 0.80-0.97; unrelated photos and designed pages without it score
# below 0.45. 0.7 leaves room on both sides.
MATCH_THRESHOLD = 0.7
WORK_WIDTH = 360  # the page or frame is searched at this width (speed)
MIN_SIDE = 20  # a needle smaller than this (in searched pixels) matches noise anywhere


@dataclass(frozen=True)
class Match:
    score: float  # TM_CCOEFF_NORMED of the best window, -1..1
    scale: float  # needle size / needle's native size, in the page's own pixels
    x: int  # top-left of the best window, in the page's own pixels
    y: int

    @property
    def found(self) -> bool:
        return self.score >= MATCH_THRESHOLD


def read_rgb(path: Path, *, background: tuple[int, int, int] = (255, 255, 255)) -> Image:
    """An image file as RGB, transparency flattened onto ``background``."""
    data = cv2.imdecode(np.frombuffer(path.read_bytes(), np.uint8), cv2.IMREAD_UNCHANGED)
    if data is None:
        raise ValueError(f"{path} is not an image OpenCV reads")
    if data.ndim == 2:
        data = cv2.cvtColor(data, cv2.COLOR_GRAY2BGR)
    if data.shape[2] == 4:
        alpha = data[:, :, 3:4].astype(np.float32) / 255.0
        bg = np.array(background[::-1], np.float32).reshape(1, 1, 3)
        data = (data[:, :, :3].astype(np.float32) * alpha + bg * (1 - alpha)).round().astype(np.uint8)
    return np.ascontiguousarray(cv2.cvtColor(data, cv2.COLOR_BGR2RGB))


def central_crop(image: Image, fraction: float = 0.4) -> Image:
    """The middle ``fraction`` of the image in each direction (the part a framing keeps)."""
    h, w = image.shape[:2]
    ch, cw = max(8, int(h * fraction)), max(8, int(w * fraction))
    top, left = (h - ch) // 2, (w - cw) // 2
    return np.ascontiguousarray(image[top:top + ch, left:left + cw])


def find(page: Image, needle: Image, *, min_width: float = 0.05, max_width: float = 1.0,
         step: float = 1.1) -> Match:
    """The best place and size of ``needle`` in ``page``: the needle is tried at every width from
    ``min_width`` to ``max_width`` of the page's width (geometric steps of ``step``)."""
    ph, pw = page.shape[:2]
    shrink = min(1.0, WORK_WIDTH / pw)
    work = cv2.resize(page, (max(1, round(pw * shrink)), max(1, round(ph * shrink))),
                      interpolation=cv2.INTER_AREA) if shrink < 1 else page
    wh, ww = work.shape[:2]
    nh, nw = needle.shape[:2]
    best = Match(-1.0, 0.0, 0, 0)
    width = max(8.0, min_width * ww)
    while width <= max_width * ww + 1e-6:
        scale = width / nw
        size = (max(4, round(nw * scale)), max(4, round(nh * scale)))
        width *= step
        if size[0] > ww or size[1] > wh or min(size) < MIN_SIDE:
            continue
        resized = cv2.resize(needle, size, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC)
        if float(resized.std()) < 1.0:  # a flat needle correlates with nothing
            continue
        scores = cv2.matchTemplate(work, resized, cv2.TM_CCOEFF_NORMED)
        _, score, _, (x, y) = cv2.minMaxLoc(scores)
        if score > best.score:
            best = Match(float(score), scale / shrink, round(x / shrink), round(y / shrink))
    return best


def find_photo(page: Image, photo: Image, *, fraction: float = 0.4) -> Match:
    """Where the central part of ``photo`` appears in ``page`` (see :data:`MATCH_THRESHOLD`)."""
    return find(page, central_crop(photo, fraction))

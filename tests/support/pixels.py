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

# Normalised correlation (TM_CCOEFF_NORMED) of the central crop against the best window, as
# measured on real renders of the form-made campaign of tests/web/test_journeys.py: the uploaded
# photo's central 30 % scores 0.96-1.00 in the banners (quantised PNG), the flyer's PNG page and
# the H.264 frames, and the logo 0.86-0.94 on the end card; a photo that was never uploaded scores
# 0.44-0.54 in the same pages, and the logo 0.37-0.49 in scenes without it. 0.7 sits in the gap.
# The crop is 30 %, not 40 %: a 300×250 banner framed the cup so tightly that a 40 % crop reached
# past what was shown (0.74). Needles under MIN_SIDE pixels are skipped: a 10 px patch "matched"
# another photo at 0.68.
MATCH_THRESHOLD = 0.7
# Correlation ignores colour and contrast: in the unit test's page made with another photo, an
# edge of that photo correlated 0.74 with the cup's rim, but differed by 70 on average. The window
# must also look like the needle: measured 3.7-9.3 for the photo and 4.6-12.2 for the logo where
# they are (re-encoded, scaled); 23-111 for the best windows of photos that are not there.
MAX_DIFFERENCE = 30.0
WORK_WIDTH = 360  # the page or frame is searched at this width (speed)
MIN_SIDE = 20  # a needle smaller than this (in searched pixels) matches noise anywhere


@dataclass(frozen=True)
class Match:
    score: float  # TM_CCOEFF_NORMED of the best window, -1..1
    scale: float  # needle size / needle's native size, in the page's own pixels
    x: int  # top-left of the best window, in the page's own pixels
    y: int
    difference: float = 255.0  # mean absolute difference of that window and the needle, 0-255

    @property
    def found(self) -> bool:
        return self.score >= MATCH_THRESHOLD and self.difference <= MAX_DIFFERENCE


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


def central_crop(image: Image, fraction: float = 0.3) -> Image:
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
            window = work[y:y + size[1], x:x + size[0]].astype(np.float32)
            difference = float(np.abs(window - resized.astype(np.float32)).mean())
            best = Match(float(score), scale / shrink, round(x / shrink), round(y / shrink), difference)
    return best


def find_photo(page: Image, photo: Image, *, fraction: float = 0.3) -> Match:
    """Where the central part of ``photo`` appears in ``page`` (see :data:`MATCH_THRESHOLD`)."""
    return find(page, central_crop(photo, fraction))

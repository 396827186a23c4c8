"""Frontal face detection with OpenCV's Haar cascade, evaluated with numpy.

OpenCV 5 wheels dropped ``cv2.CascadeClassifier`` and ``cv2.data.haarcascades``; the cascade
itself (``data/haarcascade_frontalface_default.xml.gz``, from OpenCV) is a list of stages of
two- or three-rectangle features, which numpy evaluates over every window of an image pyramid
at once. The evaluation follows OpenCV's: each feature is compared with its threshold times
the window's standard deviation, a stage passes when its leaves sum to its threshold, and
overlapping hits are grouped (five neighbours at least) into one face.
"""

from __future__ import annotations

import gzip
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np

from adloom.render.layout import Box

CASCADE = Path(__file__).with_name("data") / "haarcascade_frontalface_default.xml.gz"
DETECT_SIDE = 320  # faces are searched on a copy this large (longest side)
SCALE_STEP = 1.15
MIN_NEIGHBOURS = 5  # three (OpenCV's default) let a helmet reflection through


@dataclass(frozen=True)
class Stage:
    """One boosted stage: per weak classifier its feature, threshold and two leaf values."""

    features: np.ndarray  # (n,) feature index
    thresholds: np.ndarray  # (n,)
    leaves: np.ndarray  # (n, 2): value below / at-or-above the threshold
    threshold: float


@dataclass(frozen=True)
class Cascade:
    """A parsed Haar cascade: window size, stages and rectangles (x, y, w, h, weight)."""

    size: tuple[int, int]
    stages: tuple[Stage, ...]
    rects: np.ndarray  # (features, 3, 5); unused third rectangles have weight 0


def _numbers(node: ET.Element | None) -> list[float]:
    return [float(v) for v in (node.text or "").split()] if node is not None else []


@lru_cache(maxsize=1)
def load_cascade(path: Path = CASCADE) -> Cascade:
    """Parse an OpenCV (new-format, stump-based) Haar cascade XML file."""
    root = ET.fromstring(gzip.decompress(path.read_bytes()))
    cascade = root.find("cascade")
    assert cascade is not None, "not an OpenCV cascade file"
    width = int(float(cascade.findtext("width") or 24))
    height = int(float(cascade.findtext("height") or 24))
    stages = []
    for stage in cascade.findall("stages/_"):
        nodes = [_numbers(w.find("internalNodes")) for w in stage.findall("weakClassifiers/_")]
        leaves = [_numbers(w.find("leafValues")) for w in stage.findall("weakClassifiers/_")]
        stages.append(
            Stage(
                features=np.array([int(n[2]) for n in nodes]),
                thresholds=np.array([n[3] for n in nodes]),
                leaves=np.array(leaves),
                threshold=float(stage.findtext("stageThreshold") or 0),
            )
        )
    rects = np.zeros((len(cascade.findall("features/_")), 3, 5))
    for i, feature in enumerate(cascade.findall("features/_")):
        for j, rect in enumerate(feature.findall("rects/_")):
            rects[i, j] = _numbers(rect)
    return Cascade((width, height), tuple(stages), rects)


@dataclass(frozen=True)
class _Pyramid:
    """Every level's integral images laid end to end, and every window to test: its first
    pixel's index in that flat array, the row stride of its level and its level's scale."""

    ii: np.ndarray
    sq: np.ndarray
    base: np.ndarray
    stride: np.ndarray
    factor: np.ndarray


def _pyramid(gray: np.ndarray, win: tuple[int, int], first: float) -> _Pyramid:
    sums, squares, bases, strides, factors = [], [], [], [], []
    offset, factor = 0, first
    while min(gray.shape[0] / factor, gray.shape[1] / factor) >= max(win):
        size = (round(gray.shape[1] / factor), round(gray.shape[0] / factor))
        level = cv2.resize(gray, size, interpolation=cv2.INTER_LINEAR).astype(np.float64)
        step = 1 if factor > 2 else 2  # OpenCV's step: fine where windows are large
        ys, xs = np.mgrid[0 : size[1] - win[1] + 1 : step, 0 : size[0] - win[0] + 1 : step]
        stride = size[0] + 1
        sums.append(cv2.integral(level).ravel())
        squares.append(cv2.integral(level**2).ravel())
        bases.append(offset + (ys * stride + xs).ravel())
        strides.append(np.full(ys.size, stride))
        factors.append(np.full(ys.size, factor))
        offset += sums[-1].size
        factor *= SCALE_STEP
    if not sums:
        empty = np.zeros(0, np.int64)
        return _Pyramid(np.zeros(1), np.zeros(1), empty, empty, empty.astype(float))
    return _Pyramid(
        np.concatenate(sums), np.concatenate(squares), np.concatenate(bases),
        np.concatenate(strides), np.concatenate(factors),
    )


def _passing_windows(pyr: _Pyramid, cascade: Cascade) -> np.ndarray:
    """Indices of the windows that pass every stage of the cascade."""
    win_w, win_h = cascade.size
    inner = (1, 1, win_w - 2, win_h - 2)  # the spread is measured one pixel inside, as OpenCV
    area = inner[2] * inner[3]
    total = _rect_sums(pyr.ii, pyr.base, pyr.stride, inner)
    squares = _rect_sums(pyr.sq, pyr.base, pyr.stride, inner)
    spread = np.sqrt(np.maximum(area * squares - total**2, 1.0))
    alive = np.arange(len(pyr.base))
    for stage in cascade.stages:
        base, stride, norm = pyr.base[alive], pyr.stride[alive], spread[alive]
        score = np.zeros(len(alive))
        for feature, thr, leaf in zip(stage.features, stage.thresholds, stage.leaves, strict=True):
            value = np.zeros(len(alive))
            for x, y, rw, rh, weight in cascade.rects[feature]:
                if weight:
                    rect = (int(x), int(y), int(rw), int(rh))
                    value += weight * _rect_sums(pyr.ii, base, stride, rect)
            score += np.where(value < thr * norm, leaf[0], leaf[1])
        alive = alive[score >= stage.threshold]
        if not len(alive):
            break
    return alive


def _level_start(pyr: _Pyramid, i: int) -> int:
    """Where window ``i``'s level begins in the flat array (its level's first window)."""
    same = np.nonzero(pyr.factor == pyr.factor[i])[0][0]
    return int(pyr.base[same])


def _rect_sums(
    ii: np.ndarray, base: np.ndarray, stride: np.ndarray, rect: tuple[int, int, int, int]
) -> np.ndarray:
    x, y, w, h = rect
    top, bottom = base + y * stride + x, base + (y + h) * stride + x
    return np.asarray(ii[bottom + w] - ii[top + w] - ii[bottom] + ii[top])


def _group(hits: list[tuple[float, float, float]], min_neighbours: int) -> list[Box]:
    """Merge overlapping square hits (x, y, side) into faces seen by enough windows."""
    clusters: list[list[tuple[float, float, float]]] = []
    for hit in sorted(hits, key=lambda h: h[2]):
        for cluster in clusters:
            x, y, s = np.mean(cluster, axis=0)
            if abs(hit[0] - x) <= 0.25 * s and abs(hit[1] - y) <= 0.25 * s and hit[2] <= 1.5 * s:
                cluster.append(hit)
                break
        else:
            clusters.append([hit])
    faces = [Box(*np.mean(c, axis=0)[[0, 1, 2, 2]]) for c in clusters if len(c) >= min_neighbours]
    # a face found inside a bigger face is the same face
    return [f for f in faces if not any(o is not f and _inside(f, o) for o in faces)]


def _inside(inner: Box, outer: Box) -> bool:
    return (
        outer.w > inner.w
        and inner.x >= outer.x - 0.1 * outer.w
        and inner.right <= outer.right + 0.1 * outer.w
        and inner.y >= outer.y - 0.1 * outer.h
        and inner.bottom <= outer.bottom + 0.1 * outer.h
    )


def detect_faces(rgb: np.ndarray, *, min_side: float = 0.06) -> list[Box]:
    """Frontal faces in an RGB photo, as boxes in the photo's pixels (largest first).
    Faces smaller than ``min_side`` of the shorter side are not looked for."""
    cascade = load_cascade()
    h, w = rgb.shape[:2]
    scale = min(1.0, DETECT_SIDE / max(h, w))
    small = cv2.resize(rgb, (max(1, round(w * scale)), max(1, round(h * scale))),
                       interpolation=cv2.INTER_AREA)
    gray = cv2.equalizeHist(cv2.cvtColor(small, cv2.COLOR_RGB2GRAY))
    first = max(1.0, min_side * min(gray.shape) / cascade.size[0])
    pyr = _pyramid(gray, cascade.size, first)
    hits = []
    for i in _passing_windows(pyr, cascade):
        stride, factor = int(pyr.stride[i]), float(pyr.factor[i])
        local = int(pyr.base[i]) - _level_start(pyr, i)
        hits.append((local % stride * factor, local // stride * factor, cascade.size[0] * factor))
    faces = _group(hits, MIN_NEIGHBOURS)
    return sorted(
        (Box(f.x / scale, f.y / scale, f.w / scale, f.h / scale) for f in faces),
        key=lambda b: -b.w,
    )

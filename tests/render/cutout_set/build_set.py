"""Rebuild the labelled cut-out set from its sources (not a test; run by hand).

Usage: ``python build_set.py SKIMAGE_DATA_DIR`` where the folder is ``skimage/data`` unpacked
from a scikit-image wheel (``pip download --no-deps scikit-image``). The photos are resized so
each file stays small; the packshots are drawn here (CC0, made for this set). Labels and
licences are in ``labels.csv``; the verdict is what a person sees in the segmenter's cut-out.
"""

from __future__ import annotations

import sys
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

HERE = Path(__file__).resolve().parent
LONG_SIDE = 480


def _fit(rgb: np.ndarray, long_side: int = LONG_SIDE) -> np.ndarray:
    h, w = rgb.shape[:2]
    scale = long_side / max(h, w)
    if scale >= 1:
        return rgb
    return cv2.resize(rgb, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA)


def _jpeg(name: str, rgb: np.ndarray) -> None:
    Image.fromarray(np.ascontiguousarray(rgb)).save(HERE / name, quality=86, optimize=True)


def _read(path: Path) -> np.ndarray:
    return np.asarray(Image.open(path).convert("RGB"))


def _gradient(h: int, w: int, top: tuple[int, int, int], bottom: tuple[int, int, int]) -> np.ndarray:
    t = np.linspace(0, 1, h)[:, None, None]
    grad = np.array(top)[None, None] * (1 - t) + np.array(bottom)[None, None] * t
    return np.repeat(grad, w, axis=1).astype(np.float32)


def _noise(shape: tuple[int, ...], seed: int, amount: float = 2.5) -> np.ndarray:
    return np.random.default_rng(seed).normal(0, amount, shape).astype(np.float32)


def _shade(mask: np.ndarray, color: tuple[int, int, int], light: float = 0.35) -> np.ndarray:
    """A flat colour lit from the left: darker towards the object's right edge."""
    h, w = mask.shape
    xs = np.nonzero(mask.any(axis=0))[0]
    x0, x1 = (xs.min(), xs.max()) if len(xs) else (0, w)
    ramp = np.clip((np.arange(w) - x0) / max(1, x1 - x0), 0, 1)
    gain = 1 + light / 2 - light * ramp
    lit = np.array(color)[None, None] * gain[None, :, None]
    return np.repeat(np.clip(lit, 0, 255), h, axis=0).astype(np.float32)


def _place(canvas: np.ndarray, mask: np.ndarray, colour: np.ndarray, shadow: bool = True) -> None:
    soft = cv2.GaussianBlur(mask.astype(np.float32) / 255, (0, 0), 0.8)[..., None]
    if shadow:
        drop = np.roll(mask, 10, axis=0).astype(np.float32) / 255
        drop = cv2.GaussianBlur(drop, (0, 0), 9)[..., None] * 0.28
        canvas *= 1 - drop
    canvas[:] = canvas * (1 - soft) + colour * soft


def _text(canvas: np.ndarray, text: str, at: tuple[int, int], size: float, colour: tuple[int, int, int]) -> None:
    """putText draws on 8-bit images only: draw on a copy and take it back."""
    ink = canvas.clip(0, 255).astype(np.uint8)
    cv2.putText(ink, text, at, cv2.FONT_HERSHEY_DUPLEX, size, colour, 2, cv2.LINE_AA)
    canvas[:] = ink


def bottle(seed: int = 1) -> np.ndarray:
    h, w = 480, 360
    canvas = _gradient(h, w, (244, 242, 238), (222, 219, 214))
    mask = np.zeros((h, w), np.uint8)
    cv2.rectangle(mask, (125, 170), (235, 430), 255, -1)
    cv2.ellipse(mask, (180, 170), (55, 40), 0, 180, 360, 255, -1)
    cv2.rectangle(mask, (160, 70), (200, 140), 255, -1)
    cv2.rectangle(mask, (155, 50), (205, 78), 255, -1)
    _place(canvas, mask, _shade(mask, (38, 92, 58)))
    label = np.zeros_like(mask)
    cv2.rectangle(label, (125, 250), (235, 350), 255, -1)
    _place(canvas, label & mask, _shade(mask, (236, 224, 196)), shadow=False)
    _text(canvas, "OLIVA", (140, 310), 0.9, (40, 60, 40))
    return np.clip(canvas + _noise(canvas.shape, seed), 0, 255).astype(np.uint8)


def cereal_box(seed: int = 2) -> np.ndarray:
    h, w = 420, 480
    canvas = _gradient(h, w, (255, 255, 255), (236, 238, 242))
    front = np.zeros((h, w), np.uint8)
    cv2.fillPoly(front, [np.array([[150, 70], [300, 90], [300, 370], [150, 350]])], 255)
    side = np.zeros((h, w), np.uint8)
    cv2.fillPoly(side, [np.array([[300, 90], [350, 70], [350, 345], [300, 370]])], 255)
    top = np.zeros((h, w), np.uint8)
    cv2.fillPoly(top, [np.array([[150, 70], [200, 52], [350, 70], [300, 90]])], 255)
    _place(canvas, front | side | top, _shade(front, (214, 64, 40)))
    _place(canvas, side, _shade(side, (160, 44, 28)), shadow=False)
    _place(canvas, top, _shade(top, (232, 110, 80)), shadow=False)
    cv2.circle(canvas, (225, 230), 48, (250, 214, 80), -1)
    _text(canvas, "CRUNCH", (166, 150), 0.85, (255, 255, 255))
    return np.clip(canvas + _noise(canvas.shape, seed), 0, 255).astype(np.uint8)


def _phone_mask(h: int, w: int, cx: int, cy: int, pw: int, ph: int, angle: float) -> np.ndarray:
    mask = np.zeros((h, w), np.uint8)
    rect = ((cx, cy), (pw, ph), angle)
    box = cv2.boxPoints(rect).astype(np.int32)
    cv2.fillPoly(mask, [box], 255)
    return cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (21, 21)))


def phone(seed: int = 3) -> np.ndarray:
    h, w = 480, 400
    canvas = _gradient(h, w, (232, 236, 244), (206, 214, 228))
    body = _phone_mask(h, w, 200, 240, 170, 340, -8)
    screen = cv2.erode(body, np.ones((17, 17), np.uint8))
    _place(canvas, body, _shade(body, (30, 32, 38)))
    glow = _gradient(h, w, (70, 120, 220), (160, 90, 210))
    _place(canvas, screen, glow, shadow=False)
    return np.clip(canvas + _noise(canvas.shape, seed), 0, 255).astype(np.uint8)


def phone_closeup(wood: np.ndarray, seed: int = 4) -> np.ndarray:
    """The phone so close that two borders crop it, on a busy wooden table."""
    h, w = 400, 480
    canvas = cv2.resize(wood, (w, h), interpolation=cv2.INTER_CUBIC).astype(np.float32)
    body = _phone_mask(h, w, 330, 300, 300, 560, 25)
    screen = cv2.erode(body, np.ones((25, 25), np.uint8))
    _place(canvas, body, _shade(body, (30, 32, 38)))
    _place(canvas, screen, _gradient(h, w, (70, 120, 220), (160, 90, 210)), shadow=False)
    return np.clip(canvas + _noise(canvas.shape, seed), 0, 255).astype(np.uint8)


def shelf(seed: int = 5) -> np.ndarray:
    """Bottles side by side filling a shelf: no single product to cut out."""
    h, w = 360, 480
    canvas = _gradient(h, w, (120, 96, 74), (84, 64, 48))
    colours = [(38, 92, 58), (180, 60, 50), (40, 70, 150), (220, 170, 40), (120, 50, 120)]
    for i, x in enumerate(range(-30, w + 40, 95)):
        mask = np.zeros((h, w), np.uint8)
        cv2.rectangle(mask, (x, 130), (x + 80, h), 255, -1)
        cv2.rectangle(mask, (x + 25, 40), (x + 55, 140), 255, -1)
        _place(canvas, mask, _shade(mask, colours[i % len(colours)]), shadow=False)
    cv2.rectangle(canvas, (0, 0), (w, 18), (60, 44, 34), -1)
    return np.clip(canvas + _noise(canvas.shape, seed, 4.0), 0, 255).astype(np.uint8)


def toy_car(seed: int = 6) -> np.ndarray:
    h, w = 360, 480
    canvas = _gradient(h, w, (246, 246, 246), (226, 226, 226))
    body = np.zeros((h, w), np.uint8)
    cv2.rectangle(body, (70, 170), (410, 245), 255, -1)
    cv2.fillPoly(body, [np.array([[150, 172], [190, 110], [320, 110], [365, 172]])], 255)
    body = cv2.morphologyEx(body, cv2.MORPH_CLOSE, np.ones((9, 9), np.uint8))
    _place(canvas, body, _shade(body, (200, 30, 40)))
    windows = np.zeros_like(body)
    cv2.fillPoly(windows, [np.array([[170, 168], [198, 122], [250, 122], [250, 168]])], 255)
    cv2.fillPoly(windows, [np.array([[262, 168], [262, 122], [312, 122], [345, 168]])], 255)
    _place(canvas, windows, _shade(windows, (150, 190, 220)), shadow=False)
    for cx in (150, 335):
        tyre = np.zeros_like(body)
        cv2.circle(tyre, (cx, 245), 38, 255, -1)
        _place(canvas, tyre, _shade(tyre, (30, 30, 30)), shadow=False)
        hub = np.zeros_like(body)
        cv2.circle(hub, (cx, 245), 16, 255, -1)
        _place(canvas, hub, _shade(hub, (190, 190, 196)), shadow=False)
    return np.clip(canvas + _noise(canvas.shape, seed), 0, 255).astype(np.uint8)


def headphones_rgba() -> np.ndarray:
    """A product PNG with a real alpha channel (transparent around the object)."""
    h, w = 360, 360
    alpha = np.zeros((h, w), np.uint8)
    cv2.ellipse(alpha, (180, 190), (120, 130), 0, 180, 360, 255, 22)
    for cx in (62, 298):
        cv2.ellipse(alpha, (cx, 220), (34, 58), 0, 0, 360, 255, -1)
    rgb = _shade(alpha, (52, 56, 70)).astype(np.uint8)
    return np.dstack([rgb, cv2.GaussianBlur(alpha, (0, 0), 0.7)])


def apple(seed: int = 7) -> np.ndarray:
    """A red apple with a stalk, a leaf and a highlight on a plain ground."""
    h, w = 400, 440
    canvas = _gradient(h, w, (250, 246, 238), (236, 228, 214))
    body = np.zeros((h, w), np.uint8)
    cv2.circle(body, (190, 230), 110, 255, -1)
    cv2.circle(body, (260, 230), 105, 255, -1)
    stalk = np.zeros_like(body)
    cv2.line(stalk, (225, 140), (240, 85), 255, 9)
    leaf = np.zeros_like(body)
    cv2.ellipse(leaf, (275, 100), (38, 16), -25, 0, 360, 255, -1)
    _place(canvas, body | stalk | leaf, _shade(body, (196, 30, 36)))
    _place(canvas, stalk, _shade(stalk, (96, 64, 36)), shadow=False)
    _place(canvas, leaf, _shade(leaf, (70, 150, 60)), shadow=False)
    shine = np.zeros_like(body)
    cv2.ellipse(shine, (165, 190), (22, 34), 30, 0, 360, 255, -1)
    _place(canvas, shine & body, _shade(shine, (236, 120, 120)), shadow=False)
    return np.clip(canvas + _noise(canvas.shape, seed), 0, 255).astype(np.uint8)


def horse_on_white(path: Path) -> np.ndarray:
    rgba = np.asarray(Image.open(path).convert("RGBA")).astype(np.float32)
    alpha = rgba[:, :, 3:4] / 255
    rgb = rgba[:, :, :3] * alpha + 255 * (1 - alpha)
    black = rgba[:, :, :3].max(axis=2) < 128
    shape = np.where(black[..., None] & (alpha > 0.9), rgba[:, :, :3], 255)
    return np.clip(np.where(black[..., None], shape, rgb), 0, 255).astype(np.uint8)


def main(source: Path) -> None:
    for name in ("astronaut", "chelsea", "rocket", "coffee", "camera"):
        ext = "jpg" if name == "rocket" else "png"
        _jpeg(f"{name}.jpg", _fit(_read(source / f"{name}.{ext}")))
    coffee = _read(source / "coffee.png")
    _jpeg("apple-packshot.jpg", apple())
    _jpeg("horse.jpg", _fit(horse_on_white(source / "horse.png")))
    _jpeg("bottle-packshot.jpg", bottle())
    _jpeg("box-packshot.jpg", cereal_box())
    _jpeg("phone-packshot.jpg", phone())
    _jpeg("phone-closeup.jpg", phone_closeup(coffee[:, 470:600]))
    _jpeg("shelf.jpg", shelf())
    _jpeg("car-packshot.jpg", toy_car())
    Image.fromarray(headphones_rgba(), "RGBA").save(HERE / "headphones-alpha.png", optimize=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]))

"""Contact sheets of the corpus for the three visual kinds, and the best and worst of each.

    python bench/contact_sheets.py --briefs tests/creative/briefs --out /tmp/sheets [--docs]

For each brief the local writer writes the concept of each kind (its first idea, or
``--idea N``) and, at preview scale, one JPEG per brief and kind is written:

- ``video/<brief>.jpg``: one 9:16 frame every 2.5 s, drawn by the clips' painter (no voice, so
  no captions; the product photo as a card, no cut-out);
- ``banner/<brief>.jpg``: the 16 banner sizes of the first copy variant, at half size;
- ``flyer/<brief>.jpg``: the eight flyer formats, rasterised from the plan the PDF is made of.

Each sheet gets a score (printed, and in ``scores.json``); with ``--docs`` the best and worst
sheet of each kind are copied to ``docs/images/sheet-<kind>-best.jpg`` / ``-worst.jpg``.

The score, 0..1, averages three measures over the sheet's renders, each mapped to 0..1:
distinctiveness (0.5: the perceptual distance, see tests/creative/visual_distance.py, to the
most similar other brand's render of the same size/format/moment, / 0.5), colourfulness
(0.25: Hasler–Süsstrunk, / 60) and fill (0.25: 1 − the share of empty 1/64 cells, so a frame
with a blank half scores low). The worst sheet is the one most like another brand, greyest or
emptiest; the best the most its own, vivid and filled.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "creative"))

from visual_corpus import banners, brief_job, brief_paths, flyer_pages, video_frames
from visual_distance import colourfulness, distance, empty_fraction

from adloom.assets.base import JobContext

KINDS: dict[str, Callable[[JobContext], list[np.ndarray]]] = {
    "video": video_frames,
    "banner": banners,
    "flyer": flyer_pages,
}
GAP = 12
INK = (40, 40, 40)


def _resize(image: np.ndarray, scale: float) -> Image.Image:
    pil = Image.fromarray(image)
    if scale == 1:
        return pil
    return pil.resize((max(1, round(pil.width * scale)), max(1, round(pil.height * scale))),
                      Image.Resampling.LANCZOS)


def tile(images: Sequence[np.ndarray], *, kind: str, title: str) -> Image.Image:
    """Renders packed in rows (shelf packing, 1700 px wide) on a light grey sheet, titled."""
    scale = {"banner": 0.5, "flyer": 0.6, "video": 1.0}[kind]
    tiles = [_resize(im, scale) for im in images]
    width = 1700 if kind == "banner" else sum(t.width + GAP for t in tiles) + GAP
    rows: list[list[Image.Image]] = [[]]
    x = GAP
    for t in tiles:
        if rows[-1] and x + t.width + GAP > width:
            rows.append([])
            x = GAP
        rows[-1].append(t)
        x += t.width + GAP
    height = 40 + sum(max(t.height for t in row) + GAP for row in rows) + GAP
    sheet = Image.new("RGB", (width, height), (236, 236, 236))
    ImageDraw.Draw(sheet).text((GAP, 12), title, fill=INK)
    y = 40
    for row in rows:
        x = GAP
        for t in row:
            sheet.paste(t, (x, y))
            x += t.width + GAP
        y += max(t.height for t in row) + GAP
    return sheet


def score_sheets(renders: dict[str, list[np.ndarray]]) -> dict[str, float]:
    """The score of every brief's sheet of one kind (see the module docstring)."""
    scores = {}
    for name, mine in renders.items():
        parts = []
        for i, image in enumerate(mine):
            others = [r[i] for other, r in renders.items() if other != name and i < len(r)]
            nearest = min((distance(image, o) for o in others), default=0.5)
            parts.append(0.5 * min(1.0, nearest / 0.5)
                         + 0.25 * min(1.0, colourfulness(image) / 60)
                         + 0.25 * (1 - empty_fraction(image)))
        scores[name] = round(sum(parts) / max(1, len(parts)), 4)
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--briefs", type=Path, default=ROOT / "tests" / "creative" / "briefs")
    parser.add_argument("--out", type=Path, default=Path("contact-sheets"))
    parser.add_argument("--kinds", nargs="+", default=list(KINDS), choices=list(KINDS))
    parser.add_argument("--idea", type=int, default=0, help="which of the three ideas (0-2)")
    parser.add_argument("--docs", action="store_true",
                        help="copy the best and worst sheet of each kind into docs/images/")
    args = parser.parse_args()
    results: dict[str, dict[str, float]] = {}
    for kind in args.kinds:
        folder = args.out / kind
        folder.mkdir(parents=True, exist_ok=True)
        renders: dict[str, list[np.ndarray]] = {}
        for path in brief_paths(args.briefs):
            ctx = brief_job(path, kind, args.out / "work", idea=args.idea)
            renders[path.stem] = KINDS[kind](ctx)
        scores = score_sheets(renders)
        for name, images in renders.items():
            title = f"{name} · {kind} · idea {args.idea + 1} · score {scores[name]:.3f}"
            tile(images, kind=kind, title=title).save(folder / f"{name}.jpg", quality=85)
        results[kind] = scores
        ranked = sorted(scores, key=scores.__getitem__)
        print(f"{kind}: worst {ranked[0]} {scores[ranked[0]]:.3f}, "
              f"best {ranked[-1]} {scores[ranked[-1]]:.3f}  ({folder})")
        if args.docs:
            docs = ROOT / "docs" / "images"
            shutil.copyfile(folder / f"{ranked[-1]}.jpg", docs / f"sheet-{kind}-best.jpg")
            shutil.copyfile(folder / f"{ranked[0]}.jpg", docs / f"sheet-{kind}-worst.jpg")
    (args.out / "scores.json").write_text(json.dumps(results, indent=2, sort_keys=True))


if __name__ == "__main__":
    main()

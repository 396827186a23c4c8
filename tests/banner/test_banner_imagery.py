"""Banners choose product imagery through the cut-out gate and use every photo of the brief."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from onnxgens import fixed_mask_model, red_disc_mask, two_discs
from PIL import Image
from test_banner_generator import make_ctx

from adloom.assets.banner import BannerGenerator
from adloom.assets.base import JobContext, StageResult

SET = Path(__file__).resolve().parents[1] / "render" / "cutout_set"


def _ctx(workdir: Path, *photos: str, **options: object) -> JobContext:
    ctx = make_ctx(workdir, sizes=["300x250"], formats=["png"], **options)
    return replace(ctx, product=replace(ctx.product, photos=tuple(SET / p for p in photos)))


def _render(ctx: JobContext) -> tuple[StageResult, StageResult]:
    gen = BannerGenerator()
    g = gen.generate(ctx)
    return g, gen.render(replace(ctx, previous={"generate": g.output}))


@pytest.mark.parametrize("photo", ["astronaut.jpg", "chelsea.jpg", "shelf.jpg"])
def test_scene_photos_are_shown_as_photos_not_broken_cutouts(tmp_path: Path, photo: str) -> None:
    g, r = _render(_ctx(tmp_path / "work", photo, variants=1))
    assert g.output["mode"] == "photo"
    assert "quality gate" in g.output["reason"]
    assert g.output["quality"]["usable"] is False
    entry = r.output["sizes"]["300x250"][0]
    assert entry["visual"] == "photo"
    saved = np.asarray(Image.open(g.output["product"]))
    assert saved[:, :, 3].min() == 255  # the whole photo, nothing cut away


def test_the_astronauts_face_is_kept_whole_in_the_banner(tmp_path: Path) -> None:
    g, r = _render(_ctx(tmp_path / "work", "astronaut.jpg", variants=1))
    assert g.output["faces"] == 1 and g.output["keep"] is not None
    banner = np.asarray(Image.open(r.output["sizes"]["300x250"][0]["files"]["png"]["path"]))
    photo = np.asarray(Image.open(SET / "astronaut.jpg").convert("RGB"))
    kx, ky, kw, kh = g.output["keep"]
    face = photo[round(ky * 480 + kh * 480 * 0.3): round((ky + kh * 0.7) * 480),
                 round((kx + kw * 0.3) * 480): round((kx + kw * 0.7) * 480)]
    assert _found(banner[:, :, :3], face), "the face is not in the banner"


def _found(image: np.ndarray, patch: np.ndarray) -> bool:
    """True when a resized copy of ``patch`` matches somewhere in ``image``."""
    import cv2

    for scale in np.linspace(0.2, 1.2, 21):
        size = (max(4, round(patch.shape[1] * scale)), max(4, round(patch.shape[0] * scale)))
        if size[0] >= image.shape[1] or size[1] >= image.shape[0]:
            continue
        small = cv2.resize(patch, size, interpolation=cv2.INTER_AREA)
        score = cv2.matchTemplate(image.astype(np.float32), small.astype(np.float32),
                                  cv2.TM_CCOEFF_NORMED).max()
        if score > 0.9:
            return True
    return False


def test_packshots_are_still_cut_out(tmp_path: Path) -> None:
    g, r = _render(_ctx(tmp_path / "work", "bottle-packshot.jpg", variants=1))
    assert g.output["mode"] == "cutout" and g.output["quality"]["usable"]
    assert r.output["sizes"]["300x250"][0]["visual"] == "cutout"


def test_each_variant_uses_another_photo_of_the_brief(tmp_path: Path) -> None:
    g, r = _render(_ctx(tmp_path / "work", "bottle-packshot.jpg", "astronaut.jpg", variants=2))
    assert [v["mode"] for v in g.output["visuals"]] == ["cutout", "photo"]
    assert [f.meta["source"] for f in BannerGenerator().generate(
        _ctx(tmp_path / "again", "bottle-packshot.jpg", "astronaut.jpg")).files] == [
        "bottle-packshot.jpg", "astronaut.jpg"]
    entries = r.output["sizes"]["300x250"]
    assert [(e["photo"], e["visual"]) for e in entries] == [(0, "cutout"), (1, "photo")]
    first, second = (np.asarray(Image.open(e["files"]["png"]["path"]).convert("RGB"))
                     for e in entries)
    bottle_green = np.array([38, 92, 58])
    near = [float((np.abs(img.astype(int) - bottle_green).sum(axis=2) < 40).mean())
            for img in (first, second)]
    assert near[0] > 0.01 and near[1] < 0.001  # the bottle in variant 1 only


def test_banners_use_the_operators_segmentation_model(tmp_path: Path) -> None:
    """ADLOOM_SEGMENTATION_MODEL reaches the generator through the job context; its mask of
    the red disc passes the gate (the classic segmenter sees two discs and is refused)."""
    model = fixed_mask_model(tmp_path / "model.onnx", red_disc_mask())
    ctx = make_ctx(tmp_path / "work", sizes=["300x250"], formats=["png"], variants=1)
    ctx = replace(ctx, product=replace(ctx.product, photos=(two_discs(tmp_path / "d.png"),)),
                  segmentation_model=model)
    out = BannerGenerator().generate(ctx).output
    assert out["mode"] == "cutout" and out["quality"]["source"] == "model"
    without = BannerGenerator().generate(replace(ctx, segmentation_model=None)).output
    assert without["mode"] == "photo"

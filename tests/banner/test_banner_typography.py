"""Banners in Arabic, Devanagari and Japanese: every text the layout draws is shaped with no
missing glyph (no boxes), and the glyphs reach the pixels."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from adloom.assets.banner.generator import banner_spec, fonts_for, load_assets
from adloom.assets.banner.layout import CopyText, compute_layout
from adloom.assets.banner.paint import paint_plan
from adloom.assets.base import BrandSpec, JobContext, ProductSpec
from adloom.render.design import parse_hex
from adloom.render.raster import to_rgba
from adloom.render.text import shape

COPY = {
    "ar": CopyText("قهوة باردة جاهزة متى شئت", "منقوعة ١٨ ساعة", "اطلب الآن", "قهوة باردة"),
    "hi": CopyText("ठंडी कॉफ़ी, जब चाहें तैयार", "अठारह घंटे भिगोई", "अभी मंगाएँ", "ठंडी कॉफ़ी"),
    "ja": CopyText("いつでも飲めるコールドブリュー", "十八時間かけて抽出", "今すぐ注文", "コールドブリュー"),
}


def _script(copy: CopyText) -> dict[str, object]:
    variant = {"headline": copy.headline, "subhead": copy.subhead, "cta": copy.cta,
               "short_headline": copy.short_headline}
    return {"kind": "banner", "variants": [variant, variant]}


def _ctx(workdir: Path, name: str, copy: CopyText) -> JobContext:
    workdir.mkdir(parents=True, exist_ok=True)
    return JobContext(
        project_id="p1", campaign_id="c1", kind="banner", options={},
        brand=BrandSpec(name=name, colors={"primary": "#1F3A5F", "secondary": "#F2E8DC",
                                           "accent": "#E07A2E", "background": "#FBF7F2",
                                           "text": "#1B1B1B"},
                        heading_font="Manrope", body_font="Source Sans Pro", logo=None),
        product=ProductSpec(name=name, description="Cold brew.", url="https://x.example/",
                            photos=()),
        strategy={}, campaign={}, script=_script(copy),
        scenes={"kind": "banner", "layouts": []}, workdir=workdir,
    )


@pytest.mark.parametrize("lang", sorted(COPY))
@pytest.mark.parametrize("size", ["300x250", "728x90"])
def test_banner_text_in_other_scripts_has_no_missing_glyph(
    tmp_path: Path, lang: str, size: str
) -> None:
    copy = COPY[lang]
    ctx = _ctx(tmp_path / "w", copy.short_headline, copy)
    assets = load_assets(ctx)
    plan = compute_layout(banner_spec(ctx, assets, fonts_for(ctx), copy, size))
    pixels = to_rgba(paint_plan(plan, assets.images))[:, :, :3].astype(int)
    assert plan.texts
    for text in plan.texts:
        for line in text.fitted.lines:
            shaped = shape(line, text.fitted.typeface)
            assert shaped.missing_glyphs == 0, (text.role, line)
        box = text.box.rounded()
        region = pixels[int(box.y) : int(box.bottom), int(box.x) : int(box.right)].reshape(-1, 3)
        ink = np.abs(region - np.array(parse_hex(text.color))).sum(axis=1) < 60
        assert ink.sum() >= 10, f"{text.role} drew nothing"

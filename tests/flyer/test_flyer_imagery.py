"""Flyers: the hero cut-out passes the gate, the best photo is featured, photos keep faces."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from adloom.assets.base import JobContext, ProductSpec
from adloom.assets.flyer import FlyerGenerator
from adloom.assets.flyer.generator import photo_framing

SET = Path(__file__).resolve().parents[1] / "render" / "cutout_set"
MakeCtx = Callable[..., JobContext]


def _product(*photos: str) -> ProductSpec:
    return ProductSpec(name="Kit", description="A kit.", url="https://x.example",
                       photos=tuple(SET / p for p in photos))


def test_a_broken_cutout_is_refused_and_the_photo_shown(make_flyer_ctx: MakeCtx) -> None:
    ctx = make_flyer_ctx(formats=["A5"], product=_product("astronaut.jpg"), family="launch")
    result = FlyerGenerator().generate(ctx)
    cutout = result.output["cutout"]
    assert cutout["usable"] is False and cutout["gate"]["source"] == "segmented"
    assert "subject continues past the outline" in cutout["gate"]["reasons"]
    assert any("could not be cut out cleanly from astronaut.jpg" in w for w in result.warnings)
    assert photo_framing(ctx, SET / "astronaut.jpg").faces == 1


def test_the_first_photo_with_a_clean_cutout_is_the_hero(make_flyer_ctx: MakeCtx) -> None:
    ctx = make_flyer_ctx(formats=["A5"], product=_product("chelsea.jpg", "bottle-packshot.jpg"),
                         family="launch")
    result = FlyerGenerator().generate(ctx)
    assert result.output["cutout"]["source"] == "bottle-packshot.jpg"
    assert result.output["cutout"]["usable"] is True
    assert not any("could not be cut out" in w for w in result.warnings)

"""Factories for flyer tests: a JobContext built directly from brand/product/script dicts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from adloom.assets.base import BrandSpec, JobContext, ProductSpec

LAUNCHPAD_SCRIPT: dict[str, Any] = {
    "kind": "flyer",
    "headline": "From idea to seed round in 90 days",
    "subhead": "A free 60-minute live session with the exact plan founders used to raise.",
    "body": [
        "Build a roadmap investors actually read",
        "Write monthly updates that earn a second meeting",
        "Plan your first five hires without burning runway",
    ],
    "event": {
        "title": "From idea to seed round in 90 days",
        "date": "2027-01-21",
        "time": "17:00 CET",
        "venue": "Online (live)",
    },
    "cta": "Save my seat",
}


def write_product_png(path: Path, size: int = 240) -> Path:
    """A tiny synthetic product shot with alpha: an orange bottle shape on transparency."""
    rgba = np.zeros((size, size, 4), np.uint8)
    yy, xx = np.mgrid[0:size, 0:size]
    body = (abs(xx - size / 2) < size * 0.22) & (yy > size * 0.3) & (yy < size * 0.95)
    neck = (abs(xx - size / 2) < size * 0.08) & (yy > size * 0.08) & (yy <= size * 0.3)
    mask = body | neck
    rgba[mask] = (224, 122, 46, 255)
    Image.fromarray(rgba, "RGBA").save(path)
    return path


def write_photo_jpg(path: Path, width: int = 320, height: int = 200) -> Path:
    """A tiny synthetic photo (a sky gradient with a bright block) without alpha."""
    yy, xx = np.mgrid[0:height, 0:width]
    rgb = np.dstack([20 + xx * 100 // width, 30 + yy * 120 // height, 120 + 0 * xx]).astype(
        np.uint8
    )
    rgb[height // 3 : height, width // 2 - 12 : width // 2 + 12] = (235, 235, 225)
    Image.fromarray(rgb, "RGB").save(path, quality=90)
    return path


def make_brand(**kw: Any) -> BrandSpec:
    data: dict[str, Any] = {
        "name": "LaunchPad",
        "colors": {
            "primary": "#5B2EFF",
            "secondary": "#0E0B1F",
            "accent": "#00D1B2",
            "background": "#FFFFFF",
            "text": "#0E0B1F",
        },
        "heading_font": "Fjalla One",
        "body_font": "Source Sans Pro",
        "tagline": "Plan it. Pitch it. Launch it.",
    }
    data.update(kw)
    return BrandSpec(**data)


def make_product(**kw: Any) -> ProductSpec:
    data: dict[str, Any] = {
        "name": "LaunchPad",
        "description": "Project-planning software for seed-stage startups.",
        "url": "https://launchpad.example/webinar",
        "offer": 'Free live webinar, "From idea to seed round in 90 days"',
    }
    data.update(kw)
    return ProductSpec(**data)


@pytest.fixture
def make_flyer_ctx(tmp_path: Path) -> Callable[..., JobContext]:
    """``make_flyer_ctx(formats=["A5"], script={...}, brand=..., product=..., **options)``."""

    def factory(
        *,
        script: dict[str, Any] | None = None,
        brand: BrandSpec | None = None,
        product: ProductSpec | None = None,
        scenes: dict[str, Any] | None = None,
        campaign: dict[str, Any] | None = None,
        **options: Any,
    ) -> JobContext:
        if product is None:
            tmp_path.mkdir(parents=True, exist_ok=True)
            product = make_product(photos=(write_product_png(tmp_path / "product.png"),))
        return JobContext(
            project_id="4f9c2d0e8b7a4c1e9d3f5a6b7c8d9e0f",
            campaign_id="a1b2c3d4e5f60718293a4b5c6d7e8f90",
            kind="flyer",
            options=options,
            brand=brand or make_brand(),
            product=product,
            strategy={
                "audience": "first-time founders",
                "messaging": "a 90-day plan",
                "goals": "Event sign-ups; success is a registration.",
            },
            campaign=campaign
            or {
                "awareness_stage": "solution_aware",
                "persuasion_trigger": "authority",
                "creative_style": "direct_response",
            },
            script=script or LAUNCHPAD_SCRIPT,
            scenes=scenes or {},
            workdir=tmp_path / "work",
        )

    return factory


@pytest.fixture
def photo_jpg(tmp_path: Path) -> Path:
    """A 320x200 synthetic photo without alpha (so it is used as a photo, not a cutout)."""
    return write_photo_jpg(tmp_path / "photo.jpg")


@pytest.fixture
def product_png() -> Callable[..., Path]:
    """``product_png(path, size=240)`` writes a synthetic product shot with alpha."""
    return write_product_png

"""BannerGenerator end to end on tiny real inputs: sizes, budgets, variants, zips, sheet,
determinism and the pixels behind every text."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest
from PIL import Image

from adloom.assets.banner import BannerGenerator
from adloom.assets.banner.generator import banner_spec, fonts_for, load_assets
from adloom.assets.banner.layout import CopyText, compute_layout
from adloom.assets.banner.paint import paint_plan
from adloom.assets.banner.sizes import ALL_SIZES, parse_size
from adloom.assets.base import BrandSpec, JobContext, ProductSpec, StageResult
from adloom.errors import InvalidOption
from adloom.render.design import AA_NORMAL, contrast_ratio, parse_hex
from adloom.render.raster import to_rgba

FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "images"
if not FIXTURES.exists():
    FIXTURES = Path("/work/shared/fixtures/images")

SCRIPT = {
    "kind": "banner",
    "variants": [
        {
            "headline": "Café cold brew, ready when you are",
            "subhead": "Steeped 18 hours. Smooth, low-acid, no waiting.",
            "cta": "Claim free bottle",
            "short_headline": "Cold brew, ready",
        },
        {
            "headline": "Skip the bitter 8 a.m. drip",
            "subhead": "Single-origin cold brew that keeps for two weeks.",
            "cta": "Try it free",
            "short_headline": "Skip bitter drip",
        },
        {
            "headline": "Third variant headline",
            "subhead": "Not rendered by default.",
            "cta": "Go",
            "short_headline": "Third",
        },
    ],
}
COLORS = {
    "primary": "#1F3A5F",
    "secondary": "#F2E8DC",
    "accent": "#E07A2E",
    "background": "#FBF7F2",
    "text": "#1B1B1B",
}


def make_photo(path: Path) -> Path:
    """A small product shot: a blue bottle on the wood grain of the coffee fixture."""
    coffee = np.asarray(Image.open(FIXTURES / "coffee.png").convert("RGB"))
    wood = cv2.resize(coffee[:, 470:600], (360, 270), interpolation=cv2.INTER_CUBIC)
    mask = np.zeros((270, 360), np.uint8)
    cv2.rectangle(mask, (150, 90), (210, 230), 255, -1)
    cv2.ellipse(mask, (180, 95), (30, 14), 0, 0, 360, 255, -1)
    photo = np.where(mask[..., None] > 0, np.array([40, 90, 160]), wood).astype(np.uint8)
    Image.fromarray(photo).save(path, quality=95)
    return path


def make_ctx(workdir: Path, **options: Any) -> JobContext:
    workdir.mkdir(parents=True, exist_ok=True)
    photo = make_photo(workdir.parent / f"{workdir.name}-bottle.jpg")
    return JobContext(
        project_id="p1",
        campaign_id="c1",
        kind="banner",
        options=options,
        brand=BrandSpec(
            name="Northbound Coffee Co.",
            colors=COLORS,
            heading_font="Manrope",
            body_font="Lato",
            logo=FIXTURES / "logo.png",
        ),
        product=ProductSpec(
            name="Northbound Cold Brew",
            description="Cold brew.",
            url="https://northbound.example/cold-brew",
            photos=(photo,),
        ),
        strategy={},
        campaign={},
        script=SCRIPT,
        scenes={"kind": "banner", "layouts": []},
        workdir=workdir,
    )


def run_all(ctx: JobContext) -> tuple[StageResult, StageResult, StageResult]:
    gen = BannerGenerator()
    g = gen.generate(ctx)
    r = gen.render(replace(ctx, previous={"generate": g.output}))
    s = gen.stitch(replace(ctx, previous={"generate": g.output, "render": r.output}))
    return g, r, s


@pytest.fixture(scope="module")
def full(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[JobContext, StageResult, StageResult, StageResult]:
    ctx = make_ctx(tmp_path_factory.mktemp("banner") / "work", variants=2)  # two asked for: a smaller full run
    return (ctx, *run_all(ctx))


def test_generate_makes_a_cutout_and_a_logo(
    full: tuple[JobContext, StageResult, StageResult, StageResult],
) -> None:
    _, g, _, _ = full
    assert g.output["mode"] == "cutout"
    cutout = np.asarray(Image.open(g.output["product"]))
    assert cutout.shape[2] == 4 and cutout[:, :, 3].min() == 0 and cutout[:, :, 3].max() == 255
    assert Path(g.output["logo"]).exists()
    plates = g.output["plates"]  # one background plate per shape class, under the workdir
    assert set(plates) == {
        "leaderboard",
        "mobile_strip",
        "rectangle",
        "landscape",
        "square",
        "portrait",
        "skyscraper",
    }
    for family, path in plates.items():
        assert Path(path).is_relative_to(full[0].workdir)
        with Image.open(path) as plate:
            assert plate.size == parse_size(Path(path).stem.split("-")[-1]), family
    assert [f.role for f in g.files] == ["cutout"]
    assert g.output["fonts"]["heading"] == {
        "requested": "Manrope",
        "family": "Manrope",
        "weight": 800,
        "fallback": False,
        "note": "",
        "licence": "OFL-1.1",
    }


def test_every_size_format_and_two_variants_with_exact_pixels_and_budget(
    full: tuple[JobContext, StageResult, StageResult, StageResult],
) -> None:
    _, _, r, _ = full
    seen = {(f.label, f.meta["format"], f.meta["variant"]) for f in r.files}
    assert seen == {
        (s, fmt, v) for s in ALL_SIZES for fmt in ("png", "jpeg", "webp") for v in (0, 1)
    }
    for f in r.files:
        assert f.role == "image" and f.path.stat().st_size <= 150_000
        with Image.open(f.path) as image:
            assert image.size == parse_size(f.label)
            assert image.format == {"png": "PNG", "jpeg": "JPEG", "webp": "WEBP"}[f.meta["format"]]
        assert (f.width, f.height) == parse_size(f.label)
        assert f.meta["primary"] == (f.meta["variant"] == 0)


def test_variants_carry_different_copy(
    full: tuple[JobContext, StageResult, StageResult, StageResult],
) -> None:
    _, _, r, _ = full
    a = next(
        f.path
        for f in r.files
        if f.label == "300x250" and f.meta == {**f.meta, "variant": 0, "format": "png"}
    )
    b = next(
        f.path
        for f in r.files
        if f.label == "300x250" and f.meta == {**f.meta, "variant": 1, "format": "png"}
    )
    assert a.read_bytes() != b.read_bytes()


def test_html5_zips_are_valid(
    full: tuple[JobContext, StageResult, StageResult, StageResult],
) -> None:
    _, _, _, s = full
    zips = [f for f in s.files if f.role == "zip"]
    assert sorted(f.label for f in zips) == sorted(ALL_SIZES)
    for f in zips:
        w, h = parse_size(f.label)
        assert f.path.stat().st_size <= 150_000
        with zipfile.ZipFile(f.path) as archive:
            assert archive.testzip() is None
            names = archive.namelist()
            assert len(names) <= 40 and "index.html" in names
            page = archive.read("index.html").decode()
            assert f'<meta name="ad.size" content="width={w},height={h}">' in page
            assert re.search(r'var clickTag = "https://northbound\.example/cold-brew";', page)
            assert "window.open(window.clickTag" in page
            image_name = re.search(r'<img src="([^"]+)"', page).group(1)  # type: ignore[union-attr]
            with Image.open(io.BytesIO(archive.read(image_name))) as image:
                assert image.size == (w, h)


def test_contact_sheet_and_finals(
    full: tuple[JobContext, StageResult, StageResult, StageResult],
) -> None:
    _, _, _, s = full
    sheet = [f for f in s.files if f.role == "contact_sheet"]
    assert len(sheet) == 1 and sheet[0].path.stat().st_size <= 400_000
    with Image.open(sheet[0].path) as image:
        assert image.width == 1600 and image.height > 600
    finals = [f for f in s.files if f.role == "final"]
    assert sorted(f.label for f in finals) == sorted(ALL_SIZES)
    assert all(f.meta == {"variant": 0, "format": "png"} for f in finals)


def test_rendering_twice_gives_identical_bytes(
    full: tuple[JobContext, StageResult, StageResult, StageResult],
    tmp_path: Path,
) -> None:
    _, _, r, s = full
    sizes = ["300x250", "320x50", "1200x628"]
    again = make_ctx(tmp_path / "work", sizes=sizes, variants=2)
    _, r2, s2 = run_all(again)
    first = {
        (f.label, f.meta["format"], f.meta["variant"]): f.path.read_bytes()
        for f in r.files
        if f.label in sizes
    }
    second = {(f.label, f.meta["format"], f.meta["variant"]): f.path.read_bytes() for f in r2.files}
    assert first == second
    zip1 = {f.label: f.path.read_bytes() for f in s.files if f.role == "zip" and f.label in sizes}
    zip2 = {f.label: f.path.read_bytes() for f in s2.files if f.role == "zip"}
    assert zip1 == zip2


@pytest.mark.parametrize("size", ["300x250", "320x50", "160x600", "1200x628"])
def test_every_text_sits_on_its_declared_background_pixels(
    full: tuple[JobContext, StageResult, StageResult, StageResult],
    size: str,
) -> None:
    ctx, g, _, _ = full
    ctx = replace(ctx, previous={"generate": g.output})
    assets = load_assets(ctx)
    v = SCRIPT["variants"][0]
    copy = CopyText(v["headline"], v["subhead"], v["cta"], v["short_headline"])
    plan = compute_layout(banner_spec(ctx, assets, fonts_for(ctx), copy, size))
    pixels = to_rgba(paint_plan(plan, assets.images))[:, :, :3]
    for text in plan.texts:
        b = text.box.rounded()
        region = pixels[int(b.y) : int(b.bottom), int(b.x) : int(b.right)].reshape(-1, 3)
        colours, counts = np.unique(region, axis=0, return_counts=True)
        dominant = tuple(int(c) for c in colours[counts.argmax()])
        assert dominant == parse_hex(text.on), (text.role, dominant, text.on)
        assert contrast_ratio(text.color, text.on) >= AA_NORMAL
        to_ink = np.abs(region.astype(int) - np.array(parse_hex(text.color))).sum(axis=1)
        to_ground = np.abs(region.astype(int) - np.array(parse_hex(text.on))).sum(axis=1)
        assert (to_ink < to_ground).sum() >= 20, f"{text.role} drew nothing"


def test_requested_sizes_formats_and_variant_count(tmp_path: Path) -> None:
    ctx = make_ctx(tmp_path / "w", sizes=["320x50"], formats=["jpg"], variants=3)
    gen = BannerGenerator()
    g = gen.generate(ctx)
    r = gen.render(replace(ctx, previous={"generate": g.output}))
    assert sorted((f.label, f.meta["format"], f.meta["variant"]) for f in r.files) == [
        ("320x50", "jpeg", 0),
        ("320x50", "jpeg", 1),
        ("320x50", "jpeg", 2),
    ]


def test_invalid_script_and_options_fail_clearly(tmp_path: Path) -> None:
    ctx = make_ctx(tmp_path / "w")
    with pytest.raises(InvalidOption, match="banner script"):
        BannerGenerator().generate(replace(ctx, script={"kind": "banner", "variants": []}))
    with pytest.raises(InvalidOption, match="WIDTHxHEIGHT"):
        BannerGenerator().render(replace(ctx, options={"sizes": ["big"]}))
    with pytest.raises(InvalidOption, match="format"):
        BannerGenerator().render(replace(ctx, options={"formats": ["gif"]}))


def test_typographic_layout_without_photo_or_logo(tmp_path: Path) -> None:
    ctx = make_ctx(tmp_path / "w", sizes=["300x250", "728x90"], formats=["png"])
    ctx = replace(ctx, product=replace(ctx.product, photos=()), brand=replace(ctx.brand, logo=None))
    g, r, s = run_all(ctx)
    assert g.output["mode"] == "none" and g.files == ()
    assert len([f for f in r.files]) == 6 and len([f for f in s.files if f.role == "zip"]) == 2  # 2 sizes x 3 variants


def test_every_scripted_variant_is_rendered_unless_fewer_are_asked_for(tmp_path: Path) -> None:
    ctx = make_ctx(tmp_path / "w", sizes=["300x250"], formats=["png"])
    assert len(SCRIPT["variants"]) == 3
    _g, r, _s = run_all(ctx)
    rendered = sorted((f.meta["variant"], f.meta.get("headline", "")) for f in r.files)
    assert [v for v, _ in rendered] == [0, 1, 2]
    _g, fewer, _s = run_all(make_ctx(tmp_path / "w2", sizes=["300x250"], formats=["png"], variants=1))
    assert [f.meta["variant"] for f in fewer.files] == [0]


def test_click_url_cannot_break_out_of_the_script() -> None:
    from adloom.assets.banner.package import build_index_html

    page = build_index_html(
        width=300,
        height=250,
        image_name="banner.png",
        alt="<b>",
        click_url='https://x.example/?q="a"</script><script>alert(1)',
    )
    assert page.count("<script") == 1 and page.count("</script>") == 1
    assert (
        'var clickTag = "https://x.example/?q=\\"a\\"\\u003c/script>\\u003cscript>alert(1)";'
        in page
    )
    assert "&lt;b&gt;" in page

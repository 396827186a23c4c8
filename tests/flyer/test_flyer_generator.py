"""FlyerGenerator end to end on small formats: real skia PDF, real pypdf, real OpenCV."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import cv2
import numpy as np
import pypdf
import pytest

from adloom.assets.base import AssetGenerator, JobContext, OutputFile
from adloom.assets.flyer import FlyerGenerator
from adloom.assets.flyer.formats import FORMATS, MARK_SLUG, MM

MakeCtx = Callable[..., JobContext]
CAMPAIGN = "a1b2c3d4e5f60718293a4b5c6d7e8f90"
PROJECT = "4f9c2d0e8b7a4c1e9d3f5a6b7c8d9e0f"


def _run(ctx: JobContext) -> tuple[list[OutputFile], list[str]]:
    generator = FlyerGenerator()
    generated = generator.generate(ctx)
    rendered = generator.render(ctx)
    return list(generated.files) + list(rendered.files), list(rendered.warnings)


def _by(files: list[OutputFile], role: str, label: str) -> OutputFile:
    return next(f for f in files if f.role == role and f.label == label)


def _fonts(page: pypdf.PageObject) -> list[str]:
    """Font-file keys (/FontFile2 TrueType, /FontFile3 CFF) embedded for the page's fonts."""
    found = []
    for ref in page["/Resources"]["/Font"].values():
        font = ref.get_object()
        for desc in font.get("/DescendantFonts", [font]):
            descriptor = desc.get_object().get("/FontDescriptor")
            if descriptor is None:
                continue
            found += [k for k in descriptor.get_object() if k.startswith("/FontFile")]
    return found


def _decode_qr(file: OutputFile) -> str:
    """Decode the QR code in a PNG: OpenCV's classic detector on the code's area (with a
    margin of the page around it), and its ArUco-based detector on the whole page;
    both must agree."""
    image = cv2.imread(str(file.path), cv2.IMREAD_GRAYSCALE)
    x, y, w, h = file.meta["qr_box_px"]
    pad = w // 10
    area = image[max(0, y - pad) : y + h + pad, max(0, x - pad) : x + w + pad]
    classic, _, _ = cv2.QRCodeDetector().detectAndDecode(area)
    whole, _, _ = cv2.QRCodeDetectorAruco().detectAndDecode(image)
    assert classic == whole
    return str(classic)


def test_generator_satisfies_the_protocol() -> None:
    generator: AssetGenerator = FlyerGenerator()
    assert generator.kind == "flyer"


def test_a5_print_pdf_true_size_with_boxes_fonts_and_text(make_flyer_ctx: MakeCtx) -> None:
    files, _ = _run(make_flyer_ctx(formats=["A5"]))
    pdf = _by(files, "final", "A5")
    assert pdf.media_type == "application/pdf"
    page = pypdf.PdfReader(pdf.path).pages[0]
    a5 = FORMATS["A5"]
    assert float(page.mediabox.width) == pytest.approx(a5.width + 2 * 3 * MM, abs=1e-3)
    assert float(page.mediabox.height) == pytest.approx(a5.height + 2 * 3 * MM, abs=1e-3)
    assert [float(v) for v in page.trimbox] == pytest.approx(
        [3 * MM, 3 * MM, a5.width + 3 * MM, a5.height + 3 * MM], abs=1e-3
    )
    assert [float(v) for v in page.bleedbox] == pytest.approx(
        [0, 0, a5.width + 6 * MM, a5.height + 6 * MM], abs=1e-3
    )
    fonts = _fonts(page)
    assert fonts and all(key in ("/FontFile2", "/FontFile3") for key in fonts)
    text = " ".join(page.extract_text().split())
    assert "From idea to seed round in 90 days" in text
    assert "Save my seat" in text and "Thu 21 Jan 2027" in text


def test_preview_qr_decodes_to_the_tracked_url(make_flyer_ctx: MakeCtx) -> None:
    files, _ = _run(make_flyer_ctx(formats=["A5"]))
    preview = _by(files, "preview", "A5")
    assert (preview.width, preview.height) == (1410, 2001)  # 242 dpi of 148 x 210 mm
    url = urlsplit(_decode_qr(preview))
    assert (url.netloc, url.path) == ("launchpad.example", "/webinar")
    assert parse_qs(url.query) == {
        "utm_source": ["adloom"],
        "utm_medium": ["flyer"],
        "utm_campaign": [CAMPAIGN],
        "utm_content": [f"{PROJECT}-A5"],
    }


def test_crop_marks_grow_the_page_and_keep_boxes_inside(make_flyer_ctx: MakeCtx) -> None:
    files, _ = _run(make_flyer_ctx(formats=["letter"], crop_marks=True, preview_dpi=30))
    page = pypdf.PdfReader(_by(files, "final", "Letter").path).pages[0]
    slug = MARK_SLUG
    assert float(page.mediabox.width) == pytest.approx(612 + 18 + 2 * slug, abs=1e-3)
    assert [float(v) for v in page.trimbox] == pytest.approx(
        [slug + 9, slug + 9, 612 + 9 + slug, 792 + 9 + slug], abs=1e-3
    )
    assert [float(v) for v in page.bleedbox] == pytest.approx(
        [slug, slug, 612 + 18 + slug, 792 + 18 + slug], abs=1e-3
    )


def test_social_format_is_png_only_at_pixel_size(make_flyer_ctx: MakeCtx) -> None:
    files, _ = _run(make_flyer_ctx(formats=["1080x1350"]))
    finals = [f for f in files if f.role in ("final", "preview")]
    assert [(f.role, f.media_type, f.width, f.height) for f in finals] == [
        ("final", "image/png", 1080, 1350)
    ]
    url = urlsplit(_decode_qr(finals[0]))
    assert parse_qs(url.query)["utm_content"] == [f"{PROJECT}-1080x1350"]


def test_small_photo_gives_a_visible_print_warning(
    make_flyer_ctx: MakeCtx, photo_jpg: Path
) -> None:
    from adloom.assets.base import ProductSpec

    product = ProductSpec(
        name="LaunchPad",
        description="Project-planning software for seed-stage startups.",
        url="https://launchpad.example/webinar",
        photos=(photo_jpg,),
    )
    ctx = make_flyer_ctx(formats=["A5"], product=product, preview_dpi=40)
    _, warnings = _run(ctx)
    assert any("photo.jpg prints at" in w and "dpi (below 300)" in w for w in warnings), warnings


def test_every_format_and_a_contact_sheet(make_flyer_ctx: MakeCtx) -> None:
    ctx = make_flyer_ctx(preview_dpi=20)
    generator = FlyerGenerator()
    generated = generator.generate(ctx)
    plates = [f for f in generated.files if f.label.startswith("background-")]
    qrs = [f for f in generated.files if f.media_type == "image/svg+xml"]
    assert len(plates) == 8 and len(qrs) == 8
    assert all(max(f.width or 0, f.height or 0) == 800 for f in plates)
    rendered = generator.render(ctx)
    labels = sorted((f.role, f.label) for f in rendered.files)
    prints = ["A5", "A4", "A3", "Letter", "11×17", "18×24"]
    assert labels == sorted(
        [("final", x) for x in prints]
        + [("preview", x) for x in prints]
        + [("final", "1080×1350"), ("final", "1080×1920")]
    )
    sheet = generator.stitch(ctx).files[0]
    assert sheet.role == "contact_sheet" and sheet.path.exists()
    pixels = cv2.imread(str(sheet.path))
    assert pixels.shape[0] == sheet.height and pixels.shape[1] == sheet.width
    assert float(np.std(pixels)) > 20  # thumbnails, not a blank sheet


def test_invalid_script_says_what_to_fix(make_flyer_ctx: MakeCtx) -> None:
    from adloom.errors import ValidationError

    # the kind's spec reads the script once, where the job's context is built (the typed seam)
    with pytest.raises(ValidationError, match="flyer script is not valid"):
        ctx = make_flyer_ctx(
            script={"kind": "flyer", "headline": "Hi", "subhead": "S", "body": ["one"], "cta": "Go"},
            formats=["A5"],
        )
        FlyerGenerator().render(ctx)


def test_cutout_solidity_tells_a_product_from_scraps_of_background() -> None:
    from adloom.assets.flyer.generator import cutout_solidity

    disc = np.zeros((100, 100, 4), np.uint8)
    cv2.circle(disc, (50, 50), 40, (255, 255, 255, 255), -1)
    comb = np.zeros((100, 100, 4), np.uint8)
    comb[10:20, 5:95, 3] = 255
    for x in range(5, 95, 18):
        comb[20:95, x : x + 5, 3] = 255  # a ragged shape: teeth hanging off a bar
    assert cutout_solidity(disc) > 0.97
    assert cutout_solidity(comb) < 0.5


def test_writer_scenes_choose_family_and_hero_per_format(make_flyer_ctx: MakeCtx) -> None:
    scenes = {
        "kind": "flyer",
        "layouts": [
            {"format": "A5", "family": "offer", "hero": "typographic"},
            {"format": "story", "family": "awareness", "hero": "product"},
        ],
    }
    ctx = make_flyer_ctx(formats=["A5", "1080x1920"], scenes=scenes, preview_dpi=40)
    result = FlyerGenerator().render(ctx)
    chosen = {name: (f["family"], f["hero"]) for name, f in result.output["formats"].items()}
    assert chosen == {"A5": ("offer", "typographic"), "1080x1920": ("awareness", "product")}


def test_pdf_text_sits_inside_the_trim_safe_area(make_flyer_ctx: MakeCtx) -> None:
    """Text runs are positioned relative to the TrimBox (not shifted into bleed or slug)."""
    files, _ = _run(make_flyer_ctx(formats=["A5"], crop_marks=True, preview_dpi=30))
    page = pypdf.PdfReader(_by(files, "final", "A5").path).pages[0]
    left, bottom, right, top = (float(v) for v in page.trimbox)
    safe = 5 * MM
    origins: list[tuple[str, float, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip():
            # skia writes a y-flipped translate as the CTM and a y-flipped text matrix
            origins.append((text.strip(), cm[4] + tm[4], cm[5] - tm[5]))

    page.extract_text(visitor_text=visit)
    assert len(origins) >= 8
    for text, x, y in origins:
        assert left + safe - 0.01 <= x <= right - safe, (text, x)
        assert bottom + safe <= y <= top - safe, (text, y)
    headline = next(o for o in origins if o[0].startswith("From idea"))
    assert headline[1] == pytest.approx(left + max(5 * MM, 0.07 * FORMATS["A5"].width), abs=0.05)


def test_cutout_is_cached_per_photo_and_redone_when_it_changes(
    make_flyer_ctx: MakeCtx, product_png: Callable[..., Path], tmp_path: Path
) -> None:
    import json

    from adloom.assets.base import ProductSpec

    photo = product_png(tmp_path / "bottle.png", size=200)
    product = ProductSpec(
        name="Bottle", description="A bottle.", url="https://x.example", photos=(photo,)
    )
    ctx = make_flyer_ctx(formats=["A5"], product=product, family="launch")
    first = FlyerGenerator().generate(ctx).output["cutout"]
    assert first["usable"] and first["alpha"]
    again = json.loads((ctx.workdir / "flyer" / "cutout.json").read_text())
    assert again["sha256"] == first["sha256"]
    product_png(photo, size=120)  # the user replaced the photo
    second = FlyerGenerator().generate(ctx).output["cutout"]
    assert second["sha256"] != first["sha256"]
    files = FlyerGenerator().generate(ctx).files
    cutout = next(f for f in files if f.role == "cutout")
    assert cutout.width is not None and cutout.width < 120

"""Every option the flyer generator reads, every format and every family is documented."""

from __future__ import annotations

import re
from pathlib import Path

from adloom.assets.flyer import FAMILIES, FORMATS

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "flyers.md"
SOURCES = sorted((ROOT / "src" / "adloom" / "assets" / "flyer").glob("*.py"))


def test_options_formats_and_families_are_documented() -> None:
    doc = DOC.read_text()
    code = "\n".join(path.read_text() for path in SOURCES)
    options = set(re.findall(r'options\.get\("(\w+)"', code))
    assert options == {"formats", "crop_marks", "preview_dpi", "family"}
    for name in sorted(options | set(FORMATS) | set(FAMILIES)):
        assert f"`{name}`" in doc or f"{name}=" in doc, f"docs/flyers.md does not mention {name}"
    assert (ROOT / "docs" / "images" / "flyer-a4.png").stat().st_size < 400_000

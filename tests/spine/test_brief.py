from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from factories import brief_path, fixture_path
from sqlalchemy import func, select

from adloom.campaigns.brief import parse_brief_file
from adloom.campaigns.models import Campaign
from adloom.errors import InvalidBrief


def test_shared_briefs_parse_with_every_field() -> None:
    parsed = parse_brief_file(brief_path("northbound-coldbrew.yaml"))
    assert parsed.brief.product.name == "Northbound Cold Brew"
    assert parsed.brief.awareness_stage == "problem_aware"
    assert parsed.photos[0].name == "coffee.png" and parsed.logo and parsed.logo.name == "logo.png"
    launch = parse_brief_file(brief_path("launchpad-webinar.yaml"))
    assert launch.brief.event and launch.brief.event.date == "2027-01-21"


def test_only_name_and_product_are_required(tmp_path: Path) -> None:
    (tmp_path / "b.yaml").write_text("name: Tiny\nproduct: {name: Tea, description: Green tea.}\n")
    parsed = parse_brief_file(tmp_path / "b.yaml")
    assert parsed.brief.language == "en" and parsed.brief.brand.colors.primary.startswith("#")
    assert parsed.photos == [] and parsed.logo is None


def test_toml_briefs_are_read(tmp_path: Path) -> None:
    (tmp_path / "b.toml").write_text('name = "Tiny"\n[product]\nname = "Tea"\ndescription = "Green tea."\n')
    assert parse_brief_file(tmp_path / "b.toml").brief.product.name == "Tea"


def _problems(tmp_path: Path, text: str) -> dict[str, str]:
    (tmp_path / "brief.yaml").write_text(text)
    with pytest.raises(InvalidBrief) as info:
        parse_brief_file(tmp_path / "brief.yaml")
    return dict(info.value.problems)


def test_a_bad_brief_lists_every_problem_with_its_location(tmp_path: Path) -> None:
    folder = tmp_path / "project" / "briefs"
    folder.mkdir(parents=True)
    (folder / "notes.png").write_text("this is not an image")
    (tmp_path / "secret.png").write_bytes(fixture_path("coffee.png").read_bytes())
    text = """
product:
  description: 42
  photos: [notes.png, missing.jpg, ../../secret.png]
awareness_stage: very_aware
brand: {colors: {primary: blue}}
"""
    problems = _problems(folder, text)
    assert "name" in problems  # missing
    assert "product.name" in problems  # missing
    assert "product.description" in problems  # wrong type
    assert "awareness_stage" in problems  # unknown enum value
    assert "brand.colors.primary" in problems
    assert "not a readable image" in problems["product.photos[0]"]
    assert "not found" in problems["product.photos[1]"]
    assert "outside" in problems["product.photos[2]"]


def test_invalid_yaml_and_non_mappings_are_clear(tmp_path: Path) -> None:
    assert "(file)" in _problems(tmp_path, "name: [unclosed")
    assert "(file)" in _problems(tmp_path, "- just\n- a list\n")


def test_nothing_is_written_for_a_bad_brief(rt: Any, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from adloom.cli import app

    (tmp_path / "bad.yaml").write_text("name: X\nproduct: {name: Y}\n")
    result = CliRunner().invoke(app, ["campaign", "create", "--from", str(tmp_path / "bad.yaml")],
                                env={"ADLOOM_DATA_DIR": str(rt.settings.data_dir)})
    assert result.exit_code == 2
    assert "product.description" in result.output
    with rt.db.session() as session:
        assert session.scalar(select(func.count()).select_from(Campaign)) == 0
    files = rt.settings.data_dir / "files"
    assert not files.exists() or not any(p.is_file() for p in files.rglob("*"))


def test_a_nul_character_in_a_path_is_a_listed_problem(tmp_path: Path) -> None:
    from adloom.campaigns.brief import parse_brief_data

    data = {"name": "X", "product": {"name": "Y", "description": "Z", "photos": ["a\x00.png"]}}
    with pytest.raises(InvalidBrief) as info:
        parse_brief_data(data, base=tmp_path)
    assert "NUL" in dict(info.value.problems)["product.photos[0]"]

"""Briefs accept the words people write for their industry and business: a word outside the
lists is filed under the nearest category with a warning that names it, and the word is kept."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from factories import TINY
from typer.testing import CliRunner

from adloom.campaigns.brief import (
    BUSINESS_WORDS,
    INDUSTRY_WORDS,
    BusinessType,
    Industry,
    nearest_category,
    parse_brief_file,
)
from adloom.cli import app
from adloom.errors import InvalidBrief

BRIEF = """
name: Whisker Club launch
product: {name: Whisker Club, description: Fresh cat food delivered every fortnight.}
industry: {industry}
business_type: {business}
"""


def _write(tmp_path: Path, industry: str, business: str) -> Path:
    path = tmp_path / "brief.yaml"
    path.write_text(BRIEF.replace("{industry}", industry).replace("{business}", business), encoding="utf-8")
    return path


@pytest.mark.parametrize(("word", "expected"), [
    ("pets", Industry.home_garden), ("Dental", Industry.health_wellness), ("motorbikes", Industry.automotive),
    ("summer camp", Industry.education), ("softwear", Industry.tech_saas), ("Food_Beverage", Industry.food_beverage),
    ("underwater basket weaving", Industry.other),
])
def test_an_industry_word_is_filed_under_the_nearest_category(word: str, expected: Industry) -> None:
    assert nearest_category(word, INDUSTRY_WORDS, Industry.other) == expected


@pytest.mark.parametrize(("word", "expected"), [
    ("service", BusinessType.local_business), ("charity", BusinessType.nonprofit),
    ("webinar", BusinessType.event), ("subscription box", BusinessType.ecommerce_brand),
])
def test_a_business_word_is_filed_under_the_nearest_type(word: str, expected: BusinessType) -> None:
    assert nearest_category(word, BUSINESS_WORDS, BusinessType.other) == expected


def test_a_brief_with_its_own_words_parses_with_warnings_that_name_them(tmp_path: Path) -> None:
    brief = parse_brief_file(_write(tmp_path, "pets", "service")).brief
    assert (brief.industry, brief.business_type) == (Industry.home_garden, BusinessType.local_business)
    assert (brief.industry_words, brief.business_type_words) == ("pets", "service")
    assert any("'pets'" in note and "home_garden" in note for note in brief.warnings)
    assert any("'service'" in note and "local_business" in note for note in brief.warnings)


def test_a_known_value_gives_no_warning_and_a_wrong_type_is_still_refused(tmp_path: Path) -> None:
    assert parse_brief_file(_write(tmp_path, "retail", "saas")).brief.warnings == []
    with pytest.raises(InvalidBrief):
        parse_brief_file(_write(tmp_path, "[1, 2]", "saas"))


def test_the_cli_creates_the_campaign_says_what_it_did_and_keeps_the_word(tmp_path: Path) -> None:
    env = {"ADLOOM_DATA_DIR": str(tmp_path / "data"), "ADLOOM_QUEUE_URL": "immediate",
           "ADLOOM_GENERATORS": json.dumps(TINY)}
    path = _write(tmp_path, "pets", "service")
    runner = CliRunner()
    created: Any = json.loads(runner.invoke(app, ["campaign", "create", "--from", str(path), "--json"],
                                            env=env).stdout)
    assert created["industry"] == "home_garden" and created["product"]["industry_words"] == "pets"
    assert len(created["warnings"]) == 2
    plain = runner.invoke(app, ["campaign", "create", "--from", str(path)], env=env)
    assert plain.exit_code == 0 and "Note:" in plain.output and "'pets'" in plain.output

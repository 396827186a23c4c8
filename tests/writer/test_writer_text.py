"""Unit tests for the phrase extractor, readability and timing helpers."""

from __future__ import annotations

import pytest

from adloom.assets import registry
from adloom.assets.video.copy import allocate
from adloom.writer.base import WriterRequest
from adloom.writer.context import (
    build_context,
    classify_goal,
    format_date,
    parse_audience,
    plural,
    to_you,
    with_article,
)
from adloom.writer.local import LocalWriter
from adloom.writer.readability import fk_grade, syllables
from adloom.writer.text import clean, fit_chars, lower_first, short_phrase


def test_audience_who_struggle_and_outcome_are_read_like_a_copywriter():
    found = parse_audience(
        "Remote workers aged 25–40 who start every morning rushing a bitter drip coffee between "
        "calls. They want a calm, reliable first hour and would pay for quality if it saves time.",
        frozenset(),
    )
    assert found == {
        "who": "remote workers aged 25–40",
        "struggle": "start every morning rushing a bitter drip coffee between calls",
        "struggle_kind": "vp",
        "outcome": "a calm, reliable first hour",
        "outcome_kind": "np",
    }
    state = parse_audience(
        "First-time founders, drowning in spreadsheets. They want to raise.", frozenset()
    )
    assert state["struggle"] == "drowning in spreadsheets" and state["struggle_kind"] == "state"
    assert state["outcome"] == "raise" and state["outcome_kind"] == "vp"


def test_pronouns_speak_to_the_reader_and_names_keep_their_case():
    assert to_you("They want a plan for their seed round") == "you want a plan for your seed round"
    assert lower_first("Remote workers") == "remote workers"
    assert lower_first("TikTok creators") == "TikTok creators"
    assert lower_first("LaunchPad users") == "LaunchPad users"
    assert lower_first("A 60-minute session") == "a 60-minute session"


@pytest.mark.parametrize(
    ("goals", "expected"),
    [
        ("Event sign-ups from LinkedIn; success is a registration.", "signup"),
        ("Cold traffic to the subscription page; success is a trial subscription.", "trial"),
        ("Repeat purchase from past customers.", "purchase"),
        ("Qualified leads; success is a booked demo.", "lead"),
        ("Local awareness; success is a booking.", "booking"),
        ("App installs from TikTok.", "install"),
        ("Awareness and reach.", "learn"),
    ],
)
def test_goal_classes(goals, expected):
    assert classify_goal(goals, "purchase", has_event=False) == expected


def test_cta_follows_the_goal_for_a_product_the_playbooks_never_saw():
    req = WriterRequest(
        kind="banner",
        product_name="Bella's Bakery",
        product_description="Family-run sourdough bakery in Leeds, baking every morning since 1998.",
        goals="Local awareness and bookings; success is a booking.",
        copy=registry.get("banner").copy,
    )
    writer = LocalWriter()
    script = writer.script(req, writer.ideas(req, seed=1).value.ideas[0], seed=1).value
    assert {v.cta for v in script.variants} <= {"Book now", "Book your visit", "Reserve now"}
    assert build_context(req).category_np == "a family-run sourdough bakery"


def test_articles_and_plurals():
    assert with_article("dimmable LED desk lamp") == "a dimmable LED desk lamp"
    assert with_article("organic apple") == "an organic apple"
    assert with_article("cold brew coffee") == "cold brew coffee"
    assert with_article("running shoes") == "running shoes"
    assert plural("bakery") == "bakeries" and plural("desk lamp") == "desk lamps"
    assert plural("project-planning software") == "project-planning software"


def test_phrase_trimming_never_leaves_a_dangling_word():
    assert short_phrase("First bottle free with a 3-month subscription", 5) == "First bottle free"
    assert short_phrase("drowning in spreadsheets and unsure what investors expect to see", 6) == (
        "drowning in spreadsheets"
    )
    assert fit_chars("The quick brown fox with the lazy dog", 20) == "The quick brown fox"
    # No phrase of it fits: nothing, and the caller writes another line (issue 18: never cut).
    assert fit_chars("The quick brown fox jumps over the lazy dog", 20) == ""
    assert clean("Hello <b>there</b> {{name}} , friend") == "Hello there, friend"


def test_dates_read_naturally():
    assert format_date("2027-01-21") == "Thursday 21 January"
    assert format_date("next Friday") == "next Friday"


@pytest.mark.parametrize(
    ("word", "count"),
    [
        ("the", 1),
        ("coffee", 2),
        ("reliable", 4),
        ("bitterness", 3),
        ("table", 2),
        ("boxes", 2),
        ("every", 3),
        ("morning", 2),
        ("investors", 3),
        ("create", 2),
        ("video", 3),
        ("brewed", 1),
    ],
)
def test_syllables(word, count):
    assert syllables(word) == count


def test_flesch_kincaid_grade_orders_texts_by_difficulty():
    easy = "The cat sat on the mat. It was warm. We had tea."
    hard = (
        "Notwithstanding considerable institutional heterogeneity, comprehensive interdisciplinary "
        "evaluation methodologies demonstrate substantial organizational effectiveness."
    )
    assert fk_grade(easy) < 2
    assert fk_grade(hard) > 8
    assert fk_grade("") == 0


@pytest.mark.parametrize("length", [15, 30, 60])
def test_allocation_sums_exactly_and_holds_the_end_card(length):
    durations = allocate([12, 9, 20, 7, 6], length)
    assert sum(durations) == pytest.approx(length, abs=1e-9)
    assert all(round(d * 10) == d * 10 for d in durations)
    without_hold = allocate([12, 9, 20, 7, 6], length, end_hold=0)
    assert durations[-1] == pytest.approx(without_hold[-1] + 1.0, abs=0.25)


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ("300x250", "rectangle"),
        ((728, 90), "leaderboard"),
        ({"width": 160, "height": 600}, "skyscraper"),
        ("320x50", "mobile_strip"),
        ("1080x1080", "square"),
        ("1080x1350", "portrait"),
        ("1200x628", "landscape"),
        ("300x1050", "skyscraper"),
    ],
)
def test_banner_sizes_map_to_layout_classes(size, expected):
    from adloom.assets.banner.copy import parse_size, size_class

    parsed = parse_size(size)
    assert parsed is not None and size_class(*parsed) == expected

"""Each copy-critic rule flags the faults issue 18 found in generated files, and leaves a
good counterpart alone, so the critic can fail and is not trigger-happy."""

from __future__ import annotations

import pytest

from adloom.assets import registry
from adloom.assets.banner.models import BannerCopy, BannerScript
from adloom.writer.critic import (
    BriefFacts,
    CopyText,
    Violation,
    check_asset_facts,
    check_ideas,
    check_texts,
)
from adloom.writer.critic_collect import critique_step

CAFE = BriefFacts(
    product_name="Café Lumière",
    description=(
        "Neighbourhood café & pâtisserie. Crème brûlée the Gazette called «the best in town», "
        "torched to order. Open 17:00–23:00 Thursday to Saturday."
    ),
    offer="A second crème brûlée for €1 after 20:00",
    brand_name="Café Lumière",
    audience="Home baristas aged 28-45 who miss somewhere to go after dinner.",
    goals="Walk-in visits; success is footfall after 20:00.",
    business_type="restaurant",
)
CAMP = BriefFacts(
    product_name="Orbit Academy Space Camp",
    description="A five-day summer camp for children aged 8–12: build and launch water rockets.",
    price="€390 per child",
    brand_name="Orbit Academy",
    goals="Camp bookings; success is a place reserved.",
    business_type="local_business",
    event={"title": "Orbit Academy Space Camp, week 1", "date": "2027-07-12"},
)
SAAS = BriefFacts(
    product_name="Ledgerly",
    description="Expense management: snap a receipt and Ledgerly files it in Xero.",
    offer="30-day free trial, no card needed",
    audience=(
        "Finance leads at construction and services firms with 20-200 staff, who chase "
        "receipts by email."
    ),
    goals="Free-trial sign-ups; success is a trial started.",
    business_type="saas",
)
MOTO = BriefFacts(
    product_name="Volta R1",
    description="An electric motorcycle: 0–100 km/h in 3.9 s and a fast charge to 80 % in 35 min.",
    price="from €11,900",
    goals="Test-ride bookings; success is a booked test ride.",
    business_type="local_business",
)
CATS = BriefFacts(
    product_name="WhiskerBox",
    description="Fresh cat food cooked from human-grade chicken, delivered every two weeks.",
    offer="50 % off your first box",
    audience="Cat owners aged 25-40 in cities with a fussy eater at home.",
    goals="New subscriptions; success is a first box ordered.",
    business_type="ecommerce_brand",
)
BAR = BriefFacts(
    product_name="Salt & Stone",
    description="A restaurant cooking over fire & stone.",
    business_type="restaurant",
)

NONNA = BriefFacts(
    product_name="Nonna Pina", messaging="Sunday lunch the Italian way — long, loud, by hand."
)


def rules(found: list[Violation]) -> list[str]:
    return [v.rule for v in found]


def flagged(facts: BriefFacts, role: str, text: str) -> list[str]:
    return rules(check_texts(facts, [CopyText(role, text, "test")]))


# ----------------------------------------------------------------------------- (a) cut


@pytest.mark.parametrize(
    ("facts", "role", "text"),
    [
        (CAFE, "headline", "Crème brûlée the Gazette called «the"),
        (CAFE, "caption", "Open 17"),
        (CAMP, "lyric", "Orbit Academy Space"),
        (CAMP, "body", 'Space Camp".'),
        (CAFE, "subhead", "…Tahitian…"),
        (MOTO, "caption", "Fast charge to 80 % in 35"),
        (CAFE, "headline", "A second crème brûlée for €1 after"),
    ],
)
def test_cut_mid_phrase_is_flagged(facts: BriefFacts, role: str, text: str) -> None:
    assert "cut" in flagged(facts, role, text)


@pytest.mark.parametrize(
    ("facts", "role", "text"),
    [
        (CAFE, "headline", "Crème brûlée the Gazette called «the best in town»"),
        (CAFE, "caption", "Open until 23:00"),
        (CAMP, "lyric", "Orbit Academy Space Camp"),
        (CAMP, "headline", "Orbit Academy"),
        (MOTO, "caption", "80 % in 35 min"),
        (CAFE, "headline", "A second crème brûlée for €1"),
        (CAFE, "cta", "Come by tonight"),
        (CAFE, "caption", "EPC rating A"),
        (NONNA, "caption", "Sunday lunch the Italian way"),
    ],
)
def test_whole_phrases_are_not_flagged_as_cut(facts: BriefFacts, role: str, text: str) -> None:
    assert "cut" not in flagged(facts, role, text)


# ----------------------------------------------------------------------------- (b) event words


@pytest.mark.parametrize(
    "text",
    ["Save my seat", "Join us live", "Live Monday 12 July", "FREE LIVE EVENT", "Scan to register"],
)
def test_event_words_without_an_event_are_flagged(text: str) -> None:
    assert "event_words" in flagged(SAAS, "cta" if len(text) < 14 else "caption", text)


def test_event_words_are_fine_when_the_brief_has_an_event() -> None:
    webinar = BriefFacts(
        product_name="DataDesk",
        goals="Webinar registrations; success is a registration.",
        event={"title": "Discounts that pay", "date": "2027-03-18"},
    )
    assert "event_words" not in flagged(webinar, "cta", "Save my seat")
    assert "event_words" not in flagged(webinar, "caption", "Live Thursday 18 March")
    assert "event_words" not in flagged(SAAS, "caption", "Live better with fewer receipts")


# ----------------------------------------------------------------------------- (c) CTA fit


@pytest.mark.parametrize(
    ("facts", "text"),
    [(CAFE, "Shop now"), (CAMP, "Register free"), (SAAS, "Donate"), (MOTO, "Get the app")],
)
def test_a_cta_that_contradicts_the_business_is_flagged(facts: BriefFacts, text: str) -> None:
    assert "cta_mismatch" in flagged(facts, "cta", text)


@pytest.mark.parametrize(
    ("facts", "text"),
    [
        (CAFE, "Visit us"),
        (CAMP, "Reserve my place"),
        (SAAS, "Start your free trial"),
        (MOTO, "Book a test ride"),
        (CATS, "Order now"),
    ],
)
def test_a_cta_that_fits_the_goal_is_not_flagged(facts: BriefFacts, text: str) -> None:
    assert "cta_mismatch" not in flagged(facts, "cta", text)


# ----------------------------------------------------------------------------- (d) invented claims


@pytest.mark.parametrize(
    ("role", "text"),
    [
        ("badge", "NEW"),
        ("badge", "LIMITED OFFER"),
        ("voiceover", "Plenty of people like you feel exactly the same way."),
        ("voiceover", "The catch? There isn't one."),
        ("subhead", "Satisfaction guaranteed"),
        ("headline", "The #1 expense app"),
        ("headline", "Our bestselling plan"),
    ],
)
def test_claims_the_brief_does_not_make_are_flagged(role: str, text: str) -> None:
    assert "invented_claim" in flagged(SAAS, role, text)


def test_claims_the_brief_makes_are_not_flagged() -> None:
    launch = BriefFacts(
        product_name="Tidy", description="New: the chores app, with a 30-day money-back guarantee."
    )
    assert "invented_claim" not in flagged(launch, "badge", "NEW")
    assert "invented_claim" not in flagged(launch, "subhead", "30-day money-back guarantee")
    assert "invented_claim" not in flagged(SAAS, "badge", "30-day free trial")
    assert "invented_claim" not in flagged(
        SAAS, "voiceover", "Snap a receipt and Ledgerly files it."
    )


# ----------------------------------------------------------------------------- (e) facts dropped


def test_an_offer_missing_from_a_banner_variant_is_flagged() -> None:
    texts = [
        CopyText("headline", "Receipts, handled", asset="banner variant 1"),
        CopyText("subhead", "Month-end in two days", asset="banner variant 1"),
    ]
    found = check_asset_facts(SAAS, registry.get("banner").copy.facts, "banner variant 1", texts)
    assert rules(found) == ["fact_dropped"] and "30-day free trial" in found[0].text


def test_prices_and_specs_missing_from_the_video_are_flagged() -> None:
    texts = [CopyText("voiceover", "Meet the Volta R1. Silent. Sudden.", asset="video")]
    found = check_asset_facts(MOTO, registry.get("video").copy.facts, "video", texts)
    assert rules(found) == ["fact_dropped", "fact_dropped"]
    assert "€11,900" in found[0].text and "3.9 s" in found[1].text


def test_facts_present_in_any_written_form_are_not_flagged() -> None:
    texts = [CopyText("voiceover", "0–100 km/h in 3.9 s. From €11 900.", asset="video")]
    assert check_asset_facts(MOTO, registry.get("video").copy.facts, "video", texts) == []
    banner = [CopyText("subhead", "Start a 30-day free trial today", asset="b")]
    assert check_asset_facts(SAAS, registry.get("banner").copy.facts, "b", banner) == []
    flyer = [
        CopyText("event", "Monday 12 July", asset="flyer"),
        CopyText("body", "€390 per child. Water rockets for 8–12s.", asset="flyer"),
    ]
    assert check_asset_facts(CAMP, registry.get("flyer").copy.facts, "flyer", flyer) == []


def test_a_banner_script_without_the_offer_fails_through_the_stage_check() -> None:
    copy = BannerCopy(
        headline="Receipts, handled",
        subhead="Close the month in two days",
        cta="Start free trial",
        short_headline="Receipts, handled",
    )
    script = BannerScript(
        variants=[copy, copy.model_copy(update={"subhead": "30-day free trial, no card needed"})]
    )
    found = critique_step(SAAS, registry.get("banner").copy, "script", script)
    assert [(v.rule, v.where) for v in found] == [("fact_dropped", "banner variant 1")]


# ----------------------------------------------------------------------------- (f) targeting


@pytest.mark.parametrize(
    ("facts", "text"),
    [
        (SAAS, "Made for finance leads at construction and services firms with 20-200 staff"),
        (CAFE, "Home baristas aged 28-45, we see you"),
        (CATS, "Made for cat owners aged 25-40 in cities."),
        (SAAS, "Made for finance leads at construction firms."),
    ],
)
def test_targeting_notes_read_to_the_viewer_are_flagged(facts: BriefFacts, text: str) -> None:
    assert "targeting_quoted" in flagged(facts, "body", text)


@pytest.mark.parametrize(
    ("facts", "text"),
    [
        (SAAS, "Still chasing receipts by email?"),
        (CAFE, "Made for slow evenings."),
        (CATS, "Real food your fussy eater will finish."),
    ],
)
def test_speaking_to_the_struggle_is_not_flagged_as_targeting(facts: BriefFacts, text: str) -> None:
    assert "targeting_quoted" not in flagged(facts, "body", text)


# ----------------------------------------------------------------------------- (g) grammar


@pytest.mark.parametrize(
    "text",
    [
        "Before you choose an every evening this week",
        "You've looked at an expense apps",
        "WhiskerBox is made, made for cat owners",
        "For someone who has to bought a new kettle",
        "WhiskerBox is a chocolatey, made for cats",
        "It takes a hour",
    ],
)
def test_grammar_seams_are_flagged(text: str) -> None:
    assert "grammar" in flagged(CATS, "voiceover", text)


@pytest.mark.parametrize(
    "text",
    [
        "An hour a week, a user at a time, an MBA's worth of maths.",
        "An 80 % charge in 35 minutes.",
        "A local guide and a farmhouse B&B.",
        "A kid runs the show; had had enough.",
        "Made for the way you want to feed your cat.",
        "A 3-month subscription and a series of news.",
    ],
)
def test_correct_grammar_is_not_flagged(text: str) -> None:
    assert "grammar" not in flagged(CATS, "voiceover", text)


# ----------------------------------------------------------------------------- (h) symbols lost


@pytest.mark.parametrize(
    ("facts", "role", "text"),
    [
        (BAR, "caption", "Salt and Stone: fire and stone"),
        (BAR, "caption", "Salt Stone"),
        (CAFE, "lyric", "Creme brulee at Cafe Lumiere"),
        (CAFE, "caption", 'The Gazette called it "the best in town"'),
    ],
)
def test_lost_symbols_and_accents_are_flagged(facts: BriefFacts, role: str, text: str) -> None:
    assert "symbol_lost" in flagged(facts, role, text)


@pytest.mark.parametrize(
    ("facts", "role", "text"),
    [
        (BAR, "caption", "Salt & Stone: fire & stone"),
        (BAR, "caption", "Fire, stone and the sea"),
        (CAFE, "lyric", "Crème brûlée at Café Lumière"),
        (CAFE, "caption", "The Gazette called it «the best in town»"),
    ],
)
def test_kept_symbols_and_accents_are_not_flagged(facts: BriefFacts, role: str, text: str) -> None:
    assert "symbol_lost" not in flagged(facts, role, text)


# ----------------------------------------------------------------------------- (i) same idea


def _idea(hook: str, reasoning: str, narrative: str) -> dict[str, str]:
    return {
        "hook": hook,
        "reasoning": reasoning,
        "narrative": narrative,
        "visuals": f"Visuals for {hook}",
        "sonic": f"Sound for {hook}",
    }


def test_ideas_that_are_one_idea_are_flagged() -> None:
    shared = "Finance leads already feel the problem, so naming it earns the stop."
    ideas = [
        _idea("Meet Tidy.", shared, "Open on the hook; show the struggle in one honest moment."),
        _idea(
            "Meet Tidy.",
            shared,
            "A creator tells it straight; show the struggle in one honest moment.",
        ),
        _idea(
            "Three reasons to switch.",
            "Numbers are easy to follow with the sound off.",
            "Three numbered beats.",
        ),
    ]
    found = check_ideas(ideas)
    assert ("same_idea", "Two ideas open on the same hook.") in [(v.rule, v.message) for v in found]
    assert any(v.message.startswith("Ideas 1 and 2 share") for v in found)
    assert not any("Ideas 1 and 3" in v.message or "Ideas 2 and 3" in v.message for v in found)


def test_three_different_ideas_are_not_flagged() -> None:
    ideas = [
        _idea(
            "Still chasing receipts?",
            "Naming the pain earns the stop.",
            "Problem first, then the fix.",
        ),
        _idea(
            "Watch a receipt file itself.",
            "Seeing it work beats any claim.",
            "One receipt, close-up, start to finish.",
        ),
        _idea(
            "Month-end in two days.",
            "The number does the selling.",
            "A calendar shrinks from eight days to two.",
        ),
    ]
    assert check_ideas(ideas) == []

"""Root fixes in the local writer for what the copy critic found over the corpus."""

from __future__ import annotations

import pytest
from creative_corpus import STAGES, corpus, request_for

from adloom.assets import registry
from adloom.assets.banner.models import BannerScript
from adloom.writer.critic import check_asset_facts, facts_from_request
from adloom.writer.critic_collect import script_texts
from adloom.writer.local import LocalWriter

WITH_OFFER_OR_PRICE = [name for name, b in corpus() if b.product.offer or b.product.price]


@pytest.mark.parametrize("name", WITH_OFFER_OR_PRICE)
@pytest.mark.parametrize("stage", STAGES)
def test_banner_variants_carry_the_offer_or_the_price(name: str, stage: str) -> None:
    """Variants 2 and 3 always; variant 1 keeps the promise in its subhead and carries the offer
    only when both fit (the corpus test still counts the ones that do not)."""
    req = request_for(dict(corpus())[name], "banner", stage)
    writer = LocalWriter()
    ideas = writer.ideas(req, seed=0).value
    script = writer.script(req, ideas.ideas[0], seed=0).value
    assert isinstance(script, BannerScript)
    texts = script_texts(registry.get("banner").copy, script)
    facts = facts_from_request(req)
    for asset in list(dict.fromkeys(t.asset for t in texts))[1:]:
        variant = [t for t in texts if t.asset == asset]
        assert check_asset_facts(facts, registry.get("banner").copy.facts, asset, variant) == [], [t.text for t in variant]


def test_a_category_with_its_own_article_is_pluralised_without_it() -> None:
    """'A dental practice in Didsbury' gave the hook 'You've looked at a dental practices'."""
    from adloom.writer.context import category_head, plural, with_article

    assert plural(category_head("A dental practice in Didsbury")) == "dental practices"
    assert with_article(category_head("Seven nights on São Miguel in the Azores")) == "Seven nights"
    assert with_article("hour-long class") == "an hour-long class"
    assert with_article("user-friendly app") == "a user-friendly app"


@pytest.mark.parametrize(
    ("goals", "cta"),
    [
        ("Walk-in visits on weekday evenings; success is footfall after 20:00.", "Visit us"),
        ("Online donations in December; success is a donation.", "Donate"),
        ("Test-ride bookings for the weekend; success is a booked test ride.", "Book a test ride"),
        ("Test-drive bookings at dealers; success is a booked test drive.", "Book a test drive"),
        ("Ticket sales; success is a ticket bought.", "Get tickets"),
        ("Demo requests; success is a demo booked with sales.", "Book a demo"),
        ("Visit requests; success is a booked visit.", "Book now"),
        ("Free-trial sign-ups; success is a trial started.", "Start my trial"),
        ("App installs; success is an install.", "Get the app"),
    ],
)
def test_the_cta_follows_the_goal(goals: str, cta: str) -> None:
    """Issue 18, item 2: the goal picks the CTA, not a default 'Shop now'."""
    from adloom.writer.base import WriterRequest
    from adloom.writer.context import build_context

    req = WriterRequest(
        kind="banner", product_name="Acme", product_description="A thing.", goals=goals,
        copy=registry.get("banner").copy,
    )
    assert build_context(req).ctas[0] == cta


@pytest.mark.parametrize(
    ("text", "words", "expected"),
    [
        (
            "Open 8:00–19:00 on weekdays and 9:00–14:00 on Saturdays",
            7,
            "Open 8:00–19:00 on weekdays",
        ),
        (
            "Crème brûlée the Gazette called «the best in town», torched to order",
            6,
            "Crème brûlée the Gazette called",
        ),
        ("50 hours of burn time per jar; poured in Yorkshire", 5, "50 hours of burn time"),
        (
            "Build next week's rota in 10 minutes, let staff swap shifts",
            6,
            "Build next week's rota",
        ),
    ],
)
def test_short_phrases_stop_where_a_phrase_may_stop(text: str, words: int, expected: str) -> None:
    """Never inside a number or a range, a quotation, or on 'per' (issue 18: 'Open 17',
    '«the', '…burn time per')."""
    from adloom.writer.text import short_phrase

    assert short_phrase(text, words) == expected


def test_the_short_name_is_never_a_cut_name() -> None:
    """'Orbit Academy Space' was sung for 'Orbit Academy Space Camp'; the brand fits instead."""
    from adloom.writer.base import WriterRequest
    from adloom.writer.context import build_context

    req = WriterRequest(
        kind="jingle",
        product_name="Orbit Academy Space Camp",
        product_description="A summer camp.",
        brand_name="Orbit Academy",
        copy=registry.get("jingle").copy,
    )
    assert build_context(req).short_product == "Orbit Academy"


@pytest.mark.parametrize("name", [name for name, b in corpus() if b.product.price])
def test_the_flyer_states_the_price(name: str) -> None:
    from adloom.assets.flyer.models import FlyerScript

    req = request_for(dict(corpus())[name], "flyer", "problem_aware")
    writer = LocalWriter()
    script = writer.script(req, writer.ideas(req, seed=0).value.ideas[0], seed=0).value
    assert isinstance(script, FlyerScript)
    found = check_asset_facts(facts_from_request(req), req.copy.facts, "flyer", script_texts(req.copy, script))
    assert not [v for v in found if "price" in v.message], script.body

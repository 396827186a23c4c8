"""Issue 18, item 7: the idea the user picks for a banner, a flyer or a jingle drives that
kind's script (its headline, print hierarchy, sung tagline), not the video's ideas reused."""

from __future__ import annotations

import pytest
from creative_corpus import corpus, request_for

from adloom.assets.banner.models import BannerScript
from adloom.assets.flyer.models import FlyerScript
from adloom.assets.jingle.models import JingleScript
from adloom.writer.local import LocalWriter
from adloom.writer.text import strip_end

WRITER = LocalWriter()
SAMPLE = ["cafe-lumiere", "shiftboard-saas", "whiskerbox", "kestrel-ev-car", "paws-rescue"]


def scripts_for_each_idea(name: str, kind: str, stage: str = "solution_aware") -> list[tuple]:
    req = request_for(dict(corpus())[name], kind, stage)
    ideas = WRITER.ideas(req, seed=0).value.ideas
    return [(idea, WRITER.script(req, idea, seed=0).value) for idea in ideas]


@pytest.mark.parametrize("name", SAMPLE)
def test_the_banner_leads_with_the_chosen_ideas_set(name: str) -> None:
    pairs = scripts_for_each_idea(name, "banner")
    for idea, script in pairs:
        assert isinstance(script, BannerScript)
        first = script.variants[0]
        assert idea.concept and strip_end(first.headline) == strip_end(idea.concept["headline"])
        assert first.cta == idea.concept["cta"]
    # Three ideas, three different lead headlines: the choice changes the banner.
    assert len({s.variants[0].headline for _, s in pairs}) == 3


@pytest.mark.parametrize("name", SAMPLE)
def test_the_flyer_headline_and_button_come_from_the_chosen_idea(name: str) -> None:
    pairs = scripts_for_each_idea(name, "flyer")
    for idea, script in pairs:
        assert isinstance(script, FlyerScript) and idea.concept
        assert script.headline == idea.concept["headline"]
        assert script.cta == idea.concept["cta"]
    assert len({s.headline for _, s in pairs}) == 3


def test_an_event_title_still_heads_the_flyer() -> None:
    briefs = [
        n for n, b in corpus() if b.event and len(b.event.title or "") <= 60 and b.event.title
    ]
    assert briefs
    for idea, script in scripts_for_each_idea(briefs[0], "flyer"):
        assert isinstance(script, FlyerScript)
        assert script.headline == dict(corpus())[briefs[0]].event.title  # type: ignore[union-attr]


@pytest.mark.parametrize("name", SAMPLE)
def test_the_jingle_sings_the_chosen_ideas_tagline(name: str) -> None:
    pairs = scripts_for_each_idea(name, "jingle")
    for idea, script in pairs:
        assert isinstance(script, JingleScript) and idea.concept
        assert strip_end(script.tagline) == strip_end(idea.concept["tagline"])
    # Three moods; three taglines too unless the brand has its own line, which every idea sings.
    assert len({idea.concept["mood"] for idea, _ in pairs if idea.concept}) == 3
    brand_line = dict(corpus())[name].brand.tagline
    assert len({s.tagline for _, s in pairs}) == (1 if brand_line else 3)

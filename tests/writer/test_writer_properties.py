"""Property tests: odd inputs never crash the local writer and never leak markup."""

from __future__ import annotations

import dataclasses
import json
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from writer_briefs import request_from_brief

from adloom.writer.local import LocalWriter
from adloom.writer.text import clean

MARKUP = [
    "<script>alert(1)</script>",
    "{{x}}",
    "{% if x %}y{% endif %}",
    "${x}",
    "<b>bold</b>",
    "<img src=x onerror=alert(1)>",
    "{#c#}",
    "</div>",
    "[[link]]",
]
RTL = ["قهوة باردة", "קפה קר", "مرحبا بالعالم", "\u202eevil\u202c"]
WORDS = ["coffee", "Plan", "x", "Ünïcödé", "日本語", "🚀", "ok", "the", "and", "a"]

piece = st.one_of(
    st.sampled_from(MARKUP), st.sampled_from(RTL), st.sampled_from(WORDS), st.text(max_size=12)
)
field = st.lists(piece, max_size=8).map(" ".join)
long_name = st.lists(st.sampled_from(WORDS), min_size=20, max_size=40).map(" ".join)
LEAKS = re.compile(r"<\s*/?\s*[a-z]|\{\{|\}\}|\{%|%\}|\$\{|\{#|<script", re.IGNORECASE)

STAGES = st.sampled_from(
    ["unaware", "problem_aware", "solution_aware", "product_aware", "most_aware", "odd"]
)
KIND_OPTIONS = st.sampled_from(
    [
        ("video", {"length": 15}),
        ("video", {"length": 30}),
        ("video", {"length": 60}),
        ("banner", {"sizes": ["300x250", "320x50", "nonsense"]}),
        ("flyer", {"formats": ["A4", "<b>"]}),
        ("jingle", {"tone": "{{tone}}"}),
    ]
)


def strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.one_of(field, long_name, st.sampled_from(["X", "LaunchPad", "", "<script>"])),
    description=field,
    audience=field,
    messaging=field,
    goals=field,
    offer=st.one_of(st.none(), field),
    tagline=field,
    stage=STAGES,
    kind_options=KIND_OPTIONS,
    seed=st.integers(0, 2**31),
)
def test_odd_inputs_never_crash_or_leak_markup(
    name, description, audience, messaging, goals, offer, tagline, stage, kind_options, seed
):
    kind, options = kind_options
    req = dataclasses.replace(
        request_from_brief("northbound-coldbrew", kind),
        product_name=name,
        product_description=description,
        audience=audience,
        messaging=messaging,
        goals=goals,
        offer=offer,
        tagline=tagline,
        awareness_stage=stage,
        options=options,
        event={"title": "<b>Launch</b> {{party}}", "date": "not a date", "venue": None},
    )
    writer = LocalWriter()
    ideas = writer.ideas(req, seed=seed).value
    script = writer.script(req, ideas.ideas[0], seed=seed).value
    scenes = writer.scenes(req, script, seed=seed).value
    regenerated = writer.regenerate_scene(req, script, scenes, 0, seed=seed).value
    draft = writer.draft_strategy(req).value
    for model in (ideas, script, scenes, regenerated, draft):
        for text in strings(model.model_dump(mode="json")):
            assert not LEAKS.search(text), text
            assert "\u202e" not in text


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_clean_removes_markup_and_template_syntax(text):
    cleaned = clean(text + "<script>x</script>{{y}}${z}{% t %}")
    assert not LEAKS.search(cleaned)
    assert cleaned == cleaned.strip() and "  " not in cleaned


def test_clean_keeps_ordinary_unicode_and_rtl_words():
    assert clean("  Café  <i>crème</i> — قهوة ") == "Café crème — قهوة"
    assert json.dumps(clean("{{ 7*7 }} ok"), ensure_ascii=False) == '"ok"'

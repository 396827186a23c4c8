"""A hand-written, approved Northbound Cold Brew ad (script + scenes) for demos, tests and the
benchmark. It reads like what the writer produces for the Northbound brief (problem-aware,
reciprocity, UGC style) and validates against the writer schemas."""

from __future__ import annotations

from typing import Any

_SCENES: list[dict[str, Any]] = [
    {
        "on_screen_text": "Bitter coffee between calls?",
        "voiceover": "Still gulping bitter coffee between calls?",
        "visual": "bold question on deep navy",
        "motion": "push_in",
        "product": "none",
        "transition": "cut",
        "role": "hook",
    },
    {
        "on_screen_text": "Meet Northbound Cold Brew",
        "voiceover": "Meet Northbound Cold Brew. Smooth, low acid, naturally sweet.",
        "visual": "product cutout rising",
        "motion": "push_in",
        "product": "hero",
        "transition": "zoom",
        "role": "body",
    },
    {
        "on_screen_text": "Steeped 18 hours. Never bitter.",
        "voiceover": "Steeped for eighteen hours from Ethiopian beans.",
        "visual": "product photo card",
        "motion": "pan_left",
        "product": "inset",
        "transition": "slide",
        "role": "body",
    },
    {
        "on_screen_text": "No machine. No waiting.",
        "voiceover": "No machine, no waiting. Just pour and start your day calm.",
        "visual": "typographic beat",
        "motion": "parallax",
        "product": "none",
        "transition": "wipe",
        "role": "proof",
    },
    {
        "on_screen_text": "Your first bottle is free",
        "voiceover": "Subscribe for three months and your first bottle is on us.",
        "visual": "offer with product",
        "motion": "pull_out",
        "product": "corner",
        "transition": "slide",
        "role": "offer",
    },
    {
        "on_screen_text": "Slow coffee for fast mornings",
        "voiceover": "Northbound. Slow coffee for fast mornings.",
        "visual": "end card: logo, product, CTA",
        "motion": "push_in",
        "product": "hero",
        "logo": True,
        "transition": "crossfade",
        "role": "cta",
    },
]

_DURATIONS = {15: [4.0, 5.5, 5.5], 30: [4.0, 5.0, 5.0, 5.0, 5.5, 5.5]}
CTA = "Claim your free bottle"


def sample_scenes(length: int = 30) -> dict[str, Any]:
    """Approved scenes (``VideoScenes`` JSON) for a 15, 30 or 60 s Northbound ad."""
    if length == 15:
        picked = [_SCENES[0], _SCENES[1], _SCENES[5]]
        durations = _DURATIONS[15]
    elif length == 30:
        picked, durations = list(_SCENES), _DURATIONS[30]
    else:
        picked = _SCENES[:5] + _SCENES[1:5] + [_SCENES[5]]
        durations = [6.0] * 10
    scenes = [
        {**scene, "index": i, "duration": d}
        for i, (scene, d) in enumerate(zip(picked, durations, strict=True))
    ]
    return {"kind": "video", "length": length, "scenes": scenes}


def sample_script(length: int = 30) -> dict[str, Any]:
    """The approved script (``VideoScript`` JSON) matching :func:`sample_scenes`."""
    beats = []
    start = 0.0
    for scene in sample_scenes(length)["scenes"]:
        purpose = {"hook": "hook", "offer": "offer", "cta": "cta"}.get(scene["role"], "solution")
        beats.append(
            {
                "start": start,
                "end": start + scene["duration"],
                "voiceover": scene["voiceover"],
                "on_screen_text": scene["on_screen_text"],
                "purpose": purpose,
            }
        )
        start += scene["duration"]
    return {"kind": "video", "length": length, "beats": beats, "cta": CTA}


NORTHBOUND_COLORS = {
    "primary": "#1F3A5F",
    "secondary": "#F2E8DC",
    "accent": "#E07A2E",
    "background": "#FBF7F2",
    "text": "#1B1B1B",
}

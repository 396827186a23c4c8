"""Phrases the concepts (``adloom.writer.concepts``) reason with: why each awareness stage and
persuasion trigger works, and a title for each hook opener."""

from __future__ import annotations

from collections.abc import Mapping

FIRST_PERSON_STYLES = frozenset({"ugc", "testimonial"})

STAGE_WHY: Mapping[str, str] = {
    "unaware": "{Who} are not looking for a fix yet, so the hook sells a picture of the outcome "
    "before the product is named",
    "problem_aware": "{Who} already feel the problem, so naming it in the first second earns the "
    "stop and makes {product} the obvious answer",
    "solution_aware": "{Who} know a fix exists, so the work is showing why this one is better",
    "product_aware": "{Who} know {product} but have not acted, so the ad answers the doubt with "
    "proof",
    "most_aware": "{Who} are ready to act, so the offer leads and nothing slows the click",
}

TRIGGER_WHY: Mapping[str, str] = {
    "reciprocity": "It gives before it asks (reciprocity): the free part of the offer comes first",
    "commitment": "It asks for one small step first (commitment), which makes the next one easy",
    "social_proof": "It shows people like them already on board (social proof)",
    "authority": "It leans on hard facts and expert credentials (authority)",
    "liking": "It speaks like a friend, warm and on their side (liking)",
    "scarcity": "It gives a real reason to act now (scarcity), using only true dates and limits",
    "unity": "It speaks as one of them, not a brand at them (unity)",
}

HOOK_TITLES: Mapping[str, str] = {
    "u.picture": "Picture it",
    "u.say": "So far away",
    "u.stop": "Stop scrolling",
    "u.whatif": "Your new normal",
    "u.secret": "The small change",
    "u.i.never": "I never thought",
    "p.question": "The daily scramble",
    "p.still": "Still?",
    "p.familiar": "Sound familiar?",
    "p.callout": "We see you",
    "p.i.used": "Every single day",
    "p.cost": "More than time",
    "p.tired": "Tired of it",
    "s.looked": "What the best get right",
    "s.tried": "Beyond the usual fixes",
    "s.before": "Before you choose",
    "s.oldway": "The better way",
    "s.i.tried": "The one that stuck",
    "pa.fence": "Off the fence",
    "pa.worth": "The honest answer",
    "pa.closer": "A closer look",
    "pa.heard": "What you actually get",
    "pa.i.honest": "My honest review",
    "m.ready": "Ready when you are",
    "m.sign": "This is your sign",
    "m.offer": "Yes, really",
    "m.event": "Live soon",
    "m.i.told": "What I use",
}

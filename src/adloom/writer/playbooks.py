"""Copywriting playbooks: hooks per awareness stage, lines per beat, trigger and style moves.

Data, not code. Each entry is a :class:`Template` with a stable id that the local writer
records in its provenance ("hook=pa.fence, proof=t.authority..."). Slots are the names built
by :func:`adloom.writer.compose.slots`; a template whose slots the campaign cannot fill is
skipped, never filled with a placeholder.

Hooks follow Eugene Schwartz's ladder: the less aware the reader, the less the hook says about
the product. Unaware hooks sell a picture of the outcome; problem-aware hooks name the pain;
solution-aware hooks promise a better way; product-aware hooks answer the doubt; most-aware
hooks lead with the offer.
"""

from __future__ import annotations

from collections.abc import Mapping

from adloom.writer.compose import Template as T

HOOKS: Mapping[str, tuple[T, ...]] = {
    "unaware": (
        T("u.picture", "Picture {outcome_np}. Now picture it every single day."),
        T("u.say", "You say you {outcome_want}. So why does it feel so far away?"),
        T("u.stop", "Stop scrolling for a second. This one is about {outcome_np}."),
        T("u.whatif", "What if {outcome_np} became your normal?"),
        T("u.secret", "Here's a small change that gets you {outcome_np}."),
    ),
    "problem_aware": (
        T("p.question", "{struggle_q}?"),
        T("p.still", "Still {still_q}?"),
        T("p.familiar", "{struggle_you}. Sound familiar?"),
        T("p.callout", "We see you, and we've been there too."),
        T("p.cost", "{struggle_short}? It's costing you more than time."),
        T("p.tired", "Tired of {struggle_short_lc}?"),
    ),
    "solution_aware": (
        T("s.looked", "You've looked at {category_plural}. Here's what the best get right."),
        T("s.tried", "You've tried the usual fixes. Here's what actually works."),
        T("s.before", "Before you choose {category_np}, watch this."),
        T("s.oldway", "You know the old way. Let us show you the better one."),
    ),
    "product_aware": (
        T("pa.fence", "Still on the fence about {product}?"),
        T("pa.worth", "Is {product} worth it? Here's the honest answer."),
        T("pa.closer", "Thinking about {product}? Take a closer look."),
        T("pa.heard", "You've heard of {product}. Here's what you actually get."),
    ),
    "most_aware": (
        T("m.ready", "Ready for {product}? {offer}."),
        T("m.sign", "Waiting for a sign to try {product}? This is it."),
        T("m.offer", "{offer}. Yes, really."),
        T("m.event", "{event_title}. Live on {event_when_short}."),
    ),
}

# First-person hooks for UGC and testimonial styles (the creator speaks).
FIRST_PERSON_HOOKS: Mapping[str, tuple[T, ...]] = {
    "unaware": (T("u.i.never", "I never thought I'd get {outcome_np}. Then this happened."),),
    "problem_aware": (T("p.i.used", "{struggle_i}. Every single day."),),
    "solution_aware": (T("s.i.tried", "I tried all the usual fixes. This is the one that stuck."),),
    "product_aware": (T("pa.i.honest", "My honest review of {product}, after using it for real."),),
    "most_aware": (T("m.i.told", "Everyone asked what I use. It's {product}, and {offer_lc}."),),
}

# On-screen text for the hook scene (at most 7 words), by stage.
HOOK_TEXT: Mapping[str, tuple[T, ...]] = {
    "unaware": (T("u.t.outcome", "{outcome_short}?"), T("u.t.stop", "Stop scrolling for a second")),
    "problem_aware": (T("p.t.struggle", "{struggle_short}?"), T("p.t.familiar", "Sound familiar?")),
    "solution_aware": (
        T("s.t.better", "There's a better way"),
        T("s.t.how", "The question is how"),
    ),
    "product_aware": (T("pa.t.fence", "Still on the fence?"), T("pa.t.worth", "Is it worth it?")),
    "most_aware": (T("m.t.offer", "{offer_short}"), T("m.t.sign", "This is your sign")),
}

# Voiceover lines per beat section. The beat's core line is picked (seeded) among the lines
# that fill and are not marked ".x."; the rest are extras used to reach the word budget.
LINES: Mapping[str, tuple[T, ...]] = {
    "problem": (
        T("b.problem.you", "{struggle_you}."),
        T("b.problem.x.want", "You {outcome_want}, but the day keeps getting in the way."),
        T("b.problem.x.better", "There has to be a better way."),
    ),
    "agitate": (
        T("b.agitate.want", "You {outcome_want}, but the day keeps getting in the way."),
        T("b.agitate.far", "You {outcome_want}. Right now, it feels miles away."),
        T("b.agitate.x.cost", "And it costs you more than time. It costs you focus."),
        T("b.agitate.x.again", "Tomorrow, it happens all over again."),
        T("b.agitate.x.better", "There has to be a better way."),
    ),
    "solution": (
        T("b.solution.e.event", "Join {product} live for {event_title_q}. {promise}."),
        T("b.solution.meet", "Meet {product}. {promise}."),
        T("b.solution.made", "That's why there's {product}. {promise}."),
        T("b.solution.changes", "{product} changes that. {promise}."),
        T("b.solution.x.nomore", "No more {struggle_short_lc}."),
        T("b.solution.x.simple", "{product} makes it simple."),
    ),
    "benefits": (
        T("b.benefits.lines", "{benefit_lines}"),
        T("b.benefits.fact1", "{fact1}."),
        T("b.benefits.x.fact2", "{fact2}."),
        T("b.benefits.x.qualities", "It's {quality_list}."),
    ),
    "proof": (
        T("b.proof.fact1", "{fact1}."),
        T("b.proof.fact2", "{fact2}."),
        T("b.proof.x.fact3", "{fact3}."),
    ),
    "outcome": (
        T("b.outcome.finally", "Finally, {outcome_np}."),
        T("b.outcome.can", "Now {outcome_can}."),
        T("b.outcome.x.tagline", "{tagline}"),
        T("b.outcome.x.day", "That's the difference it makes."),
        T("b.outcome.x.small", "Small change. Big difference."),
    ),
    "offer": (
        T("b.offer.plain", "{offer}."),
        T("b.offer.event", "Join us live on {event_when}."),
        T("b.offer.x.minute", "It takes a minute to {cta_you}."),
        T("b.offer.x.price", "Price: {price}."),
        T("b.offer.x.time", "It starts at {event_time}."),
        T("b.offer.x.questions", "Bring your questions. We'll answer them {live}."),
        T("b.offer.x.start", "Here's how to get started, step by step."),
    ),
    "cta": (
        T("b.cta.tap", "{tap} the button to {cta_you}."),
        T("b.cta.link", "{tap} the link and {cta_you}."),
        T("b.cta.x.today", "{cta_you} today."),
        T("b.cta.x.tagline", "{product}. {tagline}"),
        T("b.cta.x.starts", "Your {outcome_your} starts here."),
    ),
}

# First-person versions for UGC and testimonial styles.
FIRST_PERSON_LINES: Mapping[str, tuple[T, ...]] = {
    "problem": (T("b.problem.i.used", "{struggle_i}."),),
    "solution": (
        T("b.solution.i.found", "Then I found {product}. {promise}."),
        T("b.solution.i.take", "My honest take on {product}: {promise_lc}."),
    ),
    "outcome": (T("b.outcome.i.get", "Now I actually get {outcome_np}."),),
}

# Style moves: a line that makes the format visible (".s." lines lead their beat).
STYLE_LINES: Mapping[str, Mapping[str, tuple[T, ...]]] = {
    "problem_solution": {
        "solution": (T("b.solution.s.fix", "Here's the fix: {product}. {promise}."),),
    },
    "demo": {
        "benefits": (T("b.benefits.s.how", "Here's how it works. {fact1}."),),
    },
    "cinematic": {
        "solution": (T("b.solution.s.this", "This is {product}. {promise}."),),
    },
    "luxury_minimal": {
        "solution": (T("b.solution.s.name", "{product}. {promise}."),),
    },
    "listicle": {
        "benefits": (
            T(
                "b.benefits.s.three",
                "Three reasons. One: {benefit1}. Two: {benefit2}. Three: {benefit3}.",
            ),
        ),
    },
    "before_after": {
        "problem": (T("b.problem.s.before", "Before: {struggle_you}."),),
        "agitate": (T("b.agitate.s.before", "Before: {struggle_you}."),),
        "outcome": (T("b.outcome.s.after", "After: {outcome_np}, every day."),),
        "benefits": (T("b.benefits.s.after", "After: {benefit_list}."),),
    },
}

# Persuasion trigger moves (Cialdini): one line that frames the offer or the proof.
TRIGGER_LINES: Mapping[str, tuple[T, ...]] = {
    "reciprocity": (
        T("t.reciprocity.gift", "Here's our gift to you: {offer_lc}."),
        T("t.reciprocity.first", "We'll go first. Try it on us."),
        T("t.reciprocity.x.decide", "Try it first. Decide after."),
    ),
    "commitment": (
        T("t.commitment.small", "Start small. One step today is enough."),
        T("t.commitment.try", "Try it once and see how it feels."),
    ),
    "social_proof": (
        T("t.social.ask", "You're not the only one looking for a better way."),
        T("t.social.you", "If that sounds like your week, keep watching."),
    ),
    "authority": (
        T("t.authority.fact", "{fact1}. That's the standard we hold."),
        T("t.authority.experts", "Built by people who know this work inside out."),
        T("t.authority.x.specific", "No vague promises. Just the specifics."),
    ),
    "liking": (
        T("t.liking.made", "We made {product} for people like us, and like you."),
        T("t.liking.friend", "Think of it as a friend who has your back."),
    ),
    "scarcity": (
        T("t.scarcity.event", "It's live on {event_when_short}. Put it in your calendar now."),
        T("t.scarcity.wait", "Don't wait on this one."),
    ),
    "unity": (
        T("t.unity.for", "Made by people who get it."),
        T("t.unity.us", "This is for people like us."),
    ),
}

# Beat sections per awareness stage and length; each section becomes one beat and one scene.
BEAT_PLANS: Mapping[str, Mapping[int, tuple[str, ...]]] = {
    "unaware": {
        15: ("hook", "solution", "offer", "cta"),
        30: ("hook", "problem", "solution", "benefits", "offer", "cta"),
        60: (
            "hook",
            "problem",
            "agitate",
            "solution",
            "benefits",
            "proof",
            "outcome",
            "offer",
            "cta",
        ),
    },
    "problem_aware": {
        15: ("hook", "solution", "offer", "cta"),
        30: ("hook", "agitate", "solution", "benefits", "offer", "cta"),
        60: (
            "hook",
            "problem",
            "agitate",
            "solution",
            "benefits",
            "proof",
            "outcome",
            "offer",
            "cta",
        ),
    },
    "solution_aware": {
        15: ("hook", "solution", "offer", "cta"),
        30: ("hook", "solution", "benefits", "proof", "offer", "cta"),
        60: (
            "hook",
            "agitate",
            "solution",
            "benefits",
            "proof",
            "trigger",
            "outcome",
            "offer",
            "cta",
        ),
    },
    "product_aware": {
        15: ("hook", "solution", "offer", "cta"),
        30: ("hook", "proof", "solution", "benefits", "offer", "cta"),
        60: (
            "hook",
            "proof",
            "problem",
            "solution",
            "benefits",
            "trigger",
            "outcome",
            "offer",
            "cta",
        ),
    },
    "most_aware": {
        15: ("hook", "offer", "solution", "cta"),
        30: ("hook", "offer", "solution", "proof", "trigger", "cta"),
        60: (
            "hook",
            "offer",
            "problem",
            "solution",
            "benefits",
            "proof",
            "trigger",
            "outcome",
            "cta",
        ),
    },
}

# Visual grammar per creative style: how the camera sees each section.
STYLE_VISUALS: Mapping[str, Mapping[str, str]] = {
    "ugc": {
        "look": "handheld phone footage, natural light, creator talking to camera",
        "motion": "static",
        "transition": "cut",
    },
    "testimonial": {
        "look": "a real customer on camera, soft window light, name lower-third",
        "motion": "push_in",
        "transition": "cut",
    },
    "cinematic": {
        "look": "slow, wide, shallow depth of field, rich colour grade",
        "motion": "push_in",
        "transition": "crossfade",
    },
    "storytelling": {
        "look": "a day in the life, warm grade, small details in close-up",
        "motion": "pan_right",
        "transition": "crossfade",
    },
    "problem_solution": {
        "look": "cool, cluttered frames for the problem, clean bright frames after",
        "motion": "push_in",
        "transition": "wipe",
    },
    "before_after": {
        "look": "split frames: before on the left, after on the right",
        "motion": "pan_left",
        "transition": "wipe",
    },
    "listicle": {
        "look": "bold numbered title cards over quick product shots",
        "motion": "static",
        "transition": "slide",
    },
    "demo": {
        "look": "over-the-shoulder close-ups of the product in use",
        "motion": "push_in",
        "transition": "cut",
    },
    "luxury_minimal": {
        "look": "one object, lots of negative space, slow light sweeps",
        "motion": "pull_out",
        "transition": "crossfade",
    },
    "direct_response": {
        "look": "bold type on brand colour, fast product cut-ins",
        "motion": "push_in",
        "transition": "cut",
    },
}

SONIC: Mapping[str, str] = {
    "ugc": "natural room sound under a light lo-fi beat; the voice stays front and centre",
    "testimonial": "soft piano bed that leaves room for the speaker",
    "cinematic": "a slow build of strings and pulses that lands on the logo",
    "storytelling": "warm acoustic guitar that lifts when the product arrives",
    "problem_solution": "tense, muted texture for the problem, then a bright lift on the reveal",
    "before_after": "a muffled loop that opens up into full sound for the after",
    "listicle": "punchy beat with a tick on every number",
    "demo": "light electronic groove with UI clicks and product sounds",
    "luxury_minimal": "sparse piano and air; silence is part of the mix",
    "direct_response": "upbeat, driving track with a hit on every cut",
}

PLATFORM_NOTES: Mapping[str, str] = {
    "tiktok": "vertical, native-feeling, captions on, the hook lands in the first second",
    "instagram": "vertical for Reels and Stories, captions on, product in frame early",
    "linkedin": "professional and specific, square or vertical, captions on for silent autoplay",
    "youtube": "skippable: brand and hook inside the first five seconds",
    "facebook": "captions on for silent autoplay, square framing",
    "pinterest": "vertical, aspirational, product clearly visible",
    "display": "one message per frame, CTA always visible",
    "social": "vertical first, captions on, hook in the first second",
}

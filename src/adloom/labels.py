"""Human words for the campaign-level values the dashboard shows (styles, triggers, stages,
business types, industries) and one lookup, :func:`label`, that templates use as a filter.

Per-kind words (banner sizes, video motions, layouts...) belong to the kind's
``assets/<kind>/spec.py``; :func:`label` finds them through the registry. A value nobody named
is shown with its underscores as spaces, so a new enum value is readable before it is named.
"""

from __future__ import annotations

from adloom.assets import registry

AWARENESS_STAGES = {
    "unaware": "Unaware", "problem_aware": "Problem aware", "solution_aware": "Solution aware",
    "product_aware": "Product aware", "most_aware": "Most aware",
}
PERSUASION_TRIGGERS = {
    "reciprocity": "Reciprocity", "commitment": "Commitment", "social_proof": "Social proof",
    "authority": "Authority", "liking": "Liking", "scarcity": "Scarcity", "unity": "Unity",
}
CREATIVE_STYLES = {
    "direct_response": "Direct response", "ugc": "UGC style", "cinematic": "Cinematic",
    "storytelling": "Storytelling", "testimonial": "Testimonial", "problem_solution": "Problem → solution",
    "before_after": "Before and after", "listicle": "List of reasons", "demo": "Product demo",
    "luxury_minimal": "Luxury minimal",
}
BUSINESS_TYPES = {
    "ecommerce_brand": "E-commerce brand", "saas": "SaaS", "mobile_app": "Mobile app",
    "local_business": "Local business", "restaurant": "Restaurant", "agency": "Agency",
    "creator": "Creator", "b2b_services": "B2B services", "nonprofit": "Nonprofit", "event": "Event",
    "other": "Other",
}
INDUSTRIES = {
    "tech_saas": "Tech / SaaS", "food_beverage": "Food & beverage", "fashion_apparel": "Fashion & apparel",
    "beauty_cosmetics": "Beauty & cosmetics", "health_wellness": "Health & wellness", "fitness": "Fitness",
    "finance": "Finance", "education": "Education", "real_estate": "Real estate",
    "travel_hospitality": "Travel & hospitality", "home_garden": "Home & garden", "automotive": "Automotive",
    "entertainment": "Entertainment", "professional_services": "Professional services", "retail": "Retail",
    "other": "Other",
}
# A kind may name a stage in its own words (``KindSpec.stage_labels``: the video's generate stage
# makes the voice and music, the banner's cuts out the product); these are the defaults.
STAGES = {
    "ideas": "Ideas", "script": "Script", "scenes": "Scenes", "generate": "Media preparation",
    "render": "Render", "stitch": "Final assembly",
}
STEP_STATUSES = {"queued": "Queued", "running": "Running", "succeeded": "Done", "failed": "Failed",
                 "cancelled": "Cancelled", "skipped": "Skipped"}
WORDS = {"cta": "Call to action", "tier": "Tier", "standard": "Standard", "premium": "Premium",
         "seed": "Variation number"}
GROUPS: dict[str, dict[str, str]] = {
    "awareness_stage": AWARENESS_STAGES, "stage": AWARENESS_STAGES,
    "persuasion_trigger": PERSUASION_TRIGGERS, "trigger": PERSUASION_TRIGGERS,
    "creative_style": CREATIVE_STYLES, "style": CREATIVE_STYLES,
    "business_type": BUSINESS_TYPES, "industry": INDUSTRIES, "step": STAGES, "step_status": STEP_STATUSES,
}


def plain(value: str) -> str:
    """The fallback: ``some_value`` -> "Some value"."""
    text = value.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def label(value: object, group: str = "", kind: str = "") -> str:
    """The human label of ``value``: ``group`` is a campaign field ("creative_style"...), a step
    group ("step", in the words of ``kind`` when it names the stage) or a kind name (its formats
    and script/scene words)."""
    text = "" if value is None else str(value)
    spec = registry.find(kind) if kind else None
    if group == "step" and spec is not None and text in spec.stage_labels:
        return spec.stage_labels[text]
    if group in GROUPS:
        return GROUPS[group].get(text, plain(text))
    spec = registry.find(group)
    if spec is not None:
        return spec.format_labels.get(text) or spec.value_labels.get(text) or plain(text)
    return WORDS.get(text, plain(text))

"""From a job context to what each flyer says and which layout family it uses."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from urllib.parse import urlsplit

from adloom.assets.base import JobContext
from adloom.assets.flyer.models import FlyerLayout, FlyerScenes, FlyerScript
from adloom.errors import InvalidOption
from adloom.writer.schemas import EventDetails

from .formats import FlyerFormat, get_format
from .plan import FAMILIES, Family, FlyerCopy, HeroKind

_CAPTIONS: dict[str, str] = {
    "event": "Scan to register",
    "launch": "Scan to take a look",  # no "live" without an event (issue 18)
    "offer": "Scan to claim the offer",
    "awareness": "Scan to learn more",
}
_OFFER_GOALS = ("purchase", "subscription", "subscribe", "trial", "sale", "discount", "order")


def event_details(ctx: JobContext, script: FlyerScript) -> EventDetails | None:
    if script.event is not None:
        return script.event
    raw = ctx.campaign.get("event")
    if isinstance(raw, Mapping):
        return EventDetails.model_validate({k: str(v) for k, v in raw.items() if v is not None})
    return None


def nice_date(value: str) -> str:
    """'2027-01-21' -> 'Thu 21 Jan 2027'; anything else is kept as written."""
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError:
        return value
    return f"{day:%a} {day.day} {day:%b %Y}"


def display_url(url: str | None) -> str:
    if not url:
        return ""
    parts = urlsplit(url)
    return (parts.netloc + parts.path).removeprefix("www.").rstrip("/")


def choose_family(ctx: JobContext, script: FlyerScript) -> Family:
    """The layout family when the scenes do not name one: event when there is an event, offer
    for offer-led campaigns, awareness for early-stage or minimal styles, else launch."""
    asked = ctx.options.get("family")
    if asked:
        if asked not in FAMILIES:
            raise InvalidOption(
                f"Unknown flyer family '{asked}'.",
                hint=f"Use one of: {', '.join(FAMILIES)}.",
                option="family",
            )
        return asked  # type: ignore[no-any-return]
    if event_details(ctx, script) is not None:
        return "event"
    goals = str(ctx.strategy.get("goals", "")).lower()
    offer = script.offer or ctx.product.offer
    trigger = ctx.campaign.get("persuasion_trigger")
    if offer and (trigger in ("scarcity", "reciprocity") or any(w in goals for w in _OFFER_GOALS)):
        return "offer"
    stage = ctx.campaign.get("awareness_stage")
    style = ctx.campaign.get("creative_style")
    if stage in ("unaware", "problem_aware") or style in (
        "luxury_minimal",
        "cinematic",
        "storytelling",
    ):
        return "awareness"
    return "launch"


def layout_for(fmt: FlyerFormat, scenes: FlyerScenes | None) -> FlyerLayout | None:
    """The scenes' layout for a format (by name or alias); the first one as a default."""
    if scenes is None:
        return None
    for layout in scenes.layouts:
        try:
            if get_format(layout.format).name == fmt.name:
                return layout
        except InvalidOption:
            continue
    return scenes.layouts[0]


def default_hero(family: Family, *, has_photo: bool, photo_has_alpha: bool) -> HeroKind:
    if not has_photo:
        return "typographic"
    if photo_has_alpha:
        return "product"
    return "photo" if family in ("event", "awareness") else "product"


def _eyebrow(ctx: JobContext, family: Family, details: EventDetails | None, offer: str) -> str:
    if family == "event":
        venue = (details.venue or "").lower() if details else ""
        online = any(w in venue for w in ("online", "webinar", "zoom", "live stream", "virtual"))
        free = (
            "free" in (offer or "").lower() or "free" in (details.title or "").lower()
            if details
            else False
        )
        kind = "live webinar" if online else "live event"
        return f"Free {kind}" if free else kind.capitalize()
    # Badges say only what the brief says (issue 18: a "NEW" badge, "LIMITED OFFER" with no
    # launch and no limit in the brief); the brand's tagline otherwise.
    said = " ".join(
        [ctx.product.description, ctx.strategy.get("messaging", ""), offer]
    ).lower()
    if family == "offer":
        limited = re.search(r"\b(until|ends?|only|limited|while stocks|last)\b", offer.lower())
        return "Limited offer" if limited else "Special offer"
    if family == "launch" and re.search(r"\b(new|launch(es|ing)?|just opened|now open)\b", said):
        return "New"
    return ctx.brand.tagline


def _details(details: EventDetails | None) -> tuple[tuple[str, str], ...]:
    if details is None:
        return ()
    rows = [
        ("Date", nice_date(details.date or "")),
        ("Time", details.time or ""),
        ("Where", details.venue or ""),
    ]
    return tuple((label, value) for label, value in rows if value.strip())


def flyer_copy(ctx: JobContext, script: FlyerScript, family: Family) -> FlyerCopy:
    """What the flyer says, from the approved script plus campaign facts."""
    details = event_details(ctx, script) if family == "event" else None
    offer = script.offer or ctx.product.offer or ""
    return FlyerCopy(
        headline=script.headline,
        subhead=script.subhead,
        body=tuple(script.body),
        cta=script.cta,
        eyebrow=_eyebrow(ctx, family, details, offer),
        details=_details(details),
        offer=offer if family == "offer" else "",
        price=ctx.product.price or "" if family == "offer" else "",
        brand_name=ctx.brand.name,
        qr_caption=_CAPTIONS[family],
        display_url=display_url(landing_url(ctx, script)),
    )


def landing_url(ctx: JobContext, script: FlyerScript) -> str | None:
    return ctx.product.url or script.url

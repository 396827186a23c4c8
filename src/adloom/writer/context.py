"""Campaign words -> a :class:`CopyContext`: the phrases the playbooks are filled with.

The extractor reads the strategy pillars and the product the way a copywriter would: who the
audience is, what they struggle with (as a verb phrase or a state, so it can become "You ..." or
"Still ...?"), what they want, the single promise of the messaging and its listed benefits,
concrete facts from the description that can serve as proof, the offer, the goal (which picks
the CTA) and where the ad runs. Every phrase is cleaned (no markup, no template syntax), trimmed
of trailing punctuation and converted from "they/their" to "you/your" where it is spoken to the
reader.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from adloom.writer.base import KindCopy, WriterRequest
from adloom.writer.critic_grammar import expected_article
from adloom.writer.text import (
    STOPWORDS,
    cap,
    clean,
    content_words,
    first_clause,
    lower_first,
    sentences,
    short_phrase,
    strip_dangling,
    strip_end,
    words,
)

_WANT = r"(?:want|wants|need|needs|wish|wishes|hope|hopes|crave|crave|would love|long for|dream of)"
_STATE_START = re.compile(
    r"^(?:\w+ing\b|tired|stuck|unsure|overwhelmed|frustrated|fed up|busy|worried|struggling|"
    r"desperate|confused|burned out|burnt out|short on|sick of|bored)",
    re.IGNORECASE,
)
_MODAL_CUT = re.compile(
    r"\s*(?:,\s*)?\b(?:and|but)\s+(?=(?:would|will|could|can|should|are|need|don't|do|also|"
    r"they|then)\b)|\s+but\s+",
    re.IGNORECASE,
)
_PRONOUNS = (
    (r"\bthemselves\b", "yourself"),
    (r"\bthey're\b", "you're"),
    (r"\bthey are\b", "you are"),
    (r"\btheir\b", "your"),
    (r"\btheirs\b", "yours"),
    (r"\bthem\b", "you"),
    (r"\bthey\b", "you"),
)
PLATFORMS = ("tiktok", "instagram", "linkedin", "youtube", "facebook", "pinterest", "display")
KNOWN_NAMES = frozenset(
    {
        "Instagram",
        "TikTok",
        "LinkedIn",
        "YouTube",
        "Facebook",
        "Pinterest",
        "Shopify",
        "Etsy",
        "Amazon",
        "Google",
        "Apple",
        "iPhone",
        "Android",
        "Windows",
        "Mac",
        "Slack",
        "Notion",
    }
)

# Goal class -> CTAs, best first. Banner CTAs must fit 18 characters; all of these do.
# The specific goals come first: a donation, a walk-in visit, a test ride or tickets must not
# fall through to the generic "Shop now" (issue 18).
GOAL_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("donate", ("donat", "sponsorship", "gift aid")),
    ("visit", ("walk-in", "walk in", "footfall", "through the door", "foot traffic")),
    ("test_ride", ("test ride", "test-ride")),
    ("test_drive", ("test drive", "test-drive")),
    ("tickets", ("ticket",)),
    (
        "signup",
        (
            "sign-up",
            "sign up",
            "signup",
            "registration",
            "register",
            "webinar",
            "rsvp",
            "attend",
            "event",
            "seat",
            "waitlist",
            "newsletter",
        ),
    ),
    ("trial", ("trial", "subscription", "subscribe", "subscriber", "free bottle", "membership")),
    (
        "lead",
        (
            "lead",
            "demo",
            "quote",
            "consultation",
            "consult",
            "book a call",
            "enquir",
            "inquir",
        ),
    ),
    (
        "purchase",
        (
            "purchase",
            "sale",
            "sales",
            "buy",
            "order",
            "revenue",
            "checkout",
            "shop",
            "repeat",
            "basket",
            "cart",
        ),
    ),
    (
        "booking",
        ("booking", "booked", "reservation", "appointment", "book a table", "table booked"),
    ),
    ("install", ("install", "download", "app store", "play store")),
    ("learn", ("traffic", "awareness", "reach", "visit", "views", "engagement")),
)
CTAS: Mapping[str, tuple[str, ...]] = {
    "donate": ("Donate", "Give today", "Donate now"),
    "visit": ("Visit us", "Come and see us", "Find us"),
    "test_ride": ("Book a test ride", "Book my ride", "Book now"),
    "test_drive": ("Book a test drive", "Book my drive", "Book now"),
    "tickets": ("Get tickets", "Book tickets", "Get your tickets"),
    "signup": ("Save my seat", "Register free", "Reserve my spot"),
    "trial": ("Start my trial", "Try it free", "Start free trial"),
    "purchase": ("Shop now", "Get yours today", "Order now"),
    "lead": ("Book a demo", "Get my quote", "Book a call"),
    "install": ("Get the app", "Download free", "Install free"),
    "booking": ("Book now", "Book your visit", "Reserve now"),
    "learn": ("Learn more", "See how it works", "Discover more"),
}
# What the viewer does, said aloud ("Tap the button to ..."), per goal class.
ACTIONS: Mapping[str, str] = {
    "donate": "donate",
    "visit": "come and see us",
    "test_ride": "book your test ride",
    "test_drive": "book your test drive",
    "tickets": "get your tickets",
    "signup": "save your seat",
    "trial": "start your trial",
    "purchase": "get yours",
    "lead": "book your demo",
    "install": "get the app",
    "booking": "book your visit",
    "learn": "see how it works",
}
# Nouns that take no article ("small-batch cold brew coffee", "project-planning software").
MASS_NOUNS = frozenset(
    {
        "coffee",
        "tea",
        "software",
        "skincare",
        "food",
        "clothing",
        "furniture",
        "jewellery",
        "jewelry",
        "equipment",
        "advice",
        "coaching",
        "training",
        "insurance",
        "music",
        "art",
        "content",
        "data",
        "gear",
        "apparel",
        "wine",
        "beer",
        "chocolate",
        "bread",
        "water",
        "milk",
        "juice",
        "hardware",
        "haircare",
        "makeup",
        "packaging",
        "support",
        "care",
        "research",
        "fitness",
    }
)


@dataclass(frozen=True)
class CopyContext:
    """Every phrase a playbook template may use, already cleaned and case-normalised."""

    kind: str
    product: str
    brand: str
    who: str
    promise: str
    category: str
    goal: str
    ctas: tuple[str, ...]
    platform: str
    stage: str
    trigger: str
    style: str
    tone: str
    tagline: str = ""
    struggle: str = ""
    struggle_kind: str = ""  # "vp" (you start...) or "state" (you're drowning...)
    outcome: str = ""
    outcome_kind: str = ""  # "np" (a calm first hour) or "vp" (to find time)
    benefits: tuple[str, ...] = ()
    facts: tuple[str, ...] = ()
    offer: str = ""
    price: str = ""
    url: str = ""
    event: Mapping[str, str] = field(default_factory=dict)
    key_terms: tuple[str, ...] = ()
    qualities: tuple[str, ...] = ()  # "smooth", "low-acid" when the messaging lists benefits
    category_np: str = ""  # with its article: "a family-run bakery", "cold brew coffee"
    category_plural: str = ""  # "desk lamps", "project-planning software"
    description: str = ""
    inputs: Mapping[str, str] = field(default_factory=dict)
    copy: KindCopy | None = None  # the kind's copy declaration, from the request

    @property
    def short_product(self) -> str:
        """The name in 20 characters: the product, else the brand, never a cut name
        ("Orbit Academy Space" for "Orbit Academy Space Camp") unless neither fits."""
        from adloom.writer.text import fit_chars, fit_words

        for name in (self.product, self.brand):
            if name and len(name) <= 20:
                return name
        # fit_chars never cuts, so it may find nothing: then the leading words of the name.
        return (
            fit_chars(self.product, 20)
            or " ".join(fit_words(self.product, 20))
            or self.product[:20]
        )


def build_context(req: WriterRequest) -> CopyContext:
    """Extract the campaign's own words from a request (pure, deterministic)."""
    fields = _clean_fields(req)
    product = fields["product_name"] or fields["brand_name"] or "Our product"
    keep = frozenset({*KNOWN_NAMES, *words(product), *words(fields["brand_name"])})
    audience = parse_audience(fields["audience"], keep)
    promise, benefits = parse_messaging(
        fields["messaging"] or _first_sentence(fields["product_description"])
    )
    category, qualities, facts = parse_description(fields["product_description"], keep)
    default_goal = req.copy.default_goal if req.copy else "learn"
    goal = classify_goal(fields["goals"], default_goal, has_event=bool(req.event))
    return CopyContext(
        kind=req.kind,
        product=product,
        brand=fields["brand_name"] or product,
        who=audience.get("who") or "people like you",
        promise=promise or f"{product}, made for you",
        category=category,
        goal=goal,
        ctas=_ctas(goal, fields["offer"]),
        platform=detect_platform(
            " ".join([fields["audience"], fields["goals"], str(req.options.get("platform", ""))])
        ),
        stage=req.awareness_stage,
        trigger=req.persuasion_trigger,
        style=req.creative_style,
        tone=clean(req.options.get("tone") or req.brand_tone),
        tagline=strip_end(fields["tagline"]),
        struggle=audience.get("struggle", ""),
        struggle_kind=audience.get("struggle_kind", ""),
        outcome=audience.get("outcome", ""),
        outcome_kind=audience.get("outcome_kind", ""),
        benefits=tuple(benefits or qualities),
        qualities=tuple(qualities) if benefits else (),
        facts=tuple(facts),
        offer=strip_end(fields["offer"]),
        price=strip_end(fields["price"]),
        url=fields["product_url"].replace(" ", ""),
        event=_event(req.event),
        key_terms=key_terms(promise, product),
        category_np=with_article(category_head(category)),
        category_plural=plural(category_head(category)),
        description=fields["product_description"],
        inputs=fields,
        copy=req.copy,
    )


def _clean_fields(req: WriterRequest) -> dict[str, str]:
    names = (
        "product_name",
        "product_description",
        "product_url",
        "offer",
        "price",
        "brand_name",
        "brand_tone",
        "tagline",
        "audience",
        "messaging",
        "goals",
    )
    return {name: clean(getattr(req, name)) for name in names}


def _first_sentence(text: str) -> str:
    found = sentences(text)
    return found[0] if found else ""


def to_you(text: str) -> str:
    """Speak to the reader: they/their/them -> you/your/you."""
    for pattern, repl in _PRONOUNS:
        text = re.sub(pattern, repl, text, flags=re.IGNORECASE)
    return text


def parse_audience(audience: str, keep: frozenset[str]) -> dict[str, str]:
    """Who they are, their struggle (vp/state) and the outcome they want (np/vp)."""
    found: dict[str, str] = {}
    for index, sent in enumerate(sentences(audience)):
        body = strip_end(sent)
        if _parse_they(body, found):
            continue
        if index == 0 or "who" not in found:
            _parse_who(body, found, keep)
    return found


def _parse_they(body: str, found: dict[str, str]) -> bool:
    match = re.match(
        rf"^(?:they|most of them)\s+(?:all\s+)?{_WANT}\s+(to\s+)?(.+)", body, re.IGNORECASE
    )
    if match:
        _set_outcome(found, match.group(2), "vp" if match.group(1) else "np")
        return True
    if re.match(
        r"^they\s+(?:will|'ll|usually|often)?\s*(?:see|find|scroll|spend|hang|use|watch|browse)\b",
        body,
        re.IGNORECASE,
    ):
        return True  # where they see the ad: read by detect_platform
    match = re.match(r"^they(?:'re| are)\s+(.+)", body, re.IGNORECASE)
    if match and "struggle" not in found:
        _set_struggle(found, match.group(1), "state")
        return True
    match = re.match(r"^they\s+(\w+\s+.+)", body, re.IGNORECASE)
    if match and "struggle" not in found:
        _set_struggle(found, match.group(1), "vp")
        return True
    return False


def _parse_who(body: str, found: dict[str, str], keep: frozenset[str]) -> None:
    match = re.match(r"^(.+?)\s+who\s+(.+)$", body, re.IGNORECASE)
    rest, kind = "", ""
    if match:
        head, rest, kind = match.group(1), match.group(2), "vp"
    else:
        head, _, rest = body.partition(", ")
        kind = "state" if rest and _STATE_START.match(rest) else ""
    head = strip_dangling(head)
    if head and "who" not in found and len(head.split()) <= 12:
        found["who"] = lower_first(head, keep)
    if not rest or not kind:
        return
    want = re.match(rf"^{_WANT}\s+(to\s+)?(.+)", rest, re.IGNORECASE)
    if want:
        _set_outcome(found, want.group(2), "vp" if want.group(1) else "np")
    elif "struggle" not in found:
        _set_struggle(found, rest, kind)


def _set_struggle(found: dict[str, str], text: str, kind: str) -> None:
    phrase = strip_end(_MODAL_CUT.split(to_you(text))[0])
    if phrase and len(phrase.split()) >= 2:
        found["struggle"], found["struggle_kind"] = phrase, kind


def _set_outcome(found: dict[str, str], text: str, kind: str) -> None:
    phrase = strip_end(_MODAL_CUT.split(to_you(text))[0])
    if phrase and "outcome" not in found:
        found["outcome"], found["outcome_kind"] = phrase, kind


def parse_messaging(messaging: str) -> tuple[str, list[str]]:
    """The core promise (first sentence, before a colon) and any benefits listed after it."""
    first = _first_sentence(messaging)
    if not first:
        return "", []
    head, sep, tail = first.partition(": ")
    promise = strip_end(head if sep else first)
    benefits = _list_items(tail) if sep else []
    return promise, benefits


def _list_items(text: str) -> list[str]:
    items = re.split(r",\s*(?:and\s+)?|\s+and\s+|;\s*", strip_end(text))
    cleaned = [strip_end(i) for i in items if i.strip()]
    return [i for i in cleaned if 1 <= len(i.split()) <= 5]


_CONNECTOR = re.compile(
    r"^(?:with|without|that|which|for|from|in|so|\w+ed|\w+ing)\b", re.IGNORECASE
)


def parse_description(description: str, keep: frozenset[str]) -> tuple[str, list[str], list[str]]:
    """(category, short qualities, facts) from a product description."""
    category = ""
    qualities: list[str] = []
    facts: list[str] = []
    for sent in sentences(description):
        for segment in re.split(r"\s*[;:]\s+", strip_end(sent)):
            for clause in _clauses(segment):
                items = _list_items(clause) if "," in clause else []
                if items and all(len(i.split()) <= 3 for i in items) and len(items) >= 2:
                    qualities.extend(lower_first(i, keep) for i in items)
                elif not category:
                    category = lower_first(strip_dangling(first_clause(clause)), keep)
                else:
                    facts.append(_fact(clause))
    return category, qualities[:5], [f for f in facts if len(f.split()) >= 3][:5]


def _clauses(segment: str) -> list[str]:
    """Split on commas only where a new clause starts ("..., steeped for 18 hours")."""
    out: list[str] = []
    for piece in segment.split(", "):
        if out and not _CONNECTOR.match(piece):
            out[-1] = f"{out[-1]}, {piece}"
        else:
            out.append(piece)
    return [strip_end(p) for p in out if strip_end(p)]


def _fact(clause: str) -> str:
    clause = re.sub(r"^(?:with|and|plus)\s+", "", strip_end(clause), flags=re.IGNORECASE)
    return cap(clause)


def category_head(category: str) -> str:
    """'project-planning software for seed-stage startups' -> 'project-planning software'."""
    head = re.split(r"\s+(?:for|with|from|by|that|in|at|near|on)\s+", category, maxsplit=1)[0]
    # "A dental practice" -> "dental practice": callers add their own article or plural.
    return strip_dangling(re.sub(r"^(?:a|an|the)\s+", "", head, flags=re.IGNORECASE))


def _countable(phrase: str) -> bool:
    """English singular countable noun phrase (other scripts are left alone)."""
    last = phrase.split()[-1].lower() if phrase.split() else ""
    if not phrase[:1].isascii() or not last.isascii():
        return False
    return (
        bool(last)
        and last not in MASS_NOUNS
        and not (last.endswith("s") and not last.endswith("ss"))
    )


def with_article(phrase: str) -> str:
    """Add 'a'/'an' to a singular countable noun phrase; mass nouns and plurals stay bare."""
    if (
        not phrase
        or re.match(r"^(?:a|an|the|our|your|this)\b", phrase, re.IGNORECASE)
        or not _countable(phrase)
    ):
        return phrase
    return f"{expected_article(phrase.split()[0])} {phrase}"


def plural(phrase: str) -> str:
    """'desk lamp' -> 'desk lamps', 'bakery' -> 'bakeries'; mass nouns and plurals unchanged."""
    if not phrase or not _countable(phrase):
        return phrase
    head, _, last = phrase.rpartition(" ")
    if re.search(r"[^aeiou]y$", last):
        last = last[:-1] + "ies"
    elif re.search(r"(s|x|z|ch|sh)$", last):
        last += "es"
    else:
        last += "s"
    return f"{head} {last}".strip()


def classify_goal(goals: str, default: str, *, has_event: bool) -> str:
    """Goal class (signup, trial, purchase, lead, install, learn) from the Goals pillar;
    ``default`` (the kind's) when the pillar names none and there is no event."""
    lowered = goals.lower()
    success = re.search(r"(?:success is|goal is|measured by|kpi is|we want)\s+(.+)", lowered)
    for text in ([success.group(1)] if success else []) + [lowered]:
        for goal, keys in GOAL_KEYWORDS:
            if any(k in text for k in keys):
                return goal
    return "signup" if has_event else default


def _ctas(goal: str, offer: str) -> tuple[str, ...]:
    base = CTAS[goal]
    gift = re.search(r"\bfirst\s+([a-z]+)\s+(?:is\s+)?free\b|\bfree\s+([a-z]+)\b", offer.lower())
    noun = (gift.group(1) or gift.group(2)) if gift else ""
    if goal == "trial" and noun and noun not in STOPWORDS and len(f"Get my free {noun}") <= 18:
        return (base[0], f"Get my free {noun}", f"Claim your free {noun}", *base[1:])
    return base


def detect_platform(text: str) -> str:
    lowered = text.lower()
    hits = [(lowered.find(p), p) for p in PLATFORMS if p in lowered]
    return min(hits)[1] if hits else "social"


def key_terms(promise: str, product: str, limit: int = 3) -> tuple[str, ...]:
    """The promise's most specific words: its head phrase first, then numbers and compounds."""
    skip = set(content_words(product)) | {"you", "your", "that", "exact", "every", "really"}
    head = [w for w in content_words(first_clause(promise)) if w not in skip]
    rest = [
        w
        for w in content_words(promise)
        if w not in skip and ("-" in w or any(c.isdigit() for c in w))
    ]
    ordered = list(
        dict.fromkeys(head + rest + [w for w in content_words(promise) if w not in skip])
    )
    return tuple(ordered[:limit])


def _event(event: Mapping[str, str | None] | None) -> dict[str, str]:
    if not event:
        return {}
    out = {
        k: clean(v)
        for k, v in event.items()
        if k in {"title", "date", "time", "venue"} and clean(v)
    }
    if "date" in out:
        out["date_text"] = format_date(out["date"])
    return out


def format_date(value: str) -> str:
    """'2027-01-21' -> 'Thursday 21 January'; anything else is kept as written."""
    try:
        day = dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return value
    return f"{day:%A} {day.day} {day:%B}"


def short(text: str, max_words: int = 6) -> str:
    return short_phrase(text, max_words)

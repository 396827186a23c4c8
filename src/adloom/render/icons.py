"""Line icons from a bundled open-licence set, chosen by meaning and drawn with skia.

The icons are Lucide's (ISC licence, portions MIT from Feather), as shipped inside the
``lucide`` wheel (MIT): 24-unit SVGs drawn with a 2-unit round stroke in ``currentColor``.
skia's SVG renderer draws them at any size in any colour; nothing is downloaded.

:func:`choose_icon` picks one by the words of a scene (its line, its visual direction, the
campaign's industry) from a small keyword table: clock for time, shield for safety, leaf for
natural, paw for pets... It returns None when nothing matches: an ad never gets a random icon.
"""

from __future__ import annotations

import re
import zipfile
from functools import lru_cache
from importlib.resources import files

import skia

ICON_SET = "Lucide (ISC licence; the lucide wheel, MIT)"

# (keywords, icon): the first row with a keyword among the words wins. Keywords are word
# stems: "deliver" matches "delivered" and "delivery".
KEYWORDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("dentist", "dental", "teeth", "tooth", "smile", "orthodont"), "smile"),
    (("pet", "pets", "dog", "dogs", "cat", "cats", "kitten", "puppy", "paw", "rescue",
      "adopt", "animal", "shelter", "vet"), "paw-print"),
    (("deliver", "shipping", "shipped", "doorstep", "courier", "truck"), "truck"),
    (("charg", "battery", "electric", "ev", "kwh", "volt"), "battery-charging"),
    (("energy", "power", "instant", "boost", "bolt", "spark"), "zap"),
    (("minute", "min", "hour", "hours", "time", "fast", "quick", "faster", "wait", "late",
      "morning", "clock", "rush", "deadline", "seconds"), "clock"),
    (("safe", "safety", "secure", "security", "protect", "guarantee", "insured", "trust",
      "compliant", "compliance", "certified", "licensed"), "shield-check"),
    (("organic", "natural", "eco", "green", "plant", "sustainab", "recycl", "linen",
      "cotton", "compost"), "leaf"),
    (("book", "booking", "appointment", "schedule", "calendar", "week", "weekend",
      "month", "monday", "friday", "saturday", "sunday", "webinar", "event"), "calendar-check"),
    (("near", "local", "nearby", "visit", "location", "address", "neighbourhood",
      "neighborhood", "city", "town", "island", "village"), "map-pin"),
    (("coffee", "espresso", "brew", "latte", "café", "cafe", "barista"), "coffee"),
    (("beer", "brewery", "ale", "lager", "ipa", "taproom"), "beer"),
    (("wine", "vineyard", "winery"), "wine"),
    (("bread", "bakery", "baker", "sourdough", "loaf", "wheat", "flour"), "wheat"),
    (("pastry", "croissant", "patisserie"), "croissant"),
    (("meal", "meals", "lunch", "dinner", "food", "restaurant", "kitchen", "recipe",
      "cook", "chef", "pasta", "trattoria", "menu", "dish"), "utensils"),
    (("gym", "workout", "fitness", "strength", "training", "muscle"), "dumbbell"),
    (("physio", "pain", "recovery", "injury", "rehab", "mobility", "joint"),
     "activity"),
    (("yoga", "meditat", "breath", "sleep", "night", "relax"), "moon"),
    (("bike", "cycling", "cyclist", "ride", "rides", "pedal"), "bike"),
    (("motorcycle", "motorbike", "scooter"), "motorbike"),
    (("car", "cars", "drive", "driving", "road", "km"), "car-front"),
    (("home", "homes", "house", "apartment", "mortgage", "property", "estate"),
     "house"),
    (("baby", "child", "children", "kid", "kids", "nursery", "toddler", "parent"), "baby"),
    (("learn", "course", "school", "student", "class", "lesson", "teach"), "graduation-cap"),
    (("launch", "space", "rocket", "astronaut", "orbit", "startup"), "rocket"),
    (("concert", "music", "gig", "band", "song", "festival", "jazz"), "music"),
    (("ticket", "tickets", "admission"), "ticket"),
    (("save", "saving", "savings", "budget", "cheaper", "afford", "money", "payroll",
      "invoice", "tax"), "piggy-bank"),
    (("discount", "sale", "deal", "percent"), "percent"),
    (("gift", "gifts", "bonus"), "gift"),
    (("rated", "stars", "star", "review", "reviews", "award"), "star"),
    (("skin", "serum", "glow", "beauty", "radiant", "spa"), "sparkles"),
    (("candle", "candles", "cosy", "cozy", "warmth", "fire", "hearth"), "flame"),
    (("dress", "fashion", "wear", "wardrobe", "shirt", "socks", "clothes"), "shirt"),
    (("walk", "walking", "hike", "hiking", "trail", "mountain", "summit"), "mountain"),
    (("water", "drink", "donat", "charity"), "droplet"),
    (("growth", "grow", "data", "analytics", "revenue", "report", "dashboard"), "chart-line"),
    (("team", "staff", "people", "community", "members", "shift", "shifts"), "users"),
    (("care", "caring", "love", "loved", "health", "heart"), "heart"),
    (("travel", "flight", "trip", "holiday", "vacation"), "plane"),
    (("tidy", "declutter", "organis", "organiz", "sorted"),
     "circle-check"),
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def choose_icon(*texts: str) -> str | None:
    """The icon of the first word with a keyword, in the texts' order (the scene's own line
    before its direction, before the industry); None when no keyword matches."""
    for text in texts:
        for word in _WORD.findall(text):
            icon = _icon_for_word(word.lower())
            if icon is not None:
                return icon
    return None


@lru_cache(maxsize=4096)
def _icon_for_word(word: str) -> str | None:
    for keys, icon in KEYWORDS:
        for key in keys:
            # short keys (ev, min, ale) must be the whole word; longer ones may be stems
            if word == key or (len(key) >= 4 and word.startswith(key)):
                return icon
    return None


@lru_cache(maxsize=1)
def _archive() -> zipfile.ZipFile:
    return zipfile.ZipFile(files("lucide").joinpath("lucide.zip").open("rb"))


def icon_names() -> frozenset[str]:
    return frozenset(n.removesuffix(".svg") for n in _archive().namelist() if n.endswith(".svg"))


def icon_svg(name: str) -> bytes:
    """The icon's SVG source; KeyError for a name the set does not have."""
    return _archive().read(f"{name}.svg")


def known_icon(name: str | None) -> str | None:
    return name if name and name in icon_names() else None


def _recolour(svg: bytes, color: str, stroke: float) -> bytes:
    text = svg.decode()
    text = text.replace("currentColor", color)
    text = re.sub(r'stroke-width="[0-9.]+"', f'stroke-width="{stroke:g}"', text, count=1)
    return text.encode()


@lru_cache(maxsize=64)
def render_icon(name: str, size: int, color: str, stroke: float = 1.75) -> skia.Image:
    """The icon ``size`` px square, stroked in ``color`` (stroke in the set's 24-unit grid)."""
    dom = skia.SVGDOM.MakeFromStream(skia.MemoryStream(_recolour(icon_svg(name), color, stroke)))
    surface = skia.Surface(max(1, size), max(1, size))
    canvas = surface.getCanvas()
    canvas.clear(skia.ColorTRANSPARENT)
    canvas.scale(size / 24, size / 24)
    dom.setContainerSize(skia.Size(24, 24))
    dom.render(canvas)
    return surface.makeImageSnapshot()


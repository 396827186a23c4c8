"""Brief files: a campaign as YAML or TOML, reviewable in git (``adloom campaign create --from``).

Only ``name``, ``product.name`` and ``product.description`` are required. Paths inside a brief
are relative to the brief file and must stay inside its project folder: the brief's own folder
or its parent (so the common ``briefs/`` + ``images/`` layout works), unless the caller names
another root. Every problem is reported at once, with its location, and nothing is written.
"""

from __future__ import annotations

import datetime as dt
import difflib
import tomllib
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import yaml
from PIL import Image, UnidentifiedImageError
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic import ValidationError as PydanticValidationError

from adloom.assets import registry
from adloom.clip_uploads import DEFAULT_CLIP_LIMITS, MAX_CLIPS, ClipLimits, check_clip_file
from adloom.errors import InvalidBrief, clip
from adloom.textcheck import NulFree
from adloom.writer.schemas import AwarenessStage, CreativeStyle, PersuasionTrigger


class BusinessType(StrEnum):
    ecommerce_brand = "ecommerce_brand"
    saas = "saas"
    mobile_app = "mobile_app"
    local_business = "local_business"
    restaurant = "restaurant"
    agency = "agency"
    creator = "creator"
    b2b_services = "b2b_services"
    nonprofit = "nonprofit"
    event = "event"
    other = "other"


class Industry(StrEnum):
    tech_saas = "tech_saas"
    food_beverage = "food_beverage"
    fashion_apparel = "fashion_apparel"
    beauty_cosmetics = "beauty_cosmetics"
    health_wellness = "health_wellness"
    fitness = "fitness"
    finance = "finance"
    education = "education"
    real_estate = "real_estate"
    travel_hospitality = "travel_hospitality"
    home_garden = "home_garden"
    automotive = "automotive"
    entertainment = "entertainment"
    professional_services = "professional_services"
    retail = "retail"
    other = "other"


# The words people write for an industry or a kind of business, and the category each files
# under. A brief's own word is kept beside the category (``industry_words``) for the writer.
INDUSTRY_WORDS: dict[Industry, tuple[str, ...]] = {
    Industry.tech_saas: ("software", "saas", "tech", "technology", "it", "app", "apps", "ai", "cloud", "startup",
                         "cybersecurity", "developer tools", "b2b software", "fintech app"),
    Industry.food_beverage: ("food", "drink", "drinks", "beverage", "coffee", "cafe", "café", "restaurant", "bakery",
                             "bar", "wine", "beer", "brewery", "catering", "grocery", "snacks", "tea", "pet food"),
    Industry.fashion_apparel: ("fashion", "clothing", "apparel", "shoes", "footwear", "jewellery", "jewelry",
                               "accessories", "streetwear", "textiles"),
    Industry.beauty_cosmetics: ("beauty", "cosmetics", "skincare", "skin care", "makeup", "hair", "salon",
                                "barber", "nails", "spa", "fragrance", "perfume"),
    Industry.health_wellness: ("health", "wellness", "medical", "clinic", "dental", "dentist", "healthcare",
                               "pharmacy", "therapy", "mental health", "veterinary", "vet", "optician",
                               "physiotherapy", "nutrition"),
    Industry.fitness: ("fitness", "gym", "sport", "sports", "yoga", "pilates", "running", "cycling", "outdoor",
                       "martial arts", "climbing"),
    Industry.finance: ("finance", "banking", "bank", "insurance", "accounting", "investing", "investment",
                       "fintech", "payments", "crypto", "tax", "loans"),
    Industry.education: ("education", "school", "courses", "course", "training", "tutoring", "e-learning",
                         "elearning", "university", "camp", "kids", "children", "childcare", "language school"),
    Industry.real_estate: ("real estate", "property", "housing", "homes", "rentals", "estate agent", "realtor",
                           "mortgage", "construction"),
    Industry.travel_hospitality: ("travel", "hospitality", "hotel", "hotels", "tourism", "airline", "holidays",
                                  "vacation", "hostel", "cruise", "tours"),
    Industry.home_garden: ("home", "garden", "furniture", "interior", "interiors", "diy", "decor", "cleaning",
                           "gardening", "kitchen", "appliances", "pets", "pet", "pet supplies"),
    Industry.automotive: ("automotive", "cars", "car", "motorcycle", "motorbike", "motorbikes", "ev",
                          "electric vehicles", "bikes", "e-bikes", "scooters", "mobility", "car dealer"),
    Industry.entertainment: ("entertainment", "music", "concert", "concerts", "festival", "gaming", "games",
                             "film", "cinema", "theatre", "theater", "events", "media", "podcast", "books", "art"),
    Industry.professional_services: ("professional services", "consulting", "legal", "law", "agency", "marketing",
                                     "recruitment", "hr", "design", "architecture", "services", "b2b services"),
    Industry.retail: ("retail", "shop", "store", "ecommerce", "e-commerce", "online shop", "toys", "gifts",
                      "electronics", "stationery", "florist", "flowers"),
}
BUSINESS_WORDS: dict[BusinessType, tuple[str, ...]] = {
    BusinessType.ecommerce_brand: ("ecommerce", "e-commerce", "online shop", "online store", "dtc", "d2c",
                                   "brand", "shop", "store", "retail", "subscription", "subscription box"),
    BusinessType.saas: ("saas", "software", "platform", "b2b saas", "tool", "web app"),
    BusinessType.mobile_app: ("app", "mobile app", "ios app", "android app", "game", "mobile game"),
    BusinessType.local_business: ("local", "local business", "service", "services", "clinic", "salon", "gym",
                                  "studio", "shop", "store", "practice", "dealer", "dealership", "garage",
                                  "cafe", "café", "bakery", "hotel", "camp"),
    BusinessType.restaurant: ("restaurant", "cafe", "café", "bar", "bistro", "pub", "takeaway", "food truck"),
    BusinessType.agency: ("agency", "studio", "consultancy", "freelancer"),
    BusinessType.creator: ("creator", "influencer", "artist", "musician", "author", "coach", "podcaster",
                           "band"),
    BusinessType.b2b_services: ("b2b", "b2b service", "b2b services", "consulting", "professional services",
                                "wholesale", "manufacturer", "supplier"),
    BusinessType.nonprofit: ("nonprofit", "non-profit", "charity", "ngo", "foundation", "association",
                             "community", "cause"),
    BusinessType.event: ("event", "events", "conference", "webinar", "concert", "festival", "workshop",
                         "meetup", "launch event", "exhibition"),
}


def nearest_category(value: str, words: dict[Any, tuple[str, ...]], other: Any) -> Any:
    """The category a person's own word belongs to: its value, a listed synonym, a close
    spelling of either, or the ``other`` escape when nothing is near."""
    key = " ".join(value.lower().replace("_", " ").replace("-", " ").split())
    for category, synonyms in words.items():
        if key in (category.value.replace("_", " "), *synonyms):
            return category
    for category, synonyms in words.items():  # "pet food brand" → the category of "pet food"
        if any(f" {word} " in f" {key} " for word in sorted(synonyms, key=len, reverse=True)):
            return category
    every = {word: category for category, synonyms in words.items() for word in synonyms}
    close = difflib.get_close_matches(key, list(every), n=1, cutoff=0.8)
    return every[close[0]] if close else other


HexColor = Annotated[str, Field(pattern=r"^#[0-9A-Fa-f]{6}$")]
Text = Annotated[str, Field(max_length=5000)]
IMAGE_FORMATS = {"PNG", "JPEG", "WEBP"}
MAX_IMAGE_BYTES = 25 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000


class _Strict(NulFree):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class BriefProduct(_Strict):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    description: Annotated[str, Field(min_length=1, max_length=5000)]
    url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    offer: Text | None = None
    price: Annotated[str, Field(max_length=100)] | None = None
    photos: list[str] = Field(default_factory=list, max_length=10)
    clips: list[str] = Field(default_factory=list, max_length=MAX_CLIPS)  # MP4, MOV or WebM files


class BriefColors(_Strict):
    primary: HexColor = "#1F3A5F"
    secondary: HexColor = "#F2E8DC"
    accent: HexColor = "#E07A2E"
    background: HexColor = "#FFFFFF"
    text: HexColor = "#1B1B1B"


class BriefFonts(_Strict):
    heading: Annotated[str, Field(min_length=1, max_length=100)] = "Inter"
    body: Annotated[str, Field(min_length=1, max_length=100)] = "Inter"


class BriefBrand(_Strict):
    name: Annotated[str, Field(max_length=200)] | None = None
    logo: str | None = None
    colors: BriefColors = Field(default_factory=BriefColors)
    fonts: BriefFonts = Field(default_factory=BriefFonts)
    tone: Text = ""
    tagline: Annotated[str, Field(max_length=200)] = ""
    # the brand's voice for jingles and videos: a Piper voice name (see docs/jingles.md#voices)
    voice: Annotated[str, Field(max_length=100, pattern=r"^([A-Za-z0-9][A-Za-z0-9_+-]{0,99})?$")] = ""


class BriefStrategy(_Strict):
    audience: Text = ""
    messaging: Text = ""
    goals: Text = ""


class BriefEvent(_Strict):
    title: Annotated[str, Field(max_length=200)] | None = None
    date: str | None = None
    time: Annotated[str, Field(max_length=60)] | None = None
    venue: Annotated[str, Field(max_length=200)] | None = None

    @field_validator("date", mode="before")
    @classmethod
    def _date_text(cls, value: Any) -> Any:
        return value.isoformat() if isinstance(value, dt.date) else value


class Brief(_Strict):
    name: Annotated[str, Field(min_length=1, max_length=300)]
    language: Annotated[str, Field(pattern=r"^[a-z]{2}(-[A-Z]{2})?$")] = "en"
    product: BriefProduct
    brand: BriefBrand = Field(default_factory=BriefBrand)
    strategy: BriefStrategy = Field(default_factory=BriefStrategy)
    event: BriefEvent | None = None
    awareness_stage: AwarenessStage = AwarenessStage.problem_aware
    persuasion_trigger: PersuasionTrigger = PersuasionTrigger.social_proof
    business_type: BusinessType = BusinessType.other
    industry: Industry = Industry.other
    creative_style: CreativeStyle = CreativeStyle.direct_response
    tone: Text = ""
    # asset kinds wanted (registered names); by default the first two the dashboard lists
    assets: list[str] = Field(default_factory=lambda: list(registry.kinds()[:2]))
    # A brief's own word for its industry or kind of business when it is not one of the lists
    # ("pets", "service"): kept for the writer; the field above holds the nearest category.
    industry_words: Annotated[str, Field(max_length=100)] = ""
    business_type_words: Annotated[str, Field(max_length=100)] = ""

    @field_validator("assets")
    @classmethod
    def _registered_kinds(cls, value: list[str]) -> list[str]:
        unknown = [kind for kind in value if kind not in registry.kinds()]
        if unknown:
            raise ValueError(f"Input should be one of {', '.join(map(repr, registry.kinds()))}, "
                             f"not {clip(unknown[0], 40)!r}")
        return value

    @model_validator(mode="before")
    @classmethod
    def _file_own_words(cls, data: Any) -> Any:
        """Map a word outside the industry / business lists to the nearest category."""
        if not isinstance(data, dict):
            return data
        data = dict(data)
        for field, enum, words in (("industry", Industry, INDUSTRY_WORDS),
                                   ("business_type", BusinessType, BUSINESS_WORDS)):
            value = data.get(field)
            if isinstance(value, str) and value.strip() and value not in enum.__members__:
                data[field] = nearest_category(value, words, enum.other).value
                data[f"{field}_words"] = value.strip()[:100]
        return data

    @property
    def warnings(self) -> list[str]:
        return category_warnings(self.industry.value, self.industry_words,
                                 self.business_type.value, self.business_type_words)


def category_warnings(industry: str, industry_words: str, business_type: str, business_words: str) -> list[str]:
    """Plain words for each own word that was filed under a category."""
    notes = []
    if industry_words:
        notes.append(f"industry '{industry_words}' is not one of Adloom's industries; it is filed under "
                     f"'{industry}' and your own word is kept for the writer.")
    if business_words:
        notes.append(f"business_type '{business_words}' is not one of Adloom's business types; it is filed under "
                     f"'{business_type}' and your own word is kept for the writer.")
    return notes


class ParsedBrief(BaseModel):
    """A validated brief with its file references resolved to absolute paths."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    brief: Brief
    photos: list[Path]
    logo: Path | None
    clips: list[Path] = Field(default_factory=list)


def _loc(parts: tuple[Any, ...]) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


class _BriefLoader(yaml.SafeLoader):  # type: ignore[misc]  # PyYAML ships no type stubs
    """A safe loader that refuses anchors and aliases and bounds nesting while composing.

    Aliases are how a few hundred bytes of YAML expand into billions of nodes (the "billion
    laughs" bomb); no brief needs them, so they are refused before any node is built.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _BriefRefused(f"line {event.start_mark.line + 1}: {ANCHORS_REFUSED}")
        self._depth += 1
        try:
            if self._depth > MAX_BRIEF_DEPTH:
                raise _BriefRefused(f"line {event.start_mark.line + 1}: {_too_deep()}")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _BriefRefused(Exception):
    """A brief whose shape (not its syntax) is refused: anchors, aliases, too deep."""


ANCHORS_REFUSED = "Briefs may not use YAML anchors or aliases (&name / *name); write the values out."
MAX_BRIEF_CHARS = 256 * 1024  # a full brief is a few KB; this leaves room for long descriptions
MAX_BRIEF_DEPTH = 12  # a brief nests three levels (brand.colors.primary); lists add one


def _too_deep() -> str:
    return f"nests more than {MAX_BRIEF_DEPTH} levels deep; a brief needs at most three"


def _depth(value: Any) -> int:
    """How deeply ``value`` nests, walked without recursion (TOML arrives already parsed)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        deepest = max(deepest, level)
        if level <= MAX_BRIEF_DEPTH:
            children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
            stack.extend((child, level + 1) for child in children)
    return deepest


def _parse_text(text: str, *, toml: bool) -> Any:
    if toml:
        data = tomllib.loads(text)
        if _depth(data) > MAX_BRIEF_DEPTH:
            raise _BriefRefused(_too_deep())
        return data
    return yaml.load(text, Loader=_BriefLoader)


def load_data(text: str, *, source: str) -> dict[str, Any]:
    """Parse YAML or TOML text into a mapping, or raise InvalidBrief.

    Size, nesting and YAML anchors are checked while parsing, before anything walks the data.
    """
    toml = source.endswith(".toml")
    if len(text) > MAX_BRIEF_CHARS:
        raise InvalidBrief([("(file)", f"is larger than {MAX_BRIEF_CHARS // 1024} KB; a brief is a few KB")])
    try:
        data = _parse_text(text, toml=toml)
    except _BriefRefused as exc:
        raise InvalidBrief([("(file)", str(exc))]) from None
    except (yaml.YAMLError, tomllib.TOMLDecodeError, RecursionError) as exc:
        raise InvalidBrief([("(file)", f"is not valid {'TOML' if toml else 'YAML'}: {clip(str(exc), 500)}")]) from None
    if not isinstance(data, dict):
        raise InvalidBrief([("(file)", "must be a mapping of fields (name:, product:, …)")])
    return data


def check_image(path: Path) -> str | None:
    """A problem with an image file, in plain words, or None when it is a usable photo."""
    if not path.is_file():
        return "file not found"
    if path.stat().st_size > MAX_IMAGE_BYTES:
        return f"is larger than {MAX_IMAGE_BYTES // (1024 * 1024)} MB"
    try:
        with Image.open(path) as image:
            if image.format not in IMAGE_FORMATS:
                return f"is a {image.format} file; use PNG, JPEG or WebP"
            if image.width * image.height > MAX_IMAGE_PIXELS:
                return f"is {image.width}×{image.height} pixels, too large to process safely"
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        return "is not a readable image (PNG, JPEG or WebP)"
    return None


def _resolve(ref: str, base: Path, root: Path) -> tuple[Path | None, str | None]:
    if "\x00" in ref:
        return None, "contains a NUL character, which no file name can hold"
    if Path(ref).is_absolute():
        return None, "must be a path relative to the brief file, not an absolute path"
    path = (base / ref).resolve()
    if path != root and root not in path.parents:
        return None, f"points outside the brief's folder ({root}); move the file inside it"
    return path, None


def validate_brief(data: dict[str, Any], *, source: str = "brief") -> Brief:
    """Validate brief data that names no files (an edit of a stored campaign), or raise InvalidBrief
    listing every problem with its location, as a brief file would."""
    try:
        return Brief.model_validate(data)
    except PydanticValidationError as exc:
        raise InvalidBrief([(_loc(err["loc"]), err["msg"]) for err in exc.errors()], source=source) from None


def parse_brief_data(data: dict[str, Any], *, base: Path, root: Path | None = None,
                     clip_limits: ClipLimits = DEFAULT_CLIP_LIMITS) -> ParsedBrief:
    """Validate brief data whose relative paths start at ``base``; video clips are probed
    with ffmpeg and held to ``clip_limits``."""
    base = base.resolve()
    root = (root or base.parent).resolve()
    problems: list[tuple[str, str]] = []
    try:
        brief = Brief.model_validate(data)
    except PydanticValidationError as exc:
        problems += [(_loc(err["loc"]), err["msg"]) for err in exc.errors()]
        brief = None
    photos: list[Path] = []
    raw_photos = ((data.get("product") or {}) if isinstance(data.get("product"), dict) else {}).get("photos") or []
    refs = [(f"product.photos[{i}]", ref) for i, ref in enumerate(raw_photos) if isinstance(ref, str)]
    brand_value = data.get("brand")
    raw_brand: dict[str, Any] = brand_value if isinstance(brand_value, dict) else {}
    if isinstance(raw_brand.get("logo"), str):
        refs.append(("brand.logo", raw_brand["logo"]))
    logo: Path | None = None
    for loc, ref in refs:
        path, problem = _resolve(ref, base, root)
        problem = problem or check_image(path)  # type: ignore[arg-type]
        if problem:
            problems.append((loc, f"'{ref}' {problem}"))
        elif loc == "brand.logo":
            logo = path
        else:
            photos.append(path)  # type: ignore[arg-type]
    clips = _clips(data, base, root, clip_limits, problems)
    if problems or brief is None:
        raise InvalidBrief(problems)
    return ParsedBrief(brief=brief, photos=photos, logo=logo, clips=clips)


def _clips(data: dict[str, Any], base: Path, root: Path, limits: ClipLimits,
           problems: list[tuple[str, str]]) -> list[Path]:
    """The brief's video clips as paths; each problem is added to ``problems``."""
    product = data.get("product") if isinstance(data.get("product"), dict) else {}
    refs = [ref for ref in (product or {}).get("clips") or [] if isinstance(ref, str)]
    clips: list[Path] = []
    for i, ref in enumerate(refs):
        path, problem = _resolve(ref, base, root)
        problem = problem or (check_clip_file(path, limits) if path else "could not be found")
        if problem or path is None:
            problems.append((f"product.clips[{i}]", f"'{ref}' {problem}"))
        else:
            clips.append(path)
    return clips


def parse_brief_file(path: Path, *, root: Path | None = None, clip_limits: ClipLimits = DEFAULT_CLIP_LIMITS) -> ParsedBrief:
    """Read and validate a brief file (YAML or TOML)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidBrief([("(file)", f"cannot be read: {exc}")], source=f"brief {path}") from None
    data = load_data(text, source=path.name)
    return parse_brief_data(data, base=path.parent, root=root, clip_limits=clip_limits)

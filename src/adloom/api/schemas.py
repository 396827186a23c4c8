"""Request and response bodies of the REST API (pydantic)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from adloom.assets import registry
from adloom.campaigns.brief import BriefColors, BusinessType, Industry
from adloom.textcheck import NulFree
from adloom.writer.schemas import AwarenessStage, CreativeStyle, PersuasionTrigger


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


Timestamp = Annotated[datetime, AfterValidator(_utc)]  # SQLite hands back naive UTC datetimes
if TYPE_CHECKING:
    Kind = str
else:  # the registered kinds, so the OpenAPI schema lists them and others are a 422
    Kind = Literal[registry.kinds()]
Gate = Literal["ideas_ready", "script_ready", "scenes_ready"]


class _In(NulFree):
    model_config = ConfigDict(extra="forbid")


# ------------------------------------------------------------------ campaigns


class StrategyOut(BaseModel):
    version: int
    audience: str
    messaging: str
    goals: str


class StrategyUpdate(_In):
    audience: str | None = Field(default=None, max_length=5000)
    messaging: str | None = Field(default=None, max_length=5000)
    goals: str | None = Field(default=None, max_length=5000)


class CampaignOut(BaseModel):
    id: str
    name: str
    language: str
    brand_kit_id: str | None
    product: dict[str, Any]
    event: dict[str, Any] | None
    awareness_stage: str
    persuasion_trigger: str
    business_type: str
    industry: str
    creative_style: str
    tone: str
    assets_wanted: list[str]
    strategy: StrategyOut
    archived: bool
    created_at: Timestamp
    warnings: list[str] = Field(default_factory=list, description="How the brief was read: e.g. an industry "
                                "outside the list filed under the nearest category (the own word is kept in product).")


class ProductUpdate(_In):
    """Product facts to change; an empty string clears url, offer or price."""

    name: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, min_length=1, max_length=5000)
    url: str | None = Field(default=None, max_length=2000, description="https://…, or \"\" to clear it.")
    offer: str | None = Field(default=None, max_length=5000)
    price: str | None = Field(default=None, max_length=100)
    photos: list[str] | None = Field(default=None, max_length=10, description="The stored photo keys (as listed in "
                                     "`product.photos`) in their new order; a key left out is removed.")


class CampaignUpdate(_In):
    name: str | None = Field(default=None, min_length=1, max_length=300)
    language: str | None = Field(default=None, pattern=r"^[a-z]{2}(-[A-Z]{2})?$")
    tone: str | None = Field(default=None, max_length=5000)
    awareness_stage: AwarenessStage | None = None
    persuasion_trigger: PersuasionTrigger | None = None
    creative_style: CreativeStyle | None = None
    business_type: BusinessType | None = None
    industry: Industry | None = None
    brand_kit_id: str | None = Field(default=None, max_length=32)
    product: ProductUpdate | None = None


# ------------------------------------------------------------------ projects and assets


class ProjectCreate(_In):
    campaign_id: str = Field(max_length=32)
    kind: Kind
    options: dict[str, Any] = Field(default_factory=dict, description="Kind-specific options (sizes, formats, length…).")
    autopilot: bool = Field(default=False, description="Run straight through every review gate.")
    until: Gate | None = Field(default=None, description="Pass the gates before this one and stop here "
                               "(ignored with autopilot, which passes every gate).")


class AdvanceRequest(_In):
    autopilot: bool = Field(default=False, description="Pass every remaining gate.")
    until: Gate | None = Field(default=None, description="Pass the gates before this one and stop here.")


class RegenerateRequest(_In):
    stage: Literal["ideas", "script", "scenes"]


class SceneRegenerateRequest(_In):
    seed: int | None = Field(default=None, ge=0, le=2**31 - 1)


class ProjectUpdate(_In):
    """Rename a project, or archive (true) or restore (false) it; omitted fields stay as they are."""

    title: str | None = Field(default=None, min_length=1, max_length=200)
    archived: bool | None = None


class AssetOut(BaseModel):
    id: str
    project_id: str
    role: str
    label: str
    name: str
    media_type: str
    width: int | None
    height: int | None
    duration: float | None
    bytes: int
    checksum: str
    meta: dict[str, Any]
    download_url: str


class StepOut(BaseModel):
    id: str
    name: str
    status: str
    attempt: int
    provider: str | None
    model: str | None
    seed: int
    price: int
    credits: int
    started_at: Timestamp | None
    finished_at: Timestamp | None
    error: dict[str, Any] | None
    warnings: list[Any]


class ProjectOut(BaseModel):
    id: str
    campaign_id: str
    kind: str
    title: str
    status: str
    detail: str
    progress: float
    error: dict[str, Any] | None
    options: dict[str, Any]
    autopilot: bool
    strategy_version: int | None
    credits_spent: int
    archived: bool = Field(default=False, description="Hidden from the hub and lists; files kept.")
    created_at: Timestamp
    updated_at: Timestamp | None
    outputs: dict[str, Any] = Field(description="Latest ideas, script and scenes (what the review gates show).")
    assets: list[AssetOut]
    steps: list[StepOut]


class QuoteLineOut(BaseModel):
    stage: str
    action: str
    credits: int


class QuoteOut(BaseModel):
    total: int
    lines: list[QuoteLineOut]
    available: int


class QuoteRequest(_In):
    campaign_id: str = Field(max_length=32)
    kind: Kind
    options: dict[str, Any] = Field(default_factory=dict)


# ------------------------------------------------------------------ credits


class BalanceOut(BaseModel):
    available: int
    held: int


class LedgerEntryOut(BaseModel):
    id: str
    kind: str
    amount: int
    held_delta: int
    project_id: str | None
    step_id: str | None
    note: str
    created_at: Timestamp


# ------------------------------------------------------------------ brand kits


class BrandKitOut(BaseModel):
    id: str
    name: str
    colors: dict[str, Any]
    heading_font: str
    body_font: str
    tone: str
    tagline: str
    has_logo: bool
    created_at: Timestamp


class BrandKitCreate(_In):
    name: str = Field(min_length=1, max_length=200)
    colors: BriefColors = Field(default_factory=BriefColors)
    heading_font: str = Field(default="Inter", min_length=1, max_length=100)
    body_font: str = Field(default="Inter", min_length=1, max_length=100)
    tone: str = Field(default="", max_length=5000)
    tagline: str = Field(default="", max_length=200)


class BrandKitUpdate(_In):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    colors: BriefColors | None = None
    heading_font: str | None = Field(default=None, min_length=1, max_length=100)
    body_font: str | None = Field(default=None, min_length=1, max_length=100)
    tone: str | None = Field(default=None, max_length=5000)
    tagline: str | None = Field(default=None, max_length=200)


# ------------------------------------------------------------------ webhooks


class WebhookCreate(_In):
    url: str = Field(min_length=8, max_length=2000, description="An http(s) URL that receives POSTs.")
    events: list[str] = Field(default_factory=lambda: ["project.*"], max_length=50,
                              description="Event patterns: project.*, project.completed, project.failed…")
    description: str = Field(default="", max_length=300)


class WebhookUpdate(_In):
    url: str | None = Field(default=None, min_length=8, max_length=2000)
    events: list[str] | None = Field(default=None, max_length=50)
    description: str | None = Field(default=None, max_length=300)
    active: bool | None = None
    rotate_secret: bool = False


class WebhookOut(BaseModel):
    id: str
    url: str
    events: list[str]
    description: str
    active: bool
    secret: str = Field(description="whsec_… signing secret (Standard Webhooks): in full only in the answer that "
                                    "created or rotated it, masked (whsec_…last4) everywhere else.")
    secret_masked: bool = Field(default=True, description="True when `secret` is the masked form.")
    created_at: Timestamp


class AttemptOut(BaseModel):
    attempt: int
    status_code: int | None
    error: str | None = Field(description="Empty when the receiver answered; one generic text for any network failure.")
    response_excerpt: str = Field(default="", description="Always empty: a receiver's reply is never stored or shown "
                                                          "(kept for compatibility).")
    duration_ms: int
    created_at: Timestamp


class DeliveryOut(BaseModel):
    id: str
    subscription_id: str
    msg_id: str
    event: str
    project_id: str | None
    state: str
    attempts: int
    next_attempt_at: Timestamp | None
    last_status_code: int | None
    last_error: str | None
    created_at: Timestamp
    payload: dict[str, Any]
    attempt_log: list[AttemptOut]


class TestDeliveryOut(BaseModel):
    delivery_id: str


# ------------------------------------------------------------------ me


class MeOut(BaseModel):
    workspace_id: str
    workspace_name: str
    key_id: str
    scopes: list[str]
    rate_limit_per_minute: int

"""ORM rows -> API response models."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from adloom.brands.models import BrandKit
from adloom.campaigns import service as campaigns
from adloom.campaigns.models import Campaign
from adloom.credits.models import LedgerEntry
from adloom.projects import service as projects
from adloom.projects.models import Asset, Project, Step
from adloom.projects.views import AssetView, ProjectView, project_view
from adloom.webhooks import service as webhooks
from adloom.webhooks.models import WebhookDelivery, WebhookSubscription
from adloom.webhooks.signing import mask_secret

from . import schemas as s

API = "/api/v1"


def campaign_out(session: Session, campaign: Campaign) -> s.CampaignOut:
    strategy = campaigns.current_strategy(session, campaign)
    return s.CampaignOut(
        id=campaign.id, name=campaign.name, language=campaign.language, brand_kit_id=campaign.brand_kit_id,
        product=dict(campaign.product), event=campaign.event, awareness_stage=campaign.awareness_stage,
        persuasion_trigger=campaign.persuasion_trigger, business_type=campaign.business_type,
        industry=campaign.industry, creative_style=campaign.creative_style, tone=campaign.tone,
        assets_wanted=[str(a) for a in campaign.assets_wanted],
        strategy=strategy_out(strategy), archived=campaign.archived_at is not None, created_at=campaign.created_at,
        warnings=campaigns.campaign_warnings(campaign),
    )


def strategy_out(version: Any) -> s.StrategyOut:
    return s.StrategyOut(version=version.version, audience=version.audience, messaging=version.messaging,
                         goals=version.goals)


def asset_out(asset: Asset | AssetView) -> s.AssetOut:
    return s.AssetOut(
        id=asset.id, project_id=asset.project_id, role=asset.role, label=asset.label, name=asset.name,
        media_type=asset.media_type, width=asset.width, height=asset.height, duration=asset.duration,
        bytes=asset.bytes, checksum=asset.checksum, meta=dict(asset.meta or {}),
        download_url=f"{API}/assets/{asset.id}/download",
    )


def step_out(step: Step) -> s.StepOut:
    return s.StepOut(
        id=step.id, name=step.name, status=step.status, attempt=step.attempt, provider=step.provider,
        model=step.model, seed=step.seed, price=step.price, credits=step.credits, started_at=step.started_at,
        finished_at=step.finished_at, error=step.error, warnings=list(step.warnings or []),
    )


def project_out(session: Session, project: Project, view: ProjectView | None = None) -> s.ProjectOut:
    """A project as the API shows it; ``view`` (from the shared read model) when already read."""
    view = view or project_view(session, project)
    outputs: dict[str, Any] = {}
    for name in ("ideas", "script", "scenes"):
        step = projects.latest_output(session, project.id, name)
        if step is not None and step.output is not None:
            outputs[name] = step.output
    return s.ProjectOut(
        id=project.id, campaign_id=project.campaign_id, kind=project.kind, title=project.title,
        status=project.status, detail=project.detail, progress=round(project.progress, 3), error=project.error,
        options=dict(project.options), autopilot=project.autopilot,
        strategy_version=(project.snapshot.get("strategy") or {}).get("version"),
        credits_spent=view.credits, archived=project.archived_at is not None, created_at=project.created_at,
        updated_at=project.updated_at, outputs=outputs, assets=[asset_out(a) for a in view.assets],
        steps=[step_out(st) for st in projects.steps_of(session, project.id)],
    )


def ledger_out(entry: LedgerEntry) -> s.LedgerEntryOut:
    return s.LedgerEntryOut(id=entry.id, kind=entry.kind, amount=entry.amount, held_delta=entry.held_delta,
                            project_id=entry.project_id, step_id=entry.step_id, note=entry.note,
                            created_at=entry.created_at)


def brand_out(brand: BrandKit) -> s.BrandKitOut:
    return s.BrandKitOut(id=brand.id, name=brand.name, colors=dict(brand.colors or {}),
                         heading_font=brand.heading_font, body_font=brand.body_font, tone=brand.tone,
                         tagline=brand.tagline, has_logo=brand.logo_key is not None, created_at=brand.created_at)


def webhook_out(sub: WebhookSubscription, *, reveal_secret: bool = False) -> s.WebhookOut:
    """A subscription as the API shows it; the signing secret in full only when just made."""
    secret = sub.secret if reveal_secret else mask_secret(sub.secret)
    return s.WebhookOut(id=sub.id, url=sub.url, events=[str(e) for e in sub.events], description=sub.description,
                        active=sub.active, secret=secret, secret_masked=not reveal_secret,
                        created_at=sub.created_at)


def delivery_out(session: Session, delivery: WebhookDelivery) -> s.DeliveryOut:
    attempts = [
        s.AttemptOut(attempt=a.attempt, status_code=a.status_code, error=a.error, duration_ms=a.duration_ms,
                     created_at=a.created_at)
        for a in webhooks.attempts_of(session, delivery.id)
    ]
    return s.DeliveryOut(
        id=delivery.id, subscription_id=delivery.subscription_id, msg_id=delivery.msg_id, event=delivery.event,
        project_id=delivery.project_id, state=delivery.state, attempts=delivery.attempts,
        next_attempt_at=delivery.next_attempt_at, last_status_code=delivery.last_status_code,
        last_error=delivery.last_error, created_at=delivery.created_at, payload=dict(delivery.payload),
        attempt_log=attempts,
    )


def dump(model: Any) -> Any:
    if isinstance(model, list):
        return [m.model_dump(mode="json") for m in model]
    return model.model_dump(mode="json")

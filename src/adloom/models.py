"""Import every table so that Alembic and the tests see the whole schema."""

from adloom.accounts.access_models import Invitation, PasswordReset, UserSession  # noqa: F401  (dashboard tables)
from adloom.accounts.models import ApiKey, Membership, User, Workspace
from adloom.api.models import IdempotencyRecord  # noqa: F401
from adloom.brands.models import BrandKit
from adloom.campaigns.models import Campaign, StrategyVersion
from adloom.credits.models import CreditAccount, LedgerEntry, Price
from adloom.db import Base
from adloom.projects.models import Asset, Project, Step
from adloom.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookSubscription  # noqa: F401

__all__ = [
    "ApiKey", "Asset", "Base", "BrandKit", "Campaign", "CreditAccount", "LedgerEntry",
    "Membership", "Price", "Project", "Step", "StrategyVersion", "User", "Workspace",
]

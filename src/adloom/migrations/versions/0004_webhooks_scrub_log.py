"""webhooks: scrub receivers' replies and network error details from the delivery log

Receivers are tenant-chosen, so what they answered (an internal service's page) and how the
network failed (which port is closed) must not be kept; new attempts store neither. This
empties the reply excerpts written before and replaces every network error text with the one
generic message. Data only: no schema change, so nothing to undo.

Revision ID: 0004_webhooks
Revises: 0003_merge
Create Date: 2026-12-08 10:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0004_webhooks'
down_revision = '0003_merge'
branch_labels = None
depends_on = None

UNREACHABLE = "The receiver could not be reached."


def upgrade() -> None:
    op.execute(sa.text("UPDATE webhook_attempts SET response_excerpt = '' WHERE response_excerpt <> ''"))
    op.execute(sa.text("UPDATE webhook_attempts SET error = :generic WHERE error IS NOT NULL")
               .bindparams(generic=UNREACHABLE))
    op.execute(sa.text("UPDATE webhook_deliveries SET last_error = :generic "
                       "WHERE last_error IS NOT NULL AND last_error NOT LIKE 'HTTP %'")
               .bindparams(generic=UNREACHABLE))


def downgrade() -> None:
    pass  # the scrubbed text is gone for good, as intended

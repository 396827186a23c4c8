"""merge the api and web heads into one line of history

Revision ID: 0003_merge
Revises: 0002_api, 0002_web
Create Date: 2026-12-07 22:00:00
"""

revision = "0003_merge"
down_revision = ("0002_api", "0002_web")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass

"""brand kits: the brand's voice (a Piper voice name from the brief's brand.voice)

Revision ID: 0007_sound
Revises: 0006_project_archive
Create Date: 2026-12-07 23:05:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0007_sound'
down_revision = '0006_project_archive'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('brand_kits', schema=None) as batch_op:
        batch_op.add_column(sa.Column('voice', sa.String(length=100), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('brand_kits', schema=None) as batch_op:
        batch_op.drop_column('voice')

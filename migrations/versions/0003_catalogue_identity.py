"""catalogue identity: a random id per database, recorded by every search index

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04 20:10:00
"""

import datetime as dt
import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    table = op.create_table(
        "catalogue_identity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalogue_identity")),
    )
    op.bulk_insert(
        table, [{"id": 1, "uid": str(uuid.uuid4()), "created_at": dt.datetime.now(dt.UTC)}]
    )


def downgrade() -> None:
    op.drop_table("catalogue_identity")

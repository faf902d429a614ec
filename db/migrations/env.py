"""Alembic environment: runs against the engine handed over by `db.migrations`."""

from __future__ import annotations

from alembic import context

from db.migrations import migration_connection
from db.migrations.env_filters import include_object
from db.models import Base

engine = context.config.attributes["engine"]


with migration_connection(engine) as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        include_object=include_object,
        transaction_per_migration=True,
    )
    with context.begin_transaction():
        context.run_migrations()

"""Alembic environment: always driven programmatically by da8desktop.core.db.migrate with a live
connection (there is no alembic.ini: the app, the CLI and tests migrate the same way)."""

from alembic import context

from da8desktop.core.db.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things: rebuild tables in batch mode
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()

"""Alembic migration scripts (shipped with the app; run at start by core.db.migrate)."""

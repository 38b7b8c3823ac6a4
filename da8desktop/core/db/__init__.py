"""The database: engine, models, migrations at open, backups (docs/architecture.md)."""

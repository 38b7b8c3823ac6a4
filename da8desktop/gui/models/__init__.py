"""Qt item models over core queries (lazy, never touching SQLAlchemy)."""

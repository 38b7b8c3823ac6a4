"""Pages of the main window; each gets only what it needs."""

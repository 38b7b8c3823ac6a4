"""Report content (what a printed list or export says), independent of how it is drawn."""

"""Sync by USB bundle (sync.md): keys, the bundle container, export, import, enrolment, status."""

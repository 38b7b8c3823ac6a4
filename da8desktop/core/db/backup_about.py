"""The note beside a compressed backup (`<backup>.about`, backup_files.py): a typed structure,
in a module of its own so that opening a data file does not import pydantic (issue 23 item 6:
only making, listing or reading backups needs it)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class About(BaseModel):
    """The note beside a compressed backup. Local, but read as hostile as anything: typed and
    bounded, and ignored (the backup is read instead) when it is not what is expected."""
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    schema_version: str | None = Field(default=None, max_length=64, alias="schema")
    people: int = Field(ge=0, le=10**9)
    groups: int = Field(ge=0, le=10**9)
    activities: int = Field(ge=0, le=10**9)
    organisation: str | None = Field(default=None, max_length=500)
    source_bytes: int = Field(ge=0, le=1 << 50)

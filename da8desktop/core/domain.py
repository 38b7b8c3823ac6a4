"""Fixed vocabularies of the domain (domain.md §2). Catalogue *content* lives in resources/;
these are only the values the database schema itself checks."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    COMMUNE = "commune"
    PROVINCE = "province"
    CENTRAL = "central"  # the Central Women's Union: province aggregates only (issue 21, item 6)


class Sex(StrEnum):
    FEMALE = "F"
    MALE = "M"


class GroupStatus(StrEnum):
    ACTIVE = "active"
    REORGANISED = "reorganised"
    DISSOLVED = "dissolved"
    STOPPED = "stopped"  # e.g. savings groups stopped on the Central Women's Union's direction


class Phase(StrEnum):
    PHASE_1 = "2021-2025"
    PHASE_2 = "2026-2030"


class ActivityKind(StrEnum):
    GROUP_MEETING = "group_meeting"
    COMMUNICATION = "communication"
    POLICY_DIALOGUE = "policy_dialogue"
    TRAINING = "training"


class Participation(StrEnum):
    """A meeting records who came (attendance rows) or only how many (counts)."""

    ATTENDANCE = "attendance"
    COUNTS = "counts"


class SafeDeliveryType(StrEnum):
    NORMAL = "normal"
    CAESAREAN = "caesarean"
    OTHER = "other"


class AgeBand(StrEnum):
    UNDER_16 = "under_16"
    FROM_16_TO_17 = "16_17"
    FROM_18_TO_59 = "18_59"
    FROM_60 = "60_plus"


class AdminScheme(StrEnum):
    TWO_TIER_2025 = "2025"  # province / commune, from 1/7/2025
    THREE_TIER_PRE_2025 = "pre2025"  # province / district / commune


class AdminLevel(StrEnum):
    PROVINCE = "province"
    DISTRICT = "district"
    COMMUNE = "commune"


class SuccessionKind(StrEnum):
    MERGE = "merge"  # several old units into one new one
    SPLIT = "split"  # one old unit across several new ones: ask the officer, never guess
    RENAME = "rename"  # one to one


class AuditAction(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    RESTORE = "restore"
    MERGE = "merge"
    IMPORT = "import"
    EXPORT = "export"
    PRINT = "print"
    SETUP = "setup"
    MIGRATE = "migrate"


def sql_in(column: str, values: type[StrEnum]) -> str:
    """A CHECK constraint body: column IN ('a', 'b', ...)."""
    listed = ", ".join(f"'{v.value}'" for v in values)
    return f"{column} IN ({listed})"


# Domain rules that produce warnings, never errors (domain.md §2).
TEAM_MIN_MEMBERS = 7
TEAM_MAX_MEMBERS = 10
STEERING_BOARD_MAX = 3
CLUB_DEFAULT_MIN_AGE = 10
CLUB_DEFAULT_MAX_AGE = 16
ADULT_AGE = 16
MEETING_GAP_WARNING_DAYS = 90

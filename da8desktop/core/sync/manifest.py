"""The bundle manifest and the shape of a record line, declared once (docs/bundle-format.md):
export.py validates what it is about to sign through these models, the importer validates what
arrived through the same ones. Everything is strict (a JSON `true` is not a number, `1.0` is not
an integer, a number is not a date) and bounded; an unknown field is refused (`extra="forbid"`),
except inside the receipts of `summaries`, which are shown, never applied, and whose unknown
fields are dropped (`extra="ignore"`) so a newer writer's receipt does not refuse the bundle.

Whether the reader is recent enough is decided before this strict check (`check_versions`): a
bundle from a newer version gets "update the application", not "damaged"."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Annotated, Any, Literal, Protocol, TypeVar

from pydantic import (AfterValidator, BaseModel, ConfigDict, Field, NaiveDatetime,
                      StringConstraints, ValidationError, model_validator)

from da8desktop.core.db.migrate import BUNDLE_SCHEMA
from da8desktop.core.i18n import QT_TRANSLATE_NOOP
from da8desktop.core.sync import codec
from da8desktop.core.sync.conflicts import MAX_NOTES, ConflictNote
from da8desktop.core.sync.container import (ENTRY_NAME, FORMAT, FORMAT_VERSION, MAX_ENTRY,
                                            MAX_MEMBERS, BundleRejected, damaged)

MAX_SEQ = codec.MAX_SEQ  # change numbers, counters: exact in every JSON reader, and in SQLite
MAX_HLC = codec.MAX_INT - 1  # hybrid logical clock (ms << 16 | counter) fits SQLite INTEGER
MAX_SITES = 10_000  # computers ever known to one province
MAX_SUMMARIES = 50  # receipts travelling back (the writer sends 20)
MAX_REJECTED = 200  # rejected records listed in one receipt
MAX_RECORDS = 10_000_000  # records in one entry
MAX_LABEL = 200
EARLIEST = dt.datetime(2020, 1, 1)
LATEST = dt.datetime(2100, 1, 1)

Seq = Annotated[int, Field(ge=0, le=MAX_SEQ)]
PositiveSeq = Annotated[int, Field(ge=1, le=MAX_SEQ)]
Schema = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}$")]
SignPublic = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
BoxPublic = Annotated[str, StringConstraints(pattern=r"^age1[02-9ac-hj-np-z]{58}$")]
Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
Label = Annotated[str, StringConstraints(max_length=MAX_LABEL)]
ShortText = Annotated[str, StringConstraints(max_length=1000)]
Name = Annotated[str, StringConstraints(pattern=r"^[a-z_]{1,64}$")]


def _in_range(value: dt.datetime) -> dt.datetime:
    if not EARLIEST <= value < LATEST:
        raise ValueError(f"a date between {EARLIEST:%Y} and {LATEST:%Y}")
    return value


Moment = Annotated[NaiveDatetime, AfterValidator(_in_range)]  # UTC, written without a zone


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class _Receipt(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)


class Party(_Strict):
    sign_public: SignPublic
    role: Literal["commune", "province"]
    province: Annotated[str, StringConstraints(pattern=r"^[0-9]{2}$")]
    commune: Annotated[str, StringConstraints(pattern=r"^[0-9]{5}$")] | None
    label: Label

    @model_validator(mode="after")
    def _commune_matches_role(self) -> Party:
        if (self.role == "commune") != (self.commune is not None):
            raise ValueError("a commune names its commune, the province none")
        return self


class Source(Party):
    site: uuid.UUID


class RejectedRecord(_Receipt):
    action: Annotated[str, StringConstraints(max_length=20)]
    table: Annotated[str, StringConstraints(max_length=64)]
    id: uuid.UUID
    label: ShortText
    fields: dict[Name, Annotated[list[Any], Field(max_length=2)]] | None = \
        Field(default=None, max_length=200)
    reason: ShortText | None = None


class Summary(_Receipt):
    bundle_id: uuid.UUID
    seq: PositiveSeq
    imported_at: Moment
    counts: dict[Annotated[str, StringConstraints(max_length=20)], Seq] = Field(max_length=20)
    rejected: list[RejectedRecord] = Field(max_length=MAX_REJECTED)
    # Conflicts in which the receiving laptop's value lost (conflicts.py); older readers ignore.
    conflicts: list[ConflictNote] = Field(default_factory=list, max_length=MAX_NOTES)


class Enrolment(_Strict):
    code: Annotated[str, StringConstraints(pattern=r"^[0-9]{10}$")]
    box_public: BoxPublic


class EntryMeta(_Strict):
    path: Annotated[str, StringConstraints(pattern=ENTRY_NAME.pattern)]
    sha256: Sha256
    bytes: Annotated[int, Field(ge=0, le=MAX_ENTRY)]
    records: Annotated[int, Field(ge=0, le=MAX_RECORDS)]


class _Listed(Protocol):
    @property
    def path(self) -> str: ...


_E = TypeVar("_E", bound=_Listed)


def unique_paths(entries: list[_E]) -> list[_E]:
    """An entry list's check, for every manifest (a bundle's here, the national tier's)."""
    if len({e.path for e in entries}) != len(entries):
        raise ValueError("an entry is listed twice")
    return entries


Entries = Annotated[list[EntryMeta], Field(max_length=MAX_MEMBERS - 2),
                    AfterValidator(unique_paths)]


def _ordered(ranges: dict[uuid.UUID, tuple[int, int]]) -> dict[uuid.UUID, tuple[int, int]]:
    if any(lo > hi for lo, hi in ranges.values()):
        raise ValueError("a range ends before it starts")
    return ranges


class BundleHead(_Strict):
    """The first fields of every bundle's manifest, in this order: a commune's and a province's
    (Manifest, below) and the national tier's (central_file.CentralManifest)."""

    format: Literal["da8-bundle"]
    format_version: Literal[1]
    schema_: Schema = Field(alias="schema")  # `schema` is a BaseModel method
    min_reader_schema: Schema
    app_version: Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z.+\-]{1,40}$")]
    bundle_id: uuid.UUID


class Manifest(BundleHead):
    kind: Literal["delta", "snapshot"]
    created_at: Moment
    seq: PositiveSeq
    previous_bundle: uuid.UUID | None
    source: Source
    target: Party
    ranges: Annotated[dict[uuid.UUID, tuple[Seq, Seq]], Field(max_length=MAX_SITES),
                      AfterValidator(_ordered)]
    knowledge: Annotated[dict[uuid.UUID, Seq], Field(max_length=MAX_SITES)]
    summaries: list[Summary] = Field(max_length=MAX_SUMMARIES)
    enrolment: Enrolment | None = None
    entries: Entries

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON values in canonical form (UUIDs lower case, dates ISO) for the importer."""
        data = self.model_dump(mode="json", by_alias=True, exclude={"summaries"})
        data["summaries"] = [s.model_dump(mode="json", exclude_none=True) for s in self.summaries]
        data["created_at"] = self.created_at.isoformat()
        return data


class _Envelope(BaseModel):
    """What bundles and setup files share: the entry list (the rest is their own model's)."""

    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)
    entries: Entries


# -- a record line (codec.py checks each value against its column) ----------------------------
Stamp = tuple[uuid.UUID, Seq, Annotated[int, Field(ge=0, le=MAX_HLC)]]


class Line(_Strict):
    """{"id": uuid, "v": {field: value}, "s": {field: [site, seq, hlc]}, "c": {site: seq}}"""

    id: uuid.UUID
    v: dict[Name, Any]
    s: dict[Name, Stamp]
    c: Annotated[dict[uuid.UUID, Seq], Field(max_length=MAX_SITES)]


# -- reading -------------------------------------------------------------------------------------
def _first_error(exc: ValidationError) -> str:
    error = exc.errors(include_url=False, include_input=False)[0]
    where = ".".join(str(part) for part in error["loc"]) or "manifest"
    return f"manifest: {where}: {error['msg']}"[:300]


def check_format(raw: Any, file: str) -> None:
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise damaged(file, "not a da8desktop bundle")
    if type(raw.get("format_version")) is not int or raw["format_version"] != FORMAT_VERSION:
        raise BundleRejected("format", QT_TRANSLATE_NOOP(
            "Sync", "The file {file} uses a bundle format this version does not know. Update the "
            "application first; keep the file."), file=file)


def check_versions(raw: Any, file: str) -> None:
    """Format and reader version, read leniently first so that a newer file is told apart from
    a damaged one."""
    check_format(raw, file)
    minimum = raw.get("min_reader_schema")
    if isinstance(minimum, str) and len(minimum) == 4 and minimum.isascii() \
            and minimum.isdigit() and minimum > BUNDLE_SCHEMA:
        raise BundleRejected("schema_newer", QT_TRANSLATE_NOOP(
            "Sync", "The file {file} was made by a newer version of da8desktop. Update the "
            "application first, then import it again; keep the file."), file=file)


def read_manifest(raw: Any, manifest_bytes: bytes, file: str) -> Manifest:
    """The manifest of a bundle that arrived, or BundleRejected with a plain reason."""
    return read_bundle_manifest(Manifest, raw, manifest_bytes, file)


_H = TypeVar("_H", bound=BundleHead)


def read_bundle_manifest(model: type[_H], raw: Any, manifest_bytes: bytes, file: str,
                         describe: Callable[[ValidationError], str] = _first_error) -> _H:
    """A bundle's manifest of `model` (Manifest, or the national tier's CentralManifest):
    a newer or older writer told apart from a damaged file, then the strict check."""
    check_versions(raw, file)
    try:
        manifest = model.model_validate_json(manifest_bytes)
    except ValidationError as exc:
        raise damaged(file, describe(exc)) from None
    if manifest.schema_ < BUNDLE_SCHEMA:
        raise BundleRejected("schema_older", QT_TRANSLATE_NOOP(
            "Sync", "The file {file} was made by an older version of da8desktop. Update the "
            "application on the computer that made it, then export again."), file=file)
    return manifest


def check_written(manifest_bytes: bytes) -> None:
    """The writer's side: what we are about to sign must pass our own reader."""
    Manifest.model_validate_json(manifest_bytes)


def envelope_entries(raw: Any, file: str) -> dict[str, tuple[str, int]]:
    """path -> (sha256, bytes) of a manifest's entry list (bundles and setup files)."""
    check_format(raw, file)
    try:
        envelope = _Envelope.model_validate_json(codec.dumps(raw))
    except ValidationError as exc:
        raise damaged(file, _first_error(exc)) from None
    return {e.path: (e.sha256, e.bytes) for e in envelope.entries}


def listed(manifest: Manifest) -> dict[str, tuple[str, int]]:
    return {e.path: (e.sha256, e.bytes) for e in manifest.entries}

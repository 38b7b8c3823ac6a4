"""The national tier's files, declared once (docs/bundle-format.md, "The national tier"): the
setup file the centre writes for a province, and the two bundle kinds between a province and the
centre -- `aggregates` (province -> centre: figures and targets per commune, indicator and
period, nothing that names a person) and `catalogue` (centre -> province: catalogue versions).
Writers validate what they are about to sign through these models; readers validate what arrived
through the same ones, strictly and with every size bounded."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (AfterValidator, BaseModel, ConfigDict, Field, StringConstraints,
                      ValidationError, model_validator)

from da8desktop.core.i18n import QT_TRANSLATE_NOOP
from da8desktop.core.sync import codec
from da8desktop.core.sync.container import BundleRejected, damaged
from da8desktop.core.sync.manifest import (BoxPublic, BundleHead, Enrolment, Moment, PositiveSeq,
                                           Schema, Seq, Sha256, SignPublic, check_versions,
                                           read_bundle_manifest, unique_paths)
from da8desktop.core.sync.setup_file import (MAX_SETUP_MANIFEST, SetupFileKind, _first_error,
                                             read_signed)

KINDS = ("aggregates", "catalogue")
SETUP_KIND = "central_setup"
MAX_ENTRY_BYTES = 64 << 20  # 150 communes x 60 indicators x 12 periods is about 10 MB
MAX_LINES = 1_000_000
MAX_CATALOGUE_LINES = 20
MAX_VALUE = 1e12
ENTRIES = {"aggregates": ("central_figure.ndjson", "central_target.ndjson",
                          "central_indicator.ndjson"),
           "catalogue": ("catalogue.ndjson",)}

ProvinceCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{2}$")]
CommuneCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{5}$")]
IndicatorCode = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9][A-Z0-9._-]{0,39}$")]
PeriodText = Annotated[str, StringConstraints(pattern=r"^20[0-9]{2}(-20[0-9]{2})?$")]
Label = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Value = Annotated[float, Field(ge=0, le=MAX_VALUE, allow_inf_nan=False)]


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


# -- the setup file the centre writes for a province ---------------------------------------------
class CentralSetupSource(_Strict):
    site: uuid.UUID
    sign_public: SignPublic
    box_public: BoxPublic
    role: Literal["central"]
    label: Label


class CentralSetupProvince(_Strict):
    code: ProvinceCode
    name: Label


class CentralSetupEnrolment(_Strict):
    code: Annotated[str, StringConstraints(pattern=r"^[0-9]{10}$")]


class CentralSetupContent(_Strict):
    kind: Literal["central_setup"]
    schema_: Schema = Field(alias="schema")
    min_reader_schema: Schema
    bundle_id: uuid.UUID
    created_at: Moment
    source: CentralSetupSource
    province: CentralSetupProvince
    enrolment: CentralSetupEnrolment

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, populate_by_name=True)

    def as_manifest(self) -> dict[str, Any]:
        data = self.model_dump(mode="json", by_alias=True)
        data["created_at"] = self.created_at.isoformat()
        return data


class CentralSetupManifest(CentralSetupContent):
    format: Literal["da8-bundle"]
    format_version: Literal[1]
    entries: list[Any] = Field(max_length=0)  # keys and codes only: nothing else travels


@dataclass(frozen=True)
class ReadCentralSetup:
    file: str
    manifest: CentralSetupManifest
    central_fingerprint: str


def _not_central_setup(file: str, detail: str) -> BundleRejected:
    return BundleRejected("not_setup", QT_TRANSLATE_NOOP(
        "Central", "{file} is not a valid setup file from the centre ({detail}). Nothing was "
        "changed: ask the centre for a new setup file of this province."), file=file,
        detail=detail)


# Keys and codes only: the manifest and its signature, nothing else travels.
def _a_bundle_not_central_setup(file: str) -> BundleRejected:
    return BundleRejected("not_setup", QT_TRANSLATE_NOOP(
        "Central", "{file} is a sync bundle, not a setup file. Ask the centre for the setup "
        "file of this province."), file=file)


CENTRAL_SETUP: SetupFileKind[CentralSetupManifest] = SetupFileKind(
    kind=SETUP_KIND, not_kind="not a setup file of the centre", members=2,
    member_bytes=MAX_SETUP_MANIFEST, refused=_not_central_setup,
    a_bundle=_a_bundle_not_central_setup,
    too_large=lambda _member: "unexpected entries", versions=check_versions,
    validate=lambda raw, _plain: CentralSetupManifest.model_validate_json(raw))


def read_central_setup(path: Path) -> ReadCentralSetup:
    """The checked setup file; its key is trusted only once the officer typed the centre's
    fingerprint (central.connect_central). Writes nothing."""
    signed = read_signed(path, CENTRAL_SETUP)
    return ReadCentralSetup(signed.file, signed.manifest, signed.fingerprint)


# -- the bundles between a province and the centre -----------------------------------------------
class CentralParty(_Strict):
    sign_public: SignPublic
    role: Literal["province", "central"]
    province: ProvinceCode | None  # the province's code; none for the centre
    label: Label

    @model_validator(mode="after")
    def _province_matches_role(self) -> CentralParty:
        if (self.role == "province") != (self.province is not None):
            raise ValueError("a province names its code, the centre none")
        return self


class CentralSource(CentralParty):
    site: uuid.UUID


class Receipt(_Strict):
    """A bundle the other side imported; counts only (never a record's label)."""

    bundle_id: uuid.UUID
    seq: PositiveSeq
    imported_at: Moment
    counts: dict[Annotated[str, StringConstraints(pattern=r"^[a-z_]{1,20}$")], Seq] = \
        Field(max_length=20)


class CentralEnrolment(Enrolment):  # a province asks to be registered as a laptop does
    pass


class CentralEntry(_Strict):
    path: Literal["central_figure.ndjson", "central_target.ndjson", "central_indicator.ndjson",
                  "catalogue.ndjson"]
    sha256: Sha256
    bytes: Annotated[int, Field(ge=0, le=MAX_ENTRY_BYTES)]
    records: Annotated[int, Field(ge=0, le=MAX_LINES)]


class CentralManifest(BundleHead):
    kind: Literal["aggregates", "catalogue"]
    created_at: Moment
    seq: PositiveSeq
    previous_bundle: uuid.UUID | None
    source: CentralSource
    target: CentralParty
    summaries: list[Receipt] = Field(max_length=50)
    enrolment: CentralEnrolment | None = None
    entries: Annotated[list[CentralEntry], Field(max_length=3), AfterValidator(unique_paths)]

    @model_validator(mode="after")
    def _direction(self) -> CentralManifest:
        sender = "province" if self.kind == "aggregates" else "central"
        receiver = "central" if self.kind == "aggregates" else "province"
        if (self.source.role, self.target.role) != (sender, receiver):
            raise ValueError(f"a {self.kind} bundle goes from the {sender} to the {receiver}")
        if any(e.path not in ENTRIES[self.kind] for e in self.entries):
            raise ValueError(f"an entry a {self.kind} bundle does not hold")
        if self.enrolment is not None and self.kind != "aggregates":
            raise ValueError("only a province asks to be registered")
        return self


def read_central_manifest(raw: Any, manifest_bytes: bytes, file: str) -> CentralManifest:
    return read_bundle_manifest(CentralManifest, raw, manifest_bytes, file,
                                lambda exc: "manifest: " + _first_error(exc))


def check_written(manifest_bytes: bytes) -> None:
    CentralManifest.model_validate_json(manifest_bytes)


class FigureLine(_Strict):
    """One value the province computed (or a target it allocated): no name, no record."""

    commune: CommuneCode
    indicator: IndicatorCode
    period: PeriodText
    value: Value


class IndicatorLine(_Strict):
    code: IndicatorCode
    name: Annotated[str, StringConstraints(min_length=1, max_length=300)]
    unit: Annotated[str, StringConstraints(max_length=60)]
    phase: Annotated[str, StringConstraints(pattern=r"^(20[0-9]{2}-20[0-9]{2})?$")]


def parse_lines(model: type[BaseModel], data: bytes, expected: int, path: str,
                file: str) -> list[Any]:
    try:
        lines = codec.read_lines(data)
    except codec.BadData as exc:
        raise damaged(file, f"{path}: {exc}") from None
    if len(lines) != expected:
        raise damaged(file, f"{path} holds {len(lines)} records, the manifest says {expected}")
    parsed = []
    for number, line in enumerate(lines, start=1):
        try:
            parsed.append(model.model_validate(line))
        except ValidationError as exc:
            raise damaged(file, f"{path} line {number}: {_first_error(exc)}") from None
    return parsed


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)

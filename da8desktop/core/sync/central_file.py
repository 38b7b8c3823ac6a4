"""The national tier's files, declared once (docs/bundle-format.md, "The national tier"): the
setup file the centre writes for a province, and the two bundle kinds between a province and the
centre -- `aggregates` (province -> centre: figures and targets per commune, indicator and
period, nothing that names a person) and `catalogue` (centre -> province: catalogue versions).
Writers validate what they are about to sign through these models; readers validate what arrived
through the same ones, strictly and with every size bounded."""

from __future__ import annotations

import datetime as dt
import io
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (AfterValidator, BaseModel, ConfigDict, Field, StringConstraints,
                      ValidationError, model_validator)

from da8desktop.core.db.migrate import BUNDLE_SCHEMA
from da8desktop.core.i18n import QT_TRANSLATE_NOOP
from da8desktop.core.sync import codec, keys as keymod
from da8desktop.core.sync.container import MANIFEST, BundleRejected, damaged, open_zip
from da8desktop.core.sync.manifest import (BoxPublic, Moment, PositiveSeq, Schema, Seq, Sha256,
                                           SignPublic, check_versions)
from da8desktop.core.sync.setup_file import MAX_SETUP_MANIFEST, _first_error, _read_bounded

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


def read_central_setup(path: Path) -> ReadCentralSetup:
    """The checked setup file; its key is trusted only once the officer typed the centre's
    fingerprint (central.connect_central). Writes nothing."""
    name = Path(path).name
    data = _read_bounded(Path(path), name)  # 8 MiB at most, and not a bundle
    try:  # the manifest bounds everything: read it first, capped
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
        if len(infos) > 2 or any(i.file_size > MAX_SETUP_MANIFEST for i in infos):
            raise _not_central_setup(name, "unexpected entries")
        with archive.open(archive.getinfo(MANIFEST)) as handle:
            raw = handle.read(MAX_SETUP_MANIFEST + 1)
    except KeyError:
        raise _not_central_setup(name, "no manifest") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError,
            NotImplementedError) as exc:
        raise _not_central_setup(name, str(exc)[:200]) from None
    manifest = _setup_manifest(raw, name)
    opened = open_zip(data, name)  # the container's safe reading: names, sizes, hashes
    if opened.manifest_bytes != raw:
        raise _not_central_setup(name, "two different manifests inside")
    if not keymod.verify(manifest.source.sign_public, opened.manifest_bytes, opened.signature):
        raise BundleRejected("signature", QT_TRANSLATE_NOOP(
            "Sync", "The signature of {file} is not valid: the file was changed after it was "
            "made. Nothing was imported; ask for a new copy."), file=name)
    source = manifest.source
    return ReadCentralSetup(name, manifest, keymod.fingerprint(source.sign_public,
                                                               source.box_public))


def _setup_manifest(raw: bytes, name: str) -> CentralSetupManifest:
    try:
        plain = codec.loads(raw)
    except codec.BadData as exc:
        raise _not_central_setup(name, f"manifest: {exc}") from None
    if not isinstance(plain, dict) or plain.get("kind") != SETUP_KIND:
        raise _not_central_setup(name, "not a setup file of the centre")
    check_versions(plain, name)
    try:
        return CentralSetupManifest.model_validate_json(raw)
    except ValidationError as exc:
        raise _not_central_setup(name, _first_error(exc)) from None


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


class CentralEnrolment(_Strict):
    code: Annotated[str, StringConstraints(pattern=r"^[0-9]{10}$")]
    box_public: BoxPublic


class CentralEntry(_Strict):
    path: Literal["central_figure.ndjson", "central_target.ndjson", "central_indicator.ndjson",
                  "catalogue.ndjson"]
    sha256: Sha256
    bytes: Annotated[int, Field(ge=0, le=MAX_ENTRY_BYTES)]
    records: Annotated[int, Field(ge=0, le=MAX_LINES)]


def _unique(entries: list[CentralEntry]) -> list[CentralEntry]:
    if len({e.path for e in entries}) != len(entries):
        raise ValueError("an entry is listed twice")
    return entries


class CentralManifest(_Strict):
    format: Literal["da8-bundle"]
    format_version: Literal[1]
    schema_: Schema = Field(alias="schema")
    min_reader_schema: Schema
    app_version: Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z.+\-]{1,40}$")]
    bundle_id: uuid.UUID
    kind: Literal["aggregates", "catalogue"]
    created_at: Moment
    seq: PositiveSeq
    previous_bundle: uuid.UUID | None
    source: CentralSource
    target: CentralParty
    summaries: list[Receipt] = Field(max_length=50)
    enrolment: CentralEnrolment | None = None
    entries: Annotated[list[CentralEntry], Field(max_length=3), AfterValidator(_unique)]

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
    check_versions(raw, file)
    try:
        manifest = CentralManifest.model_validate_json(manifest_bytes)
    except ValidationError as exc:
        raise damaged(file, "manifest: " + _first_error(exc)) from None
    if manifest.schema_ < BUNDLE_SCHEMA:
        raise BundleRejected("schema_older", QT_TRANSLATE_NOOP(
            "Sync", "The file {file} was made by an older version of da8desktop. Update the "
            "application on the computer that made it, then export again."), file=file)
    return manifest


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

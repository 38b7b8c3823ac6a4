"""The setup file (docs/bundle-format.md, "Setup file"): one declared structure, used by the
province that writes it (`enrol.enroll`) and the commune laptop that reads it
(`enrol.commune_init`). The file arrives on a stick and may have been made by anyone: its size
is bounded before it is read, every entry before it is unzipped, and every field is typed and
bounded before anything is written. That reading (`read_signed`) is the same for the setup file
the centre writes for a province (`central_file.CENTRAL_SETUP`): each tier names only its own
manifest, limits and words (`SetupFileKind`)."""

from __future__ import annotations

import datetime as dt
import io
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Generic, Literal, Protocol, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from da8desktop.core.db.migrate import BUNDLE_SCHEMA
from da8desktop.core.db.models import Target
from da8desktop.core.i18n import QT_TRANSLATE_NOOP
from da8desktop.core.sync import codec, keys as keymod
from da8desktop.core.sync.container import (FORMAT, FORMAT_VERSION, MANIFEST, BundleRejected,
                                            Opened, open_zip)

SETUP_EXTENSION = ".da8setup"
# A setup file holds the catalogues (about 35 kB) and one commune's targets: a few hundred kB
# at most. Far above that, it is not a setup file, and it is refused before it is read.
MAX_SETUP_FILE = 8 << 20
MAX_SETUP_ENTRY = 4 << 20
MAX_SETUP_MANIFEST = 64 << 10
MAX_RECORDS = 20_000
MAX_SEQ = (1 << 53) - 1
MAX_HLC = (1 << 63) - 1

Schema = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}$")]
UnitCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{1,8}$")]
Label = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Hex64 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
# age X25519 recipients: "age1" and 58 bech32 characters.
BoxPublic = Annotated[str, StringConstraints(pattern=r"^age1[02-9ac-hj-np-z]{58}$")]
EnrolmentCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{10}$")]
Seq = Annotated[int, Field(ge=0, le=MAX_SEQ, strict=True)]


class _Signer(Protocol):
    @property
    def sign_public(self) -> str: ...
    @property
    def box_public(self) -> str: ...


class _SignedManifest(Protocol):
    @property
    def source(self) -> _Signer: ...


M = TypeVar("M", bound=_SignedManifest)  # a tier's typed setup manifest


class _Model(BaseModel):
    # Fields a newer version adds are ignored (min_reader_schema says when they matter).
    model_config = ConfigDict(extra="ignore", frozen=True)


class SetupSource(_Model):
    site: uuid.UUID
    sign_public: Hex64
    box_public: BoxPublic
    role: Literal["province"]
    province: UnitCode
    label: Label


class SetupCommune(_Model):
    code: UnitCode
    name: Label


class SetupEnrolment(_Model):
    code: EnrolmentCode


class SetupContent(_Model):
    """What `enroll` writes; the container adds format, version and the list of entries."""

    kind: Literal["setup"]
    schema_: Schema = Field(alias="schema")
    min_reader_schema: Schema
    bundle_id: uuid.UUID
    created_at: dt.datetime
    source: SetupSource
    commune: SetupCommune
    enrolment: SetupEnrolment

    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)

    def as_manifest(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True)


class SetupEntry(_Model):
    path: Literal["catalogue.ndjson", "target.ndjson"]
    sha256: Hex64
    bytes: int = Field(ge=0, le=MAX_SETUP_ENTRY, strict=True)
    records: int = Field(ge=0, le=MAX_RECORDS, strict=True)


class SetupManifest(SetupContent):
    format: Literal["da8-bundle"]
    format_version: Literal[1]
    entries: list[SetupEntry] = Field(max_length=2)


class _Versions(_Model):
    """Read first, so a file from a newer version says 'update' rather than 'damaged'."""

    min_reader_schema: Schema


class CatalogueItemLine(_Model):
    kind: Annotated[str, StringConstraints(min_length=1, max_length=30)]
    scheme: Annotated[str, StringConstraints(max_length=10)] = ""
    code: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    name: Annotated[str, StringConstraints(min_length=1, max_length=300)]
    name_en: Annotated[str, StringConstraints(max_length=300)] | None = None
    parent: Annotated[str, StringConstraints(min_length=1, max_length=80)] | None = None
    alt_names: list[Annotated[str, StringConstraints(max_length=300)]] = Field(
        default_factory=list, max_length=50)
    props: dict[str, Any] = Field(default_factory=dict)
    sort: int | None = Field(default=None, ge=-1_000_000, le=1_000_000, strict=True)


class CatalogueLine(_Model):
    catalogue: Annotated[str, StringConstraints(pattern=r"^[a-z_]{1,40}$")]
    version: Annotated[str, StringConstraints(pattern=r"^[0-9][0-9.\-]{0,19}$")]
    items: list[CatalogueItemLine] = Field(max_length=5_000)

    def as_items(self) -> list[dict[str, Any]]:
        return [item.model_dump(exclude_none=True) for item in self.items]


class TargetValues(_Model):
    indicator_key: Annotated[str, StringConstraints(min_length=1, max_length=80)]
    commune_key: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    period: Annotated[str, StringConstraints(pattern=r"^[0-9]{4}(-[0-9]{4})?$")]
    value: float = Field(ge=0, le=9_999_999_999.99, allow_inf_nan=False)
    set_by_province: bool
    note: Annotated[str, StringConstraints(max_length=2000)] | None
    deleted: bool


class TargetLine(_Model):
    """One target row as the codec writes it: id, values, stamps, version vector."""

    id: uuid.UUID
    v: TargetValues
    s: dict[str, tuple[uuid.UUID, Seq, Annotated[int, Field(ge=0, le=MAX_HLC, strict=True)]]] = \
        Field(max_length=20)
    c: dict[uuid.UUID, Seq] = Field(max_length=1_000)


@dataclass(frozen=True)
class SetupTarget:
    row_id: uuid.UUID
    values: dict[str, Any]
    stamps: dict[str, tuple[str, int, int]]
    context: dict[str, int]


@dataclass(frozen=True)
class ReadSetup:
    """A setup file whose structure and signature were checked; nothing is trusted yet: the
    officer still compares `province_fingerprint` with the one the province reads out."""

    file: str
    manifest: SetupManifest
    catalogues: list[CatalogueLine]
    targets: list[SetupTarget]
    province_fingerprint: str


def _refused(file: str, detail: str) -> BundleRejected:
    return BundleRejected("not_setup", QT_TRANSLATE_NOOP(
        "Sync", "{file} is not a valid setup file of da8desktop ({detail}). Nothing was set up: "
        "ask the province for a new setup file of this commune."), file=file, detail=detail)


def _first_error(exc: ValidationError) -> str:
    error = exc.errors(include_url=False, include_input=False)[0]
    where = ".".join(str(part) for part in error["loc"]) or "manifest"
    return f"{where}: {error['msg']}"[:200]


def _a_bundle(file: str) -> BundleRejected:
    return BundleRejected("not_setup", QT_TRANSLATE_NOOP(
        "Sync", "{file} is a sync bundle, not a setup file. Ask the province for the setup "
        "file of this commune (its name ends in .da8setup)."), file=file)


def _read_bounded(path: Path, name: str, what: SetupFileKind[Any]) -> bytes:
    try:
        with Path(path).open("rb") as handle:
            data = handle.read(MAX_SETUP_FILE + 1)
    except OSError as exc:
        raise BundleRejected("unreadable", QT_TRANSLATE_NOOP(
            "Sync", "Cannot read {file}: {reason}"), file=name,
            reason=exc.strerror or str(exc)) from None
    if len(data) > MAX_SETUP_FILE:
        raise what.refused(name, f"larger than {MAX_SETUP_FILE >> 20} MB")
    if data.startswith(b"age-encryption.org/"):  # a bundle carried by mistake
        raise what.a_bundle(name)
    return data


@dataclass(frozen=True)
class SetupFileKind(Generic[M]):
    """What one tier's setup file is: a commune laptop's from its province (below), a
    province's from the centre (central_file.py). `read_signed` reads either the same way; only
    what differs is named here, the refusal's words among it."""

    kind: str  # the manifest's `kind`
    not_kind: str  # the refusal's detail for a file of another kind
    members: int  # ZIP members at most, the manifest and its signature included
    member_bytes: int  # each member at most, as the ZIP declares it
    refused: Callable[[str, str], BundleRejected]  # (file, detail): this tier's refusal
    a_bundle: Callable[[str], BundleRejected]  # (file): a sync bundle carried by mistake
    too_large: Callable[[str], str]  # the detail for a member above member_bytes
    versions: Callable[[Any, str], None]  # raises when the reader is too old for the file
    validate: Callable[[bytes, Any], M]  # (manifest bytes, parsed): the typed manifest


@dataclass(frozen=True)
class SignedSetup(Generic[M]):
    """A setup file whose structure and signature were checked; its signer is trusted only
    once the officer typed the fingerprint the other side reads out (enrol.py, central.py)."""

    file: str
    opened: Opened
    manifest: M
    fingerprint: str  # the signer's, from the keys in the manifest


def read_signed(path: Path, what: SetupFileKind[M]) -> SignedSetup[M]:
    """A setup file of `what` kind, or BundleRejected. In this order: the size on disk (and not
    a bundle), the manifest before any entry is unzipped (it bounds what the entries may hold),
    the container's safe reading of the same bytes (names, sizes, hashes), the signature by the
    keys the manifest names. Writes nothing."""
    name = Path(path).name
    data = _read_bounded(Path(path), name, what)
    raw = _manifest_bytes(data, name, what)
    manifest = _typed_manifest(raw, name, what)
    opened = open_zip(data, name)
    if opened.manifest_bytes != raw:
        raise what.refused(name, "two different manifests inside")
    source = manifest.source
    if not keymod.verify(source.sign_public, opened.manifest_bytes, opened.signature):
        raise BundleRejected("signature", QT_TRANSLATE_NOOP(
            "Sync", "The signature of {file} is not valid: the file was changed after it was "
            "made. Nothing was imported; ask for a new copy."), file=name)
    return SignedSetup(name, opened, manifest,
                       keymod.fingerprint(source.sign_public, source.box_public))


def _manifest_bytes(data: bytes, name: str, what: SetupFileKind[Any]) -> bytes:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
        if len(infos) > what.members:
            raise what.refused(name, "unexpected entries")
        for info in infos:
            if info.file_size > what.member_bytes:
                raise what.refused(name, what.too_large(info.filename))
        with archive.open(archive.getinfo(MANIFEST)) as handle:
            raw = handle.read(MAX_SETUP_MANIFEST + 1)
    except KeyError:
        raise what.refused(name, "no manifest") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError,
            NotImplementedError) as exc:
        raise what.refused(name, str(exc)[:200]) from None
    if len(raw) > MAX_SETUP_MANIFEST:
        raise what.refused(name, "manifest too large")
    return raw


def _typed_manifest(raw: bytes, name: str, what: SetupFileKind[M]) -> M:
    try:
        plain = codec.loads(raw)
    except codec.BadData as exc:
        raise what.refused(name, f"manifest: {exc}") from None
    if not isinstance(plain, dict) or plain.get("kind") != what.kind:
        raise what.refused(name, what.not_kind)
    what.versions(plain, name)
    try:
        return what.validate(raw, plain)
    except ValidationError as exc:
        raise what.refused(name, _first_error(exc)) from None


def _reader_recent_enough(plain: Any, name: str) -> None:
    try:
        versions = _Versions.model_validate(plain)
    except ValidationError as exc:
        raise _refused(name, _first_error(exc)) from None
    if int(versions.min_reader_schema) > int(BUNDLE_SCHEMA):
        raise BundleRejected("schema_newer", QT_TRANSLATE_NOOP(
            "Sync", "The file {file} was made by a newer version of da8desktop. Update the "
            "application first, then import it again; keep the file."), file=name)


COMMUNE_SETUP: SetupFileKind[SetupManifest] = SetupFileKind(
    kind="setup", not_kind="not a setup file", members=4,
    member_bytes=max(MAX_SETUP_ENTRY, MAX_SETUP_MANIFEST), refused=_refused, a_bundle=_a_bundle,
    too_large=lambda member: f"{member[:60]!r} is too large", versions=_reader_recent_enough,
    validate=lambda _raw, plain: SetupManifest.model_validate(plain))


def read_setup_file(path: Path) -> ReadSetup:
    """The checked contents of a setup file, or BundleRejected. Writes nothing."""
    signed = read_signed(path, COMMUNE_SETUP)
    name, opened, manifest = signed.file, signed.opened, signed.manifest
    if (manifest.format, manifest.format_version) != (FORMAT, FORMAT_VERSION):
        raise _refused(name, "format")
    counts = {e.path: e.records for e in manifest.entries}
    catalogues = [_catalogue(line, name) for line in
                  _lines(opened.entries, "catalogue.ndjson", counts, name)] \
        if "catalogue.ndjson" in counts else []
    targets = [_target(line, name) for line in
               _lines(opened.entries, "target.ndjson", counts, name)] \
        if "target.ndjson" in counts else []
    return ReadSetup(name, manifest, catalogues, targets, signed.fingerprint)


def _lines(entries: dict[str, bytes], path: str, counts: dict[str, int], name: str) -> list[Any]:
    try:
        lines = codec.read_lines(entries[path])
    except codec.BadData as exc:
        raise _refused(name, f"{path}: {exc}") from None
    if len(lines) != counts[path]:
        raise _refused(name, f"{path} holds {len(lines)} records, the manifest says {counts[path]}")
    return lines


def _catalogue(line: Any, name: str) -> CatalogueLine:
    try:
        return CatalogueLine.model_validate(line)
    except ValidationError as exc:
        raise _refused(name, "catalogue.ndjson: " + _first_error(exc)) from None


def _target(line: Any, name: str) -> SetupTarget:
    try:
        TargetLine.model_validate(line)
        row_id, values, stamps, context = codec.decode_row(Target, line)
    except ValidationError as exc:
        raise _refused(name, "target.ndjson: " + _first_error(exc)) from None
    except codec.BadRecord as exc:
        raise _refused(name, f"target.ndjson: {exc}") from None
    return SetupTarget(row_id, values, stamps, context)

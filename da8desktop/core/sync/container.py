"""The bundle file (docs/bundle-format.md): a ZIP of `manifest.json`, `manifest.sig` and NDJSON
entries, encrypted to the recipient with age. Reading it is defensive: every check here runs
before anything touches the database."""

from __future__ import annotations

import hashlib
import io
import os
import re
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyrage
from pyrage import x25519

from da8desktop.core.errors import UserFacingError
from da8desktop.core.i18n import QT_TRANSLATE_NOOP, Text
from da8desktop.core.sync import codec
from da8desktop.core.sync.keys import SiteKeys

FORMAT = "da8-bundle"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
ENTRY_NAME = re.compile(r"^(?:[a-z_]{1,40}\.ndjson|files/[0-9a-f]{64})$")
MAX_FILE = 2 << 30  # 2 GiB on the stick
MAX_ENTRY = 512 << 20  # one entry, uncompressed
MAX_TOTAL = 1 << 30  # all entries, uncompressed
MAX_RATIO = 200  # uncompressed / compressed, beyond this it is a zip bomb
MAX_MANIFEST = 4 << 20


class BundleRejected(UserFacingError):
    """The whole file is refused; nothing was written. `reason` is a stable code for scripts."""

    def __init__(self, code: str, text: Text, **params: object) -> None:
        self.reason = code  # not a keyword of its own: messages may have a {reason} too
        super().__init__(text, **params)


DAMAGED = QT_TRANSLATE_NOOP(
    "Sync", "The file {file} is damaged or incomplete ({detail}). Nothing was imported: copy it "
    "onto the stick again from the computer that made it.")


def damaged(file: str, detail: str) -> BundleRejected:
    return BundleRejected("damaged", DAMAGED, file=file, detail=detail)


@dataclass(frozen=True)
class Entry:
    path: str
    data: bytes
    records: int


def build_zip(manifest: dict[str, Any], entries: list[Entry], keys: SiteKeys) -> bytes:
    """Fill the manifest's entry list with hashes and counts, sign it, and zip everything."""
    manifest = dict(manifest, format=FORMAT, format_version=FORMAT_VERSION, entries=[
        {"path": e.path, "sha256": hashlib.sha256(e.data).hexdigest(), "bytes": len(e.data),
         "records": e.records} for e in entries])
    manifest_bytes = codec.dumps(manifest).encode("utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST, manifest_bytes)
        archive.writestr(SIGNATURE, keys.sign(manifest_bytes))
        for entry in entries:
            archive.writestr(entry.path, entry.data)
    return buffer.getvalue()


def encrypt(data: bytes, box_public: str) -> bytes:
    return pyrage.encrypt(data, [x25519.Recipient.from_str(box_public)])


def write_atomically(path: Path, data: bytes) -> Path:
    """Write NAME.part, flush it to the device, then rename: a stick pulled out mid-write never
    leaves a file with the final name."""
    from da8desktop.core.disk_errors import disk_error, remove_quietly

    part = path.with_name(path.name + ".part")
    try:
        with part.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(part, path)
    except OSError as exc:  # a full or locked stick, or pulled out: no .part left behind
        remove_quietly(part)
        raise disk_error(exc, path) from exc
    try:  # make the rename itself durable where the platform allows it
        fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError:
        pass
    return path


@dataclass(frozen=True)
class Opened:
    manifest: dict[str, Any]
    manifest_bytes: bytes
    signature: bytes
    entries: dict[str, bytes]
    sha256: str


def decrypt(data: bytes, keys: SiteKeys, file: str) -> bytes:
    if data.startswith(b"PK"):  # a plain ZIP: the province's setup file, not a bundle
        raise BundleRejected("setup_file", QT_TRANSLATE_NOOP(
            "Sync", "{file} is a setup file, not a bundle: it sets up a new commune computer "
            "(\"Set up this computer from the province's setup file\" at the first start, or "
            "da8desktop commune init --setup). Nothing was imported."), file=file)
    try:
        return pyrage.decrypt(data, [keys.box])
    except pyrage.DecryptError as exc:
        if "No matching keys" in str(exc):
            raise BundleRejected("not_addressed", QT_TRANSLATE_NOOP(
                "Sync", "The file {file} is not addressed to this computer{hint}. Nothing was "
                "imported."), file=file, hint=_hint(file)) from None
        raise damaged(file, str(exc)) from None


def _hint(file: str) -> str:
    """File names carry codes only (…-to-xa03325-…): name the addressee from it."""
    match = re.search(r"-to-(xa|tinh)(\d+)-", file)
    if not match:
        return ""
    return f" ({'xã' if match.group(1) == 'xa' else 'tỉnh'} {match.group(2)})"


def open_zip(plain: bytes, file: str) -> Opened:
    """Safe unzip: only names the manifest lists, no paths, links or duplicates, sizes and
    ratios bounded, every entry's hash and size checked. Nothing is extracted to disk."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(plain))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise damaged(file, str(exc)) from None
    names = [i.filename for i in infos]
    if len(names) != len(set(names)):
        raise damaged(file, "duplicate names inside")
    by_name = {i.filename: i for i in infos}
    for info in infos:
        mode = (info.external_attr >> 16) & 0o170000
        if info.is_dir() or mode == stat.S_IFLNK:
            raise damaged(file, f"unexpected entry {info.filename!r}")
    try:
        manifest_bytes = _read(archive, by_name, MANIFEST, MAX_MANIFEST, file)
        signature = _read(archive, by_name, SIGNATURE, 64, file)
        manifest = codec.loads(manifest_bytes)
    except codec.BadData as exc:
        raise damaged(file, f"manifest: {exc}") from None
    listed = _check_manifest(manifest, file)
    if set(names) != {MANIFEST, SIGNATURE} | set(listed):
        raise damaged(file, "entries differ from the manifest")
    total = 0
    entries: dict[str, bytes] = {}
    for path, meta in listed.items():
        total += meta["bytes"]
        if total > MAX_TOTAL:
            raise damaged(file, "too large")
        data = _read(archive, by_name, path, meta["bytes"], file)
        if len(data) != meta["bytes"] or hashlib.sha256(data).hexdigest() != meta["sha256"]:
            raise damaged(file, f"{path} does not match its checksum")
        entries[path] = data
    return Opened(manifest, manifest_bytes, signature, entries,
                  hashlib.sha256(plain).hexdigest())


def _read(archive: zipfile.ZipFile, by_name: dict[str, zipfile.ZipInfo], name: str,
          limit: int, file: str) -> bytes:
    info = by_name.get(name)
    if info is None:
        raise damaged(file, f"{name} is missing")
    if info.file_size > limit or info.file_size > MAX_ENTRY:
        raise damaged(file, f"{name} is larger than announced")
    if info.file_size > 1 << 20 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise damaged(file, f"{name} is compressed suspiciously well")
    try:
        with archive.open(info) as handle:
            data = handle.read(limit + 1)  # never trust the size in the header
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise damaged(file, f"{name}: {exc}") from None
    if len(data) > limit:
        raise damaged(file, f"{name} is larger than announced")
    return data


def _check_manifest(manifest: Any, file: str) -> dict[str, dict[str, Any]]:
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise damaged(file, "not a da8desktop bundle")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BundleRejected("format", QT_TRANSLATE_NOOP(
            "Sync", "The file {file} uses a bundle format this version does not know. Update the "
            "application first; keep the file."), file=file)
    entries = manifest.get("entries")
    if not isinstance(entries, list):
        raise damaged(file, "manifest has no entries")
    listed: dict[str, dict[str, Any]] = {}
    for meta in entries:
        if (not isinstance(meta, dict) or not isinstance(meta.get("path"), str)
                or not ENTRY_NAME.match(meta["path"]) or meta["path"] in listed
                or not isinstance(meta.get("bytes"), int) or not 0 <= meta["bytes"] <= MAX_ENTRY
                or not isinstance(meta.get("records"), int) or meta["records"] < 0
                or not isinstance(meta.get("sha256"), str) or len(meta["sha256"]) != 64):
            raise damaged(file, "malformed entry list")
        listed[meta["path"]] = meta
    return listed

"""The bundle file (docs/bundle-format.md): a ZIP of `manifest.json`, `manifest.sig` (always its
first two members) and NDJSON entries, encrypted to the recipient with age. Reading it is
defensive and in this order, so that a file from a stranger costs a few seconds and little memory
whatever its size: the size on disk; a first pass decrypting only the file's start, in memory,
for the manifest and its signature, on which the caller authenticates the sender; then the
streaming decryption of the whole file into a private temporary file (capped while writing), the
ZIP directory (bounded), the same manifest and signature read through it -- and the entries
(streamed, hashed and capped while read). Nothing here touches the database."""

from __future__ import annotations

import hashlib
import io
import os
import re
import stat
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

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
SIGNATURE_BYTES = 64  # Ed25519
ENTRY_NAME = re.compile(r"^(?:[a-z_]{1,40}\.ndjson|files/[0-9a-f]{64})$")
MAX_FILE = 2 << 30  # 2 GiB on the stick
MAX_ENTRY = 512 << 20  # one entry, uncompressed
MAX_TOTAL = 1 << 30  # all entries, uncompressed
MAX_RATIO = 200  # uncompressed / compressed, beyond this it is a zip bomb
MAX_MANIFEST = 4 << 20
MAX_MEMBERS = 50_000  # files inside the ZIP: tables, the manifest, attachments
MAX_DIRECTORY = 16 << 20  # the ZIP's central directory, read whole by zipfile
CHUNK = 1 << 20
AGE_MAGIC = b"age-encryption.org/"
# Deflate's fast levels (1-3): a third of the default level's time for a commune's 30 MB of
# NDJSON, about 17 % more bytes (2.5 MB, not 2.1: issue 23, P7a). Any reader inflates either.
LEVEL = 3


class BundleRejected(UserFacingError):
    """The whole file is refused; nothing was written. `reason` is a stable code for scripts."""

    def __init__(self, code: str, text: Text, **params: object) -> None:
        self.reason = code  # not a keyword of its own: messages may have a {reason} too
        super().__init__(text, **params)


DAMAGED = QT_TRANSLATE_NOOP(
    "Sync", "The file {file} is damaged or incomplete ({detail}). Nothing was imported: copy it "
    "onto the stick again from the computer that made it.")
TOO_LARGE = QT_TRANSLATE_NOOP(
    "Sync", "The file {file} is larger than any bundle can be ({size} MB; at most {limit} MB). "
    "Nothing was imported: it is not a bundle of da8desktop, or it was damaged.")


def damaged(file: str, detail: str) -> BundleRejected:
    return BundleRejected("damaged", DAMAGED, file=file, detail=detail)


@dataclass(frozen=True)
class Entry:
    path: str
    data: bytes
    records: int


def build_zip(manifest: dict[str, Any], entries: list[Entry], keys: SiteKeys,
              check: Callable[[bytes], object] | None = None) -> bytes:
    """Fill the manifest's entry list with hashes and counts, sign it, and zip everything.
    `check` validates the final manifest bytes with the reader's own model before they are
    signed: a writer bug then fails here, never as a file every reader refuses."""
    manifest = dict(manifest, format=FORMAT, format_version=FORMAT_VERSION, entries=[
        {"path": e.path, "sha256": hashlib.sha256(e.data).hexdigest(), "bytes": len(e.data),
         "records": e.records} for e in entries])
    manifest_bytes = codec.dumps(manifest).encode("utf-8")
    if check is not None:
        check(manifest_bytes)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED,
                         compresslevel=LEVEL) as archive:
        archive.writestr(MANIFEST, manifest_bytes)
        archive.writestr(SIGNATURE, keys.sign(manifest_bytes))
        for entry in entries:
            archive.writestr(entry.path, entry.data)
    return buffer.getvalue()


def encrypt(data: bytes, box_public: str) -> bytes:
    return pyrage.encrypt(data, [x25519.Recipient.from_str(box_public)])


def write_atomically(path: Path, data: bytes) -> Path:
    """Write NAME.part, flush it to the device, then rename: a stick pulled out mid-write never
    leaves a file with the final name (core/atomic_write.py)."""
    from da8desktop.core import atomic_write

    return atomic_write.write_bytes(path, data)


@dataclass
class Opened:
    """An opened bundle: the manifest and its signature are read; `entries` stays empty until
    `read_entries` (after the sender is authenticated)."""

    manifest: Any  # the parsed JSON, not yet validated
    manifest_bytes: bytes
    signature: bytes
    sha256: str  # of the decrypted ZIP, as the writer records it
    file_sha256: str = ""  # of the file as on the stick: what a preview shows, a commit expects
    entries: dict[str, bytes] = field(default_factory=dict)
    archive: zipfile.ZipFile | None = field(default=None, repr=False)
    file: str = ""

    def read_entries(self, listed: dict[str, tuple[str, int]]) -> dict[str, bytes]:
        """Decompress the entries `listed` (path -> (sha256, bytes)), exactly the ZIP's other
        members, each streamed with its size capped and its hash checked while read."""
        for path, data in self.iter_entries(listed):
            self.entries[path] = data
        return self.entries

    def iter_entries(self, listed: dict[str, tuple[str, int]]) -> Iterator[tuple[str, bytes]]:
        """The same checks as `read_entries` (names and total size before any entry is read),
        then one entry at a time, hashed and checked before it is handed over: the caller
        parses a table and lets its bytes go before the next one is decompressed, so an
        import holds one table's text at a time, not the whole bundle's."""
        if self.archive is None:
            raise RuntimeError("read_entries after the bundle was closed")
        by_name = {i.filename: i for i in self.archive.infolist()}
        if set(by_name) != {MANIFEST, SIGNATURE} | set(listed):
            raise damaged(self.file, "entries differ from the manifest")
        if sum(size for _sha, size in listed.values()) > MAX_TOTAL:
            raise damaged(self.file, "too large")
        for path, (sha, size) in listed.items():
            data = _read(self.archive, by_name[path], size, self.file, sha)
            if len(data) != size:
                raise damaged(self.file, f"{path} does not match its checksum")
            yield path, data


class _CappedReader:
    """The file on the stick, read once: hashed as it goes, never more than MAX_FILE bytes
    (the file may grow after its size was checked)."""

    def __init__(self, handle: BinaryIO, file: str) -> None:
        self.handle, self.file = handle, file
        self.hash = hashlib.sha256()
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(CHUNK if size is None or size < 0 else min(size, CHUNK))
        self.count += len(data)
        if self.count > MAX_FILE:
            raise _too_large(self.file, self.count)
        self.hash.update(data)
        return data

    def drain(self) -> str:
        while self.read(CHUNK):
            pass
        return self.hash.hexdigest()


class _TempFull(Exception):
    """The temporary copy could not be written (disk full): not the bundle's fault."""


class _CappedWriter:
    def __init__(self, handle: BinaryIO, file: str) -> None:
        self.handle, self.file = handle, file
        self.hash = hashlib.sha256()
        self.count = 0

    def write(self, data: bytes) -> int:
        self.count += len(data)
        if self.count > MAX_FILE:
            raise _too_large(self.file, self.count)
        self.hash.update(data)
        try:
            return self.handle.write(data)
        except OSError as exc:
            raise _TempFull(exc.strerror or str(exc)) from None

    def flush(self) -> None:
        self.handle.flush()


def _too_large(file: str, size: int) -> BundleRejected:
    return BundleRejected("too_large", TOO_LARGE, file=file, size=size >> 20,
                          limit=MAX_FILE >> 20)


def not_addressed(file: str) -> BundleRejected:
    return BundleRejected("not_addressed", QT_TRANSLATE_NOOP(
        "Sync", "The file {file} is not addressed to this computer{hint}. Nothing was "
        "imported."), file=file, hint=_hint(file))


def _setup_file(file: str) -> BundleRejected:
    return BundleRejected("setup_file", QT_TRANSLATE_NOOP(
        "Sync", "{file} is a setup file, not a bundle: it sets up a new commune computer "
        "(\"Set up this computer from the province's setup file\" at the first start, or "
        "da8desktop commune init --setup). Nothing was imported."), file=file)


def _unreadable(file: str, exc: OSError) -> BundleRejected:
    return BundleRejected("unreadable", QT_TRANSLATE_NOOP(
        "Sync", "Cannot read {file}: {reason}"), file=file, reason=exc.strerror or str(exc))


@contextmanager
def open_bundle(path: Path, keys: SiteKeys, file: str,
                authenticate: Callable[[Opened], None] | None = None) -> Iterator[Opened]:
    """Two passes. The first decrypts only the start of `path` (a few MiB at most, nothing
    written to disk) and reads the manifest and signature from the ZIP's first two local headers;
    `authenticate` checks them there, so a stranger's file is refused before the whole file is
    decrypted. Only then the full pass decrypts into a private temporary folder (removed on
    leaving, error or not) and reads the central directory, whose manifest and signature must be
    the very same bytes; the entries wait for `Opened.read_entries`."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise _unreadable(file, exc) from None
    if not stat.S_ISREG(info.st_mode):
        raise damaged(file, "not a file")
    if info.st_size > MAX_FILE:  # refused before a single byte is read
        raise _too_large(file, info.st_size)
    try:
        source = open(path, "rb")  # noqa: SIM115 - closed below, errors mapped to refusals
    except OSError as exc:
        raise _unreadable(file, exc) from None
    with source:
        head = source.read(len(AGE_MAGIC))
        if head.startswith(b"PK"):  # a plain ZIP: the province's setup file, not a bundle
            raise _setup_file(file)
        if head != AGE_MAGIC:
            raise damaged(file, "not an encrypted bundle")
        first = read_head(source, keys, file)
        if authenticate is not None:
            authenticate(first)
        source.seek(0)
        folder = tempfile.TemporaryDirectory(prefix="da8-import-")  # mode 0700
        try:
            plain, data_sha, file_sha = decrypt_whole(source, keys, file, Path(folder.name))
        except BaseException:
            folder.cleanup()
            raise
    with folder, plain.open("rb") as handle:  # the stick's file is closed by now
        opened = _open_archive(handle, file)
        if (opened.manifest_bytes, opened.signature) != (first.manifest_bytes, first.signature):
            raise damaged(file, "two different manifests inside")
        opened.sha256, opened.file_sha256 = data_sha, file_sha
        try:
            yield opened
        finally:
            opened.archive = None


def _decrypt(reader: _CappedReader, writer: Any, keys: SiteKeys, file: str) -> None:
    """pyrage.decrypt_io with its errors mapped to refusals; the writer's own exceptions
    (_Enough, _TempFull, too_large) pass through."""
    try:
        pyrage.decrypt_io(reader, writer, [keys.box])
    except pyrage.DecryptError as exc:
        if "No matching keys" in str(exc):
            raise not_addressed(file) from None
        raise damaged(file, str(exc)) from None
    except OSError as exc:  # the stick, or a truncated or altered file
        raise damaged(file, exc.strerror or str(exc)) from None


class _Enough(Exception):
    """The first pass holds the bytes it needs: stops the decryption at once."""


class _PrefixWriter:
    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.data = bytearray()

    def write(self, data: bytes) -> int:
        self.data += data[: self.cap - len(self.data)]
        if len(self.data) >= self.cap:
            raise _Enough
        return len(data)

    def flush(self) -> None:
        pass


_LOCAL = struct.Struct("<4s5H3L2H")  # local file header, 30 bytes
MAX_EXTRA = 256  # zipfile writes none here; a little slack for other tools is harmless
MAX_SIGNATURE_STORED = 128  # 64 bytes, deflated at worst a few bytes longer
HEAD_CAP = (2 * (_LOCAL.size + MAX_EXTRA) + len(MANIFEST) + len(SIGNATURE) + MAX_MANIFEST
            + MAX_SIGNATURE_STORED)


def read_head(source: BinaryIO, keys: SiteKeys, file: str) -> Opened:
    """The first pass: decrypt at most HEAD_CAP bytes into memory and read the manifest and
    the signature from the ZIP's first two members, which the writer always puts first."""
    source.seek(0)
    writer = _PrefixWriter(HEAD_CAP)
    try:
        _decrypt(_CappedReader(source, file), writer, keys, file)
    except _Enough:
        pass
    prefix = bytes(writer.data)
    manifest_bytes, at = _local_member(prefix, 0, MANIFEST, MAX_MANIFEST, MAX_MANIFEST, file)
    signature, _at = _local_member(prefix, at, SIGNATURE, SIGNATURE_BYTES, MAX_SIGNATURE_STORED,
                                   file)
    try:
        manifest = codec.loads(manifest_bytes)
    except codec.BadData as exc:
        raise damaged(file, f"manifest: {exc}") from None
    return Opened(manifest, manifest_bytes, signature, "", file=file)


def _local_member(prefix: bytes, at: int, name: str, limit: int, stored_limit: int,
                  file: str) -> tuple[bytes, int]:
    """One member read from its local header, strictly: sizes in the header (no data
    descriptor), no encryption, stored or deflate, within the caps, CRC checked."""
    first = "the manifest is not the first file inside (every bundle da8desktop makes has it first)"
    if len(prefix) - at < _LOCAL.size:
        raise damaged(file, first)
    (sig, _version, flags, method, _time, _date, crc, stored, size, name_len,
     extra_len) = _LOCAL.unpack_from(prefix, at)
    start = at + _LOCAL.size
    if sig != b"PK\x03\x04" or prefix[start:start + name_len] != name.encode():
        raise damaged(file, first)
    if flags & 0x49 or method not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) \
            or extra_len > MAX_EXTRA or size > limit or stored > stored_limit \
            or (method == zipfile.ZIP_STORED and stored != size):
        raise damaged(file, f"{name} is not stored as expected")
    start += name_len + extra_len
    raw = prefix[start:start + stored]
    if len(raw) != stored:
        raise damaged(file, f"{name} is cut short")
    if method == zipfile.ZIP_STORED:
        data = raw
    else:
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        try:
            data = inflater.decompress(raw, size + 1)
        except zlib.error as exc:
            raise damaged(file, f"{name}: {exc}") from None
        if not inflater.eof or inflater.unconsumed_tail or inflater.unused_data:
            raise damaged(file, f"{name} is not stored as expected")
    if len(data) != size or zlib.crc32(data) != crc:
        raise damaged(file, f"{name} does not match its checksum")
    return data, start + stored


def decrypt_whole(source: BinaryIO, keys: SiteKeys, file: str,
                  folder: Path) -> tuple[Path, str, str]:
    """The full pass: decrypt streaming into `folder`/bundle.zip, capped while writing.
    Returns the path, the SHA-256 of the ZIP and that of the file as on the stick."""
    plain = folder / "bundle.zip"
    reader = _CappedReader(source, file)
    fd = os.open(plain, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    with os.fdopen(fd, "wb") as out:
        writer = _CappedWriter(out, file)
        try:
            _decrypt(reader, writer, keys, file)
            file_sha = reader.drain()
        except _TempFull as exc:
            raise UserFacingError(QT_TRANSLATE_NOOP(
                "Sync", "There is not enough free space to check {file} ({reason}). "
                "Free some space on this computer, then import it again."),
                file=file, reason=str(exc)) from None
        except OSError as exc:  # reading the rest of the stick
            raise damaged(file, exc.strerror or str(exc)) from None
    return plain, writer.hash.hexdigest(), file_sha


def _hint(file: str) -> str:
    """File names carry codes only (…-to-xa03325-…): name the addressee from it."""
    match = re.search(r"-to-(xa|tinh)(\d+)-", file)
    if not match:
        return ""
    return f" ({'xã' if match.group(1) == 'xa' else 'tỉnh'} {match.group(2)})"


def _open_archive(handle: BinaryIO, file: str) -> Opened:
    """The ZIP's directory (bounded before zipfile reads it), its names checked, then only
    the manifest and the signature read."""
    _check_directory(handle, file)
    try:
        archive = zipfile.ZipFile(handle)
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise damaged(file, str(exc)) from None
    names = [i.filename for i in infos]
    if len(names) > MAX_MEMBERS:
        raise damaged(file, "too many files inside")
    if len(names) != len(set(names)):
        raise damaged(file, "duplicate names inside")
    for info in infos:
        mode = (info.external_attr >> 16) & 0o170000
        if info.is_dir() or mode == stat.S_IFLNK or (
                info.filename not in (MANIFEST, SIGNATURE) and not ENTRY_NAME.match(info.filename)):
            raise damaged(file, f"unexpected entry {info.filename[:80]!r}")
    by_name = {i.filename: i for i in infos}
    for name in (MANIFEST, SIGNATURE):
        if name not in by_name:
            raise damaged(file, f"{name} is missing")
    manifest_bytes = _read(archive, by_name[MANIFEST], MAX_MANIFEST, file)
    signature = _read(archive, by_name[SIGNATURE], SIGNATURE_BYTES, file)
    try:
        manifest = codec.loads(manifest_bytes)
    except codec.BadData as exc:
        raise damaged(file, f"manifest: {exc}") from None
    return Opened(manifest, manifest_bytes, signature, "", archive=archive, file=file)


_EOCD = struct.Struct("<4s4H2LH")
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_EOCD = struct.Struct("<4sQ2H2L4Q")


def _check_directory(handle: BinaryIO, file: str) -> None:
    """zipfile reads the whole central directory into objects of several hundred bytes each:
    bound its size and count from the end record first."""
    end = handle.seek(0, io.SEEK_END)
    tail_start = max(0, end - (_EOCD.size + 0xFFFF))
    handle.seek(tail_start)
    tail = handle.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < _EOCD.size:
        raise damaged(file, "not a ZIP archive")
    _sig, _disk, _disk_cd, _here, count, size, _offset, _comment = _EOCD.unpack_from(tail, at)
    if count == 0xFFFF or size == 0xFFFFFFFF:  # ZIP64: the real numbers are in its own record
        where = tail_start + at - _ZIP64_LOCATOR.size
        if where < 0:
            raise damaged(file, "not a ZIP archive")
        handle.seek(where)
        sig, _disk, offset, _disks = _ZIP64_LOCATOR.unpack(handle.read(_ZIP64_LOCATOR.size))
        if sig != b"PK\x06\x07" or offset > end - _ZIP64_EOCD.size:
            raise damaged(file, "not a ZIP archive")
        handle.seek(offset)
        record = _ZIP64_EOCD.unpack(handle.read(_ZIP64_EOCD.size))
        if record[0] != b"PK\x06\x06":
            raise damaged(file, "not a ZIP archive")
        count, size = record[7], record[8]
    if count > MAX_MEMBERS or size > MAX_DIRECTORY:
        raise damaged(file, "too many files inside")
    handle.seek(0)


def open_zip(plain: bytes, file: str) -> Opened:
    """An unencrypted ZIP (the setup file) read whole: every check of a bundle, then every
    entry the manifest lists."""
    opened = _open_archive(io.BytesIO(plain), file)
    opened.sha256 = hashlib.sha256(plain).hexdigest()
    opened.read_entries(_check_manifest(opened.manifest, file))
    opened.archive = None
    return opened


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, file: str,
          sha256: str | None = None) -> bytes:
    """One member, decompressed in chunks: never more than `limit` bytes (whatever the header
    says), never more than MAX_RATIO times its compressed size past the first MiB, and when
    `sha256` is given, hashed while read."""
    name = info.filename
    if info.file_size > limit or info.file_size > MAX_ENTRY:
        raise damaged(file, f"{name} is larger than announced")
    ratio_cap = max(CHUNK, MAX_RATIO * max(info.compress_size, 1))
    digest = hashlib.sha256()
    chunks = io.BytesIO()  # its value is handed over without a copy (a join doubled the peak)
    count = 0
    try:
        with archive.open(info) as handle:
            while chunk := handle.read(min(CHUNK, limit + 1 - count)):
                count += len(chunk)
                if count > limit:
                    raise damaged(file, f"{name} is larger than announced")
                if count > ratio_cap:
                    raise damaged(file, f"{name} is compressed suspiciously well")
                digest.update(chunk)
                chunks.write(chunk)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError,
            zlib.error) as exc:
        raise damaged(file, f"{name}: {exc}") from None
    if sha256 is not None and digest.hexdigest() != sha256:
        raise damaged(file, f"{name} does not match its checksum")
    return chunks.getvalue()


def _check_manifest(manifest: Any, file: str) -> dict[str, tuple[str, int]]:
    """The envelope every manifest shares (bundles and setup files): format and entry list."""
    from da8desktop.core.sync.manifest import envelope_entries  # the models import this module

    return envelope_entries(manifest, file)

"""Attaching a photo or scan to a group, meeting or activity. Files are copied into a folder
beside the database, named by their SHA-256 (the same photo attached twice is stored once), so a
copied data folder keeps its attachments."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import stat
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from da8desktop.core.db.database import Database
from da8desktop.core.db.models import Activity, Attachment, Group
from da8desktop.core import fields as declared
from da8desktop.core import atomic_write
from da8desktop.core.disk_errors import disk_error, remove_quietly
from da8desktop.core.errors import UserFacingError, ValidationFailed
from da8desktop.core.i18n import QT_TRANSLATE_NOOP
from da8desktop.core.services.records import WriteResult

OWNERS = {"community_group": Group, "activity": Activity}
SHA256 = re.compile(r"[0-9a-f]{64}")
# What of a file name becomes part of a stored file's name: a short plain extension, or nothing.
STORED_SUFFIX = re.compile(r"\.[a-z0-9]{1,10}")
MAX_SUFFIX = 16
# Never in a file name on any system we run on: separators, a drive colon, control characters.
_FORBIDDEN_IN_NAME = re.compile(r"[/\\:\x00-\x1f\x7f]")
MAX_BYTES = 50 * 1024 * 1024
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp"}


@dataclass(frozen=True)
class AttachmentRow:
    id: uuid.UUID
    file_name: str
    caption: str | None
    path: Path
    is_image: bool
    added_on: dt.date


ATTACHMENTS_DIR_KEY = "attachments_dir"


def attachments_dir(db: Database) -> Path:
    """Beside the data file; on a server database, the shared folder its officers agreed on
    (setting `attachments_dir`, e.g. a network share), else a folder of this computer's user
    named after the database."""
    if db.file is not None:
        return db.file.parent / f"{db.file.stem}-attachments"
    from da8desktop.core.db.models import Setting

    with db.read() as session:
        shared = session.get(Setting, ATTACHMENTS_DIR_KEY)
    if shared is not None and shared.value:
        return Path(str(shared.value))
    from sqlalchemy.engine import make_url

    from da8desktop.core.paths import user_data_dir

    return user_data_dir() / "attachments" / (make_url(db.url).database or "server")


def file_name_problem(file_name: str) -> str | None:
    """Why `file_name` cannot be an attachment's name (it arrives in bundles too), or None."""
    if not file_name or file_name.strip(" .") == "":
        return "file_name is empty"
    if _FORBIDDEN_IN_NAME.search(file_name):
        return "file_name holds a folder separator, a drive or a control character"
    suffix = file_name.rpartition(".")[2] if "." in file_name else ""
    if len(suffix) > MAX_SUFFIX and not any(c.isspace() for c in suffix):  # "12.3 thôn X": words
        return f"file_name has an extension longer than {MAX_SUFFIX} characters"
    return None


def stored_suffix(file_name: str) -> str:
    """The extension a stored file keeps: short, lowercase letters and digits, or none."""
    suffix = file_name.rpartition(".")[2].lower() if "." in file_name else ""
    return f".{suffix}" if STORED_SUFFIX.fullmatch(f".{suffix}") else ""


class UnsafeAttachment(UserFacingError):
    """A stored attachment row whose hash or name cannot name a file inside the folder."""


def stored_path(db: Database, sha256: str, file_name: str) -> Path:
    """Where the file of an attachment lives. The hash and name come from rows that may have
    arrived in a bundle: the result is proved to stay inside the attachments folder."""
    if not isinstance(sha256, str) or not SHA256.fullmatch(sha256) \
            or not isinstance(file_name, str):
        raise _unsafe()
    base = attachments_dir(db)
    path = base / sha256[:2] / (sha256 + stored_suffix(file_name))
    if not path.resolve().is_relative_to(base.resolve()):
        raise _unsafe()
    return path


def _unsafe() -> UnsafeAttachment:
    return UnsafeAttachment(QT_TRANSLATE_NOOP(
        "Attachments", "A stored attachment has a damaged hash or file name, so its file is not "
        "used. Attach the document again."))


def add_attachment(db: Database, owner_table: str, owner_id: uuid.UUID, source: Path,
                   caption: str | None = None) -> WriteResult:
    source = Path(source)
    if db.read_only:
        from da8desktop.core.db.database import read_only_media

        raise read_only_media(db.file)
    if file_name_problem(source.name):
        raise UserFacingError(QT_TRANSLATE_NOOP(
            "Attachments", "The name of {file} cannot be used for an attachment. Rename the "
            "file with a short extension (such as .jpg or .pdf) and attach it again."),
            file=source.name)
    too_long = declared.problems("attachment", {"file_name": source.name, "caption": caption})
    if too_long:  # the province would refuse it (core/fields.py)
        raise ValidationFailed(too_long)
    too_big = UserFacingError(QT_TRANSLATE_NOOP(
        "Attachments", "{file} is larger than 50 MB. Attach a smaller scan or photo."),
        file=source.name)
    try:
        info = source.stat()
    except OSError as exc:
        raise UserFacingError(QT_TRANSLATE_NOOP("Attachments", "Cannot read {file}: {reason}"),
                              file=str(source), reason=exc.strerror or str(exc)) from exc
    if not stat.S_ISREG(info.st_mode):  # a folder, a pipe or a device never ends or never fits
        raise UserFacingError(QT_TRANSLATE_NOOP(
            "Attachments", "{file} is not an ordinary file. Choose a photo or a scanned document."),
            file=source.name)
    if info.st_size > MAX_BYTES:
        raise too_big
    # Read once, counting: the file is hashed into a .part beside the store and refused the
    # moment it passes the limit (it may grow after stat, or be on a stick pulled out mid-copy).
    store = attachments_dir(db)
    partial = store / f"incoming-{uuid.uuid4().hex}.part"
    digest, size = hashlib.sha256(), 0
    try:
        store.mkdir(parents=True, exist_ok=True)
        with source.open("rb") as handle, partial.open("wb") as out:
            for block in iter(lambda: handle.read(1 << 20), b""):
                size += len(block)
                if size > MAX_BYTES:
                    raise too_big
                digest.update(block)
                out.write(block)
        sha256 = digest.hexdigest()
        target = stored_path(db, sha256, source.name)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            # never a half-copied file under the final name
            atomic_write.replace(partial, target, flush=True)
    except OSError as exc:
        raise disk_error(exc, source if exc.filename == str(source) else store) from exc
    finally:
        remove_quietly(partial)
    with db.write() as uow:
        owner = uow.session.get(OWNERS[owner_table], owner_id)
        if owner is None or owner.deleted:
            raise UserFacingError(QT_TRANSLATE_NOOP(
                "Attachments", "The group or activity no longer exists."))
        row = Attachment(owner_table=owner_table, owner_id=owner_id, file_name=source.name,
                         sha256=sha256, size_bytes=size, caption=caption,
                         added_on=dt.date.today())
        uow.add(row, audit=source.name)
        return WriteResult(row.id)


def list_attachments(db: Database, owner_table: str, owner_id: uuid.UUID) -> list[AttachmentRow]:
    with db.read() as session:
        rows = session.scalars(select(Attachment).where(
            Attachment.owner_table == owner_table, Attachment.owner_id == owner_id,
            Attachment.deleted.is_(False)).order_by(Attachment.added_on, Attachment.id))
        found = []
        for a in rows:
            try:
                path = stored_path(db, a.sha256, a.file_name)
            except UnsafeAttachment:
                continue  # a damaged row names no file that may be opened
            found.append(AttachmentRow(a.id, a.file_name, a.caption, path,
                                       stored_suffix(a.file_name) in IMAGE_SUFFIXES, a.added_on))
        return found


def remove_attachment(db: Database, attachment_id: uuid.UUID) -> None:
    """Tombstone only: the file stays, so the removal can be undone."""
    with db.write() as uow:
        row = uow.session.get(Attachment, attachment_id)
        if row is not None and not row.deleted:
            uow.set_deleted(row, True, audit=row.file_name)

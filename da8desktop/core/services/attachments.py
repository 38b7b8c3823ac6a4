"""Attaching a photo or scan to a group, meeting or activity. Files are copied into a folder
beside the database, named by their SHA-256 (the same photo attached twice is stored once), so a
copied data folder keeps its attachments."""

from __future__ import annotations

import datetime as dt
import hashlib
import stat
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from da8desktop.core.db.database import Database
from da8desktop.core.db.models import Activity, Attachment, Group
from da8desktop.core.disk_errors import disk_error, remove_quietly
from da8desktop.core.errors import UserFacingError
from da8desktop.core.i18n import QT_TRANSLATE_NOOP
from da8desktop.core.services.records import WriteResult

OWNERS = {"community_group": Group, "activity": Activity}
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


def stored_path(db: Database, sha256: str, file_name: str) -> Path:
    return attachments_dir(db) / sha256[:2] / (sha256 + Path(file_name).suffix.lower())


def add_attachment(db: Database, owner_table: str, owner_id: uuid.UUID, source: Path,
                   caption: str | None = None) -> WriteResult:
    source = Path(source)
    if db.read_only:
        from da8desktop.core.db.database import read_only_media

        raise read_only_media(db.file)
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
            partial.replace(target)  # never a half-copied file under the final name
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
        return [AttachmentRow(a.id, a.file_name, a.caption, stored_path(db, a.sha256, a.file_name),
                              Path(a.file_name).suffix.lower() in IMAGE_SUFFIXES, a.added_on)
                for a in rows]


def remove_attachment(db: Database, attachment_id: uuid.UUID) -> None:
    """Tombstone only: the file stays, so the removal can be undone."""
    with db.write() as uow:
        row = uow.session.get(Attachment, attachment_id)
        if row is not None and not row.deleted:
            uow.set_deleted(row, True, audit=row.file_name)

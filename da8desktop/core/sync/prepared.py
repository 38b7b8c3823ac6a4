"""Import once (issue 23 item 4): the officer's preview and the commit that follows it use one
reading of each bundle. The preview decrypts the file, authenticates the sender, checks and
decodes every record (importer.read_bundle) and merges it in a transaction that is rolled back;
the commit then merges that same decoded bundle in a transaction that is kept. It does not
decrypt, unzip or parse the file again.

What may change between the two, and what the commit does about it:

- the file on the stick: it is hashed again (no decryption: a hash of the bytes) and a file that
  is no longer the one previewed is refused, as before ("changed since the preview");
- the database (another import, the officer's edits, a revoked computer): nothing kept from the
  preview depends on it. The commit authenticates the sender again, checks again that the file
  was not imported meanwhile, and merges against the database as it is then; its report, not
  the preview's, is what the officer is shown afterwards.

The centre reads the provinces' bundles the same way (central_import.read_central, then
apply_central): at the centre every file is of the national tier, read by central_import from
the start, as the importer would hand it over after reading its manifest.

A folder of 150 bundles is not held in memory between preview and commit: decoded bundles are
kept up to KEEP_RECORDS records in all, and the others are read again at commit (still checked
against the hash their preview showed)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from da8desktop.core.db.database import Database
from da8desktop.core.db.dialect import refresh_statistics
from da8desktop.core.db.backup import backup_sqlite
from da8desktop.core.progress import Progress, no_progress
from da8desktop.core.sync.container import CHUNK, MAX_FILE, BundleRejected
from da8desktop.core.db.models import Installation
from da8desktop.core.domain import Role
from da8desktop.core.sync.central_import import CentralBundle, apply_central, import_central_file
from da8desktop.core.sync.importer import (Bundle, ImportReport, apply_bundle, bundle_files,
                                           changed_since_preview, fewer_collections,
                                           read_and_apply)
from da8desktop.core.sync.keys import SiteKeys

# Decoded records kept between a preview and its commit, over all files: about 100 MB, a few
# commune bundles. Beyond it a file is read again at commit.
KEEP_RECORDS = 80_000


@dataclass(eq=False)
class PreparedImport:
    """One file previewed: its report, and (while kept) the bundle as read and decoded."""

    path: Path
    report: ImportReport
    bundle: Bundle | CentralBundle | None = None

    @property
    def kept(self) -> bool:
        return self.bundle is not None

    def release(self) -> None:
        """Let the decoded bundle go (the officer cancelled, or it was committed)."""
        self.bundle = None


def prepare_paths(db: Database, paths: list[Path], *, progress: Progress = no_progress,
                  keys: SiteKeys | None = None,
                  keep_records: int = KEEP_RECORDS) -> list[PreparedImport]:
    """The preview of every bundle of `paths` (files, or folders as import_paths reads them),
    each bundle read once and kept for `commit_prepared` while the kept records stay within
    `keep_records`."""
    files = bundle_files(paths)
    prepared: list[PreparedImport] = []
    room = keep_records
    centre = _is_centre(db)
    for number, path in enumerate(files):
        progress(number, len(files))
        read: list[Bundle | CentralBundle] = []
        if centre:
            report = import_central_file(db, path, path.name, True, None, None, keys=keys,
                                         keep=read.append)
        else:
            report = read_and_apply(db, path, dry_run=True, keys=keys, keep=read.append)
        item = PreparedImport(path, report)
        if read and _worth_keeping(report) and read[0].records <= room:
            item.bundle = read[0]
            room -= read[0].records
        prepared.append(item)
    progress(len(files), len(files))
    return prepared


def _is_centre(db: Database) -> bool:
    with db.read() as session:
        inst = session.get(Installation, 1)
        return inst is not None and inst.role == Role.CENTRAL.value


def _worth_keeping(report: ImportReport) -> bool:
    """What a commit applies: a previewed bundle, or one of a computer awaiting confirmation
    (its import registers it)."""
    return report.status == "dry_run" or report.reason == "unconfirmed"


def commit_prepared(db: Database, prepared: list[PreparedImport], *,
                    progress: Progress = no_progress, keys: SiteKeys | None = None,
                    details: bool = True) -> list[ImportReport]:
    """Import the previewed files, each exactly as previewed: a kept bundle is applied as it
    was decoded, after the file was hashed again; another is read again, refused when its
    hash differs from its preview's. One restore point before the first file applied, as
    import_paths makes it: a plain copy, which the caller compresses after the import, outside
    the officer's wait (`backup.compress_waiting_backups`)."""
    reports: list[ImportReport] = []
    restore_point = db.file is None

    def before_apply() -> None:
        nonlocal restore_point
        if not restore_point and db.file is not None:
            backup_sqlite(db.file, "before-sync-import", compress=False)
            restore_point = True

    for number, item in enumerate(prepared):
        progress(number, len(prepared))
        report = _commit_one(db, item, before_apply, keys)
        item.release()  # committed or refused: a second commit reads the file again
        if not details:
            report.drop_details()
        reports.append(report)
    if any(r.status == "applied" for r in reports):
        refresh_statistics(db.engine)  # the file may have grown many times over
    progress(len(prepared), len(prepared))
    return reports


def _commit_one(db: Database, item: PreparedImport, before_apply: Callable[[], None],
                keys: SiteKeys | None) -> ImportReport:
    expected = item.report.sha256
    bundle = item.bundle
    if bundle is None or expected is None:
        return read_and_apply(db, item.path, expect_sha256=expected,
                              before_apply=before_apply, keys=keys)
    try:
        if file_sha256(item.path) != expected:
            raise changed_since_preview(bundle.name)
        if isinstance(bundle, CentralBundle):
            return apply_central(db, bundle, before_apply=before_apply)
        with fewer_collections():
            return apply_bundle(db, bundle, before_apply=before_apply)
    except BundleRejected as exc:
        return ImportReport(bundle.name, "rejected", exc.message(), exc.reason, sha256=expected)


def file_sha256(path: Path) -> str | None:
    """The SHA-256 of the file as it is now on the stick (None: gone, unreadable or larger
    than any bundle, none of which is the file previewed). Read in pieces; nothing is
    decrypted."""
    digest = hashlib.sha256()
    count = 0
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(CHUNK):
                count += len(chunk)
                if count > MAX_FILE:
                    return None
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()

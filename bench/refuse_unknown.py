"""Issue 17, item 3: what refusing an unauthenticated bundle costs.

Builds a province data file, then a bundle of SIZE MB (one random, incompressible attachment
entry) encrypted to that province's real key and signed by a key nobody registered, and runs
`da8desktop sync import` on it in a subprocess. Prints the wall time, that child's peak RSS
(os.wait4's rusage, i.e. getrusage(RUSAGE_CHILDREN) restricted to that one child), the bytes
it wrote to files (the temporary copy included) and its answer. Goal: under 5 s and under
100 MB whatever the size (try --size-mb 1000).

    PYTHONPATH=$PWD /work/venv/bin/python bench/refuse_unknown.py [--size-mb 100] [--keep DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile
from pathlib import Path

ENV = {"DA8_KEY_PASSPHRASE": "bench passphrase", "DA8_KEYRING": "off"}


def make_province(folder: Path) -> tuple[Path, str, str]:
    """A province data file; returns it, its signing key and its age recipient."""
    os.environ.update(ENV)
    from da8desktop.core.db.database import Database
    from da8desktop.core.sync.enrol import province_init

    path = folder / "tinh.sqlite"
    db = Database.open(path)
    province_init(db, "11")
    from da8desktop.core.db.models import Installation

    with db.read() as session:
        inst = session.get(Installation, 1)
        sign_public, box_public = inst.sign_public, inst.box_public
    db.close()
    return path, sign_public, box_public


def make_bundle(folder: Path, size_mb: int, target_sign: str, target_box: str) -> Path:
    from da8desktop.core.db.migrate import BUNDLE_SCHEMA
    from da8desktop.core.sync import codec
    from da8desktop.core.sync import container, keys

    stranger = keys.generate()
    parts = []  # attachments of at most 256 MiB (one entry may hold 512 MiB, all 1 GiB)
    for start in range(0, size_mb, 256):
        seed, mb = os.urandom(16), min(256, size_mb - start)
        digest = hashlib.sha256()
        for chunk in _blob(seed, mb):  # random, incompressible, never held whole
            digest.update(chunk)
        parts.append((seed, mb, digest.hexdigest()))
    manifest = {
        "format": container.FORMAT, "format_version": container.FORMAT_VERSION,
        "schema": BUNDLE_SCHEMA, "min_reader_schema": BUNDLE_SCHEMA, "app_version": "0.1.0",
        "bundle_id": str(uuid.uuid4()), "kind": "delta",
        "created_at": dt.datetime.now(dt.timezone.utc).replace(tzinfo=None).isoformat(
            timespec="seconds"),
        "seq": 1, "previous_bundle": None,
        "source": {"site": str(uuid.uuid4()), "sign_public": stranger.sign_public,
                   "role": "commune", "province": "11", "commune": "03325", "label": "Xã ?"},
        "target": {"sign_public": target_sign, "role": "province", "province": "11",
                   "commune": None, "label": "Tỉnh Điện Biên"},
        "ranges": {}, "knowledge": {}, "summaries": [],
        "entries": [{"path": f"files/{sha}", "sha256": sha, "bytes": mb << 20, "records": 1}
                    for _seed, mb, sha in parts],
    }
    body = codec.dumps(manifest).encode()
    plain = folder / "plain.zip"
    with zipfile.ZipFile(plain, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("manifest.json", body)
        archive.writestr("manifest.sig", stranger.sign(body))
        for seed, mb, sha in parts:
            with archive.open(f"files/{sha}", "w", force_zip64=True) as member:
                for chunk in _blob(seed, mb):
                    member.write(chunk)
    import pyrage
    from pyrage import x25519

    bundle = folder / "da8-xa03325-0000-to-tinh11-20261201-0001.da8"
    with plain.open("rb") as reader, bundle.open("wb") as writer:
        pyrage.encrypt_io(reader, writer, [x25519.Recipient.from_str(target_box)])
    plain.unlink()
    return bundle


def _blob(seed: bytes, size_mb: int):  # noqa: ANN202
    """The attachment, 1 MiB at a time, the same bytes each time it is asked for."""
    for index in range(size_mb):
        block = bytearray()
        counter = 0
        while len(block) < 1 << 20:  # SHAKE as a fast, seeded stream of random bytes
            block += hashlib.shake_256(seed + index.to_bytes(8, "big")
                                       + counter.to_bytes(8, "big")).digest(1 << 16)
            counter += 1
        yield bytes(block)


def build(folder: Path, size_mb: int) -> None:
    province, sign, box = make_province(folder)
    make_bundle(folder, size_mb, sign, box)
    print(province)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-mb", type=int, default=100)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument("--build-only", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build_only:
        build(args.build_only, args.size_mb)
        return 0
    folder = args.keep or Path(tempfile.mkdtemp(prefix="da8-bench-refuse-"))
    folder.mkdir(parents=True, exist_ok=True)
    # Built in another process: a child's peak RSS includes its parent's memory up to exec,
    # so this process stays small and measures the import's own child with wait4.
    env = dict(os.environ, **ENV)
    subprocess.run([sys.executable, __file__, "--build-only", str(folder), "--size-mb",
                    str(args.size_mb)], check=True, env=env, stdout=subprocess.DEVNULL)
    province = folder / "tinh.sqlite"
    [bundle] = folder.glob("*.da8")
    command = [sys.executable, "-m", "da8desktop", "--db", str(province), "--lang", "en",
               "sync", "import", str(bundle)]
    with tempfile.TemporaryFile("w+") as out_file, tempfile.TemporaryFile("w+") as err_file:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=out_file, stderr=err_file, env=env, text=True)
        _pid, status, usage = os.wait4(child.pid, 0)  # this child's own rusage
        elapsed = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        out_file.seek(0)
        err_file.seek(0)
        out, err = out_file.read(), err_file.read()
    peak_kib = usage.ru_maxrss  # KiB on Linux
    print(f"bundle: {bundle.stat().st_size / 2**20:.1f} MiB ({bundle})")
    print(f"command: {' '.join(command)}")
    print(f"exit code: {child.returncode}")
    print(f"wall time: {elapsed:.2f} s")
    print(f"peak RSS of the import process: {peak_kib / 1024:.1f} MiB")
    # ru_oublock: bytes the child wrote to files (counted when written, even if the file --
    # e.g. the temporary copy of the decrypted bundle -- is deleted before reaching the disk)
    print(f"bytes written by the import process: {usage.ru_oublock * 512 / 2**20:.1f} MiB")
    print("answer: " + " ".join(out.split()))
    if err.strip():
        print("stderr: " + err.strip()[-500:])
    if args.keep is None:
        shutil.rmtree(folder, ignore_errors=True)
    return 0 if child.returncode == 3 and "not registered" in out else 1


if __name__ == "__main__":
    sys.exit(main())

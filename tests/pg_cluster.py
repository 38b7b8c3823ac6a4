"""A throw-away PostgreSQL cluster for the tests: Debian's server programs, a data folder in a
temporary directory, trust authentication on 127.0.0.1 and a free port.

    python -m tests.pg_cluster start FOLDER   # prints the URL; .ci/run exports it
    python -m tests.pg_cluster stop FOLDER

PostgreSQL refuses to run as root, so under root the cluster belongs to the `postgres` user
(which Debian's package creates) and its programs run through `runuser`. The cluster's collation
is C: the application compares its Vietnamese sort keys byte by byte, as SQLite does.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path


class Unavailable(Exception):
    pass


def _bin_dir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
                   key=lambda p: int(Path(p).parent.parent.name))
    if found:
        return Path(found[-1]).parent
    pg_ctl = shutil.which("pg_ctl")
    if pg_ctl:
        return Path(pg_ctl).parent
    raise Unavailable("the PostgreSQL server programs are not installed "
                      "(Debian: sudo apt-get install postgresql)")


def _as_owner(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    if shutil.which("runuser") is None:
        raise Unavailable("running as root without runuser: cannot start PostgreSQL")
    return ["runuser", "-u", "postgres", "--", *command]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(folder: Path) -> str:
    """Start a cluster in `folder` (made if needed) and return its SQLAlchemy URL."""
    bin_dir = _bin_dir()
    folder = Path(folder).resolve()
    data = folder / "data"
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        try:
            shutil.chown(folder, "postgres", "postgres")
        except (LookupError, PermissionError) as exc:
            raise Unavailable(f"no postgres user to own the cluster ({exc})") from exc
        folder.chmod(0o755)
        for parent in folder.parents:  # the postgres user must be able to reach the folder
            if parent == Path("/") or parent.stat().st_mode & 0o001:
                break
            parent.chmod(parent.stat().st_mode | 0o011)
    if not data.exists():
        _run(_as_owner([str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres",
                        "--auth=trust", "--encoding=UTF8", "--no-locale", "--no-sync"]))
    port = _free_port()
    options = (f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 "
               # Test data is thrown away: no need to wait for the disk.
               "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
               "-c max_connections=200")
    _run(_as_owner([str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options,
                    "-l", str(folder / "server.log"), "-w", "-t", "60", "start"]))
    (folder / "port").write_text(str(port))
    return f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"


def stop(folder: Path) -> None:
    data = Path(folder).resolve() / "data"
    if data.exists():
        subprocess.run(_as_owner([str(_bin_dir() / "pg_ctl"), "-D", str(data), "-m", "immediate",
                                  "stop"]), capture_output=True, check=False)


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise Unavailable(f"{Path(command[-1]).name if command else '?'}: "
                          f"{(done.stderr or done.stdout).strip()[-500:]}")


if __name__ == "__main__":
    action, where = sys.argv[1], Path(sys.argv[2])
    if action == "start":
        print(start(where))
    else:
        stop(where)

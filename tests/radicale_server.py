"""A real Radicale on loopback, for the sync tests and benchmarks: htpasswd users in a
plain file, collections in a folder of their own."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_radicale(
    folder: Path, tls: tuple[Path, Path] | None = None
) -> Iterator[tuple[str, Path]]:
    """Radicale serving `folder` (over HTTPS with `tls`: certificate and key files);
    yields its URL and its users file (add "user:password" lines to let users in)."""
    folder.mkdir(parents=True, exist_ok=True)
    users = folder / "users"
    users.write_text("", "utf-8")
    port = free_port()
    log = (folder / "log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "radicale", "--server-hosts", f"127.0.0.1:{port}",
         "--storage-filesystem-folder", str(folder / "collections"),
         "--auth-type", "htpasswd", "--auth-htpasswd-filename", str(users),
         "--auth-htpasswd-encryption", "plain", "--logging-level", "warning",
         *(["--server-ssl", "True", "--server-certificate", str(tls[0]),
            "--server-key", str(tls[1])] if tls else [])],
        stdout=subprocess.DEVNULL, stderr=log,
    )  # fmt: skip
    log.close()  # the server has its own copy
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((folder / "log").read_text()) from None
            time.sleep(0.1)
    try:
        yield f"{'https' if tls else 'http'}://127.0.0.1:{port}/", users
    finally:
        server.terminate()
        server.wait(30)

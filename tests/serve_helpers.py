"""A real ``ntmkit serve`` process on a free loopback port, for the service tests."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
PLUGIN_SETS = ROOT / "examples" / "ntmkit-nam-dinh" / "src" / "ntmkit_nam_dinh" / "sets"
SAMPLE = ROOT / "examples" / "communes.csv"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def running_server(*options: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """Start ``ntmkit serve`` with *options*; yield its base URL; stop it."""
    port = free_port()
    code = ("import sys; from ntmkit.cli import main; "
            f"sys.exit(main(['serve', '--port', '{port}', *{list(options)!r}]))")
    proc = subprocess.Popen([sys.executable, "-c", code], env={**os.environ, **(env or {})},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(url + "/openapi.json", timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    _, err = proc.communicate(timeout=5)
                    raise RuntimeError(f"the server did not start: {err.decode()}") from None
                time.sleep(0.05)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover
            proc.kill()
            proc.wait()
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()

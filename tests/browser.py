"""Headless Chromium for the page and report tests: which browser, how it starts."""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

#: The system's Chromium (Debian's ``chromium``), or the one ``NTMKIT_CHROMIUM`` names.
CHROMIUM = os.environ.get("NTMKIT_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]

#: Skip a module's tests where no Chromium is installed.
needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="no Chromium installed")


@contextlib.contextmanager
def launched(sync_api: Any) -> Iterator[Any]:
    """A Chromium browser driven by Playwright's sync API, closed afterwards."""
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()

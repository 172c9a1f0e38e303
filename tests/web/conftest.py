"""A real `dialin serve` and a real headless Chromium for the web page's tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from tests.browser import DEADLINE_S, free_port, open_chromium


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    """`dialin serve` on a free port, on its own demo database under tmp_path."""
    port = free_port()
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data"),
           "XDG_CONFIG_HOME": str(tmp_path / "config")}
    log_path = tmp_path / "serve.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "assistant.cli", "serve", "--port", str(port),
             "--db", str(tmp_path / "dialin.db")],
            env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + DEADLINE_S
            while True:
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=1):
                        break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        pytest.fail("dialin serve did not start: "
                                    + log_path.read_text(errors="replace"))
                    time.sleep(0.1)
            yield f"http://127.0.0.1:{port}"
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=10)


@pytest.fixture
async def chromium(tmp_path: Path) -> AsyncIterator[str]:
    async with open_chromium(tmp_path / "chromium") as endpoint:
        yield endpoint

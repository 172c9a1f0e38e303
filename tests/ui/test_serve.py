"""`dialin serve --terminal` in a real browser: headless Chromium loads the page, the page runs the
kiosk over its websocket, and the kiosk's welcome reaches the browser.

The page draws the terminal on a canvas, so the welcome is looked for in what Chromium
received over the app's websocket (the Chrome DevTools protocol reports every frame), and
the page's own state says it has shown the terminal.
"""

from __future__ import annotations

import asyncio
import base64
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

pytestmark = pytest.mark.slow

DEADLINE_S = 60.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def dialin_program() -> Path:
    return Path(sys.executable).with_name("dialin")


LOOPBACK = {"0100007F", "00000000000000000000000001000000"}
"""127.0.0.1 and ::1 as /proc/net/tcp and tcp6 write them."""


def listening_addresses(port: int) -> set[str]:
    """The local addresses (in /proc/net hex) with a socket listening on `port`."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            address, _, hex_port = fields[1].partition(":")
            if int(hex_port, 16) == port and fields[3] == "0A":  # 0A: LISTEN
                found.add(address)
    return found


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    """`dialin serve` on a free port, with its data and settings under tmp_path."""
    port = free_port()
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data"),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "TERM": "xterm-256color"}
    log = (tmp_path / "serve.log").open("wb")
    server = subprocess.Popen([str(dialin_program()), "serve", "--terminal", "--port", str(port)],
                              cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://localhost:{port}"
    try:
        deadline = time.monotonic() + DEADLINE_S
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("dialin serve did not start: "
                                + (tmp_path / "serve.log").read_text(errors="replace"))
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
        log.close()


@pytest.fixture
async def chromium(tmp_path: Path) -> AsyncIterator[str]:
    """Headless Chromium with its DevTools endpoint; yields the endpoint's base URL."""
    program = shutil.which("chromium")
    if program is None:
        pytest.fail("chromium is missing: run scripts/setup (Debian package chromium)")
    profile = tmp_path / "chromium"
    browser = subprocess.Popen(
        [program, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={profile}", "--remote-debugging-port=0",
         "--window-size=1280,800", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        active = profile / "DevToolsActivePort"
        deadline = time.monotonic() + DEADLINE_S
        while not active.exists() or not active.read_text().strip():
            if browser.poll() is not None or time.monotonic() > deadline:
                pytest.fail("chromium did not open its DevTools endpoint")
            await asyncio.sleep(0.1)
        yield f"http://127.0.0.1:{active.read_text().split()[0]}"
    finally:
        browser.terminate()
        try:
            browser.wait(timeout=10)
        except subprocess.TimeoutExpired:
            browser.kill()
            browser.wait(timeout=10)


class DevTools:
    """The few DevTools calls this test needs, over one page's websocket."""

    def __init__(self, socket_: aiohttp.ClientWebSocketResponse) -> None:
        self.socket = socket_
        self.next_id = 0
        self.frames: list[bytes] = []
        """Everything the page received on its websockets."""

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        ident = self.next_id
        await self.socket.send_json({"id": ident, "method": method, "params": params})
        while True:
            message = await self.socket.receive_json(timeout=DEADLINE_S)
            self.note(message)
            if message.get("id") == ident:
                return dict(message.get("result", {}))

    async def pump(self, seconds: float) -> None:
        """Collect events for a while."""
        try:
            while True:
                self.note(await self.socket.receive_json(timeout=seconds))
        except TimeoutError:
            return

    def note(self, message: dict[str, Any]) -> None:
        if message.get("method") == "Network.webSocketFrameReceived":
            response = message["params"]["response"]
            data = response["payloadData"]
            self.frames.append(base64.b64decode(data) if response["opcode"] == 2
                               else data.encode())

    @property
    def received(self) -> str:
        return b"".join(self.frames).decode("utf-8", "replace")


async def test_the_browser_page_shows_the_kiosk_welcome(served: str, chromium: str) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.put(f"{chromium}/json/new?about:blank") as response:
            page = await response.json(content_type=None)
        async with http.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0) as ws:
            tools = DevTools(ws)
            await tools.call("Network.enable")
            await tools.call("Page.enable")
            await tools.call("Page.navigate", url=served)
            deadline = time.monotonic() + DEADLINE_S
            while "Welcome to the billing line" not in tools.received \
                    and time.monotonic() < deadline:
                await tools.pump(0.5)
            state = await tools.call("Runtime.evaluate",
                                     expression="document.body.className + '|' + document.title")
    received = tools.received
    assert "Welcome to the billing line" in received, received[-2000:]
    assert "Dialin billing line" in received
    assert "Keypad" in received
    classes, _, _ = state["result"]["value"].partition("|")
    assert "-first-byte" in classes.split(), "the page never showed the terminal"


def test_the_server_listens_on_this_machine_only(served: str) -> None:
    addresses = listening_addresses(int(served.rsplit(":", 1)[1]))
    assert addresses, "nothing listens on the port"
    assert addresses <= LOOPBACK, f"listening beyond loopback: {addresses}"


def test_serve_is_for_this_machine_unless_told() -> None:
    from typer.testing import CliRunner

    from assistant.cli import app

    runner = CliRunner()
    shown = runner.invoke(app, ["serve", "--help"], env={"COLUMNS": "120"})
    assert shown.exit_code == 0
    assert "localhost" in shown.output
    refused = runner.invoke(app, ["serve", "--port", "0"])
    assert refused.exit_code != 0
    assert "--port" in refused.output

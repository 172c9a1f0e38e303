"""Headless Chromium over the DevTools protocol, for tests that use a page as a person does.

`open_chromium()` starts the browser installed by scripts/setup; `Page` drives one tab:
navigate, press keys one at a time (Tab, Enter, characters) exactly as a keyboard does,
read the page's state and its accessibility tree, inject axe-core from node_modules.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import shutil
import socket
import subprocess
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

DEADLINE_S = 60.0
ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

KEYS = {
    "Enter": ("Enter", "Enter", 13, "\r"),
    "Tab": ("Tab", "Tab", 9, ""),
    "Escape": ("Escape", "Escape", 27, ""),
    "Space": (" ", "Space", 32, " "),
    "ArrowDown": ("ArrowDown", "ArrowDown", 40, ""),
}
"""Named keys: (key, code, Windows key code, the text the key types)."""

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.asynccontextmanager
async def open_chromium(profile: Path, width: int = 1280, height: int = 800
                        ) -> AsyncIterator[str]:
    """Headless Chromium; yields its DevTools endpoint's base URL."""
    program = shutil.which("chromium")
    if program is None:
        pytest.fail("chromium is missing: run scripts/setup (Debian package chromium)")
    browser = subprocess.Popen(
        [program, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={profile}", "--remote-debugging-port=0",
         f"--window-size={width},{height}", "about:blank"],
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


class Page:
    """One browser tab."""

    def __init__(self, socket_: aiohttp.ClientWebSocketResponse) -> None:
        self.socket = socket_
        self.next_id = 0
        self.events: list[dict[str, Any]] = []
        self.frames: list[bytes] = []
        """Everything the page received on its websockets."""

    @classmethod
    @contextlib.asynccontextmanager
    async def open(cls, endpoint: str) -> AsyncIterator[Page]:
        async with aiohttp.ClientSession() as http:
            async with http.put(f"{endpoint}/json/new?about:blank") as response:
                target = await response.json(content_type=None)
            async with http.ws_connect(target["webSocketDebuggerUrl"], max_msg_size=0) as ws:
                page = cls(ws)
                await page.call("Network.enable")
                await page.call("Page.enable")
                await page.call("Runtime.enable")
                yield page

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        ident = self.next_id
        await self.socket.send_json({"id": ident, "method": method, "params": params})
        while True:
            message = await self.socket.receive_json(timeout=DEADLINE_S)
            self.note(message)
            if message.get("id") == ident:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return dict(message.get("result", {}))

    def note(self, message: dict[str, Any]) -> None:
        if "method" not in message:
            return
        self.events.append(message)
        if message["method"] == "Network.webSocketFrameReceived":
            response = message["params"]["response"]
            data = response["payloadData"]
            self.frames.append(base64.b64decode(data) if response["opcode"] == 2
                               else data.encode())

    async def pump(self, seconds: float) -> None:
        """Collect events for a while."""
        try:
            while True:
                self.note(await self.socket.receive_json(timeout=seconds))
        except TimeoutError:
            return

    @property
    def received(self) -> str:
        return b"".join(self.frames).decode("utf-8", "replace")

    async def goto(self, url: str) -> None:
        await self.call("Page.navigate", url=url)
        await self.wait_for("document.readyState === 'complete'")

    async def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (awaited if a promise)."""
        result = await self.call("Runtime.evaluate", expression=expression,
                                 returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    async def wait_for(self, expression: str, seconds: float = DEADLINE_S) -> Any:
        """Wait until `expression` is truthy in the page; its value."""
        deadline = time.monotonic() + seconds
        while True:
            value = await self.evaluate(expression)
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"the page never satisfied {expression}")
            await asyncio.sleep(0.05)

    async def press(self, name: str, shift: bool = False) -> None:
        """One named key (Tab, Enter, ...), down and up, as a keyboard sends it."""
        key, code, vk, text = KEYS[name]
        modifiers = 8 if shift else 0
        await self.call("Input.dispatchKeyEvent", type="keyDown", key=key, code=code,
                        windowsVirtualKeyCode=vk, text=text, modifiers=modifiers)
        await self.call("Input.dispatchKeyEvent", type="keyUp", key=key, code=code,
                        windowsVirtualKeyCode=vk, modifiers=modifiers)

    async def type(self, text: str) -> None:
        """Characters typed one key at a time."""
        for char in text:
            await self.call("Input.dispatchKeyEvent", type="keyDown", key=char, text=char)
            await self.call("Input.dispatchKeyEvent", type="keyUp", key=char)

    async def focused(self) -> str:
        """The focused element, as `tag#id` or its text."""
        return str(await self.evaluate(
            "(e => e ? `${e.tagName.toLowerCase()}#${e.id}|${e.textContent.trim()}` : '')"
            "(document.activeElement)"))

    async def axe(self) -> list[dict[str, Any]]:
        """axe-core's WCAG 2.2 A and AA violations on the page as it is now; a contrast it
        could not decide counts too (text must be checkably readable)."""
        if not AXE.is_file():
            pytest.fail(f"{AXE} is missing: run scripts/setup (npm install axe-core)")
        if not await self.evaluate("typeof axe !== 'undefined'"):
            await self.call("Runtime.evaluate", expression=AXE.read_text(encoding="utf-8"))
        found = await self.evaluate(
            "axe.run(document, {runOnly: {type: 'tag', values: " + json.dumps(WCAG_TAGS)
            + "}}).then(r => JSON.stringify(r.violations.concat(r.incomplete.filter("
            "i => i.id === 'color-contrast')).map(v => ({id: v.id, impact: v.impact, "
            "help: v.help, nodes: v.nodes.map(n => n.target.join(' ') + ': ' + "
            "(n.failureSummary || n.any.map(a => a.message).join('; ')))}))))")
        return list(json.loads(found))

    async def screenshot(self, path: Path) -> None:
        shot = await self.call("Page.captureScreenshot", format="png")
        path.write_bytes(base64.b64decode(shot["data"]))

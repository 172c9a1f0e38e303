"""The page's websocket as a hostile or careless client uses it: the call goes on, a bad
message gets a plain notice, a foreign site and the call beyond the limit are turned away."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncIterator

import pytest
from aiohttp import ClientWebSocketResponse, WSServerHandshakeError
from aiohttp.test_utils import TestClient, TestServer

from assistant.billing import BillingService
from assistant.web import view
from assistant.web.server import WebConfig, make_app

NOW = dt.datetime(2026, 11, 30, 10, 0)


@pytest.fixture
async def client() -> AsyncIterator[TestClient]:
    config = WebConfig(open_service=lambda _db: BillingService.open_memory(today=NOW.date()),
                       clock=lambda: NOW, max_calls=2)
    async with TestClient(TestServer(make_app(config))) as test_client:
        yield test_client


async def connect(client: TestClient, query: str = "") -> ClientWebSocketResponse:
    origin = str(client.make_url("/")).rstrip("/")
    return await client.ws_connect("/ws" + query, headers={"Origin": origin})


async def turn(socket: ClientWebSocketResponse) -> dict:
    return dict(await socket.receive_json(timeout=10))


async def test_a_typed_sign_in_reaches_the_balance_and_the_pin_never_comes_back(
        client: TestClient) -> None:
    socket = await connect(client, "?lang=en")
    first = await turn(socket)
    assert first["expect"]["kind"] == "intent"
    frames = []
    for line in ("1", "10000001", "1234"):
        await socket.send_json({"type": "line", "value": line})
        frames.append(await turn(socket))
    assert frames[1]["expect"]["secret"] is True
    assert frames[2]["caller"] is not None and "1234" not in frames[2]["caller"]
    assert "$89.97" in " ".join(p["text"] for p in frames[2]["prompts"])
    assert "1234" not in json.dumps(frames[2], ensure_ascii=False)
    await socket.close()


@pytest.mark.parametrize("raw", [
    "not json", "[]", '{"type": 3}', '{"type": "line", "value": 5}',
    '{"type": "keys", "value": "12a"}', '{"type": "command", "value": "pay"}',
    '{"type": "unknown"}', json.dumps({"type": "line", "value": "x" * 600}),
    "x" * (view.MAX_MESSAGE_BYTES + 1),
])
async def test_a_bad_message_gets_a_notice_and_the_call_goes_on(client: TestClient,
                                                                raw: str) -> None:
    socket = await connect(client, "?lang=en")
    await turn(socket)
    await socket.send_str(raw)
    notice = await turn(socket)
    assert notice["type"] == "notice" and notice["key"] == "web_refused"
    await socket.send_json({"type": "keys", "value": "1"})
    after = await turn(socket)
    assert after["type"] == "turn" and after["prompts"]
    await socket.close()


async def test_terminal_escapes_in_a_typed_line_never_come_back(client: TestClient) -> None:
    socket = await connect(client, "?lang=en")
    await turn(socket)
    await socket.send_json({"type": "line", "value": "\x1b[2Jbalance\x07\x00"})
    reply = await turn(socket)
    assert reply["caller"] is not None
    assert not any(ord(c) < 32 for c in reply["caller"])
    await socket.close()


async def test_another_site_cannot_open_a_call(client: TestClient) -> None:
    with pytest.raises(WSServerHandshakeError) as refused:
        await client.ws_connect("/ws", headers={"Origin": "http://evil.example"})
    assert refused.value.status == 403
    with pytest.raises(WSServerHandshakeError):
        await client.ws_connect("/ws")


async def test_the_call_beyond_the_limit_hears_the_lines_are_busy(client: TestClient) -> None:
    held = [await connect(client) for _ in range(2)]
    for socket in held:
        await turn(socket)
    extra = await connect(client)
    busy = await turn(extra)
    assert busy["type"] == "notice" and busy["key"] == "web_busy"
    assert "busy" in busy["text"]
    await held[0].close()
    again = await connect(client)
    assert (await turn(again))["type"] == "turn"
    for socket in (*held[1:], again, extra):
        await socket.close()


async def test_the_page_and_its_assets_come_from_this_server_only(client: TestClient) -> None:
    page = await client.get("/?lang=ko")
    html = await page.text()
    assert page.status == 200
    assert '<html lang="ko">' in html
    assert "http://" not in html and "https://" not in html
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]
    for asset in ("/static/dialin.js", "/static/dialin.css", "/themes/high-contrast.css"):
        response = await client.get(asset)
        assert response.status == 200, asset
        text = await response.text()
        assert "http://" not in text and "https://" not in text, asset
    assert (await client.get("/themes/neon.css")).status == 404
    assert (await client.get("/static/../server.py")).status in (403, 404)

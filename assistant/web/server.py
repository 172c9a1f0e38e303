"""`dialin serve`: the billing line as a web page, one call per open page.

aiohttp serves the page, its script, stylesheet and themes (nothing from another host) and
a websocket per call. Each websocket holds one `KioskCall` on its own connection to the
store, so a page caller goes through exactly the kiosk's session; the page only renders.
The number of calls at once is bounded, a websocket from another site is refused, and a
message is checked (`view.read_message`) before the session sees it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import json
import logging
import string
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from aiohttp import WSMsgType, web

from assistant.channels.kiosk import KioskCall, Turn
from assistant.dialog.packs import LanguagePack, load_packs
from assistant.dialog.session import SessionOptions
from assistant.ui.palette import THEME_NAMES, KioskTheme, load_themes
from assistant.ui.strings import UiStrings, load_strings
from assistant.web import view

log = logging.getLogger(__name__)

to_json = functools.partial(json.dumps, ensure_ascii=False)

STATIC = Path(__file__).with_name("static")
PAGE = Path(__file__).with_name("page.html")

MAX_CALLS = 16
"""Calls served at once unless told otherwise; the next page hears that the lines are busy."""

IDLE_S = 30 * 60.0
"""A call whose page sends nothing for this long is ended (the page's own time limits are
far shorter unless the caller turned them off)."""

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; "
                               "img-src 'self'; connect-src 'self'; base-uri 'none'; "
                               "form-action 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


@dataclass(slots=True)
class WebConfig:
    """What the server needs: where the accounts are, how many calls at once, the clock."""

    db: Path | None = None
    max_calls: int = MAX_CALLS
    clock: Callable[[], dt.datetime] = dt.datetime.now
    open_service: Callable[[Path | None], object] | None = None
    """Opens one call's billing service (default: `BillingService.open`)."""

    packs: dict[str, LanguagePack] = field(default_factory=load_packs)
    strings: UiStrings = field(default_factory=load_strings)
    themes: dict[str, KioskTheme] = field(default_factory=load_themes)


def theme_css(theme: KioskTheme) -> str:
    """A theme's colour roles as CSS custom properties (the same file the kiosk reads)."""
    lines = [f"  --{role}: {colour.hex};" for role, colour in sorted(theme.colours.items())]
    return ":root {\n" + "\n".join(lines) + "\n}\n"


def render_page(config: WebConfig, lang: str) -> str:
    """The page in `lang` (its labels filled in; the script keeps them current)."""
    table = view.page_strings(config.strings, lang)
    keys = "".join(
        f'<button type="button" class="key" data-key="{key}">{key}'
        + (f'<span class="visually-hidden" data-label="{name}"> {table[name]}</span>'
           if name else "") + "</button>"
        for key, name in [(k, "") for k in "123456789"]
        + [("*", "key_star"), ("0", ""), ("#", "key_pound")]
    )
    return string.Template(PAGE.read_text(encoding="utf-8")).substitute(
        lang=lang, keys=keys, **{k: _escape(v) for k, v in table.items()})


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") \
        .replace('"', "&quot;")


def same_origin(request: web.Request) -> bool:
    """A websocket opened by this site's own page (browsers always send Origin)."""
    origin = request.headers.get("Origin")
    if origin is None:
        return False
    return urlsplit(origin).netloc == request.host


class CallHandler:
    """The websocket of one call."""

    def __init__(self, config: WebConfig, slots: asyncio.Semaphore) -> None:
        self.config = config
        self.slots = slots

    async def handle(self, request: web.Request) -> web.StreamResponse:
        socket = web.WebSocketResponse(max_msg_size=view.MAX_MESSAGE_BYTES * 4, heartbeat=30)
        if not same_origin(request):
            raise web.HTTPForbidden(text="This billing line answers its own page only.")
        await socket.prepare(request)
        lang = self._lang(request.query.get("lang"))
        if self.slots.locked():
            await socket.send_json(view.notice_message("web_busy", self.config.strings,
                                                       lang or "en"), dumps=to_json)
            await socket.close()
            return socket
        async with self.slots:
            await self._serve(socket, lang)
        return socket

    def _lang(self, asked: str | None) -> str | None:
        return asked if asked in self.config.packs else None

    async def _serve(self, socket: web.WebSocketResponse, lang: str | None) -> None:
        from assistant.billing import BillingService

        opener = self.config.open_service or BillingService.open
        service = opener(self.config.db)
        call = KioskCall(service,  # type: ignore[arg-type]
                         SessionOptions(lang=lang, call_id=uuid.uuid4().hex),
                         clock=self.config.clock, packs=self.config.packs)
        try:
            await self._send(socket, call, call.start())
            while not call.ended:
                try:
                    message = await socket.receive(timeout=IDLE_S)
                except TimeoutError:
                    break
                if message.type != WSMsgType.TEXT:
                    if message.type in (WSMsgType.CLOSE, WSMsgType.CLOSING, WSMsgType.CLOSED,
                                        WSMsgType.ERROR):
                        break
                    continue
                try:
                    checked = view.read_message(message.data)
                except view.MessageError as error:
                    await socket.send_json(view.notice_message(
                        "web_refused", self.config.strings, call.lang, str(error)), dumps=to_json)
                    continue
                turn = self._handle(call, checked)
                await self._send(socket, call, turn)
        finally:
            if not call.ended:
                call.hang_up()
            close = getattr(service, "close", None)
            if close is not None:
                close()
            if not socket.closed:
                await socket.close()

    @staticmethod
    def _handle(call: KioskCall, message: view.PageMessage) -> Turn:
        if message.kind == "line":
            return call.type_line(message.value)
        if message.kind == "keys":
            return call.press(message.value)
        if message.kind == "command":
            return call.command(message.value)
        if message.kind == "timeout":
            return call.time_out()
        return call.hang_up()

    async def _send(self, socket: web.WebSocketResponse, call: KioskCall, turn: Turn) -> None:
        if socket.closed:
            return
        await socket.send_json(view.turn_message(
            turn, lang=call.lang, expect=call.expecting, pack=call.session.packs[call.lang],
            strings=self.config.strings, pending=call.pending), dumps=to_json)


@web.middleware
async def security_headers(request: web.Request, handler: Callable) -> web.StreamResponse:
    response: web.StreamResponse = await handler(request)
    if not isinstance(response, web.WebSocketResponse):
        response.headers.update(SECURITY_HEADERS)
    return response


def make_app(config: WebConfig | None = None) -> web.Application:
    """The web application (served by `serve_web`, or by a test's server)."""
    config = config or WebConfig()
    app = web.Application(middlewares=[security_headers], client_max_size=64 * 1024)
    slots = asyncio.Semaphore(config.max_calls)

    async def page(request: web.Request) -> web.Response:
        asked = request.query.get("lang", "en")
        lang = asked if asked in config.packs else "en"
        return web.Response(text=render_page(config, lang), content_type="text/html",
                            charset="utf-8")

    async def theme(request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name not in config.themes:
            raise web.HTTPNotFound(text=f"no theme {name!r}: {', '.join(THEME_NAMES)}")
        return web.Response(text=theme_css(config.themes[name]), content_type="text/css")

    app.router.add_get("/", page)
    app.router.add_get("/themes/{name}.css", theme)
    app.router.add_get("/ws", CallHandler(config, slots).handle)
    app.router.add_static("/static/", STATIC, show_index=False, follow_symlinks=False)
    return app


LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")


def serve_web(host: str = "localhost", port: int = 8000, db: Path | None = None,
              max_calls: int = MAX_CALLS, announce: Callable[[str], None] = print) -> int:
    """Serve the page until interrupted; the exit status."""
    if not 0 < port < 65536:
        raise ValueError(f"port {port} is not a TCP port (1-65535)")
    if max_calls < 1:
        raise ValueError("--max-calls must be at least 1")
    if host not in LOOPBACK_HOSTS:
        announce(f"Warning: listening on {host}, beyond this machine. Anyone who can reach "
                 "it can call the billing line.")
    shown = "localhost" if host in ("localhost", "127.0.0.1") else host
    announce(f"Dialin billing line: http://{shown}:{port}/ (Ctrl+C to stop)")
    web.run_app(make_app(WebConfig(db=db, max_calls=max_calls)), host=host, port=port,
                print=None, access_log=None)
    return 0

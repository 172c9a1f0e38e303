"""`dialin serve`: the kiosk in a web browser, through textual-serve.

Each browser tab gets its own kiosk process (`python -m assistant.ui`), talking to the page
over a websocket; the page draws it with the same keys, captions and keypad as a terminal.
"""

from __future__ import annotations

import shlex
import socket
import sys

WILDCARD_HOSTS = ("0.0.0.0", "::", "")
"""Listening on every address: the page must then name this machine, not the wildcard."""


def kiosk_command() -> str:
    """The shell command that starts one kiosk, with this same Python."""
    return f"{shlex.quote(sys.executable)} -m assistant.ui"


def serve_kiosk(host: str = "localhost", port: int = 8000) -> int:
    """Serve the kiosk until interrupted; the exit status.

    Args:
        host: the address to listen on; "localhost" keeps it to this machine.
        port: the TCP port.
    """
    from textual_serve.server import Server

    if not 0 < port < 65536:
        raise ValueError(f"port {port} is not a TCP port (1-65535)")
    public_url = f"http://{socket.getfqdn()}:{port}" if host in WILDCARD_HOSTS else None
    server = Server(kiosk_command(), host=host, port=port, title="Dialin billing line",
                    public_url=public_url)
    server.serve()
    return 0

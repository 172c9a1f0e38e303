"""The on-screen telephone keypad: 1-9, *, 0, # in the usual 4×3 grid.

Each key is a button, so it works by touch, by mouse, and from the keyboard (Tab to it and
press Enter or Space). The keyboard's own digit keys reach it through `press`, which
flashes the key as if touched, so every way in looks and behaves the same.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Grid
from textual.message import Message
from textual.widgets import Button

KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#")
KEY_IDS = {"*": "star", "#": "hash"}
"""Widget ids cannot contain * or #."""


def key_id(key: str) -> str:
    """The id of the button for `key`."""
    return f"key-{KEY_IDS.get(key, key)}"


class KeyButton(Button):
    """A key that takes every press: a caller keys 0 six times fast in an account number,
    where a plain button would ignore a click that comes while it still shows the last."""

    async def _on_click(self, event: events.Click) -> None:
        event.stop()
        self.press()


class Keypad(Grid):
    """Twelve keys; posts `Keypad.Pressed` for each key pressed."""

    DEFAULT_CSS = """
    Keypad {
        grid-size: 3 4; grid-columns: 7; grid-rows: 3; grid-gutter: 0 1;
        width: 23; height: 12;
    }
    Keypad > Button { min-width: 7; width: 7; height: 3; }
    """

    class Pressed(Message):
        """A key was pressed."""

        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key
            """"0"-"9", "*" or "#"."""

    def compose(self) -> ComposeResult:
        for key in KEYS:
            yield KeyButton(key, id=key_id(key), classes="key")

    def press(self, key: str) -> None:
        """Press `key` as if touched (from the keyboard's digit keys).

        Raises:
            ValueError: `key` is not on a telephone keypad.
        """
        if key not in KEYS:
            raise ValueError(f"{key!r} is not a keypad key: use 0-9, * or #")
        self.query_one(f"#{key_id(key)}", Button).press()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.Pressed(str(event.button.label)))

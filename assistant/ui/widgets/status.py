"""The status bar: language, microphone, who is talking, and the time left to answer.

Every state is a word, never a colour or a sound alone. When time is about to run out the
bar says so in words and switches to its warning style.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.reactive import reactive
from textual.widget import Widget

from assistant.ui.strings import UiStrings

SEPARATOR = "  │  "


@dataclass(frozen=True, slots=True)
class Status:
    """What the status bar shows."""

    lang: str = "en"
    """The language of the bar's own words."""

    language_name: str = "English"
    """The call's language, in its own name."""

    microphone: str = "unavailable"
    """"listening", "muted" or "unavailable"."""

    talking: str = "waiting"
    """"assistant", "caller", "your_turn", "waiting" (for a caller) or "ended"."""

    seconds_left: int | None = None
    """Time left to answer; None when no countdown runs."""

    no_limit: bool = False
    """The caller or the kiosk turned time limits off."""

    warning: str = ""
    """A warning to show instead of the time (the kiosk is about to reset)."""


class StatusBar(Widget):
    """One line of plain words about the call's state."""

    DEFAULT_CSS = """
    StatusBar { height: 1; width: 1fr; }
    StatusBar.-warning { height: auto; text-style: bold; }
    """

    status: reactive[Status] = reactive(Status)
    """The state shown."""

    def __init__(self, strings: UiStrings, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.strings = strings

    def watch_status(self, status: Status) -> None:
        self.set_class(bool(status.warning), "-warning")

    def render(self) -> str:
        status = self.status

        def say(key: str, **params: object) -> str:
            return self.strings.text(status.lang, key, **params)

        if status.warning:
            time = status.warning
        elif status.no_limit:
            time = say("time_no_limit")
        elif status.seconds_left is None:
            time = say("time_paused") if status.talking in ("assistant", "caller") else ""
        else:
            time = say("time_left", seconds=status.seconds_left)
        parts = [
            say("status_language", name=status.language_name),
            say(f"mic_{status.microphone}"),
            say(f"talk_{status.talking}"),
            time,
        ]
        return SEPARATOR.join(part for part in parts if part)

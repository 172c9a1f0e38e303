"""What a person sees on the kiosk, read back for the tests."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Input

from assistant.ui.app import KioskApp
from assistant.ui.widgets.caption import CaptionLine
from assistant.ui.widgets.conversation import ConversationLog
from assistant.ui.widgets.status import StatusBar


def log_text(app: KioskApp) -> str:
    return app.call_screen.query_one(ConversationLog).transcript


def caption(app: KioskApp) -> str:
    line = app.call_screen.query_one(CaptionLine)
    return f"{line.speaker}: {line.words}" if line.speaker else line.words


def status(app: KioskApp) -> str:
    return str(app.call_screen.query_one(StatusBar).render())


def answer_box(app: KioskApp) -> Input:
    return app.call_screen.query_one("#answer-input", Input)


def everything_shown(app: KioskApp) -> str:
    """The log, the caption, the status and the answer box as displayed."""
    box = answer_box(app)
    shown_value = "•" * len(box.value) if box.password else box.value
    return "\n".join([log_text(app), caption(app), status(app), shown_value])


async def settle(pilot: Pilot[None]) -> None:
    """Let workers finish and the screen catch up."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def type_line(pilot: Pilot[None], text: str) -> None:
    """Type into the answer box and press Enter, as a person at the keyboard."""
    app = pilot.app
    assert isinstance(app, KioskApp)
    answer_box(app).focus()
    await pilot.pause()
    await pilot.press(*("space" if char == " " else char for char in text), "enter")
    await pilot.pause()

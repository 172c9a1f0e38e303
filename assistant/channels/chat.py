"""Line mode: the whole menu over stdin and stdout, one line per turn.

Works with a screen reader, on a real terminal and from a script: each prompt is one
plain line, the caller answers with one line (words, or keys such as `2` or `10000001#`),
an empty line is "no answer", and the call ends cleanly at end of input. With
`tty_style`, lines follow TTY conventions: upper case, GA ends each turn, SK the call.
"""

from __future__ import annotations

import datetime as dt
import getpass
import re
import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from assistant.dialog.actions import Action, Ask, End, Say, Transfer
from assistant.dialog.events import CallStarted, Digits, Event, Hangup, NoInput, TextLine
from assistant.dialog.session import Session, SessionOptions

KEYS = re.compile(r"^[0-9*#]+$")
TTY_ENDINGS = re.compile(r"\s*(\bGA\b|\bSK\b|\bQ\b)\s*$", re.IGNORECASE)


def event_for_line(line: str, *, tty_style: bool = False) -> Event:
    """What a typed line means: keys, words, or no answer."""
    text = line.strip()
    if tty_style:
        text = TTY_ENDINGS.sub("", text)
    compact = text.replace(" ", "")
    if not text:
        return NoInput()
    if KEYS.match(compact):
        return Digits(compact)
    return TextLine(text, source="tty" if tty_style else "text")


class LineRenderer:
    """Writes actions as lines."""

    def __init__(self, out: TextIO, tty_style: bool) -> None:
        self.out = out
        self.tty_style = tty_style

    def _line(self, text: str) -> None:
        self.out.write((text.upper() if self.tty_style else text) + "\n")

    def render(self, actions: list[Action]) -> None:
        for action in actions:
            if isinstance(action, Say | Ask):
                self._line(action.text)
            elif isinstance(action, Transfer):
                self._line(f"[transfer: {action.reason}, reference {action.reference}]")
        if self.tty_style:
            self._line("SK" if any(isinstance(a, End) for a in actions) else "GA")
        self.out.flush()


def run_chat(
    lang: str | None,
    tty_style: bool,
    db: Path | None,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    clock: Callable[[], dt.datetime] = dt.datetime.now,
) -> int:
    """Run one call in line mode; returns the exit status."""
    from assistant.billing import BillingService

    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    service = BillingService.open(db)
    try:
        session = Session(service, options=SessionOptions(lang=lang, call_id=uuid.uuid4().hex))
        renderer = LineRenderer(stdout, tty_style)
        renderer.render(session.handle(CallStarted(lang=lang, modality="text"), clock()))
        while not session.ended:
            expect = session.expecting
            secret = expect is not None and expect.secret
            if secret and stdin.isatty():
                try:
                    line = getpass.getpass("", stream=stdout)
                except EOFError:
                    line = None
            else:
                line = stdin.readline() or None
            event = Hangup() if line is None else event_for_line(line, tty_style=tty_style)
            renderer.render(session.handle(event, clock()))
    finally:
        service.close()
    return 0

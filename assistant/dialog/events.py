"""What reaches the session: one small frozen dataclass per kind of caller input.

Input adapters (recognisers, the DTMF and Baudot demodulators, keyboards, text lines)
turn signals into these; the session never sees audio or a terminal.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CallStarted:
    """A caller is on the line; the session greets them."""

    lang: str | None = None
    """Language already known (a kiosk setting, a `--lang` flag); None asks the caller."""

    modality: str = "text"
    """How the caller first reached us: voice, keypad, text or tty."""


@dataclass(frozen=True, slots=True)
class Utterance:
    """Something the caller said, as a recogniser heard it."""

    text: str
    """The best transcript, already in the caller's language."""

    confidence: float = 1.0
    """The recogniser's confidence in `text`, 0 to 1."""

    alternatives: tuple[str, ...] = ()
    """Other transcripts the recogniser found likely, best first."""

    lang: str | None = None
    """The language the recogniser listened for."""


@dataclass(frozen=True, slots=True)
class Digits:
    """Keys the caller pressed: 0-9, *, # (A-D are accepted and ignored by menus)."""

    keys: str


@dataclass(frozen=True, slots=True)
class TextLine:
    """A line the caller typed: a chat line, the kiosk's text box, or a TTY."""

    text: str

    source: str = "text"
    """Where it came from: "text" (keyboard) or "tty" (a Baudot TTY device)."""


@dataclass(frozen=True, slots=True)
class NoInput:
    """The caller's turn timed out with nothing said, keyed or typed."""


@dataclass(frozen=True, slots=True)
class Hangup:
    """The caller left: the line dropped, the kiosk reset, or input ended."""


Event = CallStarted | Utterance | Digits | TextLine | NoInput | Hangup

EVENT_TYPES: dict[str, type] = {
    cls.__name__: cls for cls in (CallStarted, Utterance, Digits, TextLine, NoInput, Hangup)
}

__all__ = [
    "EVENT_TYPES",
    "CallStarted",
    "Digits",
    "Event",
    "Hangup",
    "NoInput",
    "TextLine",
    "Utterance",
]

"""The kiosk channel: one caller's call as the kiosk screen sees it.

The screen hands over what the caller did (a key on the on-screen keypad, a typed line, a
recognised utterance, a timeout, a command such as Help) and gets back a `Turn`: the
caller's entry as it may be shown (masked while a secret is asked for), the prompts to
show and speak, and whether the call was handed to a person or ended. Keys pressed one at
a time while the session collects an entry (an account number, a PIN) are kept as
`pending` until the session answers, so the screen can echo the entry as one line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.channels.chat import event_for_line
from assistant.dialog.actions import Action, Ask, End, Expectation, Say, Transfer
from assistant.dialog.events import (
    CallStarted,
    Digits,
    Event,
    Hangup,
    NoInput,
    TextLine,
    Utterance,
)
from assistant.dialog.redact import MASK, masked_entry
from assistant.dialog.session import Session, SessionOptions

if TYPE_CHECKING:
    from assistant.billing.service import BillingService
    from assistant.dialog.packs import LanguagePack

COMMAND_INTENTS = ("help", "repeat", "back", "agent", "language")
"""Intents the kiosk offers as commands (keys, buttons, the command palette)."""


@dataclass(frozen=True, slots=True)
class Turn:
    """What one caller event produced, ready for the screen."""

    caller: str | None
    """The caller's entry as it may be shown (masked if secret); None when the caller did
    nothing (the greeting, a timeout) or the entry is still being collected."""

    modality: str
    """How the caller answered: "keypad", "text", "voice", or "" for none."""

    prompts: tuple[Say | Ask, ...]
    """The session's prompts, in order."""

    transfer: Transfer | None = None
    """The hand-off to a person, if the session made one."""

    ended: bool = False
    """The call is over."""


def shown_keys(keys: str, secret: bool) -> str:
    """Keys as they may appear on screen: digits become bullets in a secret entry."""
    return "".join(MASK if secret and key.isdigit() else key for key in keys)


class KioskCall:
    """One caller at the kiosk: a session and the entry being keyed in.

    Args:
        service: the billing service the session uses.
        options: the session's options (language, call id, time scale, voice profile).
        clock: the time of each event (fixed in tests).
        packs: language packs; the shipped ones when None.
    """

    def __init__(
        self,
        service: BillingService,
        options: SessionOptions,
        clock: Callable[[], dt.datetime] = dt.datetime.now,
        packs: dict[str, LanguagePack] | None = None,
    ) -> None:
        self.session = Session(service, packs=packs, options=options)
        self.clock = clock
        self.caller_active = False
        """The caller has done something (the kiosk is no longer at its welcome)."""

        self._pending = ""
        self._pending_secret = False

    # ------------------------------------------------------------- state

    @property
    def expecting(self) -> Expectation | None:
        return self.session.expecting

    @property
    def lang(self) -> str:
        return self.session.lang

    @property
    def ended(self) -> bool:
        return self.session.ended

    @property
    def pending(self) -> str:
        """The keys of an entry still being collected, as they may be shown."""
        return shown_keys(self._pending, self._pending_secret)

    @property
    def secret(self) -> bool:
        """The question waiting asks for a secret."""
        expect = self.expecting
        return expect is not None and expect.secret

    # ------------------------------------------------------------ events

    def start(self, modality: str = "text") -> Turn:
        """Greet: the welcome and the first question."""
        lang = self.session.options.lang
        actions = self.session.handle(CallStarted(lang=lang, modality=modality), self.clock())
        return self._turn(None, "", actions)

    def press(self, keys: str) -> Turn:
        """Keys from the keypad, one or several."""
        secret = self.secret
        self._pending += keys
        self._pending_secret = self._pending_secret or secret
        actions = self._handle(Digits(keys))
        if not actions and not self.ended:
            return Turn(caller=None, modality="keypad", prompts=())
        entry = shown_keys(self._pending, self._pending_secret)
        self._pending, self._pending_secret = "", False
        return self._turn(entry, "keypad", actions)

    def type_line(self, line: str) -> Turn:
        """A line from the text box: words, or keys (an entry ends with the line)."""
        expect = self.expecting
        secret = self.secret or self._pending_secret
        event = event_for_line(line)
        if isinstance(event, NoInput):
            return Turn(caller=None, modality="text", prompts=())
        if isinstance(event, Digits) and expect is not None \
                and expect.kind in ("digits", "amount") and "*" not in event.keys \
                and not event.keys.endswith(expect.terminator):
            event = Digits(event.keys + expect.terminator)
        if isinstance(event, Digits):
            shown = shown_keys(self._pending + event.keys, secret)
        elif isinstance(event, TextLine):
            shown = masked_entry(event.text) if secret else event.text
        else:
            raise TypeError(f"a typed line cannot become {event!r}")
        self._pending, self._pending_secret = "", False
        return self._turn(shown, "text", self._handle(event))

    def hear(self, utterance: Utterance) -> Turn:
        """What the recogniser heard."""
        shown = masked_entry(utterance.text) if self.secret else utterance.text
        self._pending, self._pending_secret = "", False
        return self._turn(shown, "voice", self._handle(utterance))

    def command(self, intent: str) -> Turn:
        """A kiosk command (help, repeat, back, agent, language), sent as the caller's
        own words in the call's language, so it works at any question."""
        if intent not in COMMAND_INTENTS:
            raise ValueError(f"{intent!r} is not a kiosk command: use one of "
                             f"{', '.join(COMMAND_INTENTS)}")
        phrase = self.session.packs[self.lang].intents[intent][0]
        self._pending, self._pending_secret = "", False
        return self._turn(phrase, "text", self._handle(TextLine(phrase)))

    def time_out(self) -> Turn:
        """The time to answer ran out: an entry being keyed in ends here."""
        entry = shown_keys(self._pending, self._pending_secret) or None
        self._pending, self._pending_secret = "", False
        actions = self.session.handle(NoInput(), self.clock())
        return self._turn(entry, "keypad" if entry else "", actions)

    def hang_up(self) -> Turn:
        """The caller left (a new call was asked for, or the kiosk went idle)."""
        self._pending, self._pending_secret = "", False
        return self._turn(None, "", self.session.handle(Hangup(), self.clock()))

    # ----------------------------------------------------------- helpers

    def _handle(self, event: Event) -> list[Action]:
        self.caller_active = True
        return self.session.handle(event, self.clock())

    def _turn(self, caller: str | None, modality: str, actions: list[Action]) -> Turn:
        prompts = tuple(a for a in actions if isinstance(a, Say | Ask))
        transfer = next((a for a in actions if isinstance(a, Transfer)), None)
        ended = any(isinstance(a, End) for a in actions) or self.ended
        return Turn(caller=caller, modality=modality, prompts=prompts, transfer=transfer,
                    ended=ended)

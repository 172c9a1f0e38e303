"""A call driven through a real session on a real SQLite file, step by step."""

from __future__ import annotations

import datetime as dt

from assistant.billing import BillingService
from assistant.dialog.actions import Action, Ask, End, Say, Transfer
from assistant.dialog.events import CallStarted, Digits, Event, NoInput, TextLine, Utterance
from assistant.dialog.session import Session, SessionOptions

TODAY = dt.date(2026, 11, 25)
NOW = dt.datetime(2026, 11, 25, 10, 0)


class Call:
    """One call: send events, read what came back."""

    def __init__(
        self, service: BillingService, lang: str | None = "en", call_id: str = "t"
    ) -> None:
        self.service = service
        self.session = Session(service, options=SessionOptions(lang=lang, call_id=call_id))
        self.actions: list[Action] = []
        self.last: list[Action] = []
        self.clock = NOW
        self.send(CallStarted(lang=lang))

    def send(self, event: Event) -> list[Action]:
        self.clock += dt.timedelta(seconds=5)
        self.last = self.session.handle(event, self.clock)
        self.actions.extend(self.last)
        return self.last

    def keys(self, keys: str) -> list[Action]:
        return self.send(Digits(keys))

    def text(self, text: str) -> list[Action]:
        return self.send(TextLine(text))

    def say(self, text: str, confidence: float = 0.9) -> list[Action]:
        return self.send(Utterance(text, confidence))

    def silence(self) -> list[Action]:
        return self.send(NoInput())

    def sign_in(self, account: str = "10000001", pin: str = "1234") -> None:
        self.keys(f"{account}#")
        self.keys(f"{pin}#")

    @property
    def ask(self) -> Ask:
        asks = [a for a in self.last if isinstance(a, Ask)]
        assert asks, f"no question waiting; last actions: {self.last}"
        return asks[-1]

    @property
    def state(self) -> str:
        return self.session.state_name

    def keys_said(self) -> list[str]:
        return [a.key for a in self.actions if isinstance(a, Say | Ask)]

    def texts(self) -> list[str]:
        return [a.text for a in self.actions if isinstance(a, Say | Ask)]

    def transfer(self) -> Transfer | None:
        return next((a for a in self.actions if isinstance(a, Transfer)), None)

    def ended(self) -> bool:
        return any(isinstance(a, End) for a in self.actions)

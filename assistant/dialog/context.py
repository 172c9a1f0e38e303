"""What a flow sees of the call: the caller's account, the billing service, the clock of
this turn, and short ways to say things and ask questions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from assistant.dialog.actions import Expectation
from assistant.dialog.engine import CallOver, Question
from assistant.dialog.formatting import Formatter
from assistant.dialog.menus import YES_NO_KEYS, Menus, menu_expectation

if TYPE_CHECKING:
    from assistant.billing.service import BillingService
    from assistant.dialog.engine import Engine
    from assistant.dialog.packs import LanguagePack

Label = str | tuple[str, dict[str, Any]]
"""A choice label: a prompt key, or a prompt key with its params."""

DIGIT_TIMEOUT_S = 15.0
MENU_TIMEOUT_S = 10.0
STEP_TIMEOUT_S = 60.0


@dataclass
class CallState:
    """What the session remembers about this call (never a secret)."""

    lang: str
    account: str | None = None
    customer: str = ""
    timeout_scale: float = 1.0
    """Multiplies every wait; 0 turns time limits off (WCAG 2.2.1)."""

    voice_profile: str = "default"
    notes: list[str] = field(default_factory=list)
    """Stable codes of what happened, for the agent's summary."""

    payments: int = 0
    """Payments started in this call; numbers each payment's idempotency key."""


class Context:
    """The flows' handle on the call."""

    def __init__(
        self,
        service: BillingService,
        packs: dict[str, LanguagePack],
        menus: Menus,
        state: CallState,
        engine: Engine,
        call_id: str,
    ) -> None:
        self.service = service
        self.packs = packs
        self.menus = menus
        self.state = state
        self.engine = engine
        self.call_id = call_id
        self.now = dt.datetime(1970, 1, 1)

    # ------------------------------------------------------------- language

    @property
    def pack(self) -> LanguagePack:
        return self.packs[self.state.lang]

    @property
    def fmt(self) -> Formatter:
        return Formatter(self.pack)

    @property
    def today(self) -> dt.date:
        return self.now.date()

    def label(self, label: Label) -> str:
        key, params = (label, {}) if isinstance(label, str) else label
        template = self.pack.prompt(key)
        return template.format_map({k: getattr(v, "text", v) for k, v in params.items()})

    # --------------------------------------------------------------- output

    def say(self, key: str, /, **params: Any) -> None:
        self.engine.say(key, **params)

    def say_in(self, lang: str, key: str, /, **params: Any) -> None:
        self.engine.say_in(lang, key, **params)

    def note(self, code: str) -> None:
        self.state.notes.append(code)

    def end(self, key: str = "goodbye") -> CallOver:
        """Say `key` and end the call. Use as `raise ctx.end()`."""
        from assistant.dialog.actions import End

        self.say(key)
        self.engine.out.append(End(reason="goodbye"))
        return CallOver()

    # ------------------------------------------------------------ questions

    def _timeout(self, seconds: float) -> float:
        return 0.0 if self.state.timeout_scale == 0 else seconds * self.state.timeout_scale

    def menu(self, page: str, key: str, /, **params: Any) -> Question:
        expect = menu_expectation(self.menus, page, self._timeout(MENU_TIMEOUT_S))
        lines = tuple(
            ("menu.option", {"option": self.label(f"option.{intent}"), "key": k})
            for k, intent in self.menus.keys(page)
        )
        help_lines = tuple(
            (
                "menu.option_say",
                {
                    "option": self.label(f"option.{intent}"),
                    "key": k,
                    "phrase": self.pack.intents[intent][0],
                },
            )
            for k, intent in self.menus.keys(page)
        )
        return Question(key, expect, params, lines=lines, help_lines=help_lines)

    def yes_no(self, key: str, /, **params: Any) -> Question:
        expect = Expectation(
            kind="yes_no", keys=YES_NO_KEYS, timeout_s=self._timeout(MENU_TIMEOUT_S)
        )
        lines = self._yes_no_lines()
        return Question(key, expect, params, lines=lines, help_lines=lines)

    def _yes_no_lines(self) -> tuple[tuple[str, dict[str, Any]], ...]:
        return tuple(
            ("menu.choice", {"label": self.label(f"option.{answer}"), "key": k})
            for k, answer in YES_NO_KEYS
        )

    def choice(
        self,
        key: str,
        labels: Sequence[Label],
        /,
        *,
        timeout_s: float = MENU_TIMEOUT_S,
        aliases: Sequence[Sequence[str]] = (),
        **params: Any,
    ) -> Question:
        """A numbered list; the flow receives the chosen index (0-based)."""
        texts = tuple(self.label(label) for label in labels[:9])
        expect = Expectation(
            kind="choice",
            choices=texts,
            aliases=tuple(tuple(words) for words in aliases[:9]),
            keys=tuple((str(i + 1), str(i + 1)) for i in range(len(texts))),
            timeout_s=self._timeout(timeout_s),
        )
        lines = tuple(
            ("menu.choice", {"label": text, "key": str(i + 1)}) for i, text in enumerate(texts)
        )
        return Question(key, expect, params, lines=lines, help_lines=lines)

    def digits(
        self, key: str, /, min_len: int, max_len: int, *, secret: bool = False, **params: Any
    ) -> Question:
        expect = Expectation(
            kind="digits",
            min_len=min_len,
            max_len=max_len,
            secret=secret,
            timeout_s=self._timeout(DIGIT_TIMEOUT_S),
        )
        return Question(key, expect, params)

    def amount(self, key: str, /, **params: Any) -> Question:
        expect = Expectation(
            kind="amount", min_len=1, max_len=7, timeout_s=self._timeout(DIGIT_TIMEOUT_S)
        )
        return Question(key, expect, params)

    def text(self, key: str, /, **params: Any) -> Question:
        expect = Expectation(kind="text", timeout_s=self._timeout(STEP_TIMEOUT_S))
        return Question(key, expect, params)

    def step(self, key: str, /, **params: Any) -> Question:
        """A yes/no question after a task the caller does (restart a modem): a longer wait."""
        expect = Expectation(
            kind="yes_no", keys=YES_NO_KEYS, timeout_s=self._timeout(STEP_TIMEOUT_S)
        )
        lines = self._yes_no_lines()
        return Question(key, expect, params, lines=lines, help_lines=lines)

    # ------------------------------------------------------------- payments

    def idempotency_key(self) -> str:
        """A key that is the same when this call's events are replayed, and new for each
        payment within the call."""
        self.state.payments += 1
        return f"{self.call_id}:{self.state.account}:{self.state.payments}"

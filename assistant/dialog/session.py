"""The session: one caller's billing call, as a pure function of its events.

`session.handle(event, now) -> list[Action]`. No audio, no terminal, no clock of its own:
every channel (chat, voice, call, kiosk) drives the same session the same way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from assistant.dialog.actions import Action, Ask, End, Expectation, Say
from assistant.dialog.context import CallState, Context
from assistant.dialog.engine import Engine
from assistant.dialog.events import CallStarted, Event, Hangup
from assistant.dialog.flows import call_flow, confirm_intent, global_flow, offer_agent
from assistant.dialog.intents import IntentMatcher
from assistant.dialog.menus import Menus, load_menus
from assistant.dialog.packs import REFERENCE, LanguagePack, load_packs
from assistant.dialog.redact import mask_secrets

if TYPE_CHECKING:
    from assistant.billing.service import BillingService


@dataclass(frozen=True, slots=True)
class SessionOptions:
    """How a channel starts a session."""

    lang: str | None = None
    """The caller's language if already known; None offers the choice."""

    call_id: str = "call"
    """Unique per call: payments' idempotency keys derive from it."""

    timeout_scale: float = 1.0
    """Multiplies every wait (2 doubles them, 0 turns them off)."""

    voice_profile: str = "default"
    """"default" or "clear" (slower speech)."""


class Session:
    """One call through the billing menu."""

    def __init__(
        self,
        service: BillingService,
        packs: dict[str, LanguagePack] | None = None,
        options: SessionOptions | None = None,
        menus: Menus | None = None,
    ) -> None:
        self.packs = packs or load_packs()
        self.options = options or SessionOptions()
        lang = self.options.lang if self.options.lang in self.packs else REFERENCE
        self.state = CallState(
            lang=lang,
            timeout_scale=self.options.timeout_scale,
            voice_profile=self.options.voice_profile,
        )
        self._matchers: dict[str, IntentMatcher] = {}
        self.engine = Engine(
            render=self._render,
            matcher=self._matcher,
            pack=lambda: self.packs[self.state.lang],
            on_global=lambda intent: global_flow(self.ctx, intent),
            confirm_flow=lambda intent: confirm_intent(self.ctx, intent),
            agent_offer_flow=lambda: offer_agent(self.ctx),
        )
        self.ctx = Context(
            service,
            self.packs,
            menus or load_menus(),
            self.state,
            self.engine,
            self.options.call_id,
        )
        self.started = False

    # ------------------------------------------------------------------ API

    @property
    def lang(self) -> str:
        """The caller's language now."""
        return self.state.lang

    @property
    def ended(self) -> bool:
        return self.engine.ended

    @property
    def account(self) -> str | None:
        """The signed-in account number, if any."""
        return self.state.account

    @property
    def voice_profile(self) -> str:
        return self.state.voice_profile

    @property
    def timeout_scale(self) -> float:
        return self.state.timeout_scale

    @property
    def expecting(self) -> Expectation | None:
        """What the session waits for now."""
        question = self.engine.question
        return None if question is None else question.expect

    @property
    def state_name(self) -> str:
        """The prompt key of the question waiting now ("" when none)."""
        question = self.engine.question
        return "" if question is None else question.key

    def handle(self, event: Event, now: dt.datetime) -> list[Action]:
        """Feed one event; the actions to present, in order."""
        self.ctx.now = now
        if self.engine.ended:
            return []
        if isinstance(event, Hangup):
            self.ctx.note("hangup")
            self.engine.ended = True
            return [End(reason="hangup")]
        if isinstance(event, CallStarted):
            if self.started:
                return []
            self.started = True
            if event.lang in self.packs:
                self.state.lang = event.lang
            self.engine.start(
                call_flow(
                    self.ctx,
                    language_known=event.lang in self.packs or self.options.lang in self.packs,
                )
            )
            return self.engine.take()
        if not self.started:
            self.handle(CallStarted(lang=self.options.lang), now)
            self.engine.take()
        self.engine.handle(event)
        return self.engine.take()

    def summary(self) -> str:
        """What happened so far, for an agent: stable codes, no secrets."""
        account = self.state.account or "not signed in"
        notes = ", ".join(self.state.notes) or "nothing yet"
        return mask_secrets(f"account {account}; language {self.state.lang}; {notes}")

    # ------------------------------------------------------------ rendering

    def _matcher(self) -> IntentMatcher:
        lang = self.state.lang
        if lang not in self._matchers:
            self._matchers[lang] = IntentMatcher(self.packs[lang])
        return self._matchers[lang]

    def _render(
        self,
        key: str,
        params: dict[str, Any],
        expect: Expectation | None = None,
        lang: str | None = None,
    ) -> Say | Ask:
        pack = self.packs[lang or self.state.lang]
        template = pack.prompt(key)
        text = template.format_map({k: getattr(v, "text", v) for k, v in params.items()})
        speech = template.format_map({k: getattr(v, "speech", v) for k, v in params.items()})
        shown = {k: str(getattr(v, "text", v)) for k, v in params.items()}
        if expect is None:
            return Say(
                key=key,
                text=text,
                speech=speech if speech != text else "",
                lang=pack.code,
                params=shown,
            )
        return Ask(
            key=key,
            text=text,
            expect=expect,
            speech=speech if speech != text else "",
            lang=pack.code,
            params=shown,
        )

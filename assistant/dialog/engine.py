"""The dialog engine: runs flows written as generators, one question at a time.

A flow is a generator that yields `Question`s and receives the caller's parsed answer
(an intent name, a choice index, a bool, a digit string, an amount, a text). Everything a
caller can do anywhere is handled here, once, so no flow repeats it:

- the no-input / no-match ladder: reprompt, then the options spelled out with their keys,
  then an offer of the agent;
- the global commands: help, repeat, back (`*`), main menu, agent (`0`), language, goodbye;
- type-ahead: keys pressed before a prompt ends answer the next questions in turn;
- low-confidence matches, which are confirmed before they are acted on.

"Back" is an exception thrown into the flow at its current question; a flow that needs to
clean up (a payment saying it was cancelled) catches it and re-raises. Interruptions (the
language menu, a confirmation, the agent offer) are flows pushed on a stack; when one
returns, the question it interrupted is asked again, or answered by what it returned.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Generator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from rapidfuzz import fuzz

from assistant.dialog.actions import Action, Ask, Expectation, Say
from assistant.dialog.events import Digits, Event, NoInput, TextLine, Utterance
from assistant.dialog.intents import ACCEPT, IntentMatcher
from assistant.dialog.menus import GLOBAL_KEYS
from assistant.dialog.numbers import amount_from_keys, amount_from_text, digits_from_text
from assistant.dialog.textnorm import fold

log = logging.getLogger(__name__)

COMMAND = 0.95
"""A global command said at a list or free-text question must match at least this well."""

AGENT_OFFER = "agent.offer"
"""The question that offers a person after three misses."""

ASR_CONFIRM_BELOW = 0.45
"""A recognised utterance below this recogniser confidence is confirmed before use."""


class GoBack(Exception):  # noqa: N818 - a control signal, not an error
    """The caller asked to go back (said "back" or pressed `*`)."""


class MainMenu(GoBack):
    """The caller asked for the main menu."""


class CallOver(Exception):  # noqa: N818 - a control signal, not an error
    """The call has ended (goodbye, transfer, lockout); its actions are already out."""


@dataclass(frozen=True, slots=True)
class Question:
    """What a flow asks: a prompt, what it expects, and how to explain it if asked."""

    key: str
    expect: Expectation
    params: dict[str, Any] = field(default_factory=dict)
    lines: tuple[tuple[str, dict[str, Any]], ...] = ()
    """Further prompt lines said before the question (the options of a list)."""

    help_lines: tuple[tuple[str, dict[str, Any]], ...] = ()
    """The fuller explanation given on "help" and after a second miss."""


@dataclass(frozen=True, slots=True)
class Answer:
    """A value a pushed flow hands to the question it interrupted."""

    value: Any


@dataclass(frozen=True, slots=True)
class Intent:
    """An intent a pushed flow confirmed, to be acted on at the question it interrupted."""

    intent: str


Flow = Generator[Question, Any, Any]


@dataclass
class _Frame:
    flow: Flow
    question: Question | None = None
    failures: int = 0


class Engine:
    """Drives a stack of flows with the caller's events.

    Args:
        render: turns a prompt key and params into a `Say` or an `Ask` in the current language.
        matcher: the current language's intent matcher (a callable, as the language may change).
        pack: the current language pack (a callable, likewise).
        on_global: runs a global intent; returns a flow to push, or None if handled.
    """

    def __init__(
        self,
        render: Callable[..., Say | Ask],
        matcher: Callable[[], IntentMatcher],
        pack: Callable[[], Any],
        on_global: Callable[[str], Flow | None],
        confirm_flow: Callable[[str], Flow],
        agent_offer_flow: Callable[[], Flow],
    ) -> None:
        self._render = render
        self._matcher = matcher
        self._pack = pack
        self._on_global = on_global
        self._confirm_flow = confirm_flow
        self._agent_offer_flow = agent_offer_flow
        self._stack: list[_Frame] = []
        self._keys = ""
        self.out: list[Action] = []
        self._last_turn: list[Action] = []
        self.heard = ""
        """The words of the event being handled ("" for keys), for flows that use them."""
        self.ended = False

    # ----------------------------------------------------------------- public

    @property
    def question(self) -> Question | None:
        """The question the caller is being asked now."""
        return self._stack[-1].question if self._stack else None

    def start(self, flow: Flow) -> None:
        """Run `flow` as the bottom of the stack until its first question."""
        self._push(flow)

    def say(self, key: str, /, **params: Any) -> None:
        """Queue a prompt (flows call this through their context)."""
        self.out.append(self._render(key, params))

    def say_in(self, lang: str, key: str, /, **params: Any) -> None:
        """Queue a prompt in a given language (each language's offer in its own words)."""
        self.out.append(self._render(key, params, None, lang))

    def handle(self, event: Event) -> None:
        """Feed one caller event; actions accumulate in `out`."""
        if self.ended or not self._stack:
            return
        self.heard = ""
        if isinstance(event, Digits):
            self._keys += "".join(k for k in event.keys if k in "0123456789*#")
            if not event.keys.strip() or not self._keys:
                self._fail("no_match")
                return
            self._drain_keys()
        elif isinstance(event, NoInput):
            question = self.question
            if self._keys and question and question.expect.kind in ("digits", "amount"):
                entry, self._keys = self._keys, ""
                self._answer_keys(entry)
            else:
                self._fail("no_input")
        elif isinstance(event, Utterance) and not fold(event.text):
            self._fail("no_match")  # speech was heard, but nothing in it was understood
        elif isinstance(event, Utterance | TextLine):
            confidence = event.confidence if isinstance(event, Utterance) else 1.0
            self._keys = ""
            self._answer_text(event.text, confidence)

    def take(self) -> list[Action]:
        """The actions produced since the last call; an Ask that type-ahead already
        answered is left out (only the question still waiting is asked)."""
        actions, self.out = self.out, []
        last_ask = max((i for i, a in enumerate(actions) if isinstance(a, Ask)), default=-1)
        kept = [a for i, a in enumerate(actions) if not isinstance(a, Ask) or i == last_ask]
        if last_ask >= 0 and not self.ended:
            self._last_turn = [
                a for a in kept if not getattr(a, "key", "").startswith(("error.", "help."))
            ]
        return kept

    # ------------------------------------------------------------- flow stack

    def _push(self, flow: Flow) -> None:
        self._stack.append(_Frame(flow))
        self._step(send=None)

    def _step(self, send: Any = None, throw: BaseException | None = None) -> None:
        """Resume the top flow with a value or an exception, then ask its next question."""
        frame = self._stack[-1]
        try:
            question = frame.flow.throw(throw) if throw else frame.flow.send(send)
        except StopIteration as stop:
            self._stack.pop()
            self._resume_below(stop.value)
            return
        except CallOver:
            self._finish()
            return
        except GoBack as back:
            self._stack.pop()
            if not self._stack:
                self._finish()
                return
            self._step(throw=back)
            return
        except Exception:  # a defect in a flow must not drop the caller
            log.exception("dialog flow failed; returning the caller to safety")
            self._stack.pop()
            self.say("error.system")
            if not self._stack:
                self._finish()
                return
            self._step(throw=MainMenu())
            return
        frame.question = question
        frame.failures = 0
        self._ask(question)

    def _resume_below(self, value: Any) -> None:
        if not self._stack:
            self._finish()
            return
        if isinstance(value, Answer):
            self._deliver(value.value)
        elif isinstance(value, Intent):
            self._dispatch_intent(value.intent)
        elif self.question is not None:
            self._ask(self.question)

    def _finish(self) -> None:
        for frame in reversed(self._stack):
            frame.flow.close()
        self._stack.clear()
        self.ended = True

    def _deliver(self, value: Any) -> None:
        self._step(send=value)

    # ---------------------------------------------------------------- asking

    def _ask(self, question: Question, helpful: bool = False) -> None:
        """The question first, then its options, as one Ask: what waits is all of it."""
        ask = self._render(question.key, question.params, question.expect)
        lines = question.help_lines if helpful and question.help_lines else question.lines
        if lines and isinstance(ask, Ask):
            said = [self._render(key, params) for key, params in lines]
            ask = replace(
                ask,
                text="\n".join([ask.text, *(line.text for line in said)]),
                speech="\n".join([ask.spoken, *(line.spoken for line in said)])
                if ask.speech or any(line.speech for line in said)
                else "",
            )
        self.out.append(ask)

    def _fail(self, reason: str) -> None:
        frame = self._stack[-1]
        question = frame.question
        if question is None:
            return
        frame.failures += 1
        self._keys = ""
        if frame.failures >= 3:
            frame.failures = 0
            self.say(f"error.{reason}")
            if question.key == AGENT_OFFER:
                # Nobody answered the offer of a person either: a person is the way out.
                self._run_global("agent")
            else:
                self._push(self._agent_offer_flow())
            return
        self.say(f"error.{reason}")
        if frame.failures == 2:
            self.say(f"help.{question.expect.kind}")
        self._ask(question, helpful=frame.failures == 2)

    def _run_global(self, intent: str) -> None:
        question = self.question
        if intent == "repeat":
            if self._last_turn:
                self.out.extend(self._last_turn)
            elif question is not None:
                self._ask(question)
            return
        if intent == "help" and question is not None:
            self.say(f"help.{question.expect.kind}")
            self._ask(question, helpful=True)
            return
        if intent == "back":
            self._step(throw=GoBack())
            return
        if intent == "main_menu":
            self._step(throw=MainMenu())
            return
        flow = self._on_global(intent)
        if flow is not None:
            self._push(flow)
        elif question is not None:
            self._ask(question)

    # -------------------------------------------------------------- answering

    def _drain_keys(self) -> None:
        while self._keys and self._stack and not self.ended:
            question = self.question
            if question is None:
                return
            expect = question.expect
            if expect.kind in ("digits", "amount"):
                if self._keys[0] == "*":
                    self._keys = self._keys[1:]
                    self._run_global("back")
                    continue
                end = self._keys.find(expect.terminator)
                star = self._keys.find("*")
                if star != -1 and (end == -1 or star < end):
                    self._keys = self._keys[star + 1 :]
                    self._run_global("back")
                    continue
                if end != -1:
                    entry, self._keys = self._keys[:end], self._keys[end + 1 :]
                elif expect.max_len and len(self._keys) >= expect.max_len:
                    entry, self._keys = self._keys[: expect.max_len], self._keys[expect.max_len :]
                else:
                    return  # keep collecting: more keys, `#`, or a timeout will finish it
                self._answer_keys(entry)
            else:
                key, self._keys = self._keys[0], self._keys[1:]
                self._answer_key(key)

    def _answer_key(self, key: str) -> None:
        expect = self._require_question().expect
        mapped = dict(expect.keys).get(key)
        if mapped is not None:
            if expect.kind == "choice":
                self._deliver(int(mapped) - 1)
            elif expect.kind == "yes_no":
                self._deliver(mapped == "yes")
            elif mapped in expect.globals or mapped in ("repeat", "main_menu"):
                self._run_global(mapped)
            else:
                self._deliver(mapped)
            return
        if key in GLOBAL_KEYS:
            self._run_global(GLOBAL_KEYS[key])
        else:
            self._fail("no_match")

    def _answer_keys(self, entry: str) -> None:
        expect = self._require_question().expect
        if expect.kind == "amount":
            amount = amount_from_keys(entry)
            if amount is None or not entry:
                self._fail("no_match")
            else:
                self._deliver(amount)
            return
        if not entry.isdigit() or not (expect.min_len <= len(entry) <= (expect.max_len or 99)):
            self._fail("no_match")
            return
        self._deliver(entry)

    def _require_question(self) -> Question:
        question = self.question
        if question is None:
            raise RuntimeError("no question is waiting for an answer")
        return question

    def _answer_text(self, text: str, confidence: float) -> None:
        self.heard = text
        question = self.question
        if question is None:
            return
        if not fold(text):
            self._fail("no_input")
            return
        command = self._command(question.expect, text)
        if command is not None:
            self._run_global(command)
            return
        value = self._parse(question.expect, text)
        if value is not None:
            self._deliver(value)
            return
        allowed = list(question.expect.globals) + ["main_menu"]
        if question.expect.kind == "intent":
            allowed = list(question.expect.intents) + allowed
        match = self._matcher().match(text, allowed)
        if match is None:
            self._fail("no_match")
            return
        if match.confidence < ACCEPT or confidence < ASR_CONFIRM_BELOW:
            self._push(self._confirm_flow(match.intent))
            return
        self._dispatch_intent(match.intent)

    def _command(self, expect: Expectation, text: str) -> str | None:
        """A command that works everywhere ("help", "back"), said plainly at a list or a
        free-text question, where it would otherwise be read as an answer. An option whose
        label is exactly what was said still wins ("English" at the language question)."""
        if expect.kind not in ("choice", "text"):
            return None
        match = self._matcher().match(text, (*expect.globals, "main_menu"))
        if match is None or match.confidence < COMMAND:
            return None
        said = fold(text)
        for index, label in enumerate(expect.choices):
            names = [label, *(expect.aliases[index] if index < len(expect.aliases) else ())]
            if any(fold(name) == said for name in names):
                return None
        if expect.kind == "text" and len(said.split()) > 3:
            return None
        return match.intent

    def _dispatch_intent(self, intent: str) -> None:
        """An intent chosen at the current question: its own answer, or a global."""
        question = self._require_question()
        if question.expect.kind == "intent" and intent in question.expect.intents:
            self._deliver(intent)
        elif question.expect.kind == "yes_no" and intent in ("yes", "no"):
            self._deliver(intent == "yes")
        else:
            self._run_global(intent)

    def _parse(self, expect: Expectation, text: str) -> Any:
        pack = self._pack()
        if expect.kind == "yes_no":
            match = self._matcher().match(text, ("yes", "no"))
            if match and match.confidence >= ACCEPT:
                return match.intent == "yes"
            keys = digits_from_text(text, pack)
            if keys in ("1", "2"):
                return keys == "1"
            return None
        if expect.kind == "digits":
            keys = digits_from_text(text, pack)
            if keys is None:
                return None
            keys = keys.rstrip(expect.terminator)
            if keys.isdigit() and expect.min_len <= len(keys) <= (expect.max_len or 99):
                return keys
            return None
        if expect.kind == "amount":
            amount = amount_from_text(text, pack)
            return amount if amount is not None and amount >= Decimal("0") else None
        if expect.kind == "choice":
            return self._parse_choice(expect, text)
        if expect.kind == "text":
            return text.strip()
        return None

    def _parse_choice(self, expect: Expectation, text: str) -> int | None:
        """A choice by its number, its label or one of its aliases; a near tie is no answer."""
        keys = digits_from_text(text, self._pack())
        if keys and keys.isdigit() and 1 <= int(keys) <= len(expect.choices):
            return int(keys) - 1
        said = fold(text)
        scores = []
        for index, label in enumerate(expect.choices):
            names = [label, *(expect.aliases[index] if index < len(expect.aliases) else ())]
            scores.append(max(fuzz.WRatio(said, fold(name)) for name in names))
        ranked = sorted(range(len(scores)), key=scores.__getitem__, reverse=True)
        if not ranked or scores[ranked[0]] < 86:
            return None
        if len(ranked) > 1 and scores[ranked[0]] - scores[ranked[1]] < 5:
            return None
        return ranked[0]


def with_globals(expect: Expectation, *extra: str) -> Expectation:
    """`expect` with more global intents allowed."""
    return replace(expect, globals=tuple(dict.fromkeys((*expect.globals, *extra))))

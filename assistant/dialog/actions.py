"""What the session answers: prompts to say, questions to ask, a hand-off, the end.

Output renderers turn these into speech, captions, text lines or TTY tones. Every prompt
comes already formatted for its language twice: `text` for eyes (screens, captions, TTY)
and `speech` for ears (amounts, dates and reference numbers written out so that a
synthesiser reads them right).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Expectation:
    """What the session waits for after an `Ask`: the ASR turns it into a grammar,
    the keypad into a digit collector, the screen into a hint."""

    kind: str
    """One of: "intent" (a menu), "choice" (one of a numbered list), "yes_no",
    "digits" (an account number, PIN, card number), "amount" (money), "text" (free text)."""

    intents: tuple[str, ...] = ()
    """For "intent": the intents that may be said here, besides the global ones."""

    keys: tuple[tuple[str, str], ...] = ()
    """Keypad key -> intent (menus) or key -> choice number (lists)."""

    choices: tuple[str, ...] = ()
    """For "choice": the option labels, in order (key 1 is the first)."""

    aliases: tuple[tuple[str, ...], ...] = ()
    """For "choice": other words callers use for each choice, in order ("spanish")."""

    min_len: int = 0
    """For "digits" and "amount": the fewest keys that make an answer."""

    max_len: int = 0
    """For "digits" and "amount": the most keys; reaching it ends the entry without `#`."""

    terminator: str = "#"
    """The key that ends a digit entry early."""

    secret: bool = False
    """The answer is a secret (PIN, card or bank number): never echo, log or caption it."""

    timeout_s: float = 8.0
    """Seconds of silence before the channel sends `NoInput` (before the caller's multiplier)."""

    globals: tuple[str, ...] = ("help", "repeat", "back", "agent", "goodbye", "language")
    """Intents accepted here besides `intents`: the ones that work everywhere."""


@dataclass(frozen=True, slots=True)
class Say:
    """A prompt to present, with nothing awaited."""

    key: str
    """The prompt's key in the language pack (stable: tests and the audit use it)."""

    text: str
    """The prompt formatted for reading."""

    speech: str = ""
    """The prompt formatted for a synthesiser; empty means the same as `text`."""

    lang: str = "en"
    """The language this prompt is in (the greeting offers each language in its own)."""

    params: dict[str, str] = field(default_factory=dict)
    """The values filled into the prompt, as displayed (secrets already masked)."""

    @property
    def spoken(self) -> str:
        """What a synthesiser should read."""
        return self.speech or self.text


@dataclass(frozen=True, slots=True)
class Ask:
    """A prompt after which the session waits for the caller."""

    key: str
    """The prompt's key in the language pack."""

    text: str
    """The prompt formatted for reading."""

    expect: Expectation
    """What the caller may answer."""

    speech: str = ""
    """The prompt formatted for a synthesiser; empty means the same as `text`."""

    lang: str = "en"
    """The language of the prompt, and the language to listen for."""

    params: dict[str, str] = field(default_factory=dict)
    """The values filled into the prompt, as displayed."""

    @property
    def spoken(self) -> str:
        """What a synthesiser should read."""
        return self.speech or self.text


@dataclass(frozen=True, slots=True)
class Transfer:
    """Hand the caller to a live agent."""

    reason: str
    """Why, as a stable code: "requested", "no_match", "locked", "troubleshoot", ..."""

    summary: str
    """What happened in the call so far, for the agent (secrets masked)."""

    wait_minutes: int = 0
    """The estimated wait the caller was told."""

    reference: str = ""
    """The agent request's reference number."""


@dataclass(frozen=True, slots=True)
class End:
    """The call is over; the channel hangs up."""

    reason: str = "goodbye"
    """Why: "goodbye", "hangup", "transfer", "locked"."""


Action = Say | Ask | Transfer | End

ACTION_TYPES: dict[str, type] = {cls.__name__: cls for cls in (Say, Ask, Transfer, End)}

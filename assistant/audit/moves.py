"""The ways a caller can answer a question, in each modality, derived from the question.

Every option comes from what the session says it expects (`Expectation`) and the caller's
language pack, never from a list kept here: a menu's intents with the pack's phrase and the
page's key, a list's labels with their numbers, yes and no, a digit entry keyed, spoken
digit by digit, or typed. Digit entries need values that pass the flows' checks; the
candidates are built to pass the usual ones (card and routing check digits, a future
expiry) and the explorer keeps the first the session accepts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from num2words import num2words

from assistant.dialog.actions import Expectation
from assistant.dialog.events import Digits, Event, NoInput, TextLine, Utterance
from assistant.dialog.packs import LanguagePack
from assistant.dialog.redact import masked_entry

VOICE = "voice"
KEYPAD = "keypad"
TEXT = "text"
MODALITIES = (VOICE, KEYPAD, TEXT)

ENTRY = "entry"
"""The option name of a digit, amount or free-text entry (there is one way through)."""

SAMPLE_AMOUNT = Decimal("25.00")
SAMPLE_TEXT = "alex.rivera@example.com"
"""A free-text answer: the settings ask for an email address, the one free-text question."""

_DIGIT_PATTERN = "4155550123456789012"
"""Digits for generated entries: a Visa-like card prefix and a valid North American phone
number (area code 415, exchange 555) in one string; a check digit is added at the end."""


@dataclass(frozen=True, slots=True)
class Move:
    """One way to answer one question."""

    option: str
    """What the move chooses: an intent, a list label, "yes"/"no", or "entry"."""

    modality: str
    """"voice", "keypad" or "text"."""

    event: Event
    """What the session receives."""

    secret: bool = False
    """The move enters a secret; its description is masked."""

    def describe(self) -> str:
        """The move as a report shows it ("pressed 9", "said “balance”"), secrets masked."""
        return describe(self.event, self.secret)


def describe(event: Event, secret: bool = False) -> str:
    """A caller event in words, masking the value of a secret entry."""
    if isinstance(event, Digits):
        keys = event.keys
        if secret:
            keys = masked_entry(keys.rstrip("#")) + ("#" if keys.endswith("#") else "")
        return f"pressed {keys}"
    if isinstance(event, Utterance):
        said = " ".join("•" for _ in event.text.split()) if secret else event.text
        return f"said “{said}”"
    if isinstance(event, TextLine):
        return f"typed “{masked_entry(event.text) if secret else event.text}”"
    if isinstance(event, NoInput):
        return "said nothing until the wait ran out"
    return type(event).__name__


def luhn_complete(stem: str) -> str:
    """`stem` with the Luhn check digit appended (the last digit of every card number)."""
    total = 0
    for position, char in enumerate(reversed(stem)):
        value = int(char)
        if position % 2 == 0:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return stem + str((10 - total % 10) % 10)


def routing_complete(stem: str) -> str:
    """Eight digits with the ABA 3-7-1 check digit appended (a US bank routing number)."""
    weights = (3, 7, 1, 3, 7, 1, 3, 7)
    total = sum(int(char) * weight for char, weight in zip(stem, weights, strict=True))
    return stem + str((10 - total % 10) % 10)


def entry_candidates(expect: Expectation, today: dt.date) -> Iterator[str]:
    """Values to try for a digit entry, likeliest first; each fits the expected length.

    Args:
        expect: the digit entry's expectation (lengths).
        today: the call's date, for an expiry in the future.
    """
    low, high = expect.min_len or 1, expect.max_len or 19
    seen: set[str] = set()
    lengths = sorted({low, min(high, max(low, 16)), high})
    expiry = f"12{(today.year + 4) % 100:02d}"
    candidates = [
        expiry,
        *(luhn_complete(_DIGIT_PATTERN[: n - 1]) for n in lengths),
        routing_complete("01100001"),
    ]
    for value in candidates:
        if low <= len(value) <= high and value not in seen:
            seen.add(value)
            yield value


def _phrase(pack: LanguagePack, intent: str) -> str:
    return pack.intents[intent][0]


def spoken_digits(value: str, pack: LanguagePack) -> str:
    """A digit string as a caller says it, one word per key, in the pack's language."""
    return " ".join(pack.digit_words[d][0] for d in value)


def entry_moves(expect: Expectation, pack: LanguagePack, value: str) -> list[Move]:
    """A digit entry given in each modality."""
    keys = value + ("#" if len(value) < (expect.max_len or 99) else "")
    return [
        Move(ENTRY, VOICE, Utterance(spoken_digits(value, pack), lang=pack.code), expect.secret),
        Move(ENTRY, KEYPAD, Digits(keys), expect.secret),
        Move(ENTRY, TEXT, TextLine(value), expect.secret),
    ]


def amount_moves(pack: LanguagePack, amount: Decimal = SAMPLE_AMOUNT) -> list[Move]:
    """An amount said in words, keyed in cents, and typed."""
    words = num2words(int(amount), lang=pack.locale.split("_")[0])
    cents = f"{int(amount * 100)}#"
    return [
        Move(ENTRY, VOICE, Utterance(words, lang=pack.code)),
        Move(ENTRY, KEYPAD, Digits(cents)),
        Move(ENTRY, TEXT, TextLine(f"{amount:.2f}")),
    ]


def option_moves(expect: Expectation, pack: LanguagePack) -> list[Move]:
    """Every option of a menu, list or yes/no question, in every modality it offers.

    A menu intent with no key on this page has no keypad move here (it may be one page
    further); a free-text answer has no keypad move at all.
    """
    key_for = {target: key for key, target in expect.keys}
    moves: list[Move] = []
    if expect.kind == "intent":
        for intent in expect.intents:
            if intent == "main_menu":
                continue
            phrase = _phrase(pack, intent)
            moves.append(Move(intent, VOICE, Utterance(phrase, lang=pack.code)))
            if intent in key_for:
                moves.append(Move(intent, KEYPAD, Digits(key_for[intent])))
            moves.append(Move(intent, TEXT, TextLine(phrase)))
    elif expect.kind == "choice":
        for number, label in enumerate(expect.choices, start=1):
            option = f"{number}: {label}"
            moves.append(Move(option, VOICE, Utterance(label, lang=pack.code)))
            if str(number) in key_for:
                moves.append(Move(option, KEYPAD, Digits(key_for[str(number)])))
            moves.append(Move(option, TEXT, TextLine(label)))
    elif expect.kind == "yes_no":
        for answer in ("yes", "no"):
            phrase = _phrase(pack, answer)
            moves.append(Move(answer, VOICE, Utterance(phrase, lang=pack.code)))
            if answer in key_for:
                moves.append(Move(answer, KEYPAD, Digits(key_for[answer])))
            moves.append(Move(answer, TEXT, TextLine(phrase)))
    elif expect.kind == "amount":
        moves.extend(amount_moves(pack))
    elif expect.kind == "text":
        moves.append(Move(ENTRY, VOICE, Utterance(SAMPLE_TEXT, lang=pack.code)))
        moves.append(Move(ENTRY, TEXT, TextLine(SAMPLE_TEXT)))
    return moves

"""Finding secrets in text that leaves a call: prompts, transcripts, captions, logs, storage.

Two searches: for the very secrets the audit entered (a PIN, a card, a bank account, a
security code), keyed or spoken digit by digit; and for anything shaped like a card number
(13 to 19 digits passing the Luhn check) that is not masked, whoever entered it. The last
four digits alone are allowed: that is all Dialin reads back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from assistant.billing.validation import luhn_valid
from assistant.dialog.redact import mask_digits
from assistant.dialog.textnorm import fold

_CARD_RUN = re.compile(r"(?<![\d])(?:\d[ -]?){12,18}\d(?![\d])")
_JOINED_DIGITS = re.compile(r"(?<=\d)[ -](?=\d)")
_CONTEXT = 24


@dataclass(frozen=True, slots=True)
class Leak:
    """A secret found in clear somewhere it must not be."""

    source: str
    """Where: "prompt text", "caption", "transcript", "log", "database", ..."""

    kind: str
    """What: "entered secret" or "card number"."""

    excerpt: str
    """The text around it, with the secret itself masked (the report must not leak it)."""


def _excerpt(text: str, start: int, end: int) -> str:
    before = text[max(0, start - _CONTEXT):start]
    after = text[end:end + _CONTEXT]
    return " ".join(f"{before}{mask_digits(text[start:end])}{after}".split())


def _grouped_like_a_card(run: str) -> bool:
    """Keyed straight through, or in the groups printed on cards (4-4-4-4, 4-6-5): a date
    or a reference joined by dashes ("10000001-2025-05-18") is not a card."""
    sizes = [len(group) for group in re.split(r"[ -]", run)]
    return (len(sizes) == 1 or sizes == [4, 6, 5]
            or (all(size == 4 for size in sizes[:-1]) and 1 <= sizes[-1] <= 4))


def card_numbers(text: str, source: str) -> list[Leak]:
    """Unmasked card numbers in `text`."""
    leaks = []
    for match in _CARD_RUN.finditer(text):
        digits = re.sub(r"\D", "", match.group(0))
        if 13 <= len(digits) <= 19 and _grouped_like_a_card(match.group(0)) and luhn_valid(digits):
            leaks.append(Leak(source, "card number", _excerpt(text, *match.span())))
    return leaks


def entered_secrets(text: str, source: str, secrets: Iterable[str],
                    spoken: dict[str, str] | None = None) -> list[Leak]:
    """Places where one of `secrets` appears whole in `text`.

    Args:
        text: what to search.
        source: where the text comes from, for the report.
        secrets: the digit strings entered at secret prompts.
        spoken: each secret as said digit by digit ("one two three four"), to find it in
            text written for a synthesiser.
    """
    leaks: list[Leak] = []
    joined = _JOINED_DIGITS.sub("", text)
    for secret in secrets:
        pattern = re.compile(rf"(?<![\d]){re.escape(secret)}(?![\d])")
        leaks.extend(Leak(source, "entered secret", _excerpt(joined, *m.span()))
                     for m in pattern.finditer(joined))
        said = (spoken or {}).get(secret)
        if said and said.split()[0].lower() in text.lower() and fold(said) in fold(text):
            folded = fold(text)
            start = folded.index(fold(said))
            leaks.append(Leak(source, "entered secret (spoken)",
                              f"…{folded[max(0, start - _CONTEXT):start]}[the secret, "
                              f"{len(secret)} digits, said in words]…"))
    return leaks


WRITTEN_ONLY = ("database", "log")
"""Sources never read aloud: searched for digits, not for digits said in words."""


def scan(texts: Iterable[tuple[str, str]], secrets: Iterable[str] = (),
         spoken: dict[str, str] | None = None) -> list[Leak]:
    """Every leak in `(source, text)` pairs: entered secrets and unmasked card numbers."""
    wanted = tuple(s for s in secrets if s)
    leaks: list[Leak] = []
    for source, text in texts:
        said = None if source in WRITTEN_ONLY else spoken
        found = entered_secrets(text, source, wanted, said)
        if not any(leak.kind == "entered secret" for leak in found):
            found += card_numbers(text, source)
        leaks.extend(found)
    return leaks

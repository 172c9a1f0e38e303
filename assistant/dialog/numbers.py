"""Digits and amounts read from what a caller said or typed, in the caller's language.

Callers read numbers in chunks and mix forms: "one oh oh oh, zero zero zero one",
"10000001", "forty five dollars and fifty cents", "$45.50". Spoken numbers are recognised
by matching against num2words' own output for the language, so the parser and the
synthesiser agree on the words.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from num2words import num2words

from assistant.dialog.packs import LanguagePack
from assistant.dialog.textnorm import fold, words

_MAX_SPOKEN = 2000


@lru_cache(maxsize=8)
def _number_words(lang: str) -> dict[tuple[str, ...], int]:
    table: dict[tuple[str, ...], int] = {}
    for n in range(_MAX_SPOKEN):
        spoken = num2words(n, lang=lang)
        for variant in {spoken, spoken.replace(" and ", " ")}:
            table.setdefault(tuple(words(variant)), n)
    return table


def _digit_lookup(pack: LanguagePack) -> dict[str, str]:
    table = {}
    for symbol, names in pack.digit_words.items():
        for name in names:
            table[fold(name)] = symbol
    return table


def digits_from_text(text: str, pack: LanguagePack) -> str | None:
    """The key string in `text` ("1 2 3 4", "one two three four", "12-34", "pound"), or None
    when anything in it is not a digit."""
    lookup = _digit_lookup(pack)
    result = []
    for token in fold(text).replace(",", " ").replace(".", " ").split():
        if re.fullmatch(r"[0-9*#]+", token):
            result.append(token)
        elif token in lookup:
            result.append(lookup[token])
        elif all(ch in lookup for ch in token):
            result.append("".join(lookup[ch] for ch in token))
        else:
            return None
    return "".join(result) or None


def _spoken_numbers(tokens: list[str], lang: str) -> list[int | str]:
    """Replace runs of number words by their values (longest match first)."""
    table = _number_words(lang)
    out: list[int | str] = []
    i = 0
    while i < len(tokens):
        for size in range(min(8, len(tokens) - i), 0, -1):
            value = table.get(tuple(tokens[i : i + size]))
            if value is not None:
                out.append(value)
                i += size
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


def amount_from_text(text: str, pack: LanguagePack) -> Decimal | None:
    """Money in `text`: "$45.50", "45", "1,045.00", "forty five dollars and fifty cents"."""
    folded = fold(text)
    numeric = re.search(r"\$?\s*([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.([0-9]{1,2}))?", folded)
    if numeric:
        whole = numeric.group(1).replace(",", "")
        cents = (numeric.group(2) or "0").ljust(2, "0")
        try:
            return Decimal(f"{whole}.{cents}")
        except InvalidOperation:
            return None
    lang = pack.locale.split("_")[0]
    values = [v for v in _spoken_numbers(words(text), lang) if isinstance(v, int)]
    if not values:
        return None
    dollars = values[0]
    cents = values[1] if len(values) > 1 and values[1] < 100 else 0
    return Decimal(dollars) + Decimal(cents) / 100


def amount_from_keys(keys: str) -> Decimal | None:
    """Keypad amounts are entered in cents, without a decimal point: 4550 is $45.50."""
    if not keys.isdigit():
        return None
    return Decimal(int(keys)) / 100

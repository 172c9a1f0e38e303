"""Digits and amounts read from what a caller said or typed, in the caller's language.

Callers read numbers in chunks and mix forms: "one oh oh oh, zero zero zero one",
"10000001", "forty five dollars and fifty cents", "cuarenta y cinco dólares con cincuenta
centavos", "사십오 달러 오십 센트", "$45.50". Number words are learnt from num2words' own
output for the language, so the parser understands whatever the synthesiser says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from num2words import CONVERTER_CLASSES, num2words

from assistant.dialog.packs import LanguagePack
from assistant.dialog.textnorm import fold, words

CURRENCY = "USD"

EXTRA_UNITS = {
    "en": ({"buck", "bucks"}, {"penny", "pennies"}),
    "es": ({"dolar", "dolares"}, {"centavo", "centavos", "centimo", "centimos"}),
    "ko": ({"불", "딸라"}, set()),
}
"""Dollar and cent words callers use beside num2words' own (folded: no accents)."""

_DECIMAL = re.compile(r"(?<![0-9])([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)\.([0-9]{1,2})(?![0-9])")
_INTEGER = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+")


@dataclass(frozen=True, slots=True)
class _Vocabulary:
    """How one language says numbers, as num2words says them."""

    values: dict[str, int]
    """A word that adds its value ("forty", "cinco", "doscientos")."""

    multipliers: dict[str, int]
    """A word that multiplies what came before ("hundred", "thousand", "mil", "millones")."""

    connectors: frozenset[str]
    """Words between the parts of one number ("and", "y")."""

    dollars: frozenset[str]
    """Words that name dollars ("dollars", "dólares", "달러")."""

    cents: frozenset[str]
    """Words that name cents ("cents", "centavos", "센트")."""

    joined: bool
    """Numbers are written as one word ("사십오"): read them character by character."""

    characters: dict[str, tuple[str, int]] = field(default_factory=dict)
    """For joined numbers: character -> ("digit" | "unit" | "big", value)."""


def _fits(current: int, value: int) -> bool:
    """`value` can follow `current` inside one number: its places are still empty
    ("forty" then "five" fits; "forty five" then "fifty" starts a new number)."""
    return current % (10 ** len(str(value))) == 0


def _combine(parts: list[int | str], vocab: _Vocabulary) -> list[int | str]:
    """Values and multipliers merged into whole numbers; other words passed on."""
    out: list[int | str] = []
    total: int | None = None
    current = 0

    def flush() -> None:
        nonlocal total, current
        if total is not None:
            out.append(total + current)
        total, current = None, 0

    for part in parts:
        if isinstance(part, int):
            if total is not None and _fits(current, part) and (total == 0 or part < 1000):
                current += part
            else:
                flush()
                total, current = 0, part
        elif part in vocab.multipliers:
            factor = vocab.multipliers[part]
            if factor < 1000:
                if total is None or current >= 10:
                    flush()
                    total, current = 0, 0
                current = (current or 1) * factor
            elif total is None:
                total, current = factor, 0
            else:
                total, current = total + (current or 1) * factor, 0
        elif part in vocab.connectors and total is not None:
            continue
        else:
            flush()
            out.append(part)
    flush()
    return out


def _spoken_value(tokens: list[str], vocab: _Vocabulary) -> int | None:
    """The one number `tokens` say, or None."""
    parts: list[int | str] = [vocab.values.get(t, t) for t in tokens]
    numbers = _combine(parts, vocab)
    return numbers[0] if len(numbers) == 1 and isinstance(numbers[0], int) else None


def _unit_words(lang: str) -> tuple[set[str], set[str]]:
    forms = CONVERTER_CLASSES[lang].CURRENCY_FORMS.get(CURRENCY, ((), ()))
    dollars, cents = ({forms[i]} if isinstance(forms[i], str) else set(forms[i]) for i in (0, 1))
    extra_dollars, extra_cents = EXTRA_UNITS.get(lang, (set(), set()))
    return (
        {fold(w) for w in dollars | extra_dollars},
        {fold(w) for w in cents | extra_cents},
    )


@lru_cache(maxsize=8)
def _vocabulary(lang: str) -> _Vocabulary:
    """Learn `lang`'s number words from num2words: single words first, then multipliers,
    then the words that only appear inside longer numbers ("ciento", "and")."""
    dollars, cents = _unit_words(lang)
    if " " not in num2words(123, lang=lang):
        return _Vocabulary(
            {}, {}, frozenset(), frozenset(dollars), frozenset(cents), True, _characters(lang)
        )
    values: dict[str, int] = {}
    for n in [*range(100), *range(100, 1000, 100)]:
        said = words(num2words(n, lang=lang))
        if len(said) == 1:
            values.setdefault(said[0], n)
    multipliers: dict[str, int] = {}
    for power in (100, 1000, 10**6):
        for n in (power, 2 * power):
            said = words(num2words(n, lang=lang))
            if said[-1] not in values and (len(said) == 2 or power >= 1000):
                multipliers[said[-1]] = power
    for n in range(1, 100):
        said = words(num2words(Decimal(n), lang=lang, to="currency", currency=CURRENCY))
        if len(said) > 1 and said[1] in dollars and said[0] not in values:
            values[said[0]] = n  # "un dólar", "veintiún dólares"
    connectors: set[str] = set()
    vocab = _Vocabulary(
        values, multipliers, frozenset(), frozenset(dollars), frozenset(cents), False
    )
    for n in range(100, 1000):
        said = words(num2words(n, lang=lang))
        unknown = [
            w for w in said if w not in values and w not in multipliers and w not in connectors
        ]
        if len(unknown) != 1:
            continue
        rest = [w for w in said if w != unknown[0] and w not in connectors]
        known = _spoken_value(rest, vocab) if rest else 0
        if known == n:
            connectors.add(unknown[0])
        elif known is not None and n - known > 0 and said[0] == unknown[0]:
            values[unknown[0]] = n - known
    return _Vocabulary(
        values, multipliers, frozenset(connectors), frozenset(dollars), frozenset(cents), False
    )


def _characters(lang: str) -> dict[str, tuple[str, int]]:
    """Digits and place units of a language that writes numbers as one word (Korean)."""
    table: dict[str, tuple[str, int]] = {}
    for digit in range(10):
        table[num2words(digit, lang=lang)] = ("digit", digit)
    for unit in (10, 100, 1000):
        table[num2words(unit, lang=lang)] = ("unit", unit)
    for big in (10**4, 10**8):
        table[num2words(big, lang=lang)[-1]] = ("big", big)
    return {ch: kind for ch, kind in table.items() if len(ch) == 1}


def _joined_value(text: str, characters: dict[str, tuple[str, int]]) -> int | None:
    """A number written as one word ("천사십오" is 1045), or None."""
    total = section = 0
    digit: int | None = None
    for ch in text:
        kind, value = characters.get(ch, ("", 0))
        if kind == "digit":
            if digit is not None:
                return None
            digit = value
        elif kind == "unit":
            section += (1 if digit is None else digit) * value
            digit = None
        elif kind == "big":
            total += (section + (digit or 0) or 1) * value
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0) if text else None


def _tokens(text: str, vocab: _Vocabulary) -> list[str]:
    """Words of `text`, with digits and attached units ("45달러", "사십오달러") split off."""
    out: list[str] = []
    units = sorted(vocab.dollars | vocab.cents, key=len, reverse=True)
    for word in words(text.replace("$", " $ ")):
        pieces = re.findall(r"[0-9][0-9,]*|[^0-9]+", word)
        for piece in pieces:
            unit = next((u for u in units if piece.endswith(u) and piece != u), None)
            if unit is not None:
                out += [piece[: -len(unit)], unit]
            else:
                out.append(piece)
    return [t.strip(",") for t in out if t.strip(",")]


def spoken_numbers(text: str, lang: str) -> list[int | str]:
    """`text` as numbers and the words between them: "forty five dollars" -> [45, "dollars"]."""
    vocab = _vocabulary(lang)
    parts: list[int | str] = []
    for token in _tokens(text, vocab):
        if _INTEGER.fullmatch(token):
            parts.append(int(token.replace(",", "")))
            parts.append("")  # a typed number is whole: nothing joins onto it
        elif vocab.joined:
            value = _joined_value(token, vocab.characters)
            parts.append(token if value is None else value)
        else:
            parts.append(vocab.values.get(token, token))
    return [p for p in _combine(parts, vocab) if p != ""]


def amount_from_text(text: str, pack: LanguagePack) -> Decimal | None:
    """Money in `text`: "$45.50", "45", "1,045.00", "forty five dollars and fifty cents",
    "cuarenta y cinco con cincuenta", "사십오 달러 오십 센트"."""
    decimal = _DECIMAL.search(fold(text))
    if decimal:
        try:
            return Decimal(f"{decimal.group(1).replace(',', '')}.{decimal.group(2).ljust(2, '0')}")
        except InvalidOperation:
            return None
    vocab = _vocabulary(pack.locale.split("_")[0])
    parts = spoken_numbers(text, pack.locale.split("_")[0])
    numbers = [(i, p) for i, p in enumerate(parts) if isinstance(p, int)]
    units = {i: parts[i + 1] if i + 1 < len(parts) else "" for i, _ in numbers}
    dollars = next((value for i, value in numbers if units[i] in vocab.dollars), None)
    cents = next((value for i, value in numbers if units[i] in vocab.cents), None)
    loose = [(i, value) for i, value in numbers if units[i] not in vocab.dollars | vocab.cents]
    if dollars is None and loose:
        start, dollars = loose.pop(0)
        # Unnamed numbers are dollars, then cents: "forty five fifty".
        if cents is None and loose and loose[0][0] > start and loose[0][1] < 100:
            cents = loose[0][1]
    if dollars is None and cents is None:
        return None
    if cents is not None and cents >= 100:
        return None
    return Decimal(dollars or 0) + Decimal(cents or 0) / 100


def _digit_lookup(pack: LanguagePack) -> dict[str, str]:
    table = {}
    for symbol, names in pack.digit_words.items():
        for name in names:
            table[fold(name)] = symbol
    return table


def _segment(token: str, lookup: dict[str, str]) -> str | None:
    """A token of run-together key words ("공일공", "onetwo") as keys, or None."""
    keys: list[str | None] = [""] + [None] * len(token)
    for end in range(1, len(token) + 1):
        for start in range(end):
            head, piece = keys[start], token[start:end]
            if head is not None and piece in lookup:
                keys[end] = head + lookup[piece]
                break
    return keys[-1]


def digits_from_text(text: str, pack: LanguagePack) -> str | None:
    """The key string in `text` ("1 2 3 4", "one two three four", "12-34", "pound",
    "공일공 우물 정"), or None when anything in it is not a key."""
    lookup = _digit_lookup(pack)
    folded = fold(text).replace(",", " ").replace(".", " ")
    for name in sorted((n for n in lookup if " " in n), key=len, reverse=True):
        folded = re.sub(rf"(?<!\S){re.escape(name)}(?!\S)", lookup[name], folded)
    result = []
    for token in folded.split():
        if re.fullmatch(r"[0-9*#]+", token):
            result.append(token)
        elif token in lookup:
            result.append(lookup[token])
        else:
            keys = _segment(token, lookup)
            if keys is None:
                return None
            result.append(keys)
    return "".join(result) or None


def amount_from_keys(keys: str) -> Decimal | None:
    """Keypad amounts are entered in cents, without a decimal point: 4550 is $45.50."""
    if not keys.isdigit():
        return None
    return Decimal(int(keys)) / 100

"""Values made readable and speakable for one language.

Every value that goes into a prompt is a `Spoken`: what a screen or caption shows (Babel's
locale formatting) and what a synthesiser should say (num2words), so "$45.50" is read as
"forty-five dollars, fifty cents", "12월 7일" as "십이월 칠일", and a confirmation number digit
by digit, in each language.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from babel.dates import format_date, format_datetime, get_month_names
from babel.numbers import format_currency, format_decimal
from num2words import num2words

from assistant.dialog.packs import LanguagePack

CURRENCY = "USD"

_CENTS_MARK = "|"
"""Put between dollars and cents by num2words, so the cents can be left out when zero."""

CENTS_JOINER = {"en": ", ", "es": " con "}
"""How each language joins dollars and cents when speaking ("forty-five dollars, fifty
cents", "cuarenta y cinco dólares con cincuenta centavos"); a space elsewhere."""

SPEECH_FIXES: dict[str, tuple[tuple[str, str], ...]] = {
    "es": ((r"\b(millón|millones) (dólar)", r"\1 de \2"),),
    "ko": ((r"(?<=\S)(달러|센트)", r" \1"),),
}
"""Where num2words' wording trips a synthesiser: "un millón dólares" wants "de"; "사십오달러"
reads better as "사십오 달러"."""

SPOKEN_MONTHS = {"ko": {6: "유월", 10: "시월"}}
"""Month names said otherwise than their numbers (6월 is "유월", not "육월")."""

SPOKEN_DAYS = {"es": {1: "primero"}}
"""Days said otherwise than their numbers (el primero de diciembre)."""


@dataclass(frozen=True, slots=True)
class Spoken:
    """A value in two forms: for the eye and for the ear."""

    text: str
    """As shown: "$45.50", "December 7, 2026"."""

    speech: str
    """As read aloud: "forty-five dollars, fifty cents"."""

    def __str__(self) -> str:
        return self.text


def _n2w_lang(pack: LanguagePack) -> str:
    return pack.locale.split("_")[0]


class Formatter:
    """Formats money, dates, counts and reference numbers for one pack."""

    def __init__(self, pack: LanguagePack) -> None:
        self.pack = pack
        self.locale = pack.locale
        self.lang = _n2w_lang(pack)

    def _fix(self, speech: str) -> str:
        for pattern, replacement in SPEECH_FIXES.get(self.lang, ()):
            speech = re.sub(pattern, replacement, speech)
        return " ".join(speech.split())

    def _money_words(self, amount: Decimal) -> str:
        """A positive amount in words; whole dollars are said without "zero cents"."""
        said = num2words(
            amount, lang=self.lang, to="currency", currency=CURRENCY, separator=_CENTS_MARK
        )
        if _CENTS_MARK in said:
            dollars, _, cents = said.partition(_CENTS_MARK)
        else:  # Korean: "사십오달러 오십센트"
            dollars, _, cents = said.rpartition(" ")
        if amount == amount.to_integral_value():
            return self._fix(dollars)
        return self._fix(f"{dollars.strip()}{CENTS_JOINER.get(self.lang, ' ')}{cents.strip()}")

    def money(self, amount: Decimal) -> Spoken:
        """Dollars for this language; a negative amount is said as a credit."""
        amount = Decimal(amount).quantize(Decimal("0.01"))
        text = format_currency(amount, CURRENCY, locale=self.locale)
        speech = self._money_words(abs(amount))
        if amount < 0:
            speech = self.pack.prompt("format.credit").format(amount=speech)
        return Spoken(text, speech)

    def number(self, value: int) -> Spoken:
        return Spoken(format_decimal(value, locale=self.locale), num2words(value, lang=self.lang))

    def _month_speech(self, month: int) -> str:
        special = SPOKEN_MONTHS.get(self.lang, {}).get(month)
        if special:
            return special
        name = get_month_names("wide", locale=self.locale)[month]
        # Some locales name months by number ("12월"): say the number.
        return re.sub(r"\d+", lambda digits: num2words(int(digits[0]), lang=self.lang), name)

    def date(self, day: dt.date) -> Spoken:
        text = format_date(day, format="long", locale=self.locale)
        day_words = SPOKEN_DAYS.get(self.lang, {}).get(day.day)
        speech = self.pack.prompt("format.date_speech").format(
            month=self._month_speech(day.month),
            month_number=num2words(day.month, lang=self.lang),
            day=day_words or num2words(day.day, lang=self.lang),
            day_ordinal=num2words(day.day, lang=self.lang, to="ordinal"),
            year=num2words(day.year, lang=self.lang, to="year")
            if self.lang == "en"
            else num2words(day.year, lang=self.lang),
        )
        return Spoken(text, speech)

    def when(self, moment: dt.datetime) -> Spoken:
        text = format_datetime(moment, format="medium", locale=self.locale)
        return Spoken(text, self.date(moment.date()).speech)

    def reference(self, code: str) -> Spoken:
        """A confirmation or case number, read one character at a time."""
        spoken = []
        for ch in code:
            if ch.isdigit():
                spoken.append(self.pack.digit_words[ch][0])
            else:
                spoken.append(ch.upper())
        return Spoken(code, ", ".join(spoken))

    def last4(self, digits: str) -> Spoken:
        return Spoken(digits, " ".join(self.pack.digit_words[d][0] for d in digits))

    def minutes(self, count: int) -> Spoken:
        return Spoken(str(count), num2words(count, lang=self.lang))

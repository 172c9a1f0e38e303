"""Values made readable and speakable for one language.

Every value that goes into a prompt is a `Spoken`: what a screen or caption shows (Babel's
locale formatting) and what a synthesiser should say (num2words), so "$45.50" is read as
"forty-five dollars, fifty cents" and a confirmation number digit by digit, in each language.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from babel.dates import format_date, format_datetime, get_month_names
from babel.numbers import format_currency, format_decimal
from num2words import num2words

from assistant.dialog.packs import LanguagePack

CURRENCY = "USD"


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

    def money(self, amount: Decimal) -> Spoken:
        amount = Decimal(amount).quantize(Decimal("0.01"))
        text = format_currency(amount, CURRENCY, locale=self.locale)
        speech = num2words(amount, lang=self.lang, to="currency", currency=CURRENCY)
        if amount < 0:
            speech = self.pack.prompt("format.credit").format(amount=speech.replace("minus ", ""))
        return Spoken(text, speech)

    def number(self, value: int) -> Spoken:
        return Spoken(format_decimal(value, locale=self.locale), num2words(value, lang=self.lang))

    def date(self, day: dt.date) -> Spoken:
        text = format_date(day, format="long", locale=self.locale)
        month = get_month_names("wide", locale=self.locale)[day.month]
        speech = self.pack.prompt("format.date_speech").format(
            month=month,
            month_number=num2words(day.month, lang=self.lang),
            day=num2words(day.day, lang=self.lang),
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

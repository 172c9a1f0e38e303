"""Checks on what a caller keys or says: card and bank numbers, amounts, contact details.

Pure functions. Each returns a clean value or raises `BillingError` with the code the session
reads back, so a typo becomes a reprompt rather than a stored mistake.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from .errors import BillingError
from .models import BankInput, CardInput

CENT = Decimal("0.01")

_AMOUNT = re.compile(r"\$?\s*(?P<whole>\d{1,3}(?:,\d{3})+|\d+)?(?:\.(?P<cents>\d{1,2}))?")
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)*\.[A-Za-z]{2,}")
_SEPARATORS = re.compile(r"[\s\-]")
_PHONE_SEPARATORS = re.compile(r"[\s\-().]")
_CARD_LENGTHS = {
    "Visa": (13, 16, 19),
    "Mastercard": (16,),
    "American Express": (15,),
    "Discover": (16, 17, 18, 19),
}
_ROUTING_PREFIXES = (*range(0, 13), *range(21, 33), *range(61, 73), 80)
"""Federal Reserve routing symbols a US routing number may start with."""


@dataclass(frozen=True, slots=True)
class CardDetails:
    """What may be kept of a valid card."""

    brand: str
    last4: str
    exp_month: int
    exp_year: int


@dataclass(frozen=True, slots=True)
class BankDetails:
    """What may be kept of a valid bank account."""

    brand: str
    last4: str


def keyed_digits(text: str) -> str | None:
    """The digits of a keyed number with spaces and dashes removed; None if anything else."""
    digits = _SEPARATORS.sub("", text)
    return digits if digits.isascii() and digits.isdigit() else None


def identifier_digits(text: str) -> str | None:
    """An account or phone number as keyed, said or typed: "(212) 555-0101", "+1 212...".

    Returns the digits (a leading country code 1 dropped from eleven), or None.
    """
    digits = _PHONE_SEPARATORS.sub("", text.strip()).removeprefix("+")
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    return digits if digits.isascii() and digits.isdigit() else None


def luhn_valid(digits: str) -> bool:
    """The Luhn (mod 10) check every payment card number carries in its last digit."""
    if not digits.isascii() or not digits.isdigit():
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def card_brand(digits: str) -> str | None:
    """The card network from the issuer prefix (IIN), or None for networks we do not take."""
    if digits.startswith("4"):
        return "Visa"
    if 51 <= int(digits[:2] or 0) <= 55 or 2221 <= int(digits[:4] or 0) <= 2720:
        return "Mastercard"
    if digits[:2] in ("34", "37"):
        return "American Express"
    if digits.startswith(("6011", "65")):
        return "Discover"
    return None


def routing_valid(digits: str) -> bool:
    """An ABA routing number: nine digits, a known prefix, and the 3-7-1 check digit."""
    if len(digits) != 9 or not digits.isascii() or not digits.isdigit():
        return False
    if int(digits[:2]) not in _ROUTING_PREFIXES:
        return False
    weights = (3, 7, 1) * 3
    return sum(int(char) * weight for char, weight in zip(digits, weights, strict=True)) % 10 == 0


def validate_card(card: CardInput, today: date) -> CardDetails:
    """Check a keyed card and keep only what may be stored.

    Raises:
        BillingError: card_invalid (length, check digit, network, month) or card_expired.
    """
    digits = keyed_digits(card.number)
    if digits is None or not 13 <= len(digits) <= 19 or not luhn_valid(digits):
        raise BillingError("card_invalid")
    brand = card_brand(digits)
    if brand is None or len(digits) not in _CARD_LENGTHS[brand]:
        raise BillingError("card_invalid")
    if not 1 <= card.exp_month <= 12 or card.exp_year < 0:
        raise BillingError("card_invalid")
    year = card.exp_year + 2000 if card.exp_year < 100 else card.exp_year
    if (year, card.exp_month) < (today.year, today.month):
        raise BillingError("card_expired", expiry=f"{card.exp_month:02d}/{year % 100:02d}")
    return CardDetails(brand=brand, last4=digits[-4:], exp_month=card.exp_month, exp_year=year)


def validate_bank(bank: BankInput) -> BankDetails:
    """Check a keyed bank account and keep only what may be stored.

    Raises:
        BillingError: bank_routing_invalid, or bank_account_invalid (4 to 17 digits, and a
            checking or savings account).
    """
    routing = keyed_digits(bank.routing)
    if routing is None or not routing_valid(routing):
        raise BillingError("bank_routing_invalid")
    account = keyed_digits(bank.account)
    if account is None or not 4 <= len(account) <= 17 or bank.kind not in ("checking", "savings"):
        raise BillingError("bank_account_invalid")
    return BankDetails(brand=f"{bank.kind.capitalize()} account", last4=account[-4:])


def parse_amount(text: str) -> Decimal:
    """Read an amount as typed or transcribed: "45", "45.5", "$45.50", "1,045.00".

    Raises:
        BillingError: invalid_amount for anything else (negative, three decimals, stray text).
    """
    match = _AMOUNT.fullmatch(text.strip())
    if match is None or (match["whole"] is None and match["cents"] is None):
        raise BillingError("invalid_amount")
    whole = (match["whole"] or "0").replace(",", "")
    return Decimal(f"{whole}.{match['cents'] or '0'}").quantize(CENT)


def check_amount(amount: Decimal) -> Decimal:
    """An amount to pay: finite, more than zero, whole cents.

    Raises:
        BillingError: invalid_amount.
    """
    try:
        cents = amount.quantize(CENT)
    except InvalidOperation as error:
        raise BillingError("invalid_amount") from error
    if not amount.is_finite() or amount <= 0 or cents != amount:
        raise BillingError("invalid_amount")
    return cents


def normalise_email(text: str) -> str:
    """A plausible email address, trimmed and with a lower-case domain.

    Raises:
        BillingError: invalid_email.
    """
    email = text.strip()
    if len(email) > 254 or _EMAIL.fullmatch(email) is None:
        raise BillingError("invalid_email")
    local, domain = email.rsplit("@", 1)
    return f"{local}@{domain.lower()}"


def normalise_phone(text: str) -> str:
    """A North American number as ten digits: "(212) 555-0101" and "+1 212 555 0101" alike.

    Raises:
        BillingError: invalid_phone.
    """
    digits = identifier_digits(text)
    if digits is None or len(digits) != 10:
        raise BillingError("invalid_phone")
    if digits[0] in "01" or digits[3] in "01":
        raise BillingError("invalid_phone")
    return digits

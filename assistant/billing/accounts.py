"""Who is calling: sign-in with lockout, and the account's contact settings."""

from __future__ import annotations

import hmac
import sqlite3
from datetime import datetime
from functools import cache

from .errors import BillingError
from .models import Account
from .security import PinHash, hash_pin, pin_matches
from .store import Store
from .validation import identifier_digits, keyed_digits, normalise_email, normalise_phone

MAX_FAILURES = 3
"""Consecutive wrong secrets that lock an account until an agent unlocks it."""


@cache
def _decoy() -> PinHash:
    """Checked against when the identifier is unknown, so a miss costs as long as a wrong PIN."""
    return hash_pin("0000")


def to_account(row: sqlite3.Row) -> Account:
    """An `accounts` row as the public record."""
    return Account(
        number=row["number"],
        name=row["name"],
        phone=row["phone"],
        email=row["email"],
        zip_code=row["zip_code"],
        address=row["address"],
        paperless=bool(row["paperless"]),
        locked=bool(row["locked"]),
        lang=row["lang"],
    )


def account_row(store: Store, number: str) -> sqlite3.Row:
    """The account's row, or BillingError("not_found")."""
    row = store.one("SELECT * FROM accounts WHERE number = ?", (number,))
    if row is None:
        raise BillingError("not_found")
    return row


def get_account(store: Store, number: str) -> Account:
    """The account, or BillingError("not_found")."""
    return to_account(account_row(store, number))


def _find(store: Store, identifier: str) -> sqlite3.Row | None:
    digits = identifier_digits(identifier)
    if digits is not None and len(digits) == 8:
        return store.one("SELECT * FROM accounts WHERE number = ?", (digits,))
    if digits is not None and len(digits) == 10:
        return store.one("SELECT * FROM accounts WHERE phone = ?", (digits,))
    return None


def _secret_matches(row: sqlite3.Row, secret: str) -> bool:
    digits = keyed_digits(secret) or ""
    if len(digits) == 4:
        stored = PinHash(row["pin_scheme"], row["pin_salt"], row["pin_hash"])
        return pin_matches(digits, stored)
    if len(digits) == 5:
        return hmac.compare_digest(digits, row["zip_code"])
    return False


def authenticate(store: Store, identifier: str, secret: str, now: datetime) -> Account:
    """Sign a caller in by account number or phone, and PIN or ZIP code.

    The failure count is committed before the error is raised, so hanging up and calling
    back does not reset it.

    Raises:
        BillingError: bad_credentials (params: remaining) for a wrong secret or an unknown
            identifier (which counts nothing and reveals nothing), locked on the third
            failure and on every try after it.
    """
    with store.transaction():
        row = _find(store, identifier)
        if row is None:
            pin_matches("0000", _decoy())
            store.audit(now, None, "auth.unknown", "identifier not on file")
            failure = BillingError("bad_credentials", remaining=str(MAX_FAILURES - 1))
        elif row["locked"]:
            store.audit(now, row["number"], "auth.refused", "account locked")
            failure = BillingError("locked")
        elif _secret_matches(row, secret):
            store.update(
                "UPDATE accounts SET failed_attempts = 0 WHERE number = ?", (row["number"],)
            )
            store.audit(now, row["number"], "auth.ok", "signed in")
            return to_account(row)
        else:
            failures = row["failed_attempts"] + 1
            locked = failures >= MAX_FAILURES
            store.update(
                "UPDATE accounts SET failed_attempts = ?, locked = ? WHERE number = ?",
                (failures, int(locked), row["number"]),
            )
            store.audit(
                now,
                row["number"],
                "auth.locked" if locked else "auth.failed",
                f"wrong secret, attempt {failures} of {MAX_FAILURES}",
            )
            failure = (
                BillingError("locked")
                if locked
                else BillingError("bad_credentials", remaining=str(MAX_FAILURES - failures))
            )
    raise failure


def agent_unlock(store: Store, number: str, now: datetime) -> None:
    """Unlock an account and clear its failure count (an agent has verified the caller)."""
    with store.transaction():
        account_row(store, number)
        store.update(
            "UPDATE accounts SET locked = 0, failed_attempts = 0 WHERE number = ?", (number,)
        )
        store.audit(now, number, "auth.unlocked", "unlocked by an agent", actor="agent")


def set_paperless(store: Store, number: str, on: bool, now: datetime) -> None:
    """Turn paper statements off (paperless) or back on."""
    with store.transaction():
        account_row(store, number)
        store.update("UPDATE accounts SET paperless = ? WHERE number = ?", (int(on), number))
        store.audit(now, number, "settings.paperless", "on" if on else "off")


def update_contact(
    store: Store, number: str, now: datetime, *, email: str | None, phone: str | None
) -> Account:
    """Change the email address and/or phone number on file.

    Raises:
        BillingError: invalid_email, invalid_phone (malformed, or on another account).
    """
    new_email = None if email is None else normalise_email(email)
    new_phone = None if phone is None else normalise_phone(phone)
    with store.transaction():
        account_row(store, number)
        if new_phone is not None:
            owner = store.one("SELECT number FROM accounts WHERE phone = ?", (new_phone,))
            if owner is not None and owner["number"] != number:
                raise BillingError("invalid_phone")
            store.update("UPDATE accounts SET phone = ? WHERE number = ?", (new_phone, number))
            store.audit(now, number, "contact.phone", "phone number updated")
        if new_email is not None:
            store.update("UPDATE accounts SET email = ? WHERE number = ?", (new_email, number))
            store.audit(now, number, "contact.email", "email address updated")
    return get_account(store, number)

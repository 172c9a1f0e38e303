"""Payment methods on file (tokenized cards and bank accounts) and automatic payments."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime

from .accounts import account_row
from .errors import BillingError
from .models import Autopay, BankInput, CardInput, PaymentMethod
from .security import new_token
from .store import Store, iso_time
from .validation import validate_bank, validate_card


def to_method(row: sqlite3.Row) -> PaymentMethod:
    """A `payment_methods` row as the public record."""
    return PaymentMethod(
        id=row["id"],
        kind=row["kind"],
        brand=row["brand"],
        last4=row["last4"],
        exp_month=row["exp_month"],
        exp_year=row["exp_year"],
        is_default=bool(row["is_default"]),
    )


def list_methods(store: Store, number: str) -> list[PaymentMethod]:
    """The saved methods, oldest first."""
    account_row(store, number)
    rows = store.all(
        "SELECT * FROM payment_methods WHERE account = ? AND saved = 1 AND removed IS NULL"
        " ORDER BY id",
        (number,),
    )
    return [to_method(row) for row in rows]


def saved_method(store: Store, number: str, method_id: int) -> PaymentMethod:
    """One saved method of this account, or BillingError("method_not_found")."""
    row = store.one(
        "SELECT * FROM payment_methods WHERE id = ? AND account = ? AND saved = 1"
        " AND removed IS NULL",
        (method_id, number),
    )
    if row is None:
        raise BillingError("method_not_found")
    return to_method(row)


def method_by_id(store: Store, method_id: int) -> PaymentMethod:
    """Any method ever used, saved or not (receipts refer to one-off cards too)."""
    row = store.one("SELECT * FROM payment_methods WHERE id = ?", (method_id,))
    if row is None:
        raise BillingError("method_not_found")
    return to_method(row)


def insert_method(
    store: Store,
    number: str,
    now: datetime,
    *,
    kind: str,
    brand: str,
    last4: str,
    exp: tuple[int, int] | None = None,
    saved: bool = True,
    default: bool = False,
) -> int:
    """Store a method's token and display details inside the caller's transaction.

    A saved method becomes the default when asked to or when there is no default yet;
    a one-off method (`saved=False`) exists only so its payment can name it.
    """
    has_default = store.one(
        "SELECT 1 FROM payment_methods WHERE account = ? AND saved = 1 AND removed IS NULL"
        " AND is_default = 1",
        (number,),
    )
    make_default = saved and (default or has_default is None)
    if make_default:
        store.update("UPDATE payment_methods SET is_default = 0 WHERE account = ?", (number,))
    method_id = store.insert(
        "INSERT INTO payment_methods (account, token, kind, brand, last4, exp_month, exp_year,"
        " is_default, saved, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            number,
            new_token(),
            kind,
            brand,
            last4,
            exp[0] if exp else None,
            exp[1] if exp else None,
            int(make_default),
            int(saved),
            iso_time(now),
        ),
    )
    if saved:
        store.audit(now, number, "method.added", f"{brand} ending {last4}")
    return method_id


def add_card(
    store: Store, number: str, card: CardInput, today: date, now: datetime, *, default: bool
) -> PaymentMethod:
    """Check and save a card; only brand, last four and expiry are kept."""
    details = validate_card(card, today)
    with store.transaction():
        account_row(store, number)
        method_id = insert_method(
            store,
            number,
            now,
            kind="card",
            brand=details.brand,
            last4=details.last4,
            exp=(details.exp_month, details.exp_year),
            default=default,
        )
    return saved_method(store, number, method_id)


def add_bank(
    store: Store, number: str, bank: BankInput, now: datetime, *, default: bool
) -> PaymentMethod:
    """Check and save a bank account; only its type and last four digits are kept."""
    details = validate_bank(bank)
    with store.transaction():
        account_row(store, number)
        method_id = insert_method(
            store,
            number,
            now,
            kind="bank",
            brand=details.brand,
            last4=details.last4,
            default=default,
        )
    return saved_method(store, number, method_id)


def remove_method(store: Store, number: str, method_id: int, now: datetime) -> None:
    """Remove a saved method; the next oldest becomes the default if it was.

    Raises:
        BillingError: method_not_found, method_in_use (automatic payments use it).
    """
    with store.transaction():
        method = saved_method(store, number, method_id)
        current = autopay(store, number)
        if current is not None and current.method.id == method_id:
            raise BillingError("method_in_use", method=method.label)
        store.update(
            "UPDATE payment_methods SET removed = ?, is_default = 0 WHERE id = ?",
            (iso_time(now), method_id),
        )
        if method.is_default:
            store.update(
                "UPDATE payment_methods SET is_default = 1 WHERE id = (SELECT min(id)"
                " FROM payment_methods WHERE account = ? AND saved = 1 AND removed IS NULL)",
                (number,),
            )
        store.audit(now, number, "method.removed", method.label)


def set_default_method(store: Store, number: str, method_id: int, now: datetime) -> None:
    """Make one saved method the default for payments."""
    with store.transaction():
        method = saved_method(store, number, method_id)
        store.update("UPDATE payment_methods SET is_default = 0 WHERE account = ?", (number,))
        store.update("UPDATE payment_methods SET is_default = 1 WHERE id = ?", (method_id,))
        store.audit(now, number, "method.default", method.label)


def autopay(store: Store, number: str) -> Autopay | None:
    """The active enrolment, if any."""
    account_row(store, number)
    row = store.one(
        "SELECT method_id, since FROM autopay_enrolments WHERE account = ? AND cancelled IS NULL",
        (number,),
    )
    if row is None:
        return None
    return Autopay(
        method=method_by_id(store, row["method_id"]), since=date.fromisoformat(row["since"])
    )


def enrol_autopay(store: Store, number: str, method_id: int, now: datetime) -> Autopay:
    """Pay each statement automatically on its due date from a saved method.

    Raises:
        BillingError: method_not_found, autopay_active (params: method).
    """
    with store.transaction():
        method = saved_method(store, number, method_id)
        current = autopay(store, number)
        if current is not None:
            raise BillingError("autopay_active", method=current.method.label)
        store.insert(
            "INSERT INTO autopay_enrolments (account, method_id, since) VALUES (?, ?, ?)",
            (number, method_id, now.date().isoformat()),
        )
        store.audit(now, number, "autopay.enrolled", method.label)
    return Autopay(method=method, since=now.date())


def cancel_autopay(store: Store, number: str, now: datetime) -> None:
    """Stop automatic payments.

    Raises:
        BillingError: autopay_inactive.
    """
    with store.transaction():
        changed = store.update(
            "UPDATE autopay_enrolments SET cancelled = ? WHERE account = ? AND cancelled IS NULL",
            (iso_time(now), number),
        )
        if changed == 0:
            account_row(store, number)
            raise BillingError("autopay_inactive")
        store.audit(now, number, "autopay.cancelled", "automatic payments stopped")

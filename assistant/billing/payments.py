"""What is owed and what was paid: balance, summary, history, and taking a payment."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from decimal import Decimal

from .accounts import account_row, to_account
from .errors import BillingError
from .methods import autopay, insert_method, method_by_id, saved_method
from .models import BankInput, CardInput, Payment, PaymentMethod, Receipt, Summary
from .store import Store, iso_time, read_time, to_cents, to_money
from .validation import check_amount, validate_bank, validate_card

OVERPAYMENT_LIMIT_CENTS = 100_000
"""A payment may exceed the balance by at most $1,000 (the rest stays as a credit)."""

MINIMUM_PAYMENT = Decimal("25.00")
"""Due on top of any past-due amount to keep the account in good standing."""

_COUNTED = "('posted', 'pending')"
"""Payment statuses that reduce the balance."""


def balance_cents(store: Store, number: str) -> int:
    """Everything billed less everything paid."""
    return store.scalar(
        "SELECT (SELECT coalesce(sum(total_cents), 0) FROM statements WHERE account = :n)"
        " - (SELECT coalesce(sum(amount_cents), 0) FROM payments WHERE account = :n"
        f" AND status IN {_COUNTED})",
        {"n": number},
    )


def past_due_cents(store: Store, number: str, today: date) -> int:
    """What is still unpaid from statements due before today (payments settle oldest first)."""
    unpaid = store.scalar(
        "SELECT (SELECT coalesce(sum(total_cents), 0) FROM statements WHERE account = :n"
        " AND due_date < :today)"
        " - (SELECT coalesce(sum(amount_cents), 0) FROM payments WHERE account = :n"
        f" AND status IN {_COUNTED})",
        {"n": number, "today": today.isoformat()},
    )
    return max(0, unpaid)


def to_payment(row: sqlite3.Row) -> Payment:
    """A `payments` row as the public record."""
    return Payment(
        confirmation=row["confirmation"],
        posted=read_time(row["posted"]),
        amount=to_money(row["amount_cents"]),
        method_label=row["method_label"],
        last4=row["last4"],
        status=row["status"],
    )


def history(store: Store, number: str, limit: int) -> list[Payment]:
    """The latest payments, newest first."""
    account_row(store, number)
    rows = store.all(
        "SELECT * FROM payments WHERE account = ? ORDER BY posted DESC, id DESC LIMIT ?",
        (number, limit),
    )
    return [to_payment(row) for row in rows]


def summary(store: Store, number: str, today: date) -> Summary:
    """The balance prompt's figures for one day."""
    account = to_account(account_row(store, number))
    balance = to_money(balance_cents(store, number))
    past_due = to_money(past_due_cents(store, number, today))
    latest = store.one(
        "SELECT * FROM statements WHERE account = ? ORDER BY issued DESC, id DESC LIMIT 1",
        (number,),
    )
    late_fees = Decimal("0.00")
    if latest is not None:
        late_fees = to_money(
            store.scalar(
                "SELECT coalesce(sum(amount_cents), 0) FROM line_items WHERE statement_id = ?"
                " AND category = 'late_fee'",
                (latest["id"],),
            )
        )
    minimum = min(balance, past_due + MINIMUM_PAYMENT) if balance > 0 else Decimal("0.00")
    recent = history(store, number, 1)
    return Summary(
        account=account,
        balance=balance,
        minimum_due=minimum,
        due_date=date.fromisoformat(latest["due_date"]) if latest is not None else today,
        past_due=past_due,
        late_fees=late_fees,
        autopay=autopay(store, number),
        last_payment=recent[0] if recent else None,
        statement_total=to_money(latest["total_cents"]) if latest is not None else balance,
    )


def _receipt(store: Store, row: sqlite3.Row, replayed: bool) -> Receipt:
    return Receipt(
        confirmation=row["confirmation"],
        amount=to_money(row["amount_cents"]),
        method=method_by_id(store, row["method_id"]),
        new_balance=to_money(row["balance_after_cents"]),
        posted=read_time(row["posted"]),
        replayed=replayed,
    )


def _payment_method(
    store: Store,
    number: str,
    now: datetime,
    method_id: int | None,
    card: CardInput | None,
    bank: BankInput | None,
    save_method: bool,
) -> PaymentMethod:
    """The method to charge, tokenizing a keyed card or bank account on the way."""
    if method_id is not None:
        return saved_method(store, number, method_id)
    if card is not None:
        details = validate_card(card, now.date())
        new_id = insert_method(
            store,
            number,
            now,
            kind="card",
            brand=details.brand,
            last4=details.last4,
            exp=(details.exp_month, details.exp_year),
            saved=save_method,
        )
    elif bank is not None:
        account = validate_bank(bank)
        new_id = insert_method(
            store,
            number,
            now,
            kind="bank",
            brand=account.brand,
            last4=account.last4,
            saved=save_method,
        )
    else:
        raise ValueError("pay() takes exactly one of method_id, card, bank")
    return method_by_id(store, new_id)


def pay(
    store: Store,
    number: str,
    amount: Decimal,
    *,
    idempotency_key: str,
    now: datetime,
    method_id: int | None = None,
    card: CardInput | None = None,
    bank: BankInput | None = None,
    save_method: bool = False,
) -> Receipt:
    """Take a payment, once per idempotency key, all in one transaction.

    The key is looked up inside the write transaction, so a retry from this or any other
    process gets the first receipt back (`replayed=True`) and nothing is charged twice.

    Raises:
        BillingError: invalid_amount, no_balance, amount_too_high (params: maximum),
            method_not_found, card_invalid, card_expired, bank_routing_invalid,
            bank_account_invalid, duplicate_request (the key belongs to another account).
        ValueError: not exactly one of method_id, card, bank; or an empty key.
    """
    if sum(source is not None for source in (method_id, card, bank)) != 1:
        raise ValueError("pay() takes exactly one of method_id, card, bank")
    if not idempotency_key:
        raise ValueError("pay() needs an idempotency key")
    with store.transaction():
        prior = store.one("SELECT * FROM payments WHERE idempotency_key = ?", (idempotency_key,))
        if prior is not None:
            if prior["account"] != number:
                raise BillingError("duplicate_request")
            return _receipt(store, prior, replayed=True)
        account_row(store, number)
        cents = to_cents(check_amount(amount))
        owed = balance_cents(store, number)
        if owed <= 0:
            raise BillingError("no_balance")
        if cents > owed + OVERPAYMENT_LIMIT_CENTS:
            maximum = to_money(owed + OVERPAYMENT_LIMIT_CENTS)
            raise BillingError("amount_too_high", maximum=f"{maximum:.2f}")
        method = _payment_method(store, number, now, method_id, card, bank, save_method)
        confirmation = store.reference("payments", "confirmation", "P", 9)
        store.insert(
            "INSERT INTO payments (account, confirmation, idempotency_key, amount_cents,"
            " method_id, method_label, last4, posted, status, balance_after_cents)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'posted', ?)",
            (
                number,
                confirmation,
                idempotency_key,
                cents,
                method.id,
                method.label,
                method.last4,
                iso_time(now),
                owed - cents,
            ),
        )
        store.audit(
            now, number, "payment.posted", f"{confirmation} ${to_money(cents)} {method.label}"
        )
    return Receipt(
        confirmation=confirmation,
        amount=to_money(cents),
        method=method,
        new_balance=to_money(owed - cents),
        posted=read_time(iso_time(now)),
        replayed=False,
    )

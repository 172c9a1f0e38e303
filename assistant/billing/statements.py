"""Bills: the latest statement, disputes over a charge, and what changed since last month."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime

from .accounts import account_row
from .errors import BillingError
from .models import DISPUTE_REASONS, Dispute, LineItem, Statement
from .store import Store, iso_time, read_date, read_time, to_money


def to_line_item(row: sqlite3.Row) -> LineItem:
    """A `line_items` row as the public record."""
    return LineItem(
        id=row["id"],
        category=row["category"],
        description=row["description"],
        amount=to_money(row["amount_cents"]),
        ends=read_date(row["ends"]),
    )


def _statement(store: Store, row: sqlite3.Row) -> Statement:
    items = store.all(
        "SELECT * FROM line_items WHERE statement_id = ? ORDER BY position, id", (row["id"],)
    )
    return Statement(
        id=row["id"],
        period_start=date.fromisoformat(row["period_start"]),
        period_end=date.fromisoformat(row["period_end"]),
        issued=date.fromisoformat(row["issued"]),
        due_date=date.fromisoformat(row["due_date"]),
        total=to_money(row["total_cents"]),
        items=[to_line_item(item) for item in items],
    )


def recent_statements(store: Store, number: str, count: int) -> list[Statement]:
    """The latest statements, newest first."""
    account_row(store, number)
    rows = store.all(
        "SELECT * FROM statements WHERE account = ? ORDER BY issued DESC, id DESC LIMIT ?",
        (number, count),
    )
    return [_statement(store, row) for row in rows]


def latest_statement(store: Store, number: str) -> Statement:
    """The newest statement, or BillingError("not_found") if none was issued yet."""
    statements = recent_statements(store, number, 1)
    if not statements:
        raise BillingError("not_found")
    return statements[0]


def _line_item(store: Store, number: str, line_item_id: int) -> sqlite3.Row:
    row = store.one(
        "SELECT i.* FROM line_items i JOIN statements s ON s.id = i.statement_id"
        " WHERE i.id = ? AND s.account = ?",
        (line_item_id, number),
    )
    if row is None:
        raise BillingError("line_item_not_found")
    return row


def _dispute(store: Store, row: sqlite3.Row) -> Dispute:
    item = store.one("SELECT * FROM line_items WHERE id = ?", (row["line_item_id"],))
    if item is None:
        raise BillingError("line_item_not_found")
    return Dispute(
        case_number=row["case_number"],
        line_item=to_line_item(item),
        reason=row["reason"],
        status=row["status"],
        opened=read_time(row["opened"]),
        updated=read_time(row["updated"]),
    )


def disputes(store: Store, number: str) -> list[Dispute]:
    """Every dispute on the account, newest first."""
    account_row(store, number)
    rows = store.all(
        "SELECT * FROM disputes WHERE account = ? ORDER BY opened DESC, id DESC", (number,)
    )
    return [_dispute(store, row) for row in rows]


def open_dispute(
    store: Store, number: str, line_item_id: int, reason: str, now: datetime
) -> Dispute:
    """Open a case for the billing team about one charge.

    Raises:
        BillingError: invalid_reason, line_item_not_found, dispute_open (params: case_number).
    """
    if reason not in DISPUTE_REASONS:
        raise BillingError("invalid_reason")
    with store.transaction():
        account_row(store, number)
        _line_item(store, number, line_item_id)
        already = store.one(
            "SELECT case_number FROM disputes WHERE line_item_id = ? AND status = 'open'",
            (line_item_id,),
        )
        if already is not None:
            raise BillingError("dispute_open", case_number=already["case_number"])
        case_number = store.reference("disputes", "case_number", "D", 7)
        store.insert(
            "INSERT INTO disputes (case_number, account, line_item_id, reason, status, opened,"
            " updated) VALUES (?, ?, ?, ?, 'open', ?, ?)",
            (case_number, number, line_item_id, reason, iso_time(now), iso_time(now)),
        )
        store.audit(now, number, "dispute.opened", f"{case_number} item {line_item_id} {reason}")
    return next(d for d in disputes(store, number) if d.case_number == case_number)

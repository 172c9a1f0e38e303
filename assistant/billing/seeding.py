"""Writing the demo data into an empty database, in one transaction."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from .dates import add_months
from .demo import ADD_ONS, DUE_AFTER_DAYS, PLANS, DemoAccount, Item, demo_accounts, latest_issue
from .methods import insert_method
from .security import hash_pin
from .store import Store, iso_time


def _at(day: date, hour: int = 14) -> datetime:
    return datetime.combine(day, time(hour))


def seed(store: Store, today: date) -> None:
    """Fill an empty database with the catalogue and the demo accounts, in one transaction."""
    latest = latest_issue(today)
    with store.transaction():
        for plan in PLANS:
            store.insert("INSERT INTO plans VALUES (?, ?, ?, ?, ?, ?, ?)", plan)
        for add_on in ADD_ONS:
            store.insert("INSERT INTO add_ons VALUES (?, ?, ?, ?)", add_on)
        for account in demo_accounts(today):
            _seed_account(store, account, latest, today)


def _seed_account(store: Store, account: DemoAccount, latest: date, today: date) -> None:
    opened = add_months(latest, -len(account.statements) - 6)
    pin = hash_pin(account.pin)
    store.insert(
        "INSERT INTO accounts (number, name, address, phone, email, zip_code, pin_scheme,"
        " pin_salt, pin_hash, failed_attempts, locked, paperless, lang, cycle_day)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            account.number,
            account.name,
            account.address,
            account.phone,
            account.email,
            account.zip_code,
            pin.scheme,
            pin.salt,
            pin.digest,
            3 if account.locked else 0,
            int(account.locked),
            int(account.paperless),
            account.lang,
            latest.day,
        ),
    )
    store.audit(_at(opened, 9), account.number, "account.opened", "demo account", "system")
    _seed_services(store, account, latest, opened)
    for kind, model, ownership, serial, cents in account.equipment:
        store.insert(
            "INSERT INTO equipment (account, kind, model, ownership, serial_last4, monthly_cents)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (account.number, kind, model, ownership, serial, cents),
        )
    method_id = _seed_method(store, account, _at(opened, 10), today)
    count = len(account.statements)
    for age, items in enumerate(account.statements):
        issued = add_months(latest, age - count + 1)
        total = _seed_statement(store, account.number, issued, items)
        if age < account.paid:
            days = DUE_AFTER_DAYS if account.card is None else 12
            posted = _at(issued + timedelta(days=days))
            _seed_payment(store, account.number, method_id, total, posted)
    _seed_events(store, account, today)


def _seed_services(store: Store, account: DemoAccount, latest: date, opened: date) -> None:
    upgraded = latest - timedelta(days=12)
    switched_kind = next((p[1] for p in PLANS if p[0] == account.upgraded_from), None)
    for code in account.plans:
        started = opened
        if switched_kind is not None and any(p[:2] == (code, switched_kind) for p in PLANS):
            store.insert(
                "INSERT INTO account_plans (account, plan_code, started, ended)"
                " VALUES (?, ?, ?, ?)",
                (account.number, account.upgraded_from, opened.isoformat(), upgraded.isoformat()),
            )
            started = upgraded
        store.insert(
            "INSERT INTO account_plans (account, plan_code, started) VALUES (?, ?, ?)",
            (account.number, code, started.isoformat()),
        )
    for code in account.add_ons:
        store.insert(
            "INSERT INTO account_add_ons (account, add_on_code, started) VALUES (?, ?, ?)",
            (account.number, code, (latest - timedelta(days=10)).isoformat()),
        )


def _seed_method(store: Store, account: DemoAccount, when: datetime, today: date) -> int:
    if account.card is not None:
        brand, last4 = account.card
        return insert_method(
            store,
            account.number,
            when,
            kind="card",
            brand=brand,
            last4=last4,
            exp=(12, today.year + 2),
            default=True,
        )
    method_id = insert_method(
        store,
        account.number,
        when,
        kind="bank",
        brand="Checking account",
        last4="6789",
        default=True,
    )
    store.insert(
        "INSERT INTO autopay_enrolments (account, method_id, since) VALUES (?, ?, ?)",
        (account.number, method_id, when.date().isoformat()),
    )
    store.audit(when, account.number, "autopay.enrolled", "Checking account ending 6789")
    return method_id


def _seed_statement(store: Store, number: str, issued: date, items: tuple[Item, ...]) -> int:
    total = sum(item.cents for item in items)
    statement_id = store.insert(
        "INSERT INTO statements (account, period_start, period_end, issued, due_date,"
        " total_cents) VALUES (?, ?, ?, ?, ?, ?)",
        (
            number,
            issued.isoformat(),
            (add_months(issued, 1) - timedelta(days=1)).isoformat(),
            issued.isoformat(),
            (issued + timedelta(days=DUE_AFTER_DAYS)).isoformat(),
            total,
        ),
    )
    for position, item in enumerate(items):
        store.insert(
            "INSERT INTO line_items (statement_id, position, category, ref, description,"
            " amount_cents, ends, prorated) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                statement_id,
                position,
                item.category,
                item.ref,
                item.description,
                item.cents,
                item.ends.isoformat() if item.ends else None,
                int(item.prorated),
            ),
        )
    return total


def _seed_payment(store: Store, number: str, method_id: int, cents: int, posted: datetime) -> None:
    method = store.one("SELECT brand, last4 FROM payment_methods WHERE id = ?", (method_id,))
    if method is None:
        raise LookupError(f"demo payment method {method_id} missing")
    owed = store.scalar(
        "SELECT (SELECT coalesce(sum(total_cents), 0) FROM statements WHERE account = :n)"
        " - (SELECT coalesce(sum(amount_cents), 0) FROM payments WHERE account = :n)",
        {"n": number},
    )
    confirmation = store.reference("payments", "confirmation", "P", 9)
    store.insert(
        "INSERT INTO payments (account, confirmation, idempotency_key, amount_cents, method_id,"
        " method_label, last4, posted, status, balance_after_cents)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'posted', ?)",
        (
            number,
            confirmation,
            f"demo-{number}-{iso_time(posted)}",
            cents,
            method_id,
            f"{method['brand']} ending {method['last4']}",
            method["last4"],
            iso_time(posted),
            owed - cents,
        ),
    )


def _seed_events(store: Store, account: DemoAccount, today: date) -> None:
    """The history behind an account's situation: a dispute, the failed sign-ins."""
    if account.disputed is not None:
        item = store.one(
            "SELECT i.id FROM line_items i JOIN statements s ON s.id = i.statement_id"
            " WHERE s.account = ? AND i.ref = ? ORDER BY s.issued DESC LIMIT 1",
            (account.number, account.disputed),
        )
        if item is None:
            raise LookupError("demo dispute line item missing")
        opened_at = _at(today - timedelta(days=3), 15)
        case_number = store.reference("disputes", "case_number", "D", 7)
        store.insert(
            "INSERT INTO disputes (case_number, account, line_item_id, reason, status, opened,"
            " updated) VALUES (?, ?, ?, 'erroneous_charge', 'open', ?, ?)",
            (case_number, account.number, item["id"], iso_time(opened_at), iso_time(opened_at)),
        )
        store.audit(opened_at, account.number, "dispute.opened", f"{case_number} erroneous_charge")
    if account.locked:
        for attempt in (1, 2, 3):
            store.audit(
                _at(today - timedelta(days=1), 18) + timedelta(minutes=attempt),
                account.number,
                "auth.locked" if attempt == 3 else "auth.failed",
                f"wrong secret, attempt {attempt} of 3",
            )

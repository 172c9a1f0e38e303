"""What the account subscribes to: plans, add-ons, equipment, and changes to them.

Plan changes take effect at the start of the next billing period, so a statement never
mixes two prices for one service unless an agent prorates it.
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime

from .accounts import account_row
from .dates import next_cycle_start
from .errors import BillingError
from .models import AddOn, Equipment, EquipmentRequest, Plan, PlanDetails, PlanQuote
from .store import Store, iso_time, read_time, to_money

EQUIPMENT_KINDS = ("modem", "router", "cable_box", "phone")
_KIND_ORDER = "CASE p.kind WHEN 'internet' THEN 0 WHEN 'tv' THEN 1 ELSE 2 END"


def to_plan(row: sqlite3.Row) -> Plan:
    """A `plans` row as the public record."""
    return Plan(
        code=row["code"],
        kind=row["kind"],
        name=row["name"],
        monthly_price=to_money(row["monthly_cents"]),
        description=row["description"],
    )


def to_equipment(row: sqlite3.Row) -> Equipment:
    """An `equipment` row as the public record."""
    return Equipment(
        id=row["id"],
        kind=row["kind"],
        model=row["model"],
        ownership=row["ownership"],
        serial_last4=row["serial_last4"],
        monthly_fee=to_money(row["monthly_cents"]),
    )


def current_plans(store: Store, number: str) -> list[Plan]:
    """The plans the account has (or has been switched to), internet, TV, then mobile."""
    account_row(store, number)
    rows = store.all(
        "SELECT p.* FROM account_plans a JOIN plans p ON p.code = a.plan_code"
        f" WHERE a.account = ? AND a.ended IS NULL ORDER BY {_KIND_ORDER}, p.code",
        (number,),
    )
    return [to_plan(row) for row in rows]


def add_ons(store: Store, number: str) -> list[AddOn]:
    """The add-on catalogue, each marked active or not for this account."""
    account_row(store, number)
    rows = store.all(
        "SELECT c.*, EXISTS (SELECT 1 FROM account_add_ons a WHERE a.account = ?"
        " AND a.add_on_code = c.code AND a.ended IS NULL) AS active"
        " FROM add_ons c ORDER BY c.monthly_cents DESC, c.code",
        (number,),
    )
    return [
        AddOn(
            code=row["code"],
            name=row["name"],
            monthly_price=to_money(row["monthly_cents"]),
            active=bool(row["active"]),
        )
        for row in rows
    ]


def equipment(store: Store, number: str) -> list[Equipment]:
    """The devices at the customer's home."""
    account_row(store, number)
    rows = store.all("SELECT * FROM equipment WHERE account = ? ORDER BY id", (number,))
    return [to_equipment(row) for row in rows]


def plan_details(store: Store, number: str) -> PlanDetails:
    """Plans, active add-ons, equipment, and their monthly total before taxes."""
    plans = current_plans(store, number)
    active = [add_on for add_on in add_ons(store, number) if add_on.active]
    devices = equipment(store, number)
    total = (
        sum((plan.monthly_price for plan in plans), to_money(0))
        + sum((add_on.monthly_price for add_on in active), to_money(0))
        + sum((device.monthly_fee for device in devices), to_money(0))
    )
    return PlanDetails(plans=plans, add_ons=active, equipment=devices, monthly_total=total)


def available_plans(store: Store, number: str, kind: str | None) -> list[Plan]:
    """Plans the account could switch to: other plans of the kinds it already has."""
    kinds = {plan.kind for plan in current_plans(store, number)}
    current = {plan.code for plan in current_plans(store, number)}
    rows = store.all(f"SELECT p.* FROM plans p ORDER BY {_KIND_ORDER}, p.monthly_cents")
    return [
        to_plan(row)
        for row in rows
        if row["kind"] in kinds and row["code"] not in current and kind in (None, row["kind"])
    ]


def quote_plan_change(store: Store, number: str, plan_code: str, today: date) -> PlanQuote:
    """The price difference and start date of a switch to another plan of the same kind.

    Raises:
        BillingError: plan_not_found (unknown, or a kind of service the account lacks),
            same_plan (params: plan).
    """
    account = account_row(store, number)
    row = store.one("SELECT * FROM plans WHERE code = ?", (plan_code,))
    if row is None:
        raise BillingError("plan_not_found")
    new = to_plan(row)
    current = next((plan for plan in current_plans(store, number) if plan.kind == new.kind), None)
    if current is None:
        raise BillingError("plan_not_found")
    if current.code == new.code:
        raise BillingError("same_plan", plan=new.name)
    return PlanQuote(
        current=current,
        new=new,
        monthly_difference=new.monthly_price - current.monthly_price,
        effective_date=next_cycle_start(account["cycle_day"], today),
    )


def change_plan(store: Store, number: str, plan_code: str, now: datetime) -> PlanQuote:
    """Switch plans from the next billing period; a pending switch is replaced."""
    with store.transaction():
        quote = quote_plan_change(store, number, plan_code, now.date())
        effective = quote.effective_date.isoformat()
        row = store.one(
            "SELECT id, started FROM account_plans WHERE account = ? AND plan_code = ?"
            " AND ended IS NULL",
            (number, quote.current.code),
        )
        if row is None:
            raise BillingError("plan_not_found")
        if row["started"] >= effective:
            store.update(
                "UPDATE account_plans SET plan_code = ? WHERE id = ?", (quote.new.code, row["id"])
            )
        else:
            store.update("UPDATE account_plans SET ended = ? WHERE id = ?", (effective, row["id"]))
            store.insert(
                "INSERT INTO account_plans (account, plan_code, started) VALUES (?, ?, ?)",
                (number, quote.new.code, effective),
            )
        store.audit(
            now,
            number,
            "plan.changed",
            f"{quote.current.code} to {quote.new.code} from {effective}",
        )
    return quote


def _add_on(store: Store, number: str, code: str) -> AddOn:
    found = next((add_on for add_on in add_ons(store, number) if add_on.code == code), None)
    if found is None:
        raise BillingError("add_on_not_found")
    return found


def add_add_on(store: Store, number: str, code: str, now: datetime) -> AddOn:
    """Start an add-on today.

    Raises:
        BillingError: add_on_not_found, add_on_active (params: add_on).
    """
    with store.transaction():
        add_on = _add_on(store, number, code)
        if add_on.active:
            raise BillingError("add_on_active", add_on=add_on.name)
        store.insert(
            "INSERT INTO account_add_ons (account, add_on_code, started) VALUES (?, ?, ?)",
            (number, code, now.date().isoformat()),
        )
        store.audit(now, number, "add_on.added", code)
    return _add_on(store, number, code)


def remove_add_on(store: Store, number: str, code: str, now: datetime) -> AddOn:
    """End an add-on today.

    Raises:
        BillingError: add_on_not_found, add_on_inactive (params: add_on).
    """
    with store.transaction():
        add_on = _add_on(store, number, code)
        if not add_on.active:
            raise BillingError("add_on_inactive", add_on=add_on.name)
        store.update(
            "UPDATE account_add_ons SET ended = ? WHERE account = ? AND add_on_code = ?"
            " AND ended IS NULL",
            (now.date().isoformat(), number, code),
        )
        store.audit(now, number, "add_on.removed", code)
    return _add_on(store, number, code)


def request_equipment(
    store: Store,
    number: str,
    action: str,
    now: datetime,
    *,
    equipment_id: int | None,
    kind: str | None,
) -> EquipmentRequest:
    """Ask the warehouse to swap or take back a device, or to send a new one.

    Args:
        action: "swap" (a faulty device, by `equipment_id`), "return" (a rented device, by
            `equipment_id`) or "order" (a new device of `kind`).

    Raises:
        BillingError: equipment_not_found (no such device on the account, an owned device
            to return, or an unknown kind to order).
        ValueError: an unknown action.
    """
    if action not in ("swap", "return", "order"):
        raise ValueError(f"unknown equipment action {action!r}")
    with store.transaction():
        account_row(store, number)
        if action == "order":
            if kind not in EQUIPMENT_KINDS:
                raise BillingError("equipment_not_found")
            device_kind: str = kind
        else:
            device = store.one(
                "SELECT * FROM equipment WHERE id = ? AND account = ?", (equipment_id, number)
            )
            if device is None or (action == "return" and device["ownership"] != "rented"):
                raise BillingError("equipment_not_found")
            device_kind = device["kind"]
        reference = store.reference("equipment_requests", "reference", "E", 7)
        store.insert(
            "INSERT INTO equipment_requests (reference, account, equipment_id, action, kind,"
            " status, created) VALUES (?, ?, ?, ?, ?, 'requested', ?)",
            (
                reference,
                number,
                equipment_id if action != "order" else None,
                action,
                device_kind,
                iso_time(now),
            ),
        )
        store.audit(now, number, f"equipment.{action}", f"{reference} {device_kind}")
    return EquipmentRequest(
        reference=reference,
        action=action,
        kind=device_kind,
        status="requested",
        created=read_time(iso_time(now)),
    )

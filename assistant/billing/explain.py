"""Why this bill differs from the last one: line items matched across two statements.

Items are matched by their stable reference (a plan, an add-on, a device, a promotion); the
plans of one kind of service are matched with each other, so a switch reads as one change.
Every change but `promotion_ending` is a difference between the two bills, so together they
add up to the difference in totals.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .accounts import account_row
from .dates import add_months
from .errors import BillingError
from .models import Change, Explanation
from .statements import recent_statements
from .store import Store, read_date, to_money


@dataclass(frozen=True, slots=True)
class Billed:
    """A line item with what matching needs: its slot across months and whether prorated."""

    slot: str
    category: str
    description: str
    amount: Decimal
    ends: date | None
    prorated: bool


_ADDED = {
    "add_on": "new_add_on",
    "late_fee": "late_fee",
    "one_time": "one_time",
    "credit": "credit",
    "promotion": "credit",
    "plan": "plan_change",
}
_DROPPED = {
    "add_on": "removed_add_on",
    "late_fee": "late_fee",
    "one_time": "one_time",
    "credit": "credit",
    "promotion": "promotion_ended",
    "plan": "plan_change",
}


def _change(old: Billed | None, new: Billed | None) -> Change | None:
    """The change from one month's item in a slot to the next month's, if any."""
    before = old.amount if old else Decimal("0.00")
    after = new.amount if new else Decimal("0.00")
    item = new or old
    if item is None:
        return None
    if item.prorated:
        kind = "prorated"
    elif old is None:
        kind = _ADDED.get(item.category, "price_change")
    elif new is None:
        kind = _DROPPED.get(item.category, "price_change")
    elif item.category == "plan" and old.description != new.description:
        kind = "plan_change"
    elif item.category in ("late_fee", "one_time", "credit"):
        kind = item.category
    else:
        kind = "price_change"
    if after == before and kind != "plan_change":
        return None
    if old is None:
        description = item.description
    elif new is None and kind == "promotion_ended" and old.ends is not None:
        description = f"{old.description} ended on {old.ends.isoformat()}"
    elif new is None:
        description = f"{old.description}: on the last bill, not on this one"
    elif old.description != new.description:
        description = f"{old.description} changed to {new.description}"
    else:
        description = f"{new.description}: ${before} last bill, ${after} now"
    when = old.ends if kind == "promotion_ended" and old else None
    return Change(kind=kind, description=description, amount=after - before, when=when)


def compare(previous: list[Billed], latest: list[Billed], next_period_end: date) -> list[Change]:
    """The changes from `previous` to `latest`, in the latest bill's order, then the rest.

    Args:
        next_period_end: the end of the period after the latest; a promotion ending by then
            is announced as `promotion_ending`.
    """
    before = {item.slot: item for item in previous}
    after = {item.slot: item for item in latest}
    slots = [item.slot for item in latest] + [s for s in before if s not in after]
    changes = [change for slot in slots if (change := _change(before.get(slot), after.get(slot)))]
    for item in latest:
        if item.category == "promotion" and item.ends is not None and item.ends <= next_period_end:
            changes.append(
                Change(
                    kind="promotion_ending",
                    description=f"{item.description} ends on {item.ends.isoformat()}",
                    amount=-item.amount,
                    when=item.ends,
                )
            )
    return changes


def _billed(store: Store, statement_id: int) -> list[Billed]:
    rows = store.all(
        "SELECT i.*, p.kind AS plan_kind FROM line_items i"
        " LEFT JOIN plans p ON i.category = 'plan' AND i.ref = 'plan:' || p.code"
        " WHERE i.statement_id = ? ORDER BY i.position, i.id",
        (statement_id,),
    )
    return [
        Billed(
            slot=(
                f"plan-kind:{row['plan_kind']}"
                if row["plan_kind"] is not None and not row["prorated"]
                else row["ref"]
            ),
            category=row["category"],
            description=row["description"],
            amount=to_money(row["amount_cents"]),
            ends=read_date(row["ends"]),
            prorated=bool(row["prorated"]),
        )
        for row in rows
    ]


def explain(store: Store, number: str) -> Explanation:
    """Compare the latest statement with the one before (or with nothing, for a first bill).

    Raises:
        BillingError: not_found if the account has no statement yet.
    """
    account_row(store, number)
    statements = recent_statements(store, number, 2)
    if not statements:
        raise BillingError("not_found")
    latest = statements[0]
    previous = statements[1] if len(statements) > 1 else None
    changes = compare(
        _billed(store, previous.id) if previous else [],
        _billed(store, latest.id),
        add_months(latest.period_end, 1),
    )
    previous_total = previous.total if previous else to_money(0)
    return Explanation(
        statement=latest,
        previous_total=previous_total,
        difference=latest.total - previous_total,
        changes=changes,
    )

"""Plans, add-ons and equipment: what the account has and the changes a caller can make."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from assistant.billing import BillingError, BillingService
from assistant.billing.dates import add_months, next_cycle_start

TODAY = date(2025, 6, 15)
NOW = datetime(2025, 6, 15, 14, 30)
ALEX = "10000001"
LUCIA = "10000006"
CYCLE_DAY = 6  # the demo's latest bill was issued nine days before TODAY


def failure(call: object) -> BillingError:
    assert callable(call)
    with pytest.raises(BillingError) as raised:
        call()
    return raised.value


def test_plan_details_add_up(service: BillingService) -> None:
    details = service.plan_details(LUCIA)
    assert [plan.kind for plan in details.plans] == ["internet", "tv", "mobile"]
    assert [device.kind for device in details.equipment] == ["modem", "cable_box", "phone"]
    parts = (
        [plan.monthly_price for plan in details.plans]
        + [add_on.monthly_price for add_on in details.add_ons]
        + [device.monthly_fee for device in details.equipment]
    )
    assert details.monthly_total == sum(parts) == Decimal("179.97")


def test_plan_details_list_active_add_ons_only(service: BillingService) -> None:
    assert service.plan_details(ALEX).add_ons == []
    service.add_add_on(ALEX, "MOVIES", NOW)
    details = service.plan_details(ALEX)
    assert [add_on.code for add_on in details.add_ons] == ["MOVIES"]
    assert details.monthly_total == Decimal("79.98") + Decimal("15.99")


def test_available_plans_exclude_current_and_other_kinds(service: BillingService) -> None:
    current = {plan.code for plan in service.plan_details(ALEX).plans}
    available = service.available_plans(ALEX)
    assert {plan.kind for plan in available} == {"internet", "tv"}
    assert current.isdisjoint(plan.code for plan in available)
    assert {plan.code for plan in service.available_plans(ALEX, "tv")} == {"TVPREF", "TVULT"}
    assert service.available_plans(ALEX, "mobile") == []


def test_quote_starts_at_the_next_billing_period(service: BillingService) -> None:
    quote = service.quote_plan_change(ALEX, "INT300", TODAY)
    assert (quote.current.code, quote.new.code) == ("INT100", "INT300")
    assert quote.monthly_difference == Decimal("15.00")
    assert quote.effective_date == date(2025, 7, CYCLE_DAY)
    downgrade = service.quote_plan_change(LUCIA, "INT100", TODAY)
    assert downgrade.monthly_difference == Decimal("-15.00")


@pytest.mark.parametrize(
    ("cycle_day", "today", "start"),
    [
        (6, date(2025, 6, 5), date(2025, 6, 6)),
        (6, date(2025, 6, 6), date(2025, 7, 6)),
        (28, date(2025, 12, 31), date(2026, 1, 28)),
        (1, date(2024, 2, 29), date(2024, 3, 1)),
    ],
)
def test_next_cycle_start(cycle_day: int, today: date, start: date) -> None:
    assert next_cycle_start(cycle_day, today) == start


def test_add_months_clamps_to_month_end() -> None:
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2025, 3, 15), -3) == date(2024, 12, 15)


def test_quote_errors(service: BillingService) -> None:
    same = failure(lambda: service.quote_plan_change(ALEX, "INT100", TODAY))
    assert (same.code, same.params) == ("same_plan", {"plan": "Internet 100"})
    assert failure(lambda: service.quote_plan_change(ALEX, "NOPE", TODAY)).code == "plan_not_found"
    assert failure(lambda: service.quote_plan_change(ALEX, "MOB1", TODAY)).code == "plan_not_found"


def test_change_plan_is_kept_and_audited(service: BillingService, db_path: Path) -> None:
    quote = service.change_plan(ALEX, "INT1G", NOW)
    assert quote.effective_date == date(2025, 7, CYCLE_DAY)
    assert {plan.code for plan in service.plan_details(ALEX).plans} == {"INT1G", "TVBASIC"}
    assert service.audit_log(ALEX)[-1].action == "plan.changed"
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute(
            "SELECT plan_code, started, ended FROM account_plans WHERE account = ?"
            " AND plan_code LIKE 'INT%' ORDER BY id",
            (ALEX,),
        ).fetchall()
    assert (rows[-2][0], rows[-2][2]) == ("INT100", "2025-07-06")
    assert rows[-1] == ("INT1G", "2025-07-06", None)


def test_a_second_change_replaces_the_pending_one(service: BillingService, db_path: Path) -> None:
    service.change_plan(ALEX, "INT1G", NOW)
    quote = service.change_plan(ALEX, "INT300", NOW)
    assert quote.current.code == "INT1G"
    with sqlite3.connect(db_path) as conn:
        current = conn.execute(
            "SELECT plan_code FROM account_plans WHERE account = ? AND ended IS NULL"
            " AND plan_code LIKE 'INT%'",
            (ALEX,),
        ).fetchall()
        pending = conn.execute(
            "SELECT count(*) FROM account_plans WHERE account = ? AND started = '2025-07-06'",
            (ALEX,),
        ).fetchone()
    assert current == [("INT300",)] and pending == (1,)


def test_a_crash_mid_plan_change_keeps_the_old_plan(service: BillingService, db_path: Path) -> None:
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "CREATE TRIGGER crash BEFORE INSERT ON audit_log WHEN NEW.action = 'plan.changed'"
            " BEGIN SELECT RAISE(ABORT, 'power cut'); END"
        )
    with pytest.raises(sqlite3.IntegrityError, match="power cut"):
        service.change_plan(ALEX, "INT1G", NOW)
    assert {plan.code for plan in service.plan_details(ALEX).plans} == {"INT100", "TVBASIC"}
    assert service.quote_plan_change(ALEX, "INT1G", TODAY).current.code == "INT100"


def test_add_and_remove_add_ons(service: BillingService) -> None:
    catalogue = service.add_ons(ALEX)
    assert len(catalogue) == 5 and not any(add_on.active for add_on in catalogue)
    added = service.add_add_on(ALEX, "SECURITY", NOW)
    assert added.active and added.name == "Home security monitoring"
    error = failure(lambda: service.add_add_on(ALEX, "SECURITY", NOW))
    assert (error.code, error.params) == ("add_on_active", {"add_on": "Home security monitoring"})
    removed = service.remove_add_on(ALEX, "SECURITY", NOW)
    assert not removed.active
    assert failure(lambda: service.remove_add_on(ALEX, "SECURITY", NOW)).code == "add_on_inactive"
    assert failure(lambda: service.add_add_on(ALEX, "NOPE", NOW)).code == "add_on_not_found"
    assert failure(lambda: service.remove_add_on(ALEX, "NOPE", NOW)).code == "add_on_not_found"
    service.add_add_on(ALEX, "SECURITY", NOW)
    assert [a.code for a in service.add_ons(ALEX) if a.active] == ["SECURITY"]
    actions = [entry.action for entry in service.audit_log(ALEX)[-3:]]
    assert actions == ["add_on.added", "add_on.removed", "add_on.added"]


def test_equipment_requests(service: BillingService) -> None:
    modem, box, _phone = service.equipment(LUCIA)
    assert (modem.ownership, modem.monthly_fee) == ("rented", Decimal("15.00"))
    swap = service.request_equipment(LUCIA, "swap", NOW, equipment_id=box.id)
    assert (swap.action, swap.kind, swap.status, swap.created) == (
        "swap",
        "cable_box",
        "requested",
        NOW,
    )
    assert swap.reference[0] == "E" and len(swap.reference) == 8 and swap.reference[1:].isdigit()
    returned = service.request_equipment(LUCIA, "return", NOW, equipment_id=modem.id)
    ordered = service.request_equipment(LUCIA, "order", NOW, kind="router")
    assert (returned.kind, ordered.kind) == ("modem", "router")
    assert len({swap.reference, returned.reference, ordered.reference}) == 3


def test_equipment_request_errors(service: BillingService) -> None:
    phone = service.equipment(LUCIA)[2]
    alex_modem = service.equipment(ALEX)[0]
    cases = [
        lambda: service.request_equipment(LUCIA, "return", NOW, equipment_id=phone.id),
        lambda: service.request_equipment(LUCIA, "swap", NOW),
        lambda: service.request_equipment(LUCIA, "swap", NOW, equipment_id=alex_modem.id),
        lambda: service.request_equipment(LUCIA, "order", NOW, kind="toaster"),
        lambda: service.request_equipment(LUCIA, "order", NOW),
    ]
    assert [failure(case).code for case in cases] == ["equipment_not_found"] * len(cases)
    with pytest.raises(ValueError, match="unknown equipment action"):
        service.request_equipment(LUCIA, "sell", NOW, equipment_id=phone.id)

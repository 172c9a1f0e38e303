"""The demo accounts show what the README promises, whatever day it is."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest

from assistant.billing import BillingError, BillingService
from assistant.billing.demo import demo_accounts

DAYS = [
    date(2025, 6, 15),
    date(2025, 1, 1),
    date(2024, 2, 29),
    date(2025, 3, 31),
    date(2025, 12, 31),
    date(2025, 3, 5),
]


@pytest.fixture(scope="module", params=DAYS, ids=str)
def demo(request: pytest.FixtureRequest) -> tuple[BillingService, date]:
    today: date = request.param
    return BillingService.open_memory(today=today), today


def test_account_one_is_current_with_a_visa(demo: tuple[BillingService, date]) -> None:
    billing, today = demo
    summary = billing.summary("10000001", today)
    assert summary.balance == Decimal("89.97")
    assert summary.past_due == Decimal("0.00")
    assert 9 <= (summary.due_date - today).days <= 12
    assert [m.label for m in billing.methods("10000001")] == ["Visa ending 4242"]
    assert {plan.kind for plan in billing.plan_details("10000001").plans} == {"internet", "tv"}


def test_account_two_is_past_due_with_a_late_fee(demo: tuple[BillingService, date]) -> None:
    billing, today = demo
    summary = billing.summary("10000002", today)
    assert summary.past_due > 0 and summary.late_fees > 0
    assert any(item.category == "late_fee" for item in billing.latest_statement("10000002").items)


def test_account_three_pays_by_autopay_from_a_bank(demo: tuple[BillingService, date]) -> None:
    billing, _ = demo
    autopay = billing.autopay("10000003")
    assert autopay is not None and autopay.method.kind == "bank"


def test_account_four_has_an_open_dispute(demo: tuple[BillingService, date]) -> None:
    billing, _ = demo
    assert [d.status for d in billing.disputes("10000004")] == ["open"]


def test_account_five_has_a_promotion_ending_this_month(demo: tuple[BillingService, date]) -> None:
    billing, today = demo
    promotions = [
        i for i in billing.latest_statement("10000005").items if i.category == "promotion"
    ]
    assert len(promotions) == 1 and promotions[0].ends is not None
    ends = promotions[0].ends
    assert (ends.year, ends.month) == (today.year, today.month) and ends >= today
    assert "promotion_ending" in {c.kind for c in billing.explain("10000005").changes}


def test_account_six_has_mobile_and_rented_equipment(demo: tuple[BillingService, date]) -> None:
    billing, _ = demo
    details = billing.plan_details("10000006")
    assert "mobile" in {plan.kind for plan in details.plans}
    rented = {device.kind for device in details.equipment if device.ownership == "rented"}
    assert rented == {"modem", "cable_box"}


def test_account_seven_is_locked(demo: tuple[BillingService, date]) -> None:
    billing, _ = demo
    assert billing.account("10000007").locked


def test_demo_accounts_are_distinct_and_sign_in() -> None:
    today = date(2025, 6, 15)
    accounts = demo_accounts(today)
    assert len({a.pin for a in accounts}) == len({a.zip_code for a in accounts}) == 7
    assert len({a.name for a in accounts}) == 7
    assert all(len(a.phone) == 10 and a.phone.isdigit() for a in accounts)
    billing = BillingService.open_memory(today=today)
    now = datetime.combine(today, time(9))
    for account in accounts:
        if account.locked:
            with pytest.raises(BillingError, match="locked"):
                billing.authenticate(account.number, account.pin, now)
            continue
        assert billing.authenticate(account.number, account.pin, now).name == account.name
        assert billing.authenticate(account.phone, account.zip_code, now).number == account.number


def test_every_demo_account_has_two_statements_to_compare(
    demo: tuple[BillingService, date],
) -> None:
    billing, today = demo
    for account in demo_accounts(today):
        explanation = billing.explain(account.number)
        assert explanation.statement.issued < today
        assert explanation.statement.issued >= today - timedelta(days=12)
        assert explanation.changes

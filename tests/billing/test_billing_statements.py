"""Statements, disputes and the explanation of what changed since last month."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from assistant.billing import DISPUTE_REASONS, BillingError, BillingService
from assistant.billing.explain import Billed, compare

TODAY = date(2025, 6, 15)
NOW = datetime(2025, 6, 15, 14, 30)
DEMO = [f"1000000{index}" for index in range(1, 8)]


def failure(call: object) -> BillingError:
    assert callable(call)
    with pytest.raises(BillingError) as raised:
        call()
    return raised.value


@pytest.mark.parametrize("number", DEMO)
def test_statement_items_add_up_to_the_total(service: BillingService, number: str) -> None:
    statement = service.latest_statement(number)
    assert sum(item.amount for item in statement.items) == statement.total
    assert statement.period_start <= statement.issued < statement.due_date
    assert statement.period_end > statement.period_start


@pytest.mark.parametrize("number", DEMO)
def test_changes_account_for_the_whole_difference(service: BillingService, number: str) -> None:
    explanation = service.explain(number)
    assert explanation.difference == explanation.statement.total - explanation.previous_total
    counted = [c.amount for c in explanation.changes if c.kind != "promotion_ending"]
    assert sum(counted, Decimal("0.00")) == explanation.difference
    assert explanation.changes, "every demo account has something to explain"


def kinds(service: BillingService, number: str) -> set[str]:
    return {change.kind for change in service.explain(number).changes}


def test_explanations_of_the_demo_situations(service: BillingService) -> None:
    assert kinds(service, "10000002") == {"late_fee"}
    assert "new_add_on" in kinds(service, "10000003")
    assert kinds(service, "10000004") == {"one_time"}
    assert kinds(service, "10000006") >= {"plan_change", "prorated", "promotion_ended"}
    assert kinds(service, "10000007") == {"credit"}


def test_promotion_ending_this_month_is_announced(service: BillingService) -> None:
    statement = service.latest_statement("10000005")
    promotion = next(item for item in statement.items if item.category == "promotion")
    assert promotion.ends == date(2025, 6, 30)
    ending = [c for c in service.explain("10000005").changes if c.kind == "promotion_ending"]
    assert len(ending) == 1
    assert (ending[0].when, ending[0].amount) == (date(2025, 6, 30), -promotion.amount)
    assert "2025-06-30" in ending[0].description


def test_plan_switch_reads_as_one_change(service: BillingService) -> None:
    changes = service.explain("10000006").changes
    switch = [c for c in changes if c.kind == "plan_change"]
    assert len(switch) == 1
    assert switch[0].description == "Internet 100 changed to Internet 300"
    assert switch[0].amount == Decimal("15.00")
    ended = next(c for c in changes if c.kind == "promotion_ended")
    assert ended.amount == Decimal("10.00") and ended.when is not None


def billed(slot: str, category: str, cents: int, *, ends: date | None = None) -> Billed:
    return Billed(slot, category, slot.title(), Decimal(cents) / 100, ends, prorated=False)


def test_compare_covers_items_that_came_and_went() -> None:
    previous = [
        billed("add_on:movies", "add_on", 1599),
        billed("late_fee", "late_fee", 1000),
        billed("credit:x", "credit", -500),
        billed("equipment:modem", "equipment", 1500),
    ]
    latest = [
        billed("equipment:modem", "equipment", 1700),
        billed("one_time:install", "one_time", 2500),
    ]
    changes = compare(previous, latest, date(2025, 8, 1))
    assert [(c.kind, c.amount) for c in changes] == [
        ("price_change", Decimal("2.00")),
        ("one_time", Decimal("25.00")),
        ("removed_add_on", Decimal("-15.99")),
        ("late_fee", Decimal("-10.00")),
        ("credit", Decimal("5.00")),
    ]


def test_compare_announces_only_promotions_ending_soon() -> None:
    soon = billed("promo:a", "promotion", -1000, ends=date(2025, 7, 31))
    later = billed("promo:b", "promotion", -500, ends=date(2025, 12, 31))
    changes = compare([soon, later], [soon, later], date(2025, 8, 5))
    assert [(c.kind, c.when) for c in changes] == [("promotion_ending", date(2025, 7, 31))]


def test_explain_compares_with_the_previous_bill(service: BillingService) -> None:
    explanation = service.explain("10000001")
    assert explanation.previous_total == Decimal("89.47")
    assert explanation.difference == Decimal("0.50")
    assert failure(lambda: service.explain("99999999")).code == "not_found"


def test_a_first_bill_is_all_new() -> None:
    changes = compare([], [billed("plan-kind:internet", "plan", 4999)], date(2025, 8, 1))
    assert [(c.kind, c.amount) for c in changes] == [("plan_change", Decimal("49.99"))]


def test_open_a_dispute(service: BillingService) -> None:
    item = next(i for i in service.latest_statement("10000001").items if i.category == "tax_fee")
    dispute = service.open_dispute("10000001", item.id, "overbilling", NOW)
    assert dispute.case_number[0] == "D" and len(dispute.case_number) == 8
    assert dispute.case_number[1:].isdigit()
    assert (dispute.line_item, dispute.reason, dispute.status) == (item, "overbilling", "open")
    assert dispute.opened == dispute.updated == NOW
    assert service.disputes("10000001") == [dispute]
    again = failure(lambda: service.open_dispute("10000001", item.id, "unclear_bill", NOW))
    assert (again.code, again.params) == ("dispute_open", {"case_number": dispute.case_number})


def test_demo_account_has_an_open_dispute(service: BillingService) -> None:
    (dispute,) = service.disputes("10000004")
    assert dispute.status == "open"
    assert dispute.line_item.description == "Technician visit fee"
    assert dispute.opened.date() == TODAY - timedelta(days=3)
    error = failure(
        lambda: service.open_dispute("10000004", dispute.line_item.id, "overbilling", NOW)
    )
    assert error.code == "dispute_open"


def test_dispute_errors(service: BillingService) -> None:
    theirs = service.latest_statement("10000002").items[0].id
    mine = service.latest_statement("10000001").items[0].id
    assert failure(lambda: service.open_dispute("10000001", theirs, "overbilling", NOW)).code == (
        "line_item_not_found"
    )
    assert failure(lambda: service.open_dispute("10000001", mine, "i_dont_like_it", NOW)).code == (
        "invalid_reason"
    )
    assert set(DISPUTE_REASONS) == {
        "erroneous_charge",
        "overbilling",
        "unclear_bill",
        "payment_disagreement",
    }


def test_agent_wait_grows_with_the_queue(service: BillingService) -> None:
    waits = [
        service.request_agent(
            "10000001", "requested", "balance", NOW + timedelta(minutes=i)
        ).wait_minutes
        for i in range(3)
    ]
    assert waits == [2, 5, 8]
    later = service.request_agent(None, "no_match", "", NOW + timedelta(hours=2))
    assert later.wait_minutes == 2
    assert later.reference[0] == "A" and len(later.reference) == 8


def test_agent_summary_hides_card_numbers(service: BillingService) -> None:
    service.request_agent("10000001", "requested", "card 4242 4242 4242 4242 declined", NOW)
    row = service.store.one("SELECT summary FROM agent_requests ORDER BY id DESC LIMIT 1")
    assert row is not None and row["summary"] == "card ****4242 declined"


def test_technician_windows_fill_up(service: BillingService) -> None:
    visits = [service.request_technician("10000001", "no signal", NOW) for _ in range(3)]
    assert visits[0].window_start == datetime(2025, 6, 16, 16, 0)
    assert visits[1].window_start == visits[0].window_start
    assert visits[2].window_start == datetime(2025, 6, 17, 8, 0)
    assert visits[0].reference[0] == "T" and visits[0].topic == "no signal"


def test_paperless_and_contact_changes(service: BillingService) -> None:
    service.set_paperless("10000001", True, NOW)
    assert service.account("10000001").paperless
    service.set_paperless("10000001", False, NOW)
    assert not service.account("10000001").paperless
    account = service.update_contact(
        "10000001", NOW, email="ALEX@Mail.Example.ORG", phone="(646) 555-0199"
    )
    assert (account.email, account.phone) == ("ALEX@mail.example.org", "6465550199")
    assert service.authenticate("6465550199", "1234", NOW).number == "10000001"
    log = " ".join(entry.detail for entry in service.audit_log("10000001"))
    assert "6465550199" not in log and "ALEX@" not in log


def test_contact_errors(service: BillingService) -> None:
    assert (
        failure(lambda: service.update_contact("10000001", NOW, email="nope")).code
        == "invalid_email"
    )
    assert (
        failure(lambda: service.update_contact("10000001", NOW, phone="555")).code
        == "invalid_phone"
    )
    taken = failure(lambda: service.update_contact("10000001", NOW, phone="3125550102"))
    assert taken.code == "invalid_phone"
    assert service.account("10000001").phone == "2125550101"


@pytest.mark.parametrize(
    "call",
    [
        lambda s: s.account("99999999"),
        lambda s: s.summary("99999999", TODAY),
        lambda s: s.history("99999999"),
        lambda s: s.latest_statement("99999999"),
        lambda s: s.disputes("99999999"),
        lambda s: s.plan_details("99999999"),
        lambda s: s.add_ons("99999999"),
        lambda s: s.equipment("99999999"),
        lambda s: s.set_paperless("99999999", True, NOW),
        lambda s: s.request_agent("99999999", "requested", "", NOW),
        lambda s: s.request_technician("99999999", "no signal", NOW),
    ],
)
def test_unknown_account_is_not_found(service: BillingService, call: object) -> None:
    assert callable(call)
    assert failure(lambda: call(service)).code == "not_found"

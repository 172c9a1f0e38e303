"""Saved payment methods and automatic payments."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from assistant.billing import BankInput, BillingError, BillingService, CardInput

TODAY = date(2025, 6, 15)
NOW = datetime(2025, 6, 15, 14, 30)
ALEX = "10000001"
SAM = "10000003"


def failure(call: object) -> BillingError:
    assert callable(call)
    with pytest.raises(BillingError) as raised:
        call()
    return raised.value


def test_add_card_keeps_brand_last_four_and_expiry(service: BillingService) -> None:
    method = service.add_card(ALEX, CardInput("3782 822463 10005", 3, 29), TODAY)
    assert (method.kind, method.brand, method.last4, method.exp_month, method.exp_year) == (
        "card",
        "American Express",
        "0005",
        3,
        2029,
    )
    assert not method.is_default
    assert service.methods(ALEX)[-1] == method
    assert service.audit_log(ALEX)[-1].detail == "American Express ending 0005"


def test_new_default_replaces_the_old_one(service: BillingService) -> None:
    method = service.add_card(ALEX, CardInput("5555555555554444", 1, 2030), TODAY, default=True)
    defaults = [m for m in service.methods(ALEX) if m.is_default]
    assert defaults == [method]


def test_add_bank_keeps_type_and_last_four(service: BillingService) -> None:
    method = service.add_bank(ALEX, BankInput("021000021", "44556677", "savings"), now=NOW)
    assert (method.kind, method.label, method.exp_month) == (
        "bank",
        "Savings account ending 6677",
        None,
    )
    assert service.audit_log(ALEX)[-1].at == NOW


def test_invalid_card_or_bank_is_refused(service: BillingService) -> None:
    card = CardInput("4242424242424241", 1, 2030)
    assert failure(lambda: service.add_card(ALEX, card, TODAY)).code == "card_invalid"
    expired = CardInput("4242424242424242", 1, 2020)
    assert failure(lambda: service.add_card(ALEX, expired, TODAY)).code == "card_expired"
    bank = BankInput("123456789", "44556677")
    assert failure(lambda: service.add_bank(ALEX, bank)).code == "bank_routing_invalid"
    assert len(service.methods(ALEX)) == 1


def test_remove_default_promotes_the_next_method(service: BillingService) -> None:
    visa = service.methods(ALEX)[0]
    backup = service.add_card(ALEX, CardInput("5555555555554444", 1, 2030), TODAY)
    service.remove_method(ALEX, visa.id, NOW)
    remaining = service.methods(ALEX)
    assert [m.id for m in remaining] == [backup.id]
    assert remaining[0].is_default
    assert failure(lambda: service.remove_method(ALEX, visa.id, NOW)).code == "method_not_found"


def test_set_default_method(service: BillingService) -> None:
    other = service.add_bank(ALEX, BankInput("021000021", "44556677"))
    service.set_default_method(ALEX, other.id, NOW)
    assert [m.is_default for m in service.methods(ALEX)] == [False, True]
    assert failure(lambda: service.set_default_method(ALEX, 999, NOW)).code == "method_not_found"


def test_method_used_by_autopay_cannot_be_removed(service: BillingService) -> None:
    bank = service.methods(SAM)[0]
    error = failure(lambda: service.remove_method(SAM, bank.id, NOW))
    assert (error.code, error.params) == (
        "method_in_use",
        {"method": "Checking account ending 6789"},
    )
    service.cancel_autopay(SAM, NOW)
    service.remove_method(SAM, bank.id, NOW)
    assert service.methods(SAM) == []


def test_enrol_and_cancel_autopay(service: BillingService) -> None:
    visa = service.methods(ALEX)[0]
    assert service.autopay(ALEX) is None
    autopay = service.enrol_autopay(ALEX, visa.id, NOW)
    assert (autopay.method.id, autopay.since) == (visa.id, TODAY)
    assert service.autopay(ALEX) == autopay
    assert service.summary(ALEX, TODAY).autopay == autopay
    error = failure(lambda: service.enrol_autopay(ALEX, visa.id, NOW))
    assert (error.code, error.params) == ("autopay_active", {"method": "Visa ending 4242"})
    service.cancel_autopay(ALEX, NOW)
    assert service.autopay(ALEX) is None
    assert failure(lambda: service.cancel_autopay(ALEX, NOW)).code == "autopay_inactive"
    actions = [entry.action for entry in service.audit_log(ALEX)[-2:]]
    assert actions == ["autopay.enrolled", "autopay.cancelled"]


def test_autopay_needs_a_saved_method_of_the_account(service: BillingService) -> None:
    sams_bank = service.methods(SAM)[0].id
    assert failure(lambda: service.enrol_autopay(ALEX, sams_bank, NOW)).code == "method_not_found"
    one_off = service.pay(
        ALEX,
        Decimal("1.00"),
        idempotency_key="o",
        now=NOW,
        card=CardInput("4111111111111111", 1, 2030),
    )
    assert failure(lambda: service.enrol_autopay(ALEX, one_off.method.id, NOW)).code == (
        "method_not_found"
    )


def test_demo_autopay_account(service: BillingService) -> None:
    autopay = service.autopay(SAM)
    assert autopay is not None
    assert autopay.method.label == "Checking account ending 6789"
    assert autopay.since < TODAY


def test_unknown_account(service: BillingService) -> None:
    assert failure(lambda: service.methods("99999999")).code == "not_found"
    assert failure(lambda: service.autopay("99999999")).code == "not_found"
    assert failure(lambda: service.cancel_autopay("99999999", NOW)).code == "not_found"

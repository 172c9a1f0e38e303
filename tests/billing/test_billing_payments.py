"""Taking payments: amounts, methods, idempotent retries, all-or-nothing, no secrets kept."""

from __future__ import annotations

import multiprocessing
import random
import sqlite3
from concurrent.futures import ProcessPoolExecutor
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from assistant.billing import BankInput, BillingError, BillingService, CardInput

TODAY = date(2025, 6, 15)
NOW = datetime(2025, 6, 15, 14, 30)
ALEX = "10000001"
JORDAN = "10000002"
CARD = "4111 1111 1111 1111"
BANK = BankInput("021000021", "000123456789")


def failure(call: object) -> BillingError:
    assert callable(call)
    with pytest.raises(BillingError) as raised:
        call()
    return raised.value


def visa(service: BillingService) -> int:
    return service.methods(ALEX)[0].id


def counts(path: Path) -> tuple[int, int, int]:
    with sqlite3.connect(path) as conn:
        row = conn.execute(
            "SELECT (SELECT count(*) FROM payments), (SELECT count(*) FROM payment_methods),"
            " (SELECT count(*) FROM audit_log)"
        ).fetchone()
    return int(row[0]), int(row[1]), int(row[2])


def test_payment_with_saved_card_lowers_the_balance(service: BillingService) -> None:
    receipt = service.pay(
        ALEX, Decimal("50.00"), idempotency_key="k1", now=NOW, method_id=visa(service)
    )
    assert not receipt.replayed
    assert receipt.method.label == "Visa ending 4242"
    assert receipt.new_balance == Decimal("39.97")
    assert receipt.confirmation[0] == "P" and len(receipt.confirmation) == 10
    assert receipt.confirmation[1:].isdigit()
    assert service.summary(ALEX, TODAY).balance == Decimal("39.97")
    latest = service.history(ALEX)[0]
    assert (latest.confirmation, latest.amount, latest.posted) == (
        receipt.confirmation,
        Decimal("50.00"),
        NOW,
    )
    entry = service.audit_log(ALEX)[-1]
    assert entry.action == "payment.posted" and receipt.confirmation in entry.detail


def test_same_key_twice_charges_once(service: BillingService) -> None:
    first = service.pay(
        ALEX, Decimal("89.97"), idempotency_key="call-7", now=NOW, method_id=visa(service)
    )
    again = service.pay(
        ALEX,
        Decimal("89.97"),
        idempotency_key="call-7",
        now=NOW + timedelta(seconds=5),
        method_id=visa(service),
    )
    assert again.replayed and not first.replayed
    assert (again.confirmation, again.amount, again.new_balance, again.posted) == (
        first.confirmation,
        first.amount,
        first.new_balance,
        first.posted,
    )
    assert service.summary(ALEX, TODAY).balance == Decimal("0.00")
    assert [p.confirmation for p in service.history(ALEX)].count(first.confirmation) == 1


def test_retry_from_another_process_gets_the_first_receipt(db_path: Path) -> None:
    one = BillingService.open(db_path, today=TODAY)
    two = BillingService.open(db_path, today=TODAY)
    try:
        first = one.pay(
            ALEX, Decimal("20.00"), idempotency_key="shared", now=NOW, method_id=visa(one)
        )
        again = two.pay(
            ALEX, Decimal("20.00"), idempotency_key="shared", now=NOW, method_id=visa(two)
        )
        assert again.replayed and again.confirmation == first.confirmation
        assert two.summary(ALEX, TODAY).balance == Decimal("69.97")
    finally:
        one.close()
        two.close()


def test_key_of_another_account_is_refused(service: BillingService) -> None:
    service.pay(ALEX, Decimal("5.00"), idempotency_key="mine", now=NOW, method_id=visa(service))
    jordan_card = service.methods(JORDAN)[0].id
    error = failure(
        lambda: service.pay(
            JORDAN, Decimal("5.00"), idempotency_key="mine", now=NOW, method_id=jordan_card
        )
    )
    assert error.code == "duplicate_request"


@pytest.mark.parametrize("amount", ["0", "-5", "10.001", "NaN"])
def test_invalid_amounts(service: BillingService, amount: str) -> None:
    error = failure(
        lambda: service.pay(
            ALEX, Decimal(amount), idempotency_key="x", now=NOW, method_id=visa(service)
        )
    )
    assert error.code == "invalid_amount"


def test_overpaying_by_more_than_a_thousand_is_refused(service: BillingService) -> None:
    error = failure(
        lambda: service.pay(
            ALEX, Decimal("1089.98"), idempotency_key="x", now=NOW, method_id=visa(service)
        )
    )
    assert (error.code, error.params) == ("amount_too_high", {"maximum": "1089.97"})
    credit = service.pay(
        ALEX, Decimal("1089.97"), idempotency_key="y", now=NOW, method_id=visa(service)
    )
    assert credit.new_balance == Decimal("-1000.00")


def test_nothing_owed_is_no_balance(service: BillingService) -> None:
    service.pay(ALEX, Decimal("89.97"), idempotency_key="all", now=NOW, method_id=visa(service))
    error = failure(
        lambda: service.pay(
            ALEX, Decimal("1.00"), idempotency_key="more", now=NOW, method_id=visa(service)
        )
    )
    assert error.code == "no_balance"


def test_one_off_card_is_not_saved_unless_asked(service: BillingService) -> None:
    receipt = service.pay(
        ALEX, Decimal("10.00"), idempotency_key="one-off", now=NOW, card=CardInput(CARD, 8, 2027)
    )
    assert receipt.method.label == "Visa ending 1111"
    assert [m.label for m in service.methods(ALEX)] == ["Visa ending 4242"]
    saved = service.pay(
        ALEX,
        Decimal("10.00"),
        idempotency_key="keep",
        now=NOW,
        card=CardInput(CARD, 8, 2027),
        save_method=True,
    )
    assert [m.id for m in service.methods(ALEX)][-1] == saved.method.id
    assert not saved.method.is_default


def test_bank_payment(service: BillingService) -> None:
    receipt = service.pay(ALEX, Decimal("89.97"), idempotency_key="ach", now=NOW, bank=BANK)
    assert receipt.method.label == "Checking account ending 6789"
    assert service.history(ALEX)[0].last4 == "6789"


@pytest.mark.parametrize(
    ("source", "code"),
    [
        ({"card": CardInput("4111111111111112", 8, 2027)}, "card_invalid"),
        ({"card": CardInput(CARD, 5, 2025)}, "card_expired"),
        ({"bank": BankInput("021000022", "12345678")}, "bank_routing_invalid"),
        ({"bank": BankInput("021000021", "123")}, "bank_account_invalid"),
        ({"method_id": 999}, "method_not_found"),
    ],
)
def test_bad_methods_charge_nothing(
    service: BillingService, db_path: Path, source: dict[str, object], code: str
) -> None:
    before = counts(db_path)
    error = failure(
        lambda: service.pay(ALEX, Decimal("10.00"), idempotency_key="bad", now=NOW, **source)  # type: ignore[arg-type]
    )
    assert error.code == code
    assert counts(db_path) == before


def test_another_accounts_method_is_not_found(service: BillingService) -> None:
    jordan_card = service.methods(JORDAN)[0].id
    error = failure(
        lambda: service.pay(
            ALEX, Decimal("1.00"), idempotency_key="z", now=NOW, method_id=jordan_card
        )
    )
    assert error.code == "method_not_found"


def test_exactly_one_source_of_money(service: BillingService) -> None:
    with pytest.raises(ValueError, match="exactly one"):
        service.pay(ALEX, Decimal("1.00"), idempotency_key="a", now=NOW)
    with pytest.raises(ValueError, match="exactly one"):
        service.pay(
            ALEX, Decimal("1.00"), idempotency_key="b", now=NOW, method_id=visa(service), bank=BANK
        )
    with pytest.raises(ValueError, match="idempotency"):
        service.pay(ALEX, Decimal("1.00"), idempotency_key="", now=NOW, method_id=visa(service))


def test_unknown_account_cannot_pay(service: BillingService) -> None:
    error = failure(
        lambda: service.pay("99999999", Decimal("1.00"), idempotency_key="q", now=NOW, method_id=1)
    )
    assert error.code == "not_found"


def test_a_crash_mid_payment_leaves_nothing_half_done(
    service: BillingService, db_path: Path
) -> None:
    """The audit insert is the payment's last step; make it fail after the rest was written."""
    before = counts(db_path)
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "CREATE TRIGGER crash AFTER INSERT ON audit_log WHEN NEW.action = 'payment.posted'"
            " BEGIN SELECT RAISE(ABORT, 'disk unplugged'); END"
        )
    with pytest.raises(sqlite3.IntegrityError, match="disk unplugged"):
        service.pay(
            ALEX,
            Decimal("30.00"),
            idempotency_key="crash",
            now=NOW,
            card=CardInput(CARD, 8, 2027),
            save_method=True,
        )
    assert counts(db_path) == before
    assert service.summary(ALEX, TODAY).balance == Decimal("89.97")
    assert [m.label for m in service.methods(ALEX)] == ["Visa ending 4242"]
    with sqlite3.connect(db_path) as conn:
        conn.execute("DROP TRIGGER crash")
    retried = service.pay(
        ALEX, Decimal("30.00"), idempotency_key="crash", now=NOW, card=CardInput(CARD, 8, 2027)
    )
    assert not retried.replayed and retried.new_balance == Decimal("59.97")


def test_a_failing_step_in_python_rolls_back_too(
    service: BillingService, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.billing import payments

    before = counts(db_path)

    def broken_reference(*args: object) -> str:
        raise OSError("random source gone")

    monkeypatch.setattr(service.store, "reference", broken_reference)
    with pytest.raises(OSError, match="random source gone"):
        payments.pay(
            service.store,
            ALEX,
            Decimal("30.00"),
            idempotency_key="k",
            now=NOW,
            bank=BANK,
            save_method=True,
        )
    assert counts(db_path) == before
    assert service.methods(ALEX)[-1].label == "Visa ending 4242"


def test_no_card_bank_number_or_pin_in_the_file(db_path: Path) -> None:
    card_number = "5555555555554444"
    account_number = "000987654321"
    with BillingService.open(db_path, today=TODAY, rng=random.Random(4)) as billing:
        billing.authenticate(ALEX, "1234", NOW)
        billing.add_card(ALEX, CardInput(card_number, 9, 2028), TODAY)
        billing.pay(
            ALEX, Decimal("12.00"), idempotency_key="s1", now=NOW, card=CardInput(CARD, 8, 2027)
        )
        billing.pay(
            ALEX,
            Decimal("13.00"),
            idempotency_key="s2",
            now=NOW,
            bank=BankInput("021000021", account_number),
        )
        billing.add_bank(ALEX, BankInput("011000015", account_number), now=NOW)
    files = [path for path in db_path.parent.iterdir() if path.name.startswith(db_path.name)]
    data = b"".join(path.read_bytes() for path in files)
    assert b"4444" in data and b"Mastercard" in data  # the last four are kept, as they should be
    for secret in (
        card_number,
        CARD.replace(" ", ""),
        CARD,
        account_number,
        "021000021",
        "011000015",
    ):
        assert secret.encode() not in data
        assert secret.encode("utf-16-le") not in data
    for pin in ("1234", "2580", "3690", "4826", "5173", "6047", "7395"):
        assert pin.encode() not in data, pin


def test_summary_of_a_past_due_account(service: BillingService) -> None:
    summary = service.summary(JORDAN, TODAY)
    assert summary.past_due == Decimal("87.19")
    assert summary.late_fees == Decimal("10.00")
    assert summary.balance == Decimal("184.38")
    assert summary.minimum_due == Decimal("112.19")
    assert summary.statement_total == Decimal("97.19")
    assert summary.due_date > TODAY


def test_past_due_clears_when_the_old_bill_is_paid(service: BillingService) -> None:
    card = service.methods(JORDAN)[0].id
    service.pay(JORDAN, Decimal("87.19"), idempotency_key="late", now=NOW, method_id=card)
    summary = service.summary(JORDAN, TODAY)
    assert (summary.past_due, summary.balance, summary.minimum_due) == (
        Decimal("0.00"),
        Decimal("97.19"),
        Decimal("25.00"),
    )
    assert summary.last_payment is not None and summary.last_payment.amount == Decimal("87.19")


def test_summary_of_a_current_account(service: BillingService) -> None:
    summary = service.summary(ALEX, TODAY)
    assert (summary.balance, summary.past_due, summary.late_fees) == (
        Decimal("89.97"),
        Decimal("0.00"),
        Decimal("0.00"),
    )
    assert summary.due_date == TODAY + timedelta(days=12)
    assert summary.autopay is None
    assert summary.last_payment is not None and summary.last_payment.posted.date() < TODAY


def test_history_is_newest_first_and_limited(service: BillingService) -> None:
    for index in range(3):
        service.pay(
            ALEX,
            Decimal("1.00"),
            idempotency_key=f"h{index}",
            now=NOW + timedelta(minutes=index),
            method_id=visa(service),
        )
    history = service.history(ALEX, limit=4)
    assert len(history) == 4
    assert [p.posted for p in history] == sorted((p.posted for p in history), reverse=True)
    assert history[0].posted == NOW + timedelta(minutes=2)
    assert len({p.confirmation for p in service.history(ALEX, limit=10)}) == 5


def pay_in_another_process(path: str) -> tuple[str, bool]:
    """One process's attempt at the same payment (run in a worker process)."""
    with BillingService.open(Path(path), today=TODAY) as billing:
        method = billing.methods(ALEX)[0].id
        receipt = billing.pay(
            ALEX, Decimal("40.00"), idempotency_key="race", now=NOW, method_id=method
        )
    return receipt.confirmation, receipt.replayed


def test_processes_racing_with_one_key_charge_once(db_path: Path) -> None:
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=4, mp_context=context) as pool:
        results = list(pool.map(pay_in_another_process, [str(db_path)] * 4))
    assert len({confirmation for confirmation, _ in results}) == 1
    assert sorted(replayed for _, replayed in results) == [False, True, True, True]
    with BillingService.open(db_path, today=TODAY) as billing:
        assert billing.summary(ALEX, TODAY).balance == Decimal("49.97")

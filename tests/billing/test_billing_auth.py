"""Signing in: account or phone with PIN or ZIP, lockout after three failures, agent unlock."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from assistant.billing import BillingError, BillingService

TODAY = date(2025, 6, 15)
NOW = datetime(2025, 6, 15, 14, 30)
ALEX = "10000001"


def failure(call: object) -> BillingError:
    assert callable(call)
    with pytest.raises(BillingError) as raised:
        call()
    return raised.value


def failed_attempts(path: Path, number: str) -> int:
    with sqlite3.connect(path) as conn:
        row = conn.execute("SELECT failed_attempts FROM accounts WHERE number = ?", (number,))
        return int(row.fetchone()[0])


@pytest.mark.parametrize(
    ("identifier", "secret"),
    [
        ("10000001", "1234"),
        ("2125550101", "1234"),
        ("10000001", "10001"),
        ("(212) 555-0101", "10001"),
        ("1000 0001", "1234"),
    ],
)
def test_sign_in_by_number_or_phone_with_pin_or_zip(
    service: BillingService, identifier: str, secret: str
) -> None:
    assert service.authenticate(identifier, secret, NOW).number == ALEX


def test_three_wrong_secrets_lock_the_account(service: BillingService) -> None:
    first = failure(lambda: service.authenticate(ALEX, "9999", NOW))
    second = failure(lambda: service.authenticate("2125550101", "99999", NOW))
    third = failure(lambda: service.authenticate(ALEX, "0000", NOW))
    assert (first.code, first.params) == ("bad_credentials", {"remaining": "2"})
    assert (second.code, second.params) == ("bad_credentials", {"remaining": "1"})
    assert third.code == "locked"
    assert service.account(ALEX).locked
    assert failure(lambda: service.authenticate(ALEX, "1234", NOW)).code == "locked"
    actions = [entry.action for entry in service.audit_log(ALEX)[-4:]]
    assert actions == ["auth.failed", "auth.failed", "auth.locked", "auth.refused"]


def test_success_resets_the_failure_count(service: BillingService, db_path: Path) -> None:
    failure(lambda: service.authenticate(ALEX, "9999", NOW))
    failure(lambda: service.authenticate(ALEX, "9998", NOW))
    service.authenticate(ALEX, "1234", NOW)
    assert failed_attempts(db_path, ALEX) == 0
    assert failure(lambda: service.authenticate(ALEX, "9999", NOW)).params == {"remaining": "2"}


def test_failures_survive_hanging_up_and_calling_back(db_path: Path) -> None:
    for attempt in range(2):
        with BillingService.open(db_path, today=TODAY) as billing:
            failure(lambda b=billing: b.authenticate(ALEX, "4321", NOW))
        assert failed_attempts(db_path, ALEX) == attempt + 1
    with BillingService.open(db_path, today=TODAY) as billing:
        assert failure(lambda: billing.authenticate(ALEX, "4321", NOW)).code == "locked"


def test_agent_unlock_lets_the_right_pin_in_again(service: BillingService) -> None:
    chris = "10000007"
    assert service.account(chris).locked
    assert failure(lambda: service.authenticate(chris, "7395", NOW)).code == "locked"
    service.agent_unlock(chris, NOW + timedelta(minutes=5))
    assert not service.account(chris).locked
    assert service.authenticate(chris, "7395", NOW + timedelta(minutes=6)).number == chris
    unlock = [entry for entry in service.audit_log(chris) if entry.action == "auth.unlocked"]
    assert len(unlock) == 1 and unlock[0].actor == "agent"


def test_unknown_identifier_reveals_and_counts_nothing(
    service: BillingService, db_path: Path
) -> None:
    wrong_pin = failure(lambda: service.authenticate(ALEX, "9999", NOW))
    for identifier in ("99999999", "9995550000", "123", ""):
        unknown = failure(lambda i=identifier: service.authenticate(i, "1234", NOW))
        assert (unknown.code, unknown.params) == ("bad_credentials", {"remaining": "2"})
        assert str(unknown) == str(wrong_pin)
    with sqlite3.connect(db_path) as conn:
        counts = conn.execute("SELECT sum(failed_attempts) FROM accounts").fetchone()[0]
    assert counts == failed_attempts(db_path, ALEX) + 3 == 1 + 3  # Chris's demo lockout


@pytest.mark.parametrize("secret", ["", "12", "123456", "abcd", "1234#"])
def test_malformed_secrets_count_as_wrong(service: BillingService, secret: str) -> None:
    assert failure(lambda: service.authenticate(ALEX, secret, NOW)).code == "bad_credentials"


def test_other_accounts_pin_does_not_work(service: BillingService) -> None:
    assert failure(lambda: service.authenticate(ALEX, "2580", NOW)).code == "bad_credentials"
    assert service.authenticate("10000002", "2580", NOW).number == "10000002"


def test_unlock_of_unknown_account_is_not_found(service: BillingService) -> None:
    assert failure(lambda: service.agent_unlock("99999999", NOW)).code == "not_found"


def test_audit_of_sign_ins_holds_no_secret(service: BillingService) -> None:
    failure(lambda: service.authenticate(ALEX, "8642", NOW))
    failure(lambda: service.authenticate(ALEX, "97531", NOW))
    service.authenticate(ALEX, "1234", NOW)
    text = " ".join(f"{entry.action} {entry.detail}" for entry in service.audit_log())
    for secret in ("8642", "97531", "1234"):
        assert secret not in text

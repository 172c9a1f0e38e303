"""The database file: migrations, re-opening, the append-only audit log, seeding once."""

from __future__ import annotations

import random
import sqlite3
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from assistant.billing import BillingService, default_db_path
from assistant.billing.schema import (
    LATEST_VERSION,
    MIGRATIONS,
    SchemaTooNewError,
    migrate,
    schema_version,
    statements_of,
)

TODAY = date(2025, 6, 15)
NOW = datetime(2025, 6, 15, 14, 30)


def tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return {name for (name,) in rows}


def test_new_file_is_created_with_parents_migrated_and_seeded(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "folder" / "dialin.sqlite3"
    with BillingService.open(path, today=TODAY) as billing:
        assert billing.account("10000001").name == "Alex Rivera"
    assert path.is_file()
    with sqlite3.connect(path) as conn:
        assert schema_version(conn) == LATEST_VERSION == len(MIGRATIONS)
    assert {
        "accounts",
        "plans",
        "account_plans",
        "add_ons",
        "account_add_ons",
        "equipment",
        "statements",
        "line_items",
        "payments",
        "payment_methods",
        "autopay_enrolments",
        "disputes",
        "agent_requests",
        "technician_visits",
        "equipment_requests",
        "audit_log",
    } <= tables(path)


def test_migration_runs_step_by_step_and_keeps_data(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    assert migrate(conn, target=1) == 0
    assert schema_version(conn) == 1
    assert "payments" not in tables(path)
    conn.execute(
        "INSERT INTO plans VALUES ('OLD', 'internet', 'Old plan', 1000, '10 megabits', NULL, NULL)"
    )
    assert migrate(conn) == 1
    assert schema_version(conn) == LATEST_VERSION
    assert conn.execute("SELECT name FROM plans WHERE code = 'OLD'").fetchone() == ("Old plan",)
    assert migrate(conn) == LATEST_VERSION
    conn.close()


def test_a_failing_step_leaves_the_file_at_the_previous_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.billing import schema

    broken = (*MIGRATIONS[:2], MIGRATIONS[2] + "\nCREATE TABLE accounts (x INTEGER);\n")
    monkeypatch.setattr(schema, "MIGRATIONS", broken)
    conn = sqlite3.connect(tmp_path / "half.sqlite3", isolation_level=None)
    with pytest.raises(sqlite3.OperationalError, match="already exists"):
        schema.migrate(conn)
    assert schema_version(conn) == 2
    names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert "payments" in names and "disputes" not in names
    conn.close()


def test_a_file_from_a_newer_program_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    with pytest.raises(SchemaTooNewError):
        BillingService.open(path, today=TODAY)


def test_statement_splitter_keeps_trigger_bodies_whole() -> None:
    parts = list(statements_of(MIGRATIONS[-1]))
    triggers = [part for part in parts if part.startswith("CREATE TRIGGER")]
    assert len(triggers) == 2
    assert all(part.endswith("END;") and "RAISE(ABORT" in part for part in triggers)
    with pytest.raises(ValueError, match="incomplete"):
        list(statements_of("CREATE TABLE t (x INTEGER);\nCREATE TABLE u (y"))


def test_reopening_keeps_data_and_does_not_seed_again(db_path: Path) -> None:
    with BillingService.open(db_path, today=TODAY) as billing:
        method = billing.methods("10000001")[0]
        receipt = billing.pay(
            "10000001", Decimal("10.00"), idempotency_key="reopen", now=NOW, method_id=method.id
        )
        billing.set_paperless("10000001", True, NOW)
    with BillingService.open(db_path, today=date(2026, 1, 1)) as billing:
        assert billing.history("10000001")[0].confirmation == receipt.confirmation
        assert billing.account("10000001").paperless
        assert billing.summary("10000001", TODAY).balance == Decimal("79.97")
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM accounts").fetchone() == (7,)


def test_demo_false_leaves_a_new_file_empty(tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite3"
    BillingService.open(path, today=TODAY, demo=False).close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM accounts").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM plans").fetchone() == (0,)


def test_audit_log_refuses_update_and_delete(service: BillingService, db_path: Path) -> None:
    service.set_paperless("10000001", True, NOW)
    before = service.audit_log()
    conn = sqlite3.connect(db_path)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE audit_log SET detail = 'rewritten'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM audit_log WHERE account = '10000001'")
    conn.rollback()
    conn.close()
    assert service.audit_log() == before
    assert before[-1].action == "settings.paperless"


def test_in_memory_service_is_seeded_like_a_file() -> None:
    billing = BillingService.open_memory(today=TODAY, rng=random.Random(3))
    assert billing.summary("10000001", TODAY).balance == Decimal("89.97")
    billing.close()


def test_default_path_is_in_the_user_data_folder() -> None:
    path = default_db_path()
    assert path.name == "dialin.sqlite3"
    assert "dialin" in path.parent.parts[-1].lower()


def test_writes_outside_a_transaction_are_refused(service: BillingService) -> None:
    with pytest.raises(RuntimeError, match="inside Store.transaction"):
        service.store.update("UPDATE accounts SET paperless = 1")

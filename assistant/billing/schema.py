"""The database schema as an ordered list of migration steps.

`PRAGMA user_version` records how many steps a file has had. Each step runs in its own
transaction together with the version bump, so a file is always at exactly one version, and
two processes opening a new file at once migrate it once.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

ACCOUNTS_AND_CATALOGUE = """
CREATE TABLE accounts (
    number TEXT PRIMARY KEY CHECK (length(number) = 8 AND number NOT GLOB '*[^0-9]*'),
    name TEXT NOT NULL,
    address TEXT NOT NULL,
    phone TEXT NOT NULL UNIQUE CHECK (length(phone) = 10 AND phone NOT GLOB '*[^0-9]*'),
    email TEXT NOT NULL,
    zip_code TEXT NOT NULL CHECK (length(zip_code) = 5 AND zip_code NOT GLOB '*[^0-9]*'),
    pin_scheme TEXT NOT NULL,
    pin_salt BLOB NOT NULL,
    pin_hash BLOB NOT NULL,
    failed_attempts INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
    locked INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1)),
    paperless INTEGER NOT NULL DEFAULT 0 CHECK (paperless IN (0, 1)),
    lang TEXT NOT NULL DEFAULT 'en' CHECK (lang IN ('en', 'es', 'ko')),
    cycle_day INTEGER NOT NULL CHECK (cycle_day BETWEEN 1 AND 28)
) STRICT;

CREATE TABLE plans (
    code TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('internet', 'tv', 'mobile')),
    name TEXT NOT NULL,
    monthly_cents INTEGER NOT NULL CHECK (monthly_cents >= 0),
    description TEXT NOT NULL,
    channel_tier TEXT,
    lines INTEGER CHECK (lines IS NULL OR lines > 0)
) STRICT;

CREATE TABLE account_plans (
    id INTEGER PRIMARY KEY,
    account TEXT NOT NULL REFERENCES accounts (number),
    plan_code TEXT NOT NULL REFERENCES plans (code),
    started TEXT NOT NULL,
    ended TEXT
) STRICT;
CREATE INDEX account_plans_by_account ON account_plans (account, ended);

CREATE TABLE add_ons (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    monthly_cents INTEGER NOT NULL CHECK (monthly_cents >= 0),
    description TEXT NOT NULL
) STRICT;

CREATE TABLE account_add_ons (
    id INTEGER PRIMARY KEY,
    account TEXT NOT NULL REFERENCES accounts (number),
    add_on_code TEXT NOT NULL REFERENCES add_ons (code),
    started TEXT NOT NULL,
    ended TEXT
) STRICT;
CREATE UNIQUE INDEX one_active_add_on ON account_add_ons (account, add_on_code)
    WHERE ended IS NULL;

CREATE TABLE equipment (
    id INTEGER PRIMARY KEY,
    account TEXT NOT NULL REFERENCES accounts (number),
    kind TEXT NOT NULL CHECK (kind IN ('modem', 'router', 'cable_box', 'phone')),
    model TEXT NOT NULL,
    ownership TEXT NOT NULL CHECK (ownership IN ('rented', 'owned')),
    serial_last4 TEXT NOT NULL CHECK (length(serial_last4) = 4),
    monthly_cents INTEGER NOT NULL CHECK (monthly_cents >= 0)
) STRICT;
"""

STATEMENTS_AND_PAYMENTS = """
CREATE TABLE statements (
    id INTEGER PRIMARY KEY,
    account TEXT NOT NULL REFERENCES accounts (number),
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    issued TEXT NOT NULL,
    due_date TEXT NOT NULL,
    total_cents INTEGER NOT NULL
) STRICT;
CREATE INDEX statements_by_account ON statements (account, issued);

CREATE TABLE line_items (
    id INTEGER PRIMARY KEY,
    statement_id INTEGER NOT NULL REFERENCES statements (id),
    position INTEGER NOT NULL,
    category TEXT NOT NULL CHECK (category IN ('plan', 'add_on', 'equipment', 'tax_fee',
        'one_time', 'credit', 'promotion', 'late_fee')),
    ref TEXT NOT NULL,
    description TEXT NOT NULL,
    amount_cents INTEGER NOT NULL,
    ends TEXT,
    prorated INTEGER NOT NULL DEFAULT 0 CHECK (prorated IN (0, 1)),
    UNIQUE (statement_id, ref)
) STRICT;

CREATE TABLE payment_methods (
    id INTEGER PRIMARY KEY,
    account TEXT NOT NULL REFERENCES accounts (number),
    token BLOB NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('card', 'bank')),
    brand TEXT NOT NULL,
    last4 TEXT NOT NULL CHECK (length(last4) = 4 AND last4 NOT GLOB '*[^0-9]*'),
    exp_month INTEGER CHECK (exp_month IS NULL OR exp_month BETWEEN 1 AND 12),
    exp_year INTEGER,
    is_default INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
    saved INTEGER NOT NULL DEFAULT 1 CHECK (saved IN (0, 1)),
    created TEXT NOT NULL,
    removed TEXT
) STRICT;

CREATE TABLE payments (
    id INTEGER PRIMARY KEY,
    account TEXT NOT NULL REFERENCES accounts (number),
    confirmation TEXT NOT NULL UNIQUE
        CHECK (length(confirmation) = 10 AND confirmation GLOB 'P*'
               AND substr(confirmation, 2) NOT GLOB '*[^0-9]*'),
    idempotency_key TEXT NOT NULL UNIQUE,
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    method_id INTEGER NOT NULL REFERENCES payment_methods (id),
    method_label TEXT NOT NULL,
    last4 TEXT NOT NULL,
    posted TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('posted', 'pending', 'failed', 'reversed')),
    balance_after_cents INTEGER NOT NULL
) STRICT;
CREATE INDEX payments_by_account ON payments (account, posted);

CREATE TABLE autopay_enrolments (
    id INTEGER PRIMARY KEY,
    account TEXT NOT NULL REFERENCES accounts (number),
    method_id INTEGER NOT NULL REFERENCES payment_methods (id),
    since TEXT NOT NULL,
    cancelled TEXT
) STRICT;
CREATE UNIQUE INDEX one_active_autopay ON autopay_enrolments (account) WHERE cancelled IS NULL;
"""

CASES_AND_AUDIT = """
CREATE TABLE disputes (
    id INTEGER PRIMARY KEY,
    case_number TEXT NOT NULL UNIQUE,
    account TEXT NOT NULL REFERENCES accounts (number),
    line_item_id INTEGER NOT NULL REFERENCES line_items (id),
    reason TEXT NOT NULL CHECK (reason IN ('erroneous_charge', 'overbilling', 'unclear_bill',
        'payment_disagreement')),
    status TEXT NOT NULL CHECK (status IN ('open', 'resolved', 'rejected')),
    opened TEXT NOT NULL,
    updated TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX one_open_dispute ON disputes (line_item_id) WHERE status = 'open';

CREATE TABLE agent_requests (
    id INTEGER PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    account TEXT REFERENCES accounts (number),
    reason TEXT NOT NULL,
    summary TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    created TEXT NOT NULL
) STRICT;
CREATE INDEX agent_requests_by_time ON agent_requests (status, created);

CREATE TABLE technician_visits (
    id INTEGER PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    account TEXT NOT NULL REFERENCES accounts (number),
    topic TEXT NOT NULL,
    window_start TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('booked', 'done', 'cancelled')),
    created TEXT NOT NULL
) STRICT;

CREATE TABLE equipment_requests (
    id INTEGER PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    account TEXT NOT NULL REFERENCES accounts (number),
    equipment_id INTEGER REFERENCES equipment (id),
    action TEXT NOT NULL CHECK (action IN ('swap', 'return', 'order')),
    kind TEXT NOT NULL CHECK (kind IN ('modem', 'router', 'cable_box', 'phone')),
    status TEXT NOT NULL CHECK (status IN ('requested', 'shipped', 'done')),
    created TEXT NOT NULL
) STRICT;

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    account TEXT,
    actor TEXT NOT NULL CHECK (actor IN ('caller', 'agent', 'system')),
    action TEXT NOT NULL,
    detail TEXT NOT NULL
) STRICT;
CREATE INDEX audit_log_by_account ON audit_log (account, id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
"""

MIGRATIONS: tuple[str, ...] = (ACCOUNTS_AND_CATALOGUE, STATEMENTS_AND_PAYMENTS, CASES_AND_AUDIT)
"""Step N (1-based) takes a file from user_version N-1 to N. Append; never edit a step."""

LATEST_VERSION = len(MIGRATIONS)


class SchemaTooNewError(RuntimeError):
    """The file was written by a newer Dialin; opening it could damage it."""


def statements_of(script: str) -> Iterator[str]:
    """Split a script into whole statements, keeping trigger bodies together.

    `executescript` would commit the open transaction first, so each statement is run on
    its own inside the migration's transaction.
    """
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            yield pending.strip()
            pending = ""
    if pending.strip():
        raise ValueError(f"incomplete SQL statement in migration: {pending.strip()[:60]!r}")


def schema_version(conn: sqlite3.Connection) -> int:
    """The number of migration steps the file has had."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, target: int = LATEST_VERSION) -> int:
    """Apply the missing steps up to `target`, each in one transaction.

    Args:
        conn: a connection in autocommit mode (`isolation_level=None`).
        target: the version to reach; tests stop early to check upgrades of older files.

    Returns:
        The version the file had before this call.
    """
    conn.execute("BEGIN IMMEDIATE")
    start = schema_version(conn)
    conn.execute("COMMIT")
    if start > LATEST_VERSION:
        raise SchemaTooNewError(
            f"database schema version {start} is newer than this program's {LATEST_VERSION}"
        )
    while True:
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = schema_version(conn)
            if version >= target:
                conn.execute("COMMIT")
                return start
            for statement in statements_of(MIGRATIONS[version]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version + 1}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

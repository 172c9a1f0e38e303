"""The SQLite file: opening, migrating, transactions, and the conversions at its edge.

Money is stored as integer cents and times as ISO text (naive UTC, whole seconds), so the
file reads the same from any language and never rounds. Every write goes through
`transaction()` (BEGIN IMMEDIATE), so an operation lands whole or not at all, and writers in
other processes queue behind it instead of interleaving.
"""

from __future__ import annotations

import random
import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from platformdirs import user_data_dir

from . import schema

Params = Sequence[object] | Mapping[str, object]


def default_db_path() -> Path:
    """Where the embedded database lives unless `--db` says otherwise."""
    return Path(user_data_dir("dialin")) / "dialin.sqlite3"


def to_cents(amount: Decimal) -> int:
    """Decimal dollars to integer cents (the amount is already checked to whole cents)."""
    return int(amount.scaleb(2).to_integral_value())


def to_money(cents: int) -> Decimal:
    """Integer cents to Decimal dollars with two places."""
    return Decimal(cents).scaleb(-2).quantize(Decimal("0.01"))


def iso_time(moment: datetime) -> str:
    """A time as stored: naive UTC to the second (an aware time is converted first)."""
    if not isinstance(moment, datetime):
        raise TypeError(f"expected a datetime, got {type(moment).__name__}")
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat(timespec="seconds")


def read_time(text: str) -> datetime:
    """A stored time back as a naive UTC datetime."""
    return datetime.fromisoformat(text)


def read_date(text: str | None) -> date | None:
    """A stored date (or NULL) back as a date."""
    return None if text is None else date.fromisoformat(text)


class Store:
    """One connection to the billing database, with its transaction discipline.

    A lock makes the store safe to share between a UI thread and its workers; separate
    processes are kept apart by SQLite's own locking (WAL mode on files).
    """

    def __init__(self, conn: sqlite3.Connection, rng: random.Random | None = None) -> None:
        self.conn = conn
        self.rng = rng or random.SystemRandom()
        """Source of reference numbers; tests pass a seeded `random.Random`."""
        self._lock = threading.RLock()
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA secure_delete = ON")
        schema.migrate(conn)

    @classmethod
    def open(cls, path: Path, rng: random.Random | None = None) -> Store:
        """Open (creating file and folders if needed) and migrate a database file."""
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=10.0, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode = WAL")
        return cls(conn, rng)

    @classmethod
    def memory(cls, rng: random.Random | None = None) -> Store:
        """A private database that vanishes on close, for quick experiments."""
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        return cls(conn, rng)

    def close(self) -> None:
        """Close the connection; WAL contents are folded back into the main file."""
        with self._lock:
            self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run the block as one write transaction: all of it commits, or none of it."""
        with self._lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    def one(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        """The first row of a query, or None."""
        with self._lock:
            row: sqlite3.Row | None = self.conn.execute(sql, params).fetchone()
            return row

    def scalar(self, sql: str, params: Params = ()) -> int:
        """The integer in the first column of a one-row query (a count or a sum)."""
        row = self.one(sql, params)
        if row is None or row[0] is None:
            raise RuntimeError(f"query returned no value: {sql[:60]}")
        return int(row[0])

    def all(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        """Every row of a query."""
        with self._lock:
            return list(self.conn.execute(sql, params).fetchall())

    def insert(self, sql: str, params: Params = ()) -> int:
        """Run an INSERT inside the current transaction and return the new row id."""
        if not self.conn.in_transaction:
            raise RuntimeError("writes must run inside Store.transaction()")
        row_id = self.conn.execute(sql, params).lastrowid
        if row_id is None:
            raise RuntimeError(f"no row inserted by {sql.split('(')[0]}")
        return row_id

    def update(self, sql: str, params: Params = ()) -> int:
        """Run an UPDATE or DELETE inside the current transaction; return rows changed."""
        if not self.conn.in_transaction:
            raise RuntimeError("writes must run inside Store.transaction()")
        return self.conn.execute(sql, params).rowcount

    def reference(self, table: str, column: str, prefix: str, digits: int) -> str:
        """A fresh reference number ("P" and nine digits) not yet used in `table.column`.

        Runs inside the caller's transaction, which holds the write lock, so no other
        writer can take the same number before it is inserted.
        """
        while True:
            candidate = prefix + "".join(str(self.rng.randrange(10)) for _ in range(digits))
            used = self.conn.execute(
                f"SELECT 1 FROM {table} WHERE {column} = ?", (candidate,)
            ).fetchone()
            if used is None:
                return candidate

    def audit(
        self, at: datetime, account: str | None, action: str, detail: str, actor: str = "caller"
    ) -> None:
        """Append to the audit log inside the current transaction; `detail` holds no secret."""
        self.insert(
            "INSERT INTO audit_log (at, account, actor, action, detail) VALUES (?, ?, ?, ?, ?)",
            (iso_time(at), account, actor, action, detail),
        )

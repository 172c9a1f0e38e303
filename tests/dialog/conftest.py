"""Fixtures for dialog tests: a real billing store on a SQLite file, and a call on it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.billing import BillingService
from tests.dialog.calls import TODAY, Call


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "billing.sqlite3"


@pytest.fixture
def service(db_path: Path) -> Iterator[BillingService]:
    billing = BillingService.open(db_path, today=TODAY)
    yield billing
    billing.close()


@pytest.fixture
def call(service: BillingService) -> Call:
    return Call(service)

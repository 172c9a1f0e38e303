"""Billing fixtures: a real SQLite file per test, copied from one seeded template.

Seeding hashes seven PINs with scrypt; doing that once per session and copying the file
keeps every test on a fresh, real database without paying for it each time.
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from assistant.billing import BillingService

TODAY = date(2025, 6, 15)
"""The day every fixture database is seeded for; tests use the same day as `today`."""


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo database created once, through the real open-and-seed path."""
    path = tmp_path_factory.mktemp("template") / "dialin.sqlite3"
    BillingService.open(path, today=TODAY, rng=random.Random(1)).close()
    return path


@pytest.fixture
def db_path(template_db: Path, tmp_path: Path) -> Path:
    """A private copy of the demo database file."""
    path = tmp_path / "dialin.sqlite3"
    shutil.copyfile(template_db, path)
    return path


@pytest.fixture
def service(db_path: Path) -> Iterator[BillingService]:
    """The billing service on this test's database file."""
    billing = BillingService.open(db_path, today=TODAY, rng=random.Random(2))
    yield billing
    billing.close()

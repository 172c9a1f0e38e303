"""Audit fixtures: the audit of the shipped system, and a copy of the shipped packs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.audit.audit import AuditOptions, run_audit
from assistant.audit.findings import Report
from assistant.audit.inputs import AuditInputs
from assistant.paths import data_dir
from tests.audit.breakage import JOBS


@pytest.fixture(scope="session")
def shipped_audit() -> tuple[Report, dict]:
    """The whole audit of the shipped packs, layout and themes, run once."""
    return run_audit(AuditOptions(AuditInputs.shipped(), jobs=JOBS))


@pytest.fixture
def lang_copy(tmp_path: Path) -> Path:
    """A private copy of the shipped lang/ folder (packs and keypad layout)."""
    return Path(shutil.copytree(data_dir("lang"), tmp_path / "lang"))

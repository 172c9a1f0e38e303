"""Kiosk test set-up: a real demo database and settings file per test, a fixed call clock,
a countdown clock the test moves by hand, and no sound devices (the device list is handed
in, so nothing depends on whether a sound server runs)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant.audio.devices import AudioDevice
from assistant.ui.app import KioskApp
from assistant.ui.settings import KioskSettings, save_settings
from assistant.ui.voice import VoiceLink

TODAY = dt.date(2026, 11, 25)
NOW = dt.datetime(2026, 11, 25, 10, 30)
SIZE = (100, 32)


class ManualClock:
    """Monotonic seconds that only move when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def no_devices() -> list[AudioDevice]:
    return []


MakeKiosk = Callable[..., KioskApp]


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def make_kiosk(tmp_path: Path, clock: ManualClock) -> MakeKiosk:
    """Build a kiosk on a fresh demo database; settings may be given (they are saved to
    the kiosk's settings file first, as a kiosk set up earlier would have them)."""

    def make(settings: KioskSettings | None = None, voice: VoiceLink | None = None,
             **extra: object) -> KioskApp:
        settings_path = tmp_path / "kiosk.json"
        if settings is not None:
            save_settings(settings, settings_path)
        calls = iter(range(1, 1000))
        return KioskApp(
            db=tmp_path / "billing.sqlite3",
            today=TODAY,
            settings_path=settings_path,
            voice=voice or VoiceLink(devices=no_devices),
            clock=lambda: NOW,
            monotonic=clock,
            call_ids=lambda: f"kiosk-test-{next(calls)}",
            **extra,  # type: ignore[arg-type]
        )

    return make

"""Snapshots of the kiosk's main screens in each theme: the welcome, a signed-in caller's
balance, and the settings. Fixed clocks, call ids and demo data keep them repeatable;
`pytest --snapshot-update` records them again after a deliberate change of look. Only the
English pack is loaded, so a new wording in another language does not move them."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from assistant.dialog.packs import load_pack
from assistant.paths import data_dir
from assistant.ui.palette import THEME_NAMES
from assistant.ui.settings import KioskSettings
from tests.ui.conftest import SIZE, MakeKiosk

ENGLISH = {"en": load_pack(data_dir("lang") / "en.toml")}


async def ready(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def signed_in(pilot: Pilot[None]) -> None:
    await ready(pilot)
    await pilot.press("1", "1", *"10000001", "number_sign", *"1234", "number_sign")
    await pilot.pause()


async def settings(pilot: Pilot[None]) -> None:
    await ready(pilot)
    await pilot.press("f9")
    await pilot.pause()


@pytest.mark.parametrize("theme", THEME_NAMES)
def test_welcome(theme: str, make_kiosk: MakeKiosk, snap_compare) -> None:
    assert snap_compare(make_kiosk(KioskSettings(theme=theme), packs=ENGLISH), terminal_size=SIZE,
                        run_before=ready)


@pytest.mark.parametrize("theme", THEME_NAMES)
def test_signed_in_balance(theme: str, make_kiosk: MakeKiosk, snap_compare) -> None:
    assert snap_compare(make_kiosk(KioskSettings(theme=theme), packs=ENGLISH), terminal_size=SIZE,
                        run_before=signed_in)


@pytest.mark.parametrize("theme", THEME_NAMES)
def test_settings(theme: str, make_kiosk: MakeKiosk, snap_compare) -> None:
    assert snap_compare(make_kiosk(KioskSettings(theme=theme), packs=ENGLISH), terminal_size=SIZE,
                        run_before=settings)

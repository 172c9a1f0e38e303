"""The kiosk's settings: changed on the settings screen, applied at once, kept in the
kiosk's file for the next caller and the next start; a broken file is named, not fatal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import RadioButton, RadioSet, Switch

from assistant.ui.screens.settings import SettingsScreen
from assistant.ui.settings import KioskSettings, SettingsError, load_settings, save_settings
from assistant.ui.widgets.caption import CaptionLine
from tests.ui.conftest import MakeKiosk
from tests.ui.kiosk_view import log_text, settle, status


async def choose(pilot, setting: str, label: str) -> None:
    radio = pilot.app.screen.query_one(f"#setting-{setting}", RadioSet)
    button = next(b for b in radio.query(RadioButton) if str(b.label) == label)
    button.scroll_visible(animate=False)
    await pilot.pause()
    await pilot.click(button)
    await pilot.pause()


async def test_saved_settings_apply_and_persist(make_kiosk: MakeKiosk, tmp_path: Path) -> None:
    app = make_kiosk()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        await choose(pilot, "theme", "High contrast")
        await choose(pilot, "large-captions", "Large")
        await choose(pilot, "timeout-scale", "Ten times as long")
        await choose(pilot, "voice-profile", "Clear and slow")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, SettingsScreen)
        assert app.theme == "dialin-high-contrast"
        assert app.call_screen.query_one(CaptionLine).has_class("-large")
        await pilot.press("1")
        await pilot.pause()
        assert "Time left: 100 s" in status(app)
        call = app.call_screen.call
        assert call is not None and call.session.voice_profile == "clear"
    saved = load_settings(tmp_path / "kiosk.json")
    assert saved == KioskSettings(theme="high-contrast", large_captions=True,
                                  timeout_scale=10.0, voice_profile="clear")
    again = make_kiosk()
    async with again.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert again.theme == "dialin-high-contrast"


async def test_cancel_leaves_everything_as_it_was(make_kiosk: MakeKiosk, tmp_path: Path) -> None:
    app = make_kiosk()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("f9")
        await pilot.pause()
        await choose(pilot, "theme", "Colour-blind safe")
        await pilot.press("escape")
        await pilot.pause()
        assert app.theme == "dialin-default"
    assert not (tmp_path / "kiosk.json").exists()


async def test_a_kiosk_language_greets_in_it_and_names_everything_in_it(
        make_kiosk: MakeKiosk) -> None:
    app = make_kiosk(KioskSettings(language="es"))
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        text = log_text(app)
        assert "Which language would you like?" not in text
        assert "Asistente:" in text
        assert "Idioma: Español" in status(app)
        labels = [str(b.label) for b in app.call_screen.query("#actions Button")]
        assert "F1 Ayuda" in labels


async def test_changing_the_language_at_the_welcome_greets_again(make_kiosk: MakeKiosk) -> None:
    app = make_kiosk()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("f9")
        await pilot.pause()
        await choose(pilot, "language", "한국어")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "안내원:" in log_text(app)
        assert "Which language would you like?" not in log_text(app)


async def test_the_microphone_switch(make_kiosk: MakeKiosk, tmp_path: Path) -> None:
    app = make_kiosk()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("f5")
        await pilot.pause()
        assert not app.settings.microphone
        await pilot.press("f9")
        await pilot.pause()
        assert not app.screen.query_one("#setting-microphone", Switch).value
    assert load_settings(tmp_path / "kiosk.json").microphone is False


async def test_a_broken_settings_file_is_named_and_left_alone(make_kiosk: MakeKiosk,
                                                             tmp_path: Path) -> None:
    path = tmp_path / "kiosk.json"
    path.write_text('{"theme": "purple"}')
    app = make_kiosk()
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        await settle(pilot)
        assert app.settings == KioskSettings()
        assert "kiosk.json: theme: 'purple' is not one of" in app.settings_problem
        assert "Welcome to the billing line." in log_text(app)
    assert path.read_text() == '{"theme": "purple"}'


def test_settings_round_trip(tmp_path: Path) -> None:
    settings = KioskSettings(language="ko", theme="colour-blind", large_captions=True,
                             speech_rate=0.8, voice_profile="clear", timeout_scale=0.0,
                             microphone=False)
    path = tmp_path / "nested" / "kiosk.json"
    save_settings(settings, path)
    assert load_settings(path) == settings
    assert json.loads(path.read_text())["language"] == "ko"


def test_no_file_means_the_defaults(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "absent.json") == KioskSettings()


@pytest.mark.parametrize(("content", "key"), [
    ('{"colour": "red"}', "colour"),
    ('{"speech_rate": 3}', "speech_rate"),
    ('{"microphone": "yes"}', "microphone"),
    ('{"timeout_scale": true}', "timeout_scale"),
    ('{"language": "en-US; rm"}', "language"),
    ("[1, 2]", "(file)"),
    ("{not json", "(file)"),
])
def test_bad_settings_name_the_key(tmp_path: Path, content: str, key: str) -> None:
    path = tmp_path / "kiosk.json"
    path.write_text(content)
    with pytest.raises(SettingsError) as caught:
        load_settings(path)
    assert caught.value.key == key

"""Every kiosk command has a key and a place in the command palette, the palette runs
them, the action bar's buttons run them, and the focus moves in reading order."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Button

from assistant.ui.app import KioskApp
from assistant.ui.screens.call import KEY_BINDINGS, CallScreen
from assistant.ui.screens.settings import SettingsScreen
from tests.ui.conftest import MakeKiosk
from tests.ui.kiosk_view import log_text, settle


def bound_actions(bindings: list) -> dict[str, str]:
    return {binding.action: binding.key for binding in bindings if isinstance(binding, Binding)}


async def test_every_bound_command_is_in_the_palette_and_back(make_kiosk: MakeKiosk) -> None:
    app = make_kiosk()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        keypad_keys = {binding.action for binding in KEY_BINDINGS}
        bound = {**bound_actions(KioskApp.BINDINGS), **bound_actions(CallScreen.BINDINGS)}
        commands = list(app.get_system_commands(app.call_screen))
        titles = [command.title for command in commands]
        for action, keys in bound.items():
            if action in keypad_keys:
                continue  # the keypad's own keys are on screen, as keys
            key = keys.split(",")[0]
            shown = "Esc" if key == "escape" else "Ctrl+Q" if key == "ctrl+q" else key.upper()
            assert any(f"({shown})" in title for title in titles), f"{action} ({keys})"
        assert len(commands) == len(bound) - len(keypad_keys)
        assert all(command.help for command in commands)


async def test_the_palette_opens_the_settings(make_kiosk: MakeKiosk) -> None:
    app = make_kiosk()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"settings")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert isinstance(app.screen, SettingsScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CallScreen)


async def test_a_palette_command_acts_on_the_call(make_kiosk: MakeKiosk) -> None:
    app = make_kiosk()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await pilot.pause()
        help_command = next(c for c in app.get_system_commands(app.call_screen)
                            if c.title.startswith("Help"))
        await help_command.callback()
        await pilot.pause()
        assert "You: help" in log_text(app)


async def test_the_action_bar_buttons_run_their_commands(make_kiosk: MakeKiosk) -> None:
    app = make_kiosk()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await pilot.pause()
        buttons = {str(b.label): b for b in app.call_screen.query("#actions Button")}
        assert list(buttons) == ["F1 Help", "F2 Repeat", "F3 Person", "Esc Back",
                                 "F10 New call", "F5 Microphone", "F9 Settings"]
        await pilot.click(buttons["F2 Repeat"])
        await pilot.pause()
        assert "You: repeat" in log_text(app)
        await pilot.click(buttons["F9 Settings"])
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)


async def test_the_focus_moves_in_reading_order(make_kiosk: MakeKiosk) -> None:
    app = make_kiosk()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        order = [app.focused]
        for _ in range(16):
            await pilot.press("tab")
            order.append(app.focused)
        names = [w.id or (str(w.label) if isinstance(w, Button) else type(w).__name__)
                 for w in order if w is not None]
    assert names[:16] == [
        "log", "key-1", "key-2", "key-3", "key-4", "key-5", "key-6", "key-7", "key-8",
        "key-9", "key-star", "key-0", "key-hash", "answer-input", "send", "F1 Help",
    ]

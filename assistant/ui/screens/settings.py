"""The settings screen: how this kiosk looks, speaks, listens and waits.

One group of choices per setting, in reading order; arrow keys move within a group, Tab to
the next. Saving returns the new settings to the app (which applies and stores them);
Escape leaves everything as it was.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Header, RadioButton, RadioSet, Static, Switch

from assistant.ui.settings import SPEECH_RATES, TIMEOUT_SCALES, KioskSettings
from assistant.ui.strings import UiStrings

CHOICES: dict[str, tuple[tuple[Any, str], ...]] = {
    "theme": (("default", "settings_theme_default"),
              ("high-contrast", "settings_theme_high_contrast"),
              ("colour-blind", "settings_theme_colour_blind")),
    "large_captions": ((False, "settings_captions_normal"), (True, "settings_captions_large")),
    "speech_rate": tuple(zip(SPEECH_RATES, ("settings_rate_slower", "settings_rate_normal",
                                            "settings_rate_faster"), strict=True)),
    "voice_profile": (("default", "settings_voice_default"), ("clear", "settings_voice_clear")),
    "timeout_scale": tuple(zip(TIMEOUT_SCALES, (
        "settings_timeouts_normal", "settings_timeouts_longer", "settings_timeouts_much_longer",
        "settings_timeouts_ten", "settings_timeouts_off"), strict=True)),
}
"""Setting -> (value, label key) for each choice offered, in order."""

LABELS = {"language": "settings_language", "theme": "settings_theme",
          "large_captions": "settings_captions", "speech_rate": "settings_rate",
          "voice_profile": "settings_voice", "timeout_scale": "settings_timeouts"}


class SettingsScreen(Screen[KioskSettings | None]):
    """Edit the kiosk's settings; dismissed with the new settings, or None if cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", show=False),
        Binding("ctrl+s", "save", "Save", show=False),
    ]

    AUTO_FOCUS = ""

    def __init__(self, settings: KioskSettings, strings: UiStrings, lang: str,
                 languages: dict[str, str]) -> None:
        """Args:
            settings: the settings now.
            strings: the kiosk's words.
            lang: the language to show them in.
            languages: language code -> its own name, for the language choice.
        """
        super().__init__()
        self.settings = settings
        self.strings = strings
        self.lang = lang
        self.choices = {"language": ((None, "settings_language_ask"),
                                     *((code, name) for code, name in languages.items())),
                        **CHOICES}

    def _say(self, key: str) -> str:
        return self.strings.text(self.lang, key)

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="settings"):
            yield Static(self._say("settings_intro"), id="settings-intro")
            for name, options in self.choices.items():
                current = getattr(self.settings, name)
                choice = RadioSet(
                    *(RadioButton(label if name == "language" and value is not None
                                  else self._say(label), value=value == current)
                      for value, label in options),
                    id=f"setting-{name.replace('_', '-')}",
                )
                choice.border_title = self._say(LABELS[name])
                yield choice
            microphone = Switch(self.settings.microphone, id="setting-microphone")
            microphone.border_title = self._say("settings_microphone")
            yield microphone
            with HorizontalGroup(id="settings-buttons"):
                yield Button(self._say("settings_save"), id="save", action="screen.save")
                yield Button(self._say("settings_cancel"), id="cancel", action="screen.cancel")

    def on_mount(self) -> None:
        self.title = self._say("settings_title")
        self.query_one("#setting-language", RadioSet).focus(scroll_visible=False)

    def chosen(self) -> KioskSettings:
        """The settings as the screen shows them now."""
        values: dict[str, Any] = {}
        for name, options in self.choices.items():
            radio = self.query_one(f"#setting-{name.replace('_', '-')}", RadioSet)
            index = radio.pressed_index
            values[name] = options[index][0] if index >= 0 else getattr(self.settings, name)
        values["microphone"] = self.query_one("#setting-microphone", Switch).value
        return replace(self.settings, **values)

    def action_save(self) -> None:
        """Keep the settings shown."""
        self.dismiss(self.chosen())

    def action_cancel(self) -> None:
        """Leave the settings as they were."""
        self.dismiss(None)

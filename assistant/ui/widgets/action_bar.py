"""The action bar: the main commands as buttons, for touch screens and mice.

Each button shows its key beside its name ("F1 Help"), so whoever uses the keyboard learns
the key from the same place.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import HorizontalGroup
from textual.widgets import Button

from assistant.ui.commands import KioskCommand
from assistant.ui.strings import UiStrings


class ActionBar(HorizontalGroup):
    """One button per command that asks for one."""

    DEFAULT_CSS = """
    ActionBar { height: auto; width: 1fr; }
    ActionBar > Button { width: auto; margin-right: 2; }
    """

    def __init__(self, commands: tuple[KioskCommand, ...], strings: UiStrings, lang: str,
                 *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.commands = tuple(command for command in commands if command.button)
        self.strings = strings
        self.lang = lang

    def compose(self) -> ComposeResult:
        for command in self.commands:
            yield Button(self._label(command), action=command.qualified, compact=True,
                         classes="command", name=command.action)

    def relabel(self, lang: str) -> None:
        """Name the buttons in `lang`."""
        self.lang = lang
        for button, command in zip(self.query(Button), self.commands, strict=True):
            button.label = self._label(command)
            button.tooltip = self.strings.text(lang, command.about)

    def _label(self, command: KioskCommand) -> str:
        return f"{command.key_label} {self.strings.text(self.lang, command.label)}"

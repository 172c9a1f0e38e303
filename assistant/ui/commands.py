"""Every kiosk command, once: its key, its words, and where it runs.

Key bindings, the command palette and the on-screen action bar are all made from this
table, so a command cannot have a key but no palette entry, or a button but no key.
Function keys are used because a text box takes every printable key; the browser page of
`dialin serve` passes them through to the app.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True, slots=True)
class KioskCommand:
    """One command."""

    action: str
    """The Textual action, without its namespace ("ask('help')", "open_settings")."""

    keys: str
    """The keys bound to it, comma-separated as Textual writes them."""

    label: str
    """Key of its name in the kiosk's strings."""

    about: str
    """Key of its one-line explanation in the kiosk's strings."""

    scope: str
    """"screen" (the call screen: acts on the call) or "app" (the kiosk)."""

    button: bool = True
    """Shown as a button on the call screen's action bar (for touch)."""

    @property
    def qualified(self) -> str:
        """The action with its namespace, as a button or a callback runs it."""
        return f"{self.scope}.{self.action}"

    @property
    def key_label(self) -> str:
        """The first key as people read it ("F1", "Esc")."""
        first = self.keys.split(",")[0]
        return {"escape": "Esc", "ctrl+q": "Ctrl+Q"}.get(first, first.upper())

    def binding(self) -> Binding:
        return Binding(self.keys, self.action, self.label, show=False)


CALL_COMMANDS = (
    KioskCommand("ask('help')", "f1", "cmd_help", "cmd_help_about", "screen"),
    KioskCommand("ask('repeat')", "f2", "cmd_repeat", "cmd_repeat_about", "screen"),
    KioskCommand("ask('agent')", "f3", "cmd_agent", "cmd_agent_about", "screen"),
    KioskCommand("ask('language')", "f4", "cmd_language", "cmd_language_about", "screen",
                 button=False),
    KioskCommand("ask('back')", "escape", "cmd_back", "cmd_back_about", "screen"),
    KioskCommand("more_time", "f6", "cmd_more_time", "cmd_more_time_about", "screen",
                 button=False),
    KioskCommand("new_call", "f10", "cmd_new_call", "cmd_new_call_about", "screen"),
)
"""Commands that act on the call in progress."""

APP_COMMANDS = (
    KioskCommand("toggle_microphone", "f5", "cmd_microphone", "cmd_microphone_about", "app"),
    KioskCommand("toggle_captions", "f7", "cmd_captions", "cmd_captions_about", "app",
                 button=False),
    KioskCommand("next_theme", "f8", "cmd_theme", "cmd_theme_about", "app", button=False),
    KioskCommand("open_settings", "f9", "cmd_settings", "cmd_settings_about", "app"),
    KioskCommand("quit", "ctrl+q", "cmd_quit", "cmd_quit_about", "app", button=False),
)
"""Commands that act on the kiosk, from any screen."""

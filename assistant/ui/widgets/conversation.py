"""The conversation so far, written the way a TTY shows it.

Every entry names who spoke ("Assistant:", "You:", "Notice:"), so the log never relies on
colour; each assistant turn ends in GA (go ahead: your turn) and the last one in SK (stop
keying: the call is over), the conventions TTY users read by.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.table import Table
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static


@dataclass(frozen=True, slots=True)
class Entry:
    """One block of the log."""

    role: str
    """"assistant", "caller" or "notice"."""

    label: str
    """Who it is, in the screen's language ("Assistant")."""

    lines: tuple[str, ...]
    """What was said, line by line (already masked where secret)."""

    ending: str = ""
    """"GA" or "SK" after an assistant turn."""

    @property
    def text(self) -> str:
        """The entry as plain text, continuation lines indented under the label."""
        indent = " " * (len(self.label) + 2)
        body = list(self.lines) or [""]
        if self.ending:
            body[-1] = f"{body[-1]} {self.ending}".strip()
        first, *rest = body
        return "\n".join([f"{self.label}: {first}", *(indent + line for line in rest)])


class ConversationLog(VerticalScroll):
    """Scrollable log of the call; focusable so the keyboard can scroll it."""

    DEFAULT_CSS = """
    ConversationLog > .entry { width: 1fr; height: auto; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.can_focus = True
        self.entries: list[Entry] = []
        """Everything written since the last clear, in order."""

    @property
    def transcript(self) -> str:
        """The whole log as plain text."""
        return "\n".join(entry.text for entry in self.entries)

    def add(self, entry: Entry) -> None:
        """Append an entry and keep the newest in view."""
        self.entries.append(entry)
        lines = list(entry.lines) or [""]
        if entry.ending:
            lines[-1] = f"{lines[-1]} {entry.ending}".strip()
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column(ratio=1)
        grid.add_row(Text(f"{entry.label}:", style="bold"), Text("\n".join(lines)))
        self.mount(Static(grid, classes=f"entry -{entry.role}"))
        self.call_after_refresh(self.scroll_end, animate=False)

    def clear(self) -> None:
        """Forget the previous caller's conversation."""
        self.entries.clear()
        self.remove_children()

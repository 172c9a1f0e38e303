"""The live caption: the words being spoken or recognised right now, large.

The assistant's prompt appears as it is spoken; the caller's words appear as the
recogniser hears them, and an entry being keyed in appears key by key (bullets for a
secret). The speaker is always named in words.
"""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


class CaptionLine(Widget):
    """One caption: who is speaking, and what."""

    DEFAULT_CSS = """
    CaptionLine { height: auto; min-height: 3; }
    CaptionLine.-large { min-height: 7; text-style: bold; }
    """

    speaker: reactive[str] = reactive("", layout=True)
    """Who is speaking, in the screen's language ("Assistant"); empty for nobody."""

    words: reactive[str] = reactive("", layout=True)
    """What they are saying."""

    role: reactive[str] = reactive("assistant")
    """"assistant", "caller" or "notice": styles the caption, beside the spoken label."""

    large: reactive[bool] = reactive(False)
    """Large captions: more room and bold text."""

    def watch_role(self, old: str, new: str) -> None:
        self.remove_class(f"-{old}")
        self.add_class(f"-{new}")

    def watch_large(self, large: bool) -> None:
        self.set_class(large, "-large")

    def show(self, speaker: str, words: str, role: str) -> None:
        """Caption `words` by `speaker`."""
        self.speaker, self.words, self.role = speaker, words, role

    def clear(self) -> None:
        """Nobody is speaking."""
        self.speaker, self.words = "", ""

    def render(self) -> Text:
        if not self.speaker:
            return Text(self.words)
        text = Text(f"{self.speaker}: {self.words}")
        text.stylize("bold", 0, len(self.speaker) + 1)
        return text

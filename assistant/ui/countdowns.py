"""The kiosk's clocks: the time to answer, the idle reset, and the clearing after a call.

Pure bookkeeping over monotonic seconds handed in, so the rules (WCAG 2.2.1: adjustable,
can be turned off, a warning long enough to act on) are tested without waiting. A time
scale of 0 means no limit: no countdown runs at all.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

IDLE_RESET_S = 120.0
"""A call with no caller input for this long (times the time scale) is cleared away."""

END_RESET_S = 15.0
"""After the call ends, the screen clears after this long (times the time scale)."""

WARN_BEFORE_S = 20.0
"""The caller is warned this long before an idle reset (WCAG 2.2.1 asks for 20 s)."""


@dataclass
class Countdowns:
    """When each clock runs out (monotonic seconds), or None when it is not running."""

    answer: float | None = None
    """The caller's time to answer the question waiting."""

    idle: float | None = None
    """The idle reset: the caller seems to have left."""

    end: float | None = None
    """The clearing of the screen after the call ended."""

    def clear(self) -> None:
        self.answer = self.idle = self.end = None

    def start_answer(self, now: float, timeout_s: float) -> None:
        """Count `timeout_s` to answer (already scaled; 0 means no limit)."""
        self.answer = now + timeout_s if timeout_s > 0 else None

    def caller_acted(self, now: float, scale: float) -> None:
        """The caller did something: the idle reset moves back."""
        self.idle = now + IDLE_RESET_S * scale if scale > 0 else None

    def call_ended(self, now: float, scale: float) -> None:
        """Only the clearing counts now."""
        self.answer = self.idle = None
        self.end = now + END_RESET_S * scale if scale > 0 else None

    def due(self, now: float) -> str | None:
        """The clock that has run out, most drastic first: "end", "idle", "answer"."""
        for name in ("end", "idle", "answer"):
            deadline = getattr(self, name)
            if deadline is not None and now >= deadline:
                return name
        return None

    def answer_left(self, now: float) -> int | None:
        """Whole seconds left to answer, or None when no clock runs."""
        return None if self.answer is None else max(0, math.ceil(self.answer - now))

    def end_left(self, now: float) -> int | None:
        return None if self.end is None else max(0, math.ceil(self.end - now))

    def idle_warning(self, now: float) -> int | None:
        """Seconds before the idle reset, once it is near enough to warn about."""
        if self.idle is None or self.idle - now > WARN_BEFORE_S:
            return None
        return max(0, math.ceil(self.idle - now))

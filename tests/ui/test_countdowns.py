"""The kiosk's clocks as plain bookkeeping: scaled, turned off, warned about, due in the
right order."""

from __future__ import annotations

from assistant.ui.countdowns import END_RESET_S, IDLE_RESET_S, WARN_BEFORE_S, Countdowns


def test_a_scaled_idle_clock_and_its_warning() -> None:
    clocks = Countdowns()
    clocks.caller_acted(now=0, scale=2)
    assert clocks.idle_warning(0) is None
    assert clocks.idle_warning(2 * IDLE_RESET_S - WARN_BEFORE_S) == WARN_BEFORE_S
    assert clocks.due(2 * IDLE_RESET_S - 0.1) is None
    assert clocks.due(2 * IDLE_RESET_S) == "idle"


def test_no_limit_runs_no_clock() -> None:
    clocks = Countdowns()
    clocks.caller_acted(now=0, scale=0)
    clocks.start_answer(now=0, timeout_s=0)
    clocks.call_ended(now=0, scale=0)
    assert (clocks.answer, clocks.idle, clocks.end) == (None, None, None)
    assert clocks.due(1e9) is None


def test_the_answer_clock_counts_whole_seconds() -> None:
    clocks = Countdowns()
    clocks.start_answer(now=100, timeout_s=10)
    assert clocks.answer_left(100) == 10
    assert clocks.answer_left(100.5) == 10
    assert clocks.answer_left(109.1) == 1
    assert clocks.answer_left(200) == 0
    assert clocks.due(110) == "answer"


def test_the_end_stops_the_other_clocks() -> None:
    clocks = Countdowns()
    clocks.caller_acted(now=0, scale=1)
    clocks.start_answer(now=0, timeout_s=10)
    clocks.call_ended(now=5, scale=1)
    assert clocks.answer is None and clocks.idle is None
    assert clocks.end_left(5) == END_RESET_S
    assert clocks.due(5 + END_RESET_S) == "end"

"""The line demultiplexer: keys, TTY characters and lines, carrier changes, tone spans."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.signals import dtmf, tty
from assistant.signals.line import LineDemultiplexer, ToneSpan, TtyLine, silence_tones
from assistant.signals.tty_demod import CarrierOff, CarrierOn

RATE = 8000


def _silence(seconds: float) -> np.ndarray:
    return np.zeros(round(seconds * RATE))


def _call() -> tuple[np.ndarray, dict[str, float]]:
    """Keys, a TTY turn with two lines, a pause, a last TTY line with no CR/LF, a key."""
    marks: dict[str, float] = {}
    parts: list[np.ndarray] = []

    def add(name: str, audio: np.ndarray) -> None:
        marks[name] = sum(len(p) for p in parts) / RATE
        parts.append(np.asarray(audio, dtype=float))
        marks[name + "_end"] = sum(len(p) for p in parts) / RATE

    add("lead", _silence(0.3))
    add("keys", dtmf.encode("12#", RATE))
    add("gap", _silence(0.5))
    add("tty", tty.encode("MY ACCT 555 1212\nPAY NOW GA", RATE))
    add("pause", _silence(3.0))
    add("tty2", tty.encode("THANKS SK", RATE))
    add("gap2", _silence(0.7))
    add("key", dtmf.encode("9", RATE))
    add("tail", _silence(0.5))
    return np.concatenate(parts), marks


def _feed(line: LineDemultiplexer, audio: np.ndarray, chunk: int | None) -> list:
    if chunk is None:
        return line.feed(audio) + line.flush()
    events = []
    for start in range(0, len(audio), chunk):
        events += line.feed(audio[start : start + chunk])
    return events + line.flush()


def _summary(events: list) -> list[str]:
    out = []
    for event in events:
        if isinstance(event, dtmf.DtmfTone):
            out.append(f"key {event.key}")
        elif isinstance(event, TtyLine):
            out.append(f"line {event.text}")
        elif isinstance(event, CarrierOn | CarrierOff):
            out.append(type(event).__name__)
    return out


@pytest.mark.parametrize("chunk", [None, 80, 1331])
def test_a_call_comes_out_in_order(chunk):
    audio, marks = _call()
    events = _feed(LineDemultiplexer(RATE), audio, chunk)
    assert _summary(events) == [
        "key 1",
        "key 2",
        "key #",
        "CarrierOn",
        "line MY ACCT 555 1212",
        "CarrierOff",
        "line PAY NOW GA",
        "CarrierOn",
        "CarrierOff",
        "key 9",
        "line THANKS SK",
    ]
    times = [event.time_s for event in events]
    assert times == sorted(times)
    lines = [e for e in events if isinstance(e, TtyLine)]
    # The second line waited for the 2 s carrier-loss timeout; the last for the call's end.
    assert lines[1].completed_s == pytest.approx(marks["tty_end"] + 2.0, abs=0.1)
    assert lines[2].completed_s == pytest.approx(len(audio) / RATE, abs=0.01)


def test_the_same_events_whatever_the_chunking():
    audio, _ = _call()
    whole = _feed(LineDemultiplexer(RATE), audio, None)
    assert _feed(LineDemultiplexer(RATE), audio, 97) == whole
    assert _feed(LineDemultiplexer(RATE), audio, 4096) == whole


def test_tone_spans_cover_keys_and_tty_and_can_be_silenced():
    audio, marks = _call()
    line = LineDemultiplexer(RATE)
    _feed(line, audio, 512)
    spans = line.tone_spans
    assert [s.kind for s in spans] == ["dtmf"] * 3 + ["tty", "tty", "dtmf"]
    assert spans[0].start_s == pytest.approx(marks["keys"], abs=0.01)
    assert spans[3].start_s == pytest.approx(marks["tty"], abs=0.02)
    assert spans[3].end_s == pytest.approx(marks["tty_end"], abs=0.03)
    quiet = silence_tones(audio, RATE, spans)
    assert np.all(quiet[round(marks["tty"] * RATE) : round(marks["tty_end"] * RATE)] == 0)
    assert np.all(quiet[round(marks["keys"] * RATE) : round(marks["gap"] * RATE)] == 0)
    assert np.array_equal(quiet[: round(0.25 * RATE)], audio[: round(0.25 * RATE)])
    line.forget_before(marks["pause"])
    assert [s.kind for s in line.tone_spans] == ["tty", "dtmf"]


def test_silence_tones_takes_a_window_that_starts_later_on_the_line():
    audio = np.ones(RATE, dtype=np.float32)
    before = [ToneSpan("tty", 1.0, 2.0)]
    assert np.array_equal(silence_tones(audio, RATE, before, start_s=5.0), audio)
    quiet = silence_tones(audio, RATE, [ToneSpan("dtmf", 5.2, 5.3)], start_s=5.0, pad_s=0.0)
    assert np.all(quiet[1600:2400] == 0) and quiet[1599] == 1 and quiet[2400] == 1


def test_our_own_tty_prompt_is_not_heard_as_the_caller():
    prompt = tty.encode("YOUR BALANCE IS 42 DOLLARS GA", RATE)
    reply = tty.encode("THANK YOU SK", RATE)
    audio = np.concatenate([prompt, _silence(0.6), reply]).astype(float)
    line = LineDemultiplexer(RATE)
    line.transmitted(0.0, len(prompt) / RATE)
    events = line.feed(audio) + line.flush()
    assert _summary(events) == ["CarrierOn", "CarrierOff", "line THANK YOU SK"]


def test_keys_inside_the_echo_guard_are_ignored():
    audio = np.concatenate([dtmf.encode("5", RATE), _silence(0.5), dtmf.encode("6", RATE)])
    line = LineDemultiplexer(RATE)
    line.transmitted(0.0, 0.05)
    assert _summary(line.feed(audio) + line.flush()) == ["key 6"]


def test_tone_active_while_a_key_sounds():
    line = LineDemultiplexer(RATE)
    assert not line.tone_active
    line.feed(dtmf.encode("7", RATE, tone_ms=400, gap_ms=0)[:2400])
    assert line.tone_active
    line.feed(_silence(0.3))
    assert not line.tone_active

"""Baudot TTY modem (ITU-T V.18 Annex A): text to FSK audio, FSK audio to characters.

45.45 baud (US) or 50 baud; mark 1400 Hz, space 1800 Hz; 1 start bit, 5 data bits, 1.5 or
2 stop bits, least significant bit first, continuous phase. A transmission opens with
150 ms of mark so the far receiver's carrier detector settles before the first character.

`TtyReceiver` adds the shift decoding and an `EchoGuard`: a modem hears its own
transmission come back on the line, so for 300 ms after it transmits (and while it
does) its receiver ignores what it hears.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from assistant.signals.baudot import BaudotDecoder, text_to_codes
from assistant.signals.tonebank import SignalError, as_mono_float
from assistant.signals.tty_demod import (
    BAUD_RATES,
    MARK_HZ,
    SPACE_HZ,
    CarrierOff,
    CarrierOn,
    TtyDemodulator,
    TtyFrame,
)

LEAD_MS = 150.0
ECHO_HOLD_S = 0.3


@dataclass(frozen=True, slots=True)
class TtyCharacter:
    """One character a TTY sent."""

    char: str
    """The character: a letter, digit or punctuation mark, " ", "\\r", "\\n" or "\\a" (bell)."""

    start_s: float
    """Start of its frame, seconds from the start of the stream."""

    end_s: float
    """When it was complete."""

    @property
    def time_s(self) -> float:
        """When the character was complete."""
        return self.end_s


TtyEvent = TtyCharacter | CarrierOn | CarrierOff


def encode_codes(
    codes: Sequence[int],
    rate: int = 8000,
    baud: float = 45.45,
    stop_bits: float = 2.0,
    level_dbfs: float = -10.0,
    lead_ms: float = LEAD_MS,
    tail_ms: float = 50.0,
) -> np.ndarray:
    """FSK audio for raw 5-bit codes (see `encode` for the arguments).

    Raises:
        SignalError: a code is out of range, or a parameter cannot be sent.
    """
    if any(not 0 <= code < 32 for code in codes):
        raise SignalError("Baudot codes are 5-bit numbers, 0 to 31")
    if baud not in BAUD_RATES:
        raise SignalError(f"TTY baud rate must be one of {BAUD_RATES}, got {baud}")
    if stop_bits not in (1.5, 2.0):
        raise SignalError(f"TTY stop bits must be 1.5 or 2, got {stop_bits}")
    if rate < 2 * SPACE_HZ * 1.1:
        raise SignalError(f"{rate} Hz audio cannot carry TTY tones; use at least 4000 Hz")
    bits: list[tuple[int, float]] = [(1, lead_ms / 1000 * baud)]
    for code in codes:
        bits.append((0, 1.0))
        bits.extend(((code >> i) & 1, 1.0) for i in range(5))
        bits.append((1, stop_bits))
    bits.append((1, tail_ms / 1000 * baud))
    edges = np.round(np.cumsum([0.0] + [length for _, length in bits]) * rate / baud).astype(int)
    frequency = np.empty(edges[-1])
    for (bit, _), lo, hi in zip(bits, edges[:-1], edges[1:], strict=True):
        frequency[lo:hi] = MARK_HZ if bit else SPACE_HZ
    phase = 2 * np.pi * np.concatenate([[0.0], np.cumsum(frequency[:-1])]) / rate
    return (10 ** (level_dbfs / 20) * np.sin(phase)).astype(np.float32)


def encode(
    text: str,
    rate: int = 8000,
    baud: float = 45.45,
    stop_bits: float = 2.0,
    level_dbfs: float = -10.0,
    lead_ms: float = LEAD_MS,
    tail_ms: float = 50.0,
    refigure_after_space: bool = True,
) -> np.ndarray:
    """TTY audio that sends `text` (see `baudot.normalize_text` for what is sent of it).

    Args:
        text: what to send; upper-cased, line breaks sent as CR LF.
        rate: sample rate in Hz.
        baud: 45.45 or 50.
        stop_bits: 1.5 or 2; 2 by default, which every receiver accepts and some (such as
            minimodem's tdd mode) require.
        level_dbfs: tone level, as a sine peak relative to full scale.
        lead_ms: mark sent before the first character.
        tail_ms: mark sent after the last character.
        refigure_after_space: send FIGS again after a space when figures follow.
    """
    codes = text_to_codes(text, refigure_after_space=refigure_after_space)
    return encode_codes(codes, rate, baud, stop_bits, level_dbfs, lead_ms, tail_ms)


@dataclass(slots=True)
class EchoGuard:
    """Remembers when this modem transmitted, so its receiver ignores its own echo.

    Args:
        hold_s: how long after a transmission ends its echo may still arrive.
    """

    hold_s: float = ECHO_HOLD_S
    _spans: list[tuple[float, float]] = field(default_factory=list)

    def transmitted(self, start_s: float, end_s: float) -> None:
        """The modem sent tones from `start_s` until `end_s` (stream time, seconds)."""
        if end_s < start_s:
            raise ValueError(f"transmission ends ({end_s}) before it starts ({start_s})")
        self._spans.append((start_s, end_s + self.hold_s))

    def covers(self, start_s: float, end_s: float) -> bool:
        """Whether anything heard between `start_s` and `end_s` may be our own echo."""
        return any(lo <= end_s and start_s <= hi for lo, hi in self._spans)

    def forget_before(self, time_s: float) -> None:
        """Drop transmissions whose echo ended before `time_s`."""
        self._spans = [span for span in self._spans if span[1] >= time_s]


class TtyReceiver:
    """TTY characters and carrier changes from line audio, with the echo ignored.

    A carrier is reported only once it has carried a character, so a voice whose formants
    pass near 1400 and 1800 Hz does not look like a TTY: its CarrierOn comes just before
    that first character (with the time the tones began), and a carrier that carried
    nothing is never reported. Until a TTY has been heard, the first carrier must carry two
    characters: now and then a vowel glide passes every check of one frame (one prompt
    rendering in a thousand or so), never of two in a row, and a TTY starts its first
    transmission with a shift code before the first character.

    Args:
        rate: sample rate in Hz.
        baud: 45.45 or 50.
        guard: the echo guard the transmitter side updates; a private one if None.
    """

    def __init__(self, rate: int, baud: float = 45.45, guard: EchoGuard | None = None) -> None:
        self.demodulator = TtyDemodulator(rate, baud)
        self.guard = guard if guard is not None else EchoGuard()
        self._decoder = BaudotDecoder()
        self._unconfirmed: CarrierOn | None = None
        """A carrier heard but not yet reported: it has carried no character so far."""
        self._held: TtyFrame | None = None
        """The first frame of the first carrier, kept until a second one confirms it."""
        self._heard_tty = False
        """Whether a carrier has been reported since the receiver began."""
        self._reported_on = False
        self._last_time_s = 0.0
        self.confidences: list[float] = []
        """Confidence of every frame kept, for choosing between baud rates."""

    @property
    def horizon_s(self) -> float:
        """No event still to come has an earlier time than this."""
        horizon = self.demodulator.horizon_s
        if self._unconfirmed is not None:
            horizon = min(horizon, self._unconfirmed.time_s)
        if self._held is not None:
            horizon = min(horizon, self._held.start_s)
        return horizon

    @property
    def carrier(self) -> bool:
        """Whether a TTY carrier (one that has carried characters) is on, as far as heard."""
        return self._reported_on

    def process(self, samples: np.ndarray) -> list[TtyEvent]:
        """Add samples; return characters and carrier changes now certain, in time order."""
        return self._filter(self.demodulator.process(samples))

    def flush(self) -> list[TtyEvent]:
        """End of stream: report the last character and carrier change."""
        return self._filter(self.demodulator.flush())

    def _filter(self, events: list[TtyFrame | CarrierOn | CarrierOff]) -> list[TtyEvent]:
        out: list[TtyEvent] = []
        for event in events:
            if isinstance(event, CarrierOn):
                self._unconfirmed = event
            elif isinstance(event, CarrierOff):
                self._unconfirmed = self._held = None
                if self._reported_on:
                    out.append(event)
                    self._reported_on = False
            elif not self.guard.covers(event.start_s, event.end_s):
                if not self._heard_tty and self._held is None:
                    self._held = event
                    continue
                frames = [f for f in (self._held, event) if f is not None]
                if not self._reported_on:
                    began = self._unconfirmed.time_s if self._unconfirmed \
                        else frames[0].start_s
                    out.append(CarrierOn(max(began, self._last_time_s)))
                    self._reported_on = self._heard_tty = True
                    self._unconfirmed = self._held = None
                for frame in frames:
                    self.confidences.append(frame.confidence)
                    char = self._decoder.decode(frame.code)
                    if char:
                        out.append(TtyCharacter(char, frame.start_s, frame.end_s))
            if out:
                self._last_time_s = out[-1].time_s
        return out


@dataclass(frozen=True, slots=True)
class TtyMessage:
    """What a whole recording of a TTY said."""

    text: str
    """The characters, line breaks (CR LF, CR or LF) as "\\n", bells dropped."""

    baud: float
    """The baud rate it was sent at."""

    characters: tuple[TtyCharacter, ...]
    """Every character with its timing."""


def decode(samples: np.ndarray, rate: int, baud: float | None = None) -> TtyMessage:
    """Decode a whole recording; with `baud` None, try 45.45 and 50 and keep the better."""
    data = as_mono_float(samples)
    results = []
    for candidate in (baud,) if baud is not None else BAUD_RATES:
        receiver = TtyReceiver(rate, candidate)
        events = receiver.process(data) + receiver.flush()
        chars = tuple(e for e in events if isinstance(e, TtyCharacter))
        score = float(np.sum(receiver.confidences)) if receiver.confidences else 0.0
        results.append((score, candidate, chars))
    _, chosen, chars = max(results, key=lambda result: result[0])
    return TtyMessage(text=characters_to_text(chars), baud=chosen, characters=chars)


def characters_to_text(chars: Sequence[TtyCharacter]) -> str:
    """Characters joined into text, with CR LF, CR or LF as one "\\n" and bells dropped."""
    text = "".join(c.char for c in chars).replace("\a", "")
    return text.replace("\r\n", "\n").replace("\n\r", "\n").replace("\r", "\n")

"""One telephone line, demultiplexed: DTMF keys, TTY text and carrier changes, in time order.

The voice and call channels feed line audio in (chunks of any size, one fixed rate) and get
back what the caller keyed or typed. Keys and TTY characters come from two detectors with
different delays; events are held until neither detector can still report an earlier one,
so they always come out in the order they happened. A TTY line ends at CR or LF, or when
the carrier has been gone for `line_timeout_s`; the text is kept as typed ("GA", "SK").

The spans that held tones are kept, so a channel can blank them before speech recognition.
The echo guard is shared with the channel's TTY transmitter: while and just after Dialin
sends TTY tones, nothing heard on the line is taken as the caller's (ITU-T V.18 also has the
DTMF receiver ignore that time).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from assistant.signals.dtmf import DtmfDetector, DtmfSettings, DtmfTone
from assistant.signals.tonebank import as_mono_float
from assistant.signals.tty import EchoGuard, TtyCharacter, TtyReceiver
from assistant.signals.tty_demod import CarrierOff, CarrierOn

LINE_TIMEOUT_S = 2.0


@dataclass(frozen=True, slots=True)
class TtyLine:
    """A line of text a TTY caller finished."""

    text: str
    """The characters of the line, without the CR/LF and bells, stripped of outer spaces."""

    start_s: float
    """Start of its first character."""

    end_s: float
    """End of its last character."""

    completed_s: float
    """When the line was known to be finished: its CR/LF, or the carrier-loss timeout."""

    @property
    def time_s(self) -> float:
        """When the line was complete."""
        return self.completed_s


@dataclass(frozen=True, slots=True)
class ToneSpan:
    """A stretch of line audio that held signalling tones rather than speech."""

    kind: str
    """"dtmf" or "tty"."""

    start_s: float
    end_s: float


LineEvent = DtmfTone | TtyCharacter | TtyLine | CarrierOn | CarrierOff


class LineDemultiplexer:
    """Splits line audio into keys, TTY characters and lines, and carrier changes.

    Args:
        rate: sample rate of the line audio, Hz (at least 8000).
        tty_baud: 45.45 (US TTYs) or 50.
        line_timeout_s: carrier loss that ends a TTY line.
        guard: the echo guard the TTY transmitter updates; a private one if None.
        dtmf_settings: DTMF thresholds; defaults suit telephone lines.
        batch_s: audio gathered before the detectors run: small live chunks (20 ms) cost
            little that way, and the detectors' own delays (tens of ms) dwarf it. Results
            do not depend on it.
    """

    def __init__(
        self,
        rate: int,
        *,
        tty_baud: float = 45.45,
        line_timeout_s: float = LINE_TIMEOUT_S,
        guard: EchoGuard | None = None,
        dtmf_settings: DtmfSettings | None = None,
        batch_s: float = 0.05,
    ) -> None:
        self.rate = rate
        self._batch = max(1, round(batch_s * rate))
        self._waiting: list[np.ndarray] = []
        self._waiting_samples = 0
        self.guard = guard if guard is not None else EchoGuard()
        self.line_timeout_s = line_timeout_s
        self._dtmf = DtmfDetector(rate, dtmf_settings)
        self._tty = TtyReceiver(rate, tty_baud, self.guard)
        self._samples = 0
        self._held: list[DtmfTone | TtyCharacter | CarrierOn | CarrierOff] = []
        self._text: list[TtyCharacter] = []
        self._deadline: float | None = None
        self._carrier_since: float | None = None
        self._spans: list[ToneSpan] = []

    @property
    def time_s(self) -> float:
        """How much line audio has been fed, seconds."""
        return self._samples / self.rate

    @property
    def tone_active(self) -> bool:
        """Whether a key tone or TTY carrier is on the line right now (as far as heard)."""
        return self._dtmf.tone_in_progress or self._tty.carrier

    @property
    def tone_spans(self) -> tuple[ToneSpan, ...]:
        """Every finished stretch of tones so far, in time order."""
        return tuple(self._spans)

    def transmitted(self, start_s: float, end_s: float) -> None:
        """Dialin sent TTY tones from `start_s` to `end_s`: ignore their echo."""
        self.guard.transmitted(start_s, end_s)

    def forget_before(self, time_s: float) -> None:
        """Drop tone spans and echo-guard entries that ended before `time_s`."""
        self._spans = [span for span in self._spans if span.end_s >= time_s]
        self.guard.forget_before(time_s)

    def feed(self, samples: np.ndarray) -> list[LineEvent]:
        """Add line audio (float samples in -1..1); return the events now certain, in order."""
        data = as_mono_float(samples)
        self._samples += data.shape[0]
        self._waiting.append(data)
        self._waiting_samples += data.shape[0]
        if self._waiting_samples < self._batch:
            return []
        batch = np.concatenate(self._waiting)
        self._waiting, self._waiting_samples = [], 0
        self._hold(self._dtmf.process(batch), self._tty.process(batch))
        return self._release(min(self._dtmf.horizon_s, self._tty.horizon_s))

    def flush(self) -> list[LineEvent]:
        """End of the call: report everything still pending, including an unfinished line."""
        end_s = self.time_s
        rest = np.concatenate(self._waiting) if self._waiting else np.zeros(0)
        self._waiting, self._waiting_samples = [], 0
        self._hold(self._dtmf.process(rest), self._tty.process(rest))
        self._hold(self._dtmf.flush(), self._tty.flush())
        events = self._release(float("inf"), final=True)
        if self._text:
            deadline = self._deadline
            done = deadline if deadline is not None and deadline <= end_s else end_s
            events.append(self._finish_line(max(done, self._text[-1].end_s)))
        return events

    def _hold(self, keys: list[DtmfTone], tty_events: Sequence[object]) -> None:
        for key in keys:
            if not self.guard.covers(key.start_s, key.end_s):
                self._held.append(key)
        for event in tty_events:
            if isinstance(event, TtyCharacter | CarrierOn | CarrierOff):
                self._held.append(event)
        self._held.sort(key=lambda event: event.time_s)

    def _release(self, horizon_s: float, final: bool = False) -> list[LineEvent]:
        """Pass on held events up to `horizon_s`, with any line a carrier loss finished."""
        out: list[LineEvent] = []
        while self._held and self._held[0].time_s <= horizon_s:
            event = self._held.pop(0)
            if self._deadline is not None and event.time_s > self._deadline:
                out.append(self._finish_line(self._deadline))
            out.extend(self._take(event))
        if not final and self._deadline is not None and self._deadline <= horizon_s:
            out.append(self._finish_line(self._deadline))
        return out

    def _take(self, event: DtmfTone | TtyCharacter | CarrierOn | CarrierOff) -> list[LineEvent]:
        """Pass an event on, keeping the line text and tone spans up to date."""
        if isinstance(event, DtmfTone):
            self._spans.append(ToneSpan("dtmf", event.start_s, event.end_s))
            return [event]
        if isinstance(event, CarrierOn):
            self._deadline = None
            self._carrier_since = event.time_s
            return [event]
        if isinstance(event, CarrierOff):
            if self._carrier_since is not None:
                self._spans.append(ToneSpan("tty", self._carrier_since, event.time_s))
            self._carrier_since = None
            if self._text:
                self._deadline = event.time_s + self.line_timeout_s
            return [event]
        out: list[LineEvent] = [event]
        if event.char in "\r\n":
            if self._text:
                out.append(self._finish_line(event.end_s))
        else:
            self._text.append(event)
        return out

    def _finish_line(self, completed_s: float) -> TtyLine:
        chars = self._text
        text = "".join(c.char for c in chars).replace("\a", "").strip()
        line = TtyLine(text, chars[0].start_s, chars[-1].end_s, completed_s)
        self._text = []
        self._deadline = None
        return line


def silence_tones(
    samples: np.ndarray,
    rate: int,
    spans: Sequence[ToneSpan],
    start_s: float = 0.0,
    pad_s: float = 0.03,
) -> np.ndarray:
    """A copy of `samples` with the tone spans silenced, for the speech recogniser.

    Args:
        samples: mono audio that starts at `start_s` on the line's clock.
        rate: its sample rate, Hz.
        spans: stretches that held tones, on the line's clock.
        start_s: line time of samples[0].
        pad_s: extra silence either side of each span (tone edges, detector timing).
    """
    out = np.array(samples, dtype=np.float32, copy=True)
    for span in spans:
        lo = max(0, round((span.start_s - pad_s - start_s) * rate))
        hi = min(out.shape[0], round((span.end_s + pad_s - start_s) * rate))
        if hi > lo:
            out[lo:hi] = 0.0
    return out

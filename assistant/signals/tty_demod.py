"""Baudot TTY demodulator (ITU-T V.18 Annex A): FSK audio in, 5-bit codes and carrier changes out.

Every 1 ms tick the tone bank measures mark (1400 Hz) and space (1800 Hz), each through three
filters 3.5 % apart, so a TTY off by up to 5 % is heard at full strength:
- over half a bit, a soft bit (+1 mark .. -1 space) whose falls mark start bits;
- over a whole bit (the matched filter), the powers the bits are read with;
- over a whole bit, whether FSK tones are present: they hold a large share of the line's
  energy, or stand far above guard filters beside them (in heavy noise), and no DTMF
  low-group tone says the 1400 Hz energy is a key press.
The carrier comes on after 30 ms of presence and goes off after 60 ms of absence.

Characters are found by start-bit hunting while the carrier is on: a fall from mark to
space, the best alignment within ±3 ticks, then checks that reject noise and speech: mark
just before the start bit, a space start bit, five clear data bits read at mid-bit, a mark
stop bit, and a steady tone level. A frame that fails is dropped and hunting resumes at the
next fall, which resynchronises after noise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from assistant.signals.tonebank import SignalError, ToneBank, as_mono_float

MARK_HZ = 1400
SPACE_HZ = 1800
BAUD_RATES = (45.45, 50.0)

_SPREAD = (-0.035, 0.0, 0.035)
_GUARDS = (1000, 1120, 1600, 2100, 2250, 2400)
"""Frequencies beside the FSK tones where a TTY puts no energy: the noise floor."""
_DTMF_LOW = (697, 770, 852, 941)
_TICK_S = 0.001
_SHARE_ON, _SHARE_OFF = 0.4, 0.25
"""Share of the line's energy in the FSK tones that turns the carrier on, and keeps it on."""
_CONTRAST_ON, _CONTRAST_OFF = 9.0, 5.5
"""FSK tones over the mean guard filter (over three bits) that turn the carrier on, and keep
it on: in heavy noise the share falls, but the tones still stand far above the noise floor."""
_SMOOTH_BITS = 3
_DTMF_CONTRAST = 8.0
"""How far above the noise floor a low-group tone must be to mark a DTMF key, not noise."""
_FLOOR_CONTRAST = 3.0
"""How far every bit of a frame must stand above the noise floor."""
_CARRIER_ON_MS = 30
_CARRIER_OFF_MS = 60
_BIT_THRESHOLD = 0.2
"""Soft value the start bit must fall below and the stop bit rise above."""
_ALIGN_TICKS = 3
_DATA_THRESHOLD = 0.15
"""Soft value every data bit must reach on its side of the boundary."""
_LEVEL_SPREAD = 10.0
"""Largest ratio between the tone levels of one frame's bits (10 dB)."""
_SAMPLE_TICKS = 1
"""Ticks either side of a bit centre averaged into its soft value."""


@dataclass(frozen=True, slots=True)
class TtyFrame:
    """One character frame: start bit, five data bits, stop bit."""

    code: int
    """The 5-bit code, first data bit in bit 0."""

    start_s: float
    """Start of the start bit, seconds from the start of the stream."""

    end_s: float
    """Middle of the stop bit: the character is complete."""

    confidence: float
    """Mean distance of the sampled bits from the mark/space boundary, 0 to 1."""

    @property
    def time_s(self) -> float:
        """When the frame was complete."""
        return self.end_s


@dataclass(frozen=True, slots=True)
class CarrierOn:
    """A TTY began sending tones."""

    time_s: float


@dataclass(frozen=True, slots=True)
class CarrierOff:
    """The TTY tones stopped."""

    time_s: float


DemodEvent = TtyFrame | CarrierOn | CarrierOff


class TtyDemodulator:
    """Streaming FSK demodulator: feed chunks of any size, get frames and carrier changes in order.

    Args:
        rate: sample rate in Hz, at least 4000.
        baud: 45.45 (US TTY) or 50.
    """

    def __init__(self, rate: int, baud: float = 45.45) -> None:
        if baud <= 0:
            raise SignalError(f"baud rate must be positive, got {baud}")
        frequencies = [round(f * (1 + d)) for f in (MARK_HZ, SPACE_HZ) for d in _SPREAD]
        self.rate = rate
        self.baud = baud
        self._tick = max(1, round(rate * _TICK_S))
        columns = len(frequencies) + len(_GUARDS) + len(_DTMF_LOW)
        self._bank = ToneBank(rate, frequencies + list(_GUARDS) + list(_DTMF_LOW), self._tick)
        self._bit = rate / baud / self._tick
        """Bit length in ticks."""
        self._window = max(3, round(self._bit / 2))
        """Window of the soft bits, ticks: half a bit, centred."""
        self._carrier_window = max(self._window, round(self._bit))
        """Window of the carrier measures, ticks: a bit, centred."""
        self._smooth_half = _SMOOTH_BITS * round(self._bit) // 2
        """Half the window, ticks, over which the FSK tones are compared with the noise floor."""
        self._edge_reach = 2 * self._smooth_half + self._carrier_window + _CARRIER_OFF_MS
        """How far before the carrier was judged gone its tones may have ended, ticks."""
        self._first_block = -(self._carrier_window // 2)
        """Absolute index of the first block held; zero blocks stand before the stream."""
        self._block_sums = np.zeros((-self._first_block, columns), dtype=np.complex128)
        self._block_energy = np.zeros(-self._first_block, dtype=np.float64)
        self._soft = np.zeros(0, dtype=np.float64)
        """Soft bit per tick over half a bit: +1 mark .. -1 space; finds the edges."""
        self._powers = np.zeros((0, 6), dtype=np.float64)
        """Power in each mark and space filter per tick over a whole bit: the matched
        filters the bits are read with."""
        self._fsk = np.zeros(0, dtype=np.float64)
        """Mark plus space power per tick over a whole bit."""
        self._guard = np.zeros(0, dtype=np.float64)
        """Mean guard-filter power per tick over a whole bit: the noise floor."""
        self._strong = np.zeros(0, dtype=bool)
        """Per tick: the FSK tones hold most of the line's energy (clean line)..."""
        self._weak = np.zeros(0, dtype=bool)
        """...or still a fair share of it."""
        self._presence = np.zeros(0, dtype=np.int8)
        """Per tick: 2 FSK tones clearly present, 1 still present, 0 absent; shorter than the
        other arrays by half the smoothing window."""
        self._first_tick = 0
        """Absolute tick of the first value in the per-tick arrays; windows centre on ticks."""
        self._carrier_on = False
        self._run_start = 0
        """First tick of the run that may change the carrier state; earlier ticks are settled."""
        self._intervals: list[tuple[int, float]] = []
        """Carrier-on intervals [on tick, off tick or inf) the hunter may still need."""
        self._pending: list[CarrierOn | CarrierOff] = []
        """Carrier changes decided but held back until no frame can come before them."""
        self._hunt = 0
        """Next tick at which a start bit may begin."""

    @property
    def tick_s(self) -> float:
        """Length of one tick, seconds."""
        return self._tick / self.rate

    @property
    def horizon_s(self) -> float:
        """No event still to come has an earlier time than this."""
        earliest = float(min(self._hunt - _ALIGN_TICKS, self._run_start)) * self.tick_s
        if self._pending:
            earliest = min(earliest, self._pending[0].time_s)
        return max(0.0, earliest)

    @property
    def carrier(self) -> bool:
        """Whether the carrier is on as far as the line has been heard."""
        return self._carrier_on

    def process(self, samples: np.ndarray) -> list[DemodEvent]:
        """Add samples; return the frames and carrier changes now certain, in time order."""
        spectrum = self._bank.process(as_mono_float(samples))
        if len(spectrum):
            self._block_sums = np.concatenate([self._block_sums, spectrum.sums])
            self._block_energy = np.concatenate([self._block_energy, spectrum.energies])
        self._measure()
        self._follow_carrier()
        events = self._hunt_frames()
        self._trim()
        return events

    def flush(self) -> list[DemodEvent]:
        """End of stream: pad with silence so the last character and carrier change come out."""
        to_tick_end = (self._tick - self._bank.pending) % self._tick
        ticks = round((8 + _SMOOTH_BITS) * self._bit) + _CARRIER_OFF_MS * 2 + self._carrier_window
        return self.process(np.zeros(to_tick_end + ticks * self._tick))

    def _measure(self) -> None:
        """Soft bits and carrier presence for every tick whose windows are complete."""
        half = self._carrier_window // 2
        start = self._first_tick + len(self._soft) - half - self._first_block
        count = len(self._block_energy) - self._carrier_window + 1 - start
        if count <= 0:
            return
        offset = half - self._window // 2
        edges = _soft_bits(
            _window_sums(self._block_sums[:, :6], start + offset, count, self._window)
        )
        width = self._carrier_window
        power = np.abs(_window_sums(self._block_sums, start, count, width)) ** 2
        total = _window_sums(self._block_energy, start, count, width)
        mark, space = power[:, 0:3].max(axis=1), power[:, 3:6].max(axis=1)
        fsk = mark + space
        guard = power[:, 6:12].mean(axis=1)
        low_group = power[:, 12:16].max(axis=1)
        dtmf = (low_group > 0.25 * np.maximum(mark, space)) & (low_group > _DTMF_CONTRAST * guard)
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(total > 0, 2 * fsk / (width * self._tick * total), 0.0)
        self._soft = np.concatenate([self._soft, edges])
        self._powers = np.concatenate([self._powers, power[:, :6]])
        self._fsk = np.concatenate([self._fsk, np.where(dtmf, 0.0, fsk)])
        self._guard = np.concatenate([self._guard, guard])
        self._strong = np.concatenate([self._strong, (share >= _SHARE_ON) & ~dtmf])
        self._weak = np.concatenate([self._weak, (share >= _SHARE_OFF) & ~dtmf])
        self._judge_presence()

    def _judge_presence(self) -> None:
        """Carrier presence for every tick whose smoothing window is complete.

        The contrast with the guard filters is taken over three bits, so that noise alone,
        whose contrast wanders around 4, does not keep a carrier alive.
        """
        half = self._smooth_half
        first = self._first_tick + len(self._presence)
        last = self._first_tick + len(self._fsk) - half - 1
        if last < first:
            return
        lo = max(first - half, self._first_tick) - self._first_tick
        hi = last + half + 1 - self._first_tick
        fsk = np.concatenate(
            [np.zeros(max(0, self._first_tick - (first - half))), self._fsk[lo:hi]]
        )
        guard = np.concatenate(
            [np.zeros(max(0, self._first_tick - (first - half))), self._guard[lo:hi]]
        )
        count = last - first + 1
        fsk_sum = _window_sums(fsk, 0, count, 2 * half + 1)
        guard_sum = _window_sums(guard, 0, count, 2 * half + 1)
        with np.errstate(divide="ignore", invalid="ignore"):
            contrast = np.where(
                guard_sum > 0, fsk_sum / guard_sum, np.where(fsk_sum > 0, np.inf, 0.0)
            )
        own = slice(first - self._first_tick, last + 1 - self._first_tick)
        strong = self._strong[own] | (contrast >= _CONTRAST_ON)
        weak = self._weak[own] | (contrast >= _CONTRAST_OFF)
        presence = np.where(strong, 2, np.where(weak, 1, 0)).astype(np.int8)
        self._presence = np.concatenate([self._presence, presence])

    def _follow_carrier(self) -> None:
        """Decide the carrier state tick by tick, with hysteresis and minimum durations.

        Presence is judged over a few bits, which blurs its edges; the times reported are
        where the tone level itself crosses half its steady value.
        """
        end = self._first_tick + len(self._presence)
        for tick in range(self._run_start, end):
            value = self._presence[tick - self._first_tick]
            if not self._carrier_on:
                if value < 2:
                    self._run_start = tick + 1
                elif tick - self._run_start + 1 >= _CARRIER_ON_MS:
                    on = self._rising_edge(self._run_start, tick + 1)
                    self._carrier_on = True
                    self._intervals.append((on, float("inf")))
                    self._pending.append(CarrierOn(on * self.tick_s))
                    self._run_start = tick + 1
            elif value >= 1:
                self._run_start = tick + 1
            elif tick - self._run_start + 1 >= _CARRIER_OFF_MS:
                off = max(self._falling_edge(self._run_start), self._intervals[-1][0] + 1)
                self._carrier_on = False
                self._intervals[-1] = (self._intervals[-1][0], off)
                self._pending.append(CarrierOff(off * self.tick_s))
                self._run_start = tick + 1

    def _rising_edge(self, run_first: int, run_stop: int) -> int:
        """First tick where the tone reaches half the level it holds once the run is under way."""
        half = self._smooth_half
        ahead = min(run_stop + half, self._first_tick + len(self._fsk))
        steady = self._fsk[run_first + half - self._first_tick : ahead - self._first_tick]
        if not steady.size:
            return run_first
        level = float(np.median(steady))
        first = max(self._first_tick, run_first - half)
        window = self._fsk[first - self._first_tick : ahead - self._first_tick]
        above = np.flatnonzero(window >= level / 2)
        return first + int(above[0]) if above.size else run_first

    def _falling_edge(self, absent_from: int) -> int:
        """Tick after the last one where the tone still had half its level, near `absent_from`."""
        first = max(self._first_tick, absent_from - self._edge_reach)
        held = self._fsk[
            max(0, first - round(3 * self._bit) - self._first_tick) : first - self._first_tick
        ]
        if not held.size:
            return absent_from
        level = float(np.median(held))
        stop = min(absent_from + self._smooth_half, self._first_tick + len(self._fsk))
        above = np.flatnonzero(
            self._fsk[first - self._first_tick : stop - self._first_tick] >= level / 2
        )
        return first + int(above[-1]) + 1 if above.size else absent_from

    def _carrier_mask(self, first: int, stop: int) -> np.ndarray:
        """Whether the carrier was on, for each tick in [first, stop)."""
        mask = np.zeros(max(0, stop - first), dtype=bool)
        for on, off in self._intervals:
            lo = max(on, first) - first
            hi = int(min(off, stop)) - first
            if hi > lo:
                mask[lo:hi] = True
        return mask

    def _hunt_frames(self) -> list[DemodEvent]:
        """Find character frames among the ticks whose carrier state is final."""
        events: list[DemodEvent] = []
        reach = round(6.5 * self._bit) + _ALIGN_TICKS + _SAMPLE_TICKS + 1
        limit = min(self._run_start, self._first_tick + len(self._soft) - reach)
        limit = min(limit, self._first_tick + len(self._presence))
        while True:
            fall = self._next_fall(self._hunt, limit)
            if fall is None:
                self._hunt = max(self._hunt, limit)
                break
            frame = self._read_frame(fall)
            if frame is None:
                self._hunt = fall + 1
                continue
            events.extend(self._release(frame.end_s))
            events.append(frame)
            self._hunt = round(frame.start_s / self.tick_s + 7 * self._bit)
        events.extend(self._release((self._hunt - _ALIGN_TICKS) * self.tick_s))
        return events

    def _next_fall(self, start: int, stop: int) -> int | None:
        """First tick in [start, stop) where space begins: after mark, or as the carrier starts."""
        lo = max(start, self._first_tick + 1)
        if stop <= lo:
            return None
        offset = lo - self._first_tick
        now = self._soft[offset : offset + stop - lo]
        before = self._soft[offset - 1 : offset - 1 + stop - lo]
        carrier = self._carrier_mask(lo - 1, stop)
        falls = (now < 0) & carrier[1:] & ((before >= 0) | ~carrier[:-1])
        hits = np.flatnonzero(falls)
        return lo + int(hits[0]) if hits.size else None

    def _read_frame(self, fall: int) -> TtyFrame | None:
        """The frame whose start bit begins near `fall`, if it checks out as a character.

        The best-scoring alignment within a few ticks of the fall is the one checked.
        Checks: mark just before the start bit (idle or the last stop bit), a space start
        bit, a mark stop bit, five clear data bits, and a steady tone level throughout, as
        FSK has and speech does not.
        """
        starts = np.arange(fall - _ALIGN_TICKS, fall + _ALIGN_TICKS + 1)
        sampled = self._sample_bits(starts)
        if sampled is None:
            return None
        all_bits, all_levels = sampled
        scores = all_bits[:, 0] - all_bits[:, 1] + all_bits[:, 7] + np.abs(all_bits[:, 2:7]).sum(1)
        best = int(np.argmax(scores))
        start, bits, levels = int(starts[best]), all_bits[best], all_levels[best]
        framed = (
            bits[0] >= _BIT_THRESHOLD and bits[1] <= -_BIT_THRESHOLD and bits[7] >= _BIT_THRESHOLD
        )
        clear = bool(np.all(np.abs(bits[2:7]) >= _DATA_THRESHOLD))
        steady = levels.min() > 0 and levels.max() <= _LEVEL_SPREAD * levels.min()
        above = levels.min() >= _FLOOR_CONTRAST * self._floor(start)
        if not (framed and clear and steady and above):
            return None
        code = sum(1 << i for i in range(5) if bits[2 + i] > 0)
        return TtyFrame(
            code=code,
            start_s=start * self.tick_s,
            end_s=(start + 6.5 * self._bit) * self.tick_s,
            confidence=float(np.abs(bits[1:]).mean()),
        )

    def _sample_bits(self, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        """For frames starting at each tick in `starts`: soft values and tone levels half a
        bit before the start bit, at the centres of the start bit and five data bits, and at
        the centre of the first stop bit ([len(starts), 8] each).

        The bits known in advance (mark before, space start, mark stop) pick which of the
        three mark and three space filters the transmitter is nearest, so the data bits are
        read through one filter each rather than the noisier best of three.
        """
        offsets = np.round((np.arange(-1, 7) + 0.5) * self._bit).astype(int)
        spread = np.arange(-_SAMPLE_TICKS, _SAMPLE_TICKS + 1)
        index = starts[:, None, None] + offsets[None, :, None] + spread[None, None, :]
        index -= self._first_tick
        if index.min() < 0 or index.max() >= len(self._powers):
            return None
        power = self._powers[index].mean(axis=2)  # [starts, 8 positions, 6 filters]
        rows = np.arange(len(starts))
        mark = (power[:, 0, 0:3] + power[:, 7, 0:3]).argmax(axis=1)
        space = 3 + power[:, 1, 3:6].argmax(axis=1)
        mark_power = power[rows, :, mark]
        space_power = power[rows, :, space]
        total = mark_power + space_power
        with np.errstate(divide="ignore", invalid="ignore"):
            bits = np.where(total > 0, (mark_power - space_power) / total, 0.0)
        return bits, total

    def _floor(self, start: int) -> float:
        """Noise floor (mean guard-filter power) over the frame starting at tick `start`."""
        lo = start - self._first_tick
        return float(self._guard[max(0, lo) : lo + round(7 * self._bit)].mean())

    def _release(self, until_s: float) -> list[CarrierOn | CarrierOff]:
        """Carrier changes no later than `until_s`, which no frame can now precede."""
        out = []
        while self._pending and self._pending[0].time_s <= until_s:
            out.append(self._pending.pop(0))
        return out

    def _trim(self) -> None:
        reach_back = _ALIGN_TICKS + _SAMPLE_TICKS + round(self._bit) + 1
        frontier = self._first_tick + len(self._presence)
        edge_reach = self._edge_reach + round(3 * self._bit)
        keep_tick = min(
            self._hunt - reach_back, self._run_start - edge_reach, frontier - self._smooth_half
        )
        drop = keep_tick - self._first_tick
        if drop > 0:
            for name in ("_soft", "_powers", "_fsk", "_guard", "_strong", "_weak", "_presence"):
                setattr(self, name, getattr(self, name)[drop:])
            self._first_tick += drop
        next_window = self._first_tick + len(self._soft) - self._carrier_window // 2
        drop_blocks = next_window - self._first_block
        if drop_blocks > 0:
            self._block_sums = self._block_sums[drop_blocks:]
            self._block_energy = self._block_energy[drop_blocks:]
            self._first_block += drop_blocks
        self._intervals = [iv for iv in self._intervals if iv[1] > self._first_tick]


def _soft_bits(sums: np.ndarray) -> np.ndarray:
    """+1 (mark) .. -1 (space) from windowed sums of the three mark and three space filters."""
    power = np.abs(sums) ** 2
    mark, space = power[:, 0:3].max(axis=1), power[:, 3:6].max(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(mark + space > 0, (mark - space) / (mark + space), 0.0)


def _window_sums(values: np.ndarray, start: int, count: int, width: int) -> np.ndarray:
    """Sums of `width` consecutive rows of `values`, for windows starting at start..start+count-1.

    Built from sums of 1, 2, 4, ... rows (a handful of array additions however wide the
    window), and each window is combined the same way whatever the chunking.
    """
    levels = [values[start : start + count + width - 1]]
    while 1 << len(levels) <= width:
        step = 1 << (len(levels) - 1)
        levels.append(levels[-1][:-step] + levels[-1][step:])
    total = np.zeros_like(levels[0][:count])
    offset = 0
    for level in reversed(range(len(levels))):
        if width & (1 << level):
            total += levels[level][offset : offset + count]
            offset += 1 << level
    return total

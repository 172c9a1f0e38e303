"""DTMF (touch-tone) keys: a generator and a streaming detector in the practice of ITU-T Q.24.

The detector labels 20 ms frames every 5 ms (`dtmf_frames`). Frames of one key, with short
gaps bridged, form a candidate tone; its start and end come from the 5 ms envelope of the
two tones, which also splits two presses of one key and keeps a 10 ms dropout from
splitting one press. A candidate becomes a key only if it lasted long enough, was seen in
enough frames, its frequencies, measured over the whole tone, are within tolerance, and its
spectrum holds no third tone (the mark of speech and music).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from assistant.signals.dtmf_frames import (
    FRAME_BLOCKS,
    FUNDAMENTALS,
    HARMONICS,
    HIGH_GROUP,
    KEYPAD,
    LOW_GROUP,
    DtmfSettings,
    FrameLabel,
    has_other_tones,
    label_frames,
    pitch_deviation,
)
from assistant.signals.tonebank import SignalError, ToneBank, as_mono_float

KEYS = "0123456789*#ABCD"
_BLOCK_S = 0.005
_STEADY_FILL = 0.6
"""Blocks the tone fills to at least this share count as its steady part."""
_MIN_STEADY_BLOCKS = 4
"""A key press holds steady for at least 20 ms; speech rarely holds two pure tones that long."""
_SPECTRUM_BLOCKS = 8
"""Longest steady stretch (in blocks) examined for other tones, so that every press is
judged on the same footing however long it is held."""


@dataclass(frozen=True, slots=True)
class DtmfTone:
    """One key press heard on the line."""

    key: str
    """The key: one of 0-9, *, #, A-D."""

    start_s: float
    """When the tone began, seconds from the start of the stream."""

    end_s: float
    """When the tone ended, seconds from the start of the stream."""

    @property
    def time_s(self) -> float:
        """When the press was complete: the moment it is known for certain."""
        return self.end_s


@dataclass(slots=True)
class _Candidate:
    label: FrameLabel
    first_frame: int
    last_frame: int
    frames: list[int] = field(default_factory=list)


class DtmfDetector:
    """Streaming DTMF detector: feed chunks of any size, get key presses in time order.

    Args:
        rate: sample rate in Hz, at least 8000.
        settings: thresholds; the defaults suit telephone lines.
    """

    def __init__(self, rate: int, settings: DtmfSettings | None = None) -> None:
        if rate < 8000:
            raise SignalError(f"DTMF needs at least 8000 Hz audio, got {rate} Hz")
        self.rate = rate
        self.settings = settings or DtmfSettings()
        self._block = max(1, round(rate * _BLOCK_S))
        self._bank = ToneBank(rate, FUNDAMENTALS + HARMONICS, self._block)
        self._sums = np.zeros((0, len(FUNDAMENTALS + HARMONICS)), dtype=np.complex128)
        self._energies = np.zeros(0, dtype=np.float64)
        self._samples = np.zeros(0, dtype=np.float64)
        self._first_kept = 0
        """Absolute index of the first block (and its samples) still held."""
        self._next_frame = 0
        self._candidate: _Candidate | None = None
        self._challenger: tuple[FrameLabel, int] | None = None
        """A different key seen once inside a candidate, and the frame it was seen in."""

    @property
    def block_s(self) -> float:
        """Length of one analysis block, seconds."""
        return self._block / self.rate

    @property
    def horizon_s(self) -> float:
        """No key still to come will end before this time."""
        frame = self._next_frame if self._candidate is None else self._candidate.first_frame
        if self._challenger is not None:
            frame = min(frame, self._challenger[1])
        return max(0.0, (frame - 1) * self.block_s)

    @property
    def tone_in_progress(self) -> bool:
        """Whether a candidate key is being heard right now."""
        return self._candidate is not None

    def process(self, samples: np.ndarray) -> list[DtmfTone]:
        """Add samples; return the keys whose tones have ended."""
        data = as_mono_float(samples)
        spectrum = self._bank.process(data)
        self._samples = np.concatenate([self._samples, data])
        if len(spectrum):
            self._sums = np.concatenate([self._sums, spectrum.sums])
            self._energies = np.concatenate([self._energies, spectrum.energies])
        keys: list[DtmfTone] = []
        frames = self._first_kept + len(self._energies) - FRAME_BLOCKS + 1
        if frames > self._next_frame:
            first = self._next_frame - self._first_kept
            stop = frames - self._first_kept + FRAME_BLOCKS - 1
            labels = label_frames(
                self._sums[first:stop],
                self._energies[first:stop],
                self._block,
                self.rate,
                self.settings,
            )
            for offset, label in enumerate(labels):
                keys.extend(self._track(self._next_frame + offset, label))
            self._next_frame = frames
        self._trim()
        return keys

    def flush(self) -> list[DtmfTone]:
        """End of stream: pad with silence so any tone still sounding is reported."""
        to_block_end = (self._block - self._bank.pending) % self._block
        padding = to_block_end + (self.settings.bridge_frames + FRAME_BLOCKS + 2) * self._block
        return self.process(np.zeros(padding))

    def _trim(self) -> None:
        keep_from = self._next_frame - self.settings.bridge_frames - FRAME_BLOCKS
        if self._candidate is not None:
            keep_from = min(keep_from, self._candidate.first_frame - 2)
        if self._challenger is not None:
            keep_from = min(keep_from, self._challenger[1] - 2)
        drop = keep_from - self._first_kept
        if drop > 0:
            self._sums = self._sums[drop:]
            self._energies = self._energies[drop:]
            self._samples = self._samples[drop * self._block :]
            self._first_kept += drop

    def _track(self, frame: int, label: FrameLabel | None) -> list[DtmfTone]:
        """Advance the candidate-tone state machine by one frame."""
        candidate = self._candidate
        if candidate is None:
            if label is not None:
                self._candidate = _Candidate(label, frame, frame, [frame])
            return []
        if label is not None and label.key == candidate.label.key:
            candidate.last_frame = frame
            candidate.frames.append(frame)
            self._challenger = None
            return []
        if label is not None:
            challenger = self._challenger
            if challenger is not None and challenger[0].key == label.key:
                self._challenger = None
                self._candidate = _Candidate(label, challenger[1], frame, [challenger[1], frame])
                return self._finish(candidate)
            self._challenger = (label, frame)
        else:
            self._challenger = None
        if frame - candidate.last_frame > self.settings.bridge_frames:
            self._candidate = None
            return self._finish(candidate)
        return []

    def _finish(self, candidate: _Candidate) -> list[DtmfTone]:
        """Turn a candidate into zero or more keys, using the 5 ms envelope of its tones."""
        settings = self.settings
        first = max(candidate.first_frame - 1, self._first_kept)
        stop = candidate.last_frame + FRAME_BLOCKS + 1
        sums = self._sums[first - self._first_kept : stop - self._first_kept]
        low = sums[:, candidate.label.low]
        high = sums[:, 4 + candidate.label.high]
        core = slice(candidate.first_frame - first, candidate.last_frame + FRAME_BLOCKS - first)
        low_ref = _full_block_level(np.abs(low[core]))
        high_ref = _full_block_level(np.abs(high[core]))
        if low_ref <= 0 or high_ref <= 0:
            return []
        fill = 0.5 * (np.abs(low) / low_ref + np.abs(high) / high_ref)
        fill = np.where(fill < 0.15, 0.0, np.minimum(fill, 1.0))
        split_blocks = round(settings.split_ms / 1000 / self.block_s)
        keys = []
        for run_first, run_last in _runs(fill >= 0.5, split_blocks):
            before = fill[run_first - 1] if run_first > 0 else 0.0
            after = fill[run_last + 1] if run_last + 1 < len(fill) else 0.0
            start = first + run_first + 1 - fill[run_first] - before
            end = first + run_last + fill[run_last] + after
            if (end - start) * self.block_s * 1000 < settings.min_tone_ms:
                continue
            seen = [f for f in candidate.frames if start - 1 <= f <= end + 1 - FRAME_BLOCKS]
            if len(seen) < settings.min_frames:
                continue
            steady = np.zeros(len(fill), dtype=bool)
            steady[run_first + 1 : run_last] = fill[run_first + 1 : run_last] >= _STEADY_FILL
            if not self._is_key(candidate.label, first, steady):
                continue
            keys.append(
                DtmfTone(
                    candidate.label.key, float(start * self.block_s), float(end * self.block_s)
                )
            )
        return keys

    def _is_key(self, label: FrameLabel, first: int, steady: np.ndarray) -> bool:
        """Whether the steady blocks of a candidate have the pitch and purity of a key press.

        Args:
            label: the key the frames heard.
            first: absolute index of the block `steady` starts at.
            steady: which blocks the tone filled completely.
        """
        stretch = _longest_run(steady)
        if stretch is None or stretch[1] - stretch[0] + 1 < _MIN_STEADY_BLOCKS:
            return False
        offset = first - self._first_kept
        sums = self._sums[offset : offset + len(steady)]
        pairs = steady[1:] & steady[:-1]
        low_hz, high_hz = LOW_GROUP[label.low], HIGH_GROUP[label.high]
        for column, nominal in ((label.low, low_hz), (4 + label.high, high_hz)):
            steps = sums[1:, column] * np.conj(sums[:-1, column])
            deviation = pitch_deviation(steps[pairs], self._block, self.rate, nominal)
            if abs(deviation) > self.settings.tone_tolerance:
                return False
        middle = (stretch[0] + stretch[1] + 1) // 2
        span_first = max(stretch[0], middle - _SPECTRUM_BLOCKS // 2)
        span_stop = min(stretch[1] + 1, span_first + _SPECTRUM_BLOCKS)
        samples = self._samples[
            (offset + span_first) * self._block : (offset + span_stop) * self._block
        ]
        return not has_other_tones(samples, self.rate, low_hz, high_hz, self.settings)


def _full_block_level(magnitudes: np.ndarray) -> float:
    """A tone's magnitude in a block it fills: the median of the louder half of the blocks
    (at least four), so the quiet blocks around a short tone do not pull it down."""
    count = max(_MIN_STEADY_BLOCKS, magnitudes.shape[0] // 2)
    return float(np.median(np.sort(magnitudes)[-count:]))


def _longest_run(mask: np.ndarray) -> tuple[int, int] | None:
    """First and last index of the longest run of True in `mask`."""
    best: tuple[int, int] | None = None
    for run in _runs(mask, 1):
        if best is None or run[1] - run[0] > best[1] - best[0]:
            best = run
    return best


def _runs(on: np.ndarray, bridge: int) -> list[tuple[int, int]]:
    """Index ranges of True runs in `on`, joining runs separated by fewer than `bridge` Falses."""
    runs: list[tuple[int, int]] = []
    for index in np.flatnonzero(on):
        i = int(index)
        if runs and i - runs[-1][1] - 1 < bridge:
            runs[-1] = (runs[-1][0], i)
        else:
            runs.append((i, i))
    return runs


def decode(samples: np.ndarray, rate: int, settings: DtmfSettings | None = None) -> list[DtmfTone]:
    """All key presses in a whole recording (mono, or [frames, channels] mixed down)."""
    detector = DtmfDetector(rate, settings)
    return detector.process(as_mono_float(samples)) + detector.flush()


def encode(
    keys: str,
    rate: int = 8000,
    tone_ms: float = 80,
    gap_ms: float = 80,
    level_dbfs: float = -10,
    twist_db: float = 0,
) -> np.ndarray:
    """Touch-tone audio for `keys`: each key's two tones, then a silent gap.

    Args:
        keys: characters from 0-9, *, #, A-D (a-d accepted).
        rate: sample rate in Hz.
        tone_ms: length of each tone.
        gap_ms: silence after each tone.
        level_dbfs: mean level of the two tones, as sine peaks relative to full scale.
        twist_db: high-group level minus low-group level.

    Raises:
        SignalError: a character is not a DTMF key, or a length or level is out of range.
    """
    wanted = keys.upper()
    unknown = sorted({k for k in wanted if k not in KEYS})
    if unknown:
        raise SignalError(f"not DTMF keys: {''.join(unknown)!r} (use 0-9, *, #, A-D)")
    if tone_ms <= 0 or gap_ms < 0:
        raise SignalError("tone length must be positive and gap length not negative")
    if rate < 2 * HIGH_GROUP[-1] + 1:
        raise SignalError(f"{rate} Hz audio cannot carry DTMF; use at least 8000 Hz")
    low_amplitude = 10 ** ((level_dbfs - twist_db / 2) / 20)
    high_amplitude = 10 ** ((level_dbfs + twist_db / 2) / 20)
    if low_amplitude + high_amplitude > 1.0:
        raise SignalError(f"level {level_dbfs} dBFS with twist {twist_db} dB would clip")
    t = np.arange(round(rate * tone_ms / 1000)) / rate
    gap = np.zeros(round(rate * gap_ms / 1000))
    pieces = []
    for key in wanted:
        row = next(i for i, keys_in_row in enumerate(KEYPAD) if key in keys_in_row)
        column = KEYPAD[row].index(key)
        tone = low_amplitude * np.sin(2 * np.pi * LOW_GROUP[row] * t)
        tone += high_amplitude * np.sin(2 * np.pi * HIGH_GROUP[column] * t)
        pieces += [tone, gap]
    if not pieces:
        return np.zeros(0, dtype=np.float32)
    return np.concatenate(pieces).astype(np.float32)


__all__ = ["KEYS", "DtmfDetector", "DtmfSettings", "DtmfTone", "decode", "encode"]

"""The per-frame and per-tone tests of the DTMF detector, as pure functions over arrays.

A frame is 20 ms, four 5 ms blocks of the tone bank. The low group is measured over the
whole frame (its tones are 73 Hz apart), the high group over 10 ms halves (so a tone 1.5 %
off 1633 Hz is not attenuated). Sources disagree on which direction of twist is "normal",
so up to 8 dB is accepted either way.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

LOW_GROUP = (697, 770, 852, 941)
HIGH_GROUP = (1209, 1336, 1477, 1633)
KEYPAD = ("123A", "456B", "789C", "*0#D")
"""KEYPAD[low][high]: the key for one low-group and one high-group tone."""

FUNDAMENTALS = LOW_GROUP + HIGH_GROUP
HARMONICS = tuple(2 * f for f in HIGH_GROUP)
FRAME_BLOCKS = 4

_NOMINAL = np.asarray(FUNDAMENTALS, dtype=np.float64)


@dataclass(frozen=True, slots=True)
class DtmfSettings:
    """Detector thresholds; the defaults follow ITU-T Q.24 practice."""

    min_level_dbfs: float = -45.0
    """Quietest tone heard, as the peak of a sine relative to full scale."""

    rival_db: float = 6.0
    """How far a tone must stand above the other tones of its group."""

    max_twist_db: float = 9.5
    """Largest level difference between the two tones, either way."""

    min_tone_fraction: float = 0.3
    """Share of the frame's energy the two tones must carry."""

    harmonic_db: float = 6.0
    """How far the high-group tone's second harmonic must stay below it in every frame.

    The low group's second harmonics lie within 70 Hz of high-group tones, too close to
    measure in a 20 ms frame; the whole-tone spectrum test covers them."""

    other_tone_db: float = -10.0
    """A residual peak above this, relative to the weaker tone, may be a third tone..."""

    peakiness_db: float = 13.0
    """...and is one when it also stands this far above the median of the residual spectrum.

    A key press is two pure tones over noise; speech and music put further harmonics beside
    them. Both conditions together refuse those without refusing keys in heavy noise."""

    close_tone_db: float = -4.0
    """A residual peak this close to the weaker tone (heavy noise, or a voice in noise)..."""

    close_peakiness_db: float = 10.5
    """...is a third tone unless the residual is as flat as noise alone leaves it."""

    frame_tolerance: float = 0.035
    """Frequency deviation a single frame may show."""

    tone_tolerance: float = 0.025
    """Frequency deviation allowed over a whole tone (Q.24: accept 1.5 %, reject 3.5 %)."""

    min_tone_ms: float = 30.0
    """Shortest tone taken as a key (Q.24: 40 ms accepted, under ~23 ms refused)."""

    min_frames: int = 3
    """Fewest agreeing frames in a key."""

    split_ms: float = 20.0
    """A silence this long inside a tone separates two presses; shorter ones are dropouts."""

    bridge_frames: int = 6
    """Frames without a key that do not yet end a candidate tone."""


@dataclass(frozen=True, slots=True)
class FrameLabel:
    """The key one frame heard."""

    key: str
    low: int
    """Index into LOW_GROUP."""
    high: int
    """Index into HIGH_GROUP."""


def label_frames(
    sums: np.ndarray, energies: np.ndarray, block: int, rate: int, settings: DtmfSettings
) -> list[FrameLabel | None]:
    """Classify every 4-block frame of a run of blocks.

    Args:
        sums: complex block sums [blocks, FUNDAMENTALS + HARMONICS].
        energies: block energies [blocks].
        block: samples per block.
        rate: sample rate in Hz.
        settings: thresholds.

    Returns:
        One label or None per frame: blocks - 3 of them.
    """
    count = sums.shape[0] - FRAME_BLOCKS + 1
    if count <= 0:
        return []
    b = np.stack([sums[k : k + count] for k in range(FRAME_BLOCKS)])
    fundamentals = b[:, :, :8]
    halves = np.stack([b[0] + b[1], b[2] + b[3]])
    low_power = 2 * np.abs(fundamentals[:, :, :4].sum(axis=0)) ** 2 / (4 * block) ** 2
    high_power = (2 * np.abs(halves[:, :, 4:8]) ** 2 / (2 * block) ** 2).mean(axis=0)
    harmonic_power = (2 * np.abs(halves[:, :, 8:]) ** 2 / (2 * block) ** 2).mean(axis=0)
    frame_power = np.stack([energies[k : k + count] for k in range(FRAME_BLOCKS)]).sum(axis=0)
    frame_power = frame_power / (FRAME_BLOCKS * block)
    progress = (fundamentals[1:] * np.conj(fundamentals[:-1])).sum(axis=0)
    deviation = np.angle(progress) * rate / (2 * np.pi * block) / _NOMINAL

    rows = np.arange(count)
    low = low_power.argmax(axis=1)
    high = high_power.argmax(axis=1)
    best_low = low_power[rows, low]
    best_high = high_power[rows, high]
    low_rivals = np.where(np.eye(4, dtype=bool)[low], 0.0, low_power).max(axis=1)
    high_rivals = np.where(np.eye(4, dtype=bool)[high], 0.0, high_power).max(axis=1)
    min_power = 0.5 * 10 ** (settings.min_level_dbfs / 10)
    rival = 10 ** (settings.rival_db / 10)
    with np.errstate(divide="ignore", invalid="ignore"):
        twist = np.abs(10 * np.log10(best_high / best_low))
        fraction = (best_low + best_high) / frame_power
    valid = (
        (best_low >= min_power)
        & (best_high >= min_power)
        & (best_low >= rival * low_rivals)
        & (best_high >= rival * high_rivals)
        & (twist <= settings.max_twist_db)
        & (fraction >= settings.min_tone_fraction)
        & (harmonic_power[rows, high] <= 10 ** (-settings.harmonic_db / 10) * best_high)
        & (np.abs(deviation[rows, low]) <= settings.frame_tolerance)
        & (np.abs(deviation[rows, 4 + high]) <= settings.frame_tolerance)
    )
    return [
        FrameLabel(KEYPAD[low[i]][high[i]], int(low[i]), int(high[i])) if valid[i] else None
        for i in range(count)
    ]


def pitch_deviation(steps: np.ndarray, block: int, rate: int, nominal: float) -> float:
    """Relative distance of a steady tone from `nominal`.

    Args:
        steps: products of consecutive block sums, b[k + 1]·conj(b[k]): their angle is the
            phase the tone gained over one block beyond what `nominal` would.
        block: samples per block.
        rate: sample rate in Hz.
        nominal: the frequency the block sums were taken at.
    """
    step = np.angle(steps.sum())
    return float(step * rate / (2 * np.pi * block) / nominal)


def has_other_tones(
    samples: np.ndarray, rate: int, low: float, high: float, settings: DtmfSettings
) -> bool:
    """Whether a steady stretch of a key press also holds other tones (speech, music).

    Looks at the spectrum with the two key tones cut out: noise leaves it flat (its highest
    peak stands 8 to 12 dB over its median), a voice or an instrument leaves harmonics well
    above the floor between them, nearly as strong as the key tones themselves.
    """
    length = samples.shape[0]
    size = 4 * (1 << max(0, (length - 1).bit_length()))
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(length), size)) ** 2
    frequencies = np.fft.rfftfreq(size, 1 / rate)
    lobe = 2.5 * rate / length
    tones = []
    residual_band = (frequencies >= 250) & (frequencies <= min(3400.0, 0.45 * rate))
    for frequency in (low, high):
        near = np.flatnonzero(np.abs(frequencies - frequency) <= 0.03 * frequency + rate / length)
        peak = near[spectrum[near].argmax()]
        tones.append(float(spectrum[peak]))
        residual_band &= np.abs(frequencies - frequencies[peak]) > lobe
    residual = spectrum[residual_band]
    weaker = min(tones)
    floor = float(np.median(residual)) if residual.size else 0.0
    if weaker <= 0 or floor <= 0:
        return False
    peak = float(residual.max())
    loud = peak >= weaker * 10 ** (settings.other_tone_db / 10)
    peaky = peak >= floor * 10 ** (settings.peakiness_db / 10)
    close = peak >= weaker * 10 ** (settings.close_tone_db / 10)
    uneven = peak >= floor * 10 ** (settings.close_peakiness_db / 10)
    return bool((loud and peaky) or (close and uneven))

"""Steady background noise taken out of a noisy turn before it is recognised.

PocketSphinx's English model was trained on clean speech: a phone line's hiss or a store's
air conditioning, ten or twenty decibels under the caller's voice, turns many of its phone
scores into guesses. Spectral gating (noisereduce) learns the noise's spectrum from the turn
itself and lowers every time-frequency cell that does not rise above it.

Only noisy turns are gated: on clean speech the gate takes the quiet edges of words with the
noise and costs accuracy.
"""

from __future__ import annotations

import noisereduce
import numpy as np

from assistant.speech.endpoint import frame_levels

NOISY_BELOW_DB = 22.0
"""A turn whose speech is less than this far above its quietest moments is noisy. Clean
recordings and synthesised speech measure 29-48 dB, read books (few pauses) 22-25, a phone
line with noise 10 dB under the voice 14-19."""

GATE_DEPTH = 0.9
"""How much of the noise the gate removes: all of it leaves audible holes that the
recogniser hears as consonants."""

QUIET_DB = -50.0
"""A turn with nothing louder than this (dBFS) holds no speech to clean."""

_FRAME_S = 0.02


def signal_to_noise_db(samples: np.ndarray, rate: int) -> float:
    """How far the loud part of `samples` stands above its quiet part, in dB: the spread
    between the 90th and 10th percentile of 20 ms frame levels (inf for under 40 ms)."""
    loud, quiet = _loud_and_quiet(samples, rate)
    return loud - quiet


def without_noise(samples: np.ndarray, rate: int) -> np.ndarray:
    """`samples` (float32) with steady noise gated out; unchanged when they are clean or
    hold nothing louder than `QUIET_DB`."""
    loud, quiet = _loud_and_quiet(samples, rate)
    if loud < QUIET_DB or loud - quiet >= NOISY_BELOW_DB:
        return samples
    gated = noisereduce.reduce_noise(y=samples, sr=rate, stationary=True,
                                     prop_decrease=GATE_DEPTH)
    return np.asarray(gated, dtype=np.float32)


def _loud_and_quiet(samples: np.ndarray, rate: int) -> tuple[float, float]:
    """The 90th and 10th percentile of the 20 ms frame levels (dBFS); (inf, -inf) for
    under two frames, which are never gated."""
    levels, _ = frame_levels(samples, round(_FRAME_S * rate))
    if len(levels) < 2:
        return float("inf"), float("-inf")
    loud, quiet = np.percentile(levels, [90, 10])
    return float(loud), float(quiet)

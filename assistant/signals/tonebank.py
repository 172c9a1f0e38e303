"""Streaming single-frequency DFTs over fixed blocks of samples: the front end of both modems.

Every detector here asks the same question of the line: how much of each of a few known
frequencies was in each short block of samples, and how much energy was there in all. The
answers are complex sums referenced to the absolute sample index, so consecutive blocks add
up coherently into longer windows, and the phase step between blocks measures how far a
tone sits from its nominal frequency.

Blocks start at fixed sample positions counted from the start of the stream, so the results
do not depend on how the caller cuts the stream into chunks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

_MAX_BLOCKS_PER_STEP = 256
"""Blocks analysed per vectorised step: bounds memory for long inputs."""


class SignalError(ValueError):
    """Audio or parameters a modem cannot work with, with the reason in plain words."""


@dataclass(frozen=True, slots=True, eq=False)
class BlockSpectrum:
    """What a run of consecutive blocks held."""

    first_block: int
    """Index of the first block, counted from the start of the stream."""

    sums: np.ndarray
    """complex128 [blocks, frequencies]: sum of x[n]·exp(-2πj·f·n/rate) over each block."""

    energies: np.ndarray
    """float64 [blocks]: sum of x[n]² over each block."""

    def __len__(self) -> int:
        return int(self.energies.shape[0])


def as_mono_float(samples: np.ndarray) -> np.ndarray:
    """Samples (floats in -1..1) as one-dimensional float64, mixing down [frames, channels].

    Raises:
        SignalError: the array has more than two dimensions.
    """
    array = np.asarray(samples)
    if array.ndim == 2:
        array = array.mean(axis=1)
    elif array.ndim != 1:
        raise SignalError(f"expected mono or [frames, channels] samples, got shape {array.shape}")
    return array.astype(np.float64, copy=False)


class ToneBank:
    """Block-wise DFT of a few integer frequencies, fed with chunks of any size.

    Args:
        rate: sample rate in Hz.
        frequencies: the frequencies to measure, whole hertz (so phases stay exact).
        block: samples per block.
    """

    def __init__(self, rate: int, frequencies: Sequence[int], block: int) -> None:
        if rate <= 0 or block <= 0:
            raise SignalError(f"rate and block must be positive, got {rate} and {block}")
        top = max(frequencies)
        if top >= rate / 2:
            raise SignalError(f"{rate} Hz audio cannot carry {top} Hz; use at least {2 * top + 1}")
        self.rate = rate
        self.block = block
        self._frequencies = np.asarray(frequencies, dtype=np.int64)
        steps = np.arange(block, dtype=np.int64)[:, None] * self._frequencies[None, :]
        self._basis = np.exp(-2j * np.pi * (steps % rate) / rate)
        self._pending = np.zeros(0, dtype=np.float64)
        self._next_block = 0

    @property
    def blocks_done(self) -> int:
        """Blocks completed so far."""
        return self._next_block

    @property
    def pending(self) -> int:
        """Samples received that do not yet fill a block."""
        return int(self._pending.shape[0])

    def process(self, samples: np.ndarray) -> BlockSpectrum:
        """Add samples; return the spectrum of every block they completed."""
        data = np.concatenate([self._pending, as_mono_float(samples)])
        count = data.shape[0] // self.block
        self._pending = data[count * self.block :].copy()
        first = self._next_block
        self._next_block += count
        frequencies = self._frequencies.shape[0]
        sums = np.empty((count, frequencies), dtype=np.complex128)
        energies = np.empty(count, dtype=np.float64)
        for start in range(0, count, _MAX_BLOCKS_PER_STEP):
            stop = min(count, start + _MAX_BLOCKS_PER_STEP)
            blocks = data[start * self.block : stop * self.block].reshape(stop - start, self.block)
            offsets = (
                np.arange(first + start, first + stop, dtype=np.int64) * self.block
            ) % self.rate
            rotation = np.exp(
                -2j
                * np.pi
                * ((offsets[:, None] * self._frequencies[None, :]) % self.rate)
                / self.rate
            )
            local = (blocks[:, :, None] * self._basis[None, :, :]).sum(axis=1)
            sums[start:stop] = local * rotation
            energies[start:stop] = (blocks * blocks).sum(axis=1)
        return BlockSpectrum(first, sums, energies)

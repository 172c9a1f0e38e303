"""Audio buffers and WAV files.

`Audio` is the one way sound travels between Dialin's parts: float32 mono samples in -1..1
and their rate. Reading mixes any channel count down to mono; resampling lives in
`assistant.audio.convert`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile


class AudioFileError(ValueError):
    """A sound file that cannot be read or written, with the reason in plain words."""


@dataclass(frozen=True, slots=True, eq=False)
class Audio:
    """A mono sound: samples and their rate."""

    samples: np.ndarray
    """float32, one dimension, values in -1..1."""

    rate: int
    """Samples per second."""

    @property
    def duration_s(self) -> float:
        """Length in seconds."""
        return len(self.samples) / self.rate

    @staticmethod
    def silence(seconds: float, rate: int) -> Audio:
        """`seconds` of silence at `rate`."""
        return Audio(np.zeros(max(0, round(seconds * rate)), dtype=np.float32), rate)


def read_wav(path: Path | str) -> Audio:
    """Read a sound file of any format soundfile knows, mixed down to mono float32.

    Raises:
        AudioFileError: the file is missing or is not a sound file.
    """
    try:
        data, rate = soundfile.read(str(path), dtype="float32", always_2d=True)
    except (OSError, soundfile.LibsndfileError) as error:
        raise AudioFileError(f"cannot read {path} as audio: {error}") from error
    samples = data.mean(axis=1) if data.shape[1] > 1 else data[:, 0]
    return Audio(np.ascontiguousarray(samples, dtype=np.float32), int(rate))


def write_wav(path: Path | str, audio: Audio) -> Path:
    """Write `audio` as 16-bit PCM WAV (what every player and telephone tool reads).

    Samples beyond -1..1 are clipped rather than wrapped.

    Raises:
        AudioFileError: the file cannot be written.
    """
    target = Path(path)
    clipped = np.clip(audio.samples, -1.0, 1.0)
    try:
        soundfile.write(str(target), clipped, audio.rate, subtype="PCM_16", format="WAV")
    except (OSError, soundfile.LibsndfileError) as error:
        raise AudioFileError(f"cannot write {target}: {error}") from error
    return target


def concatenate(parts: list[Audio], rate: int) -> Audio:
    """Join buffers that all have `rate` into one.

    Raises:
        ValueError: a part has another rate (resample it first).
    """
    for part in parts:
        if part.rate != rate:
            raise ValueError(f"cannot join audio at {part.rate} Hz into a {rate} Hz buffer")
    if not parts:
        return Audio(np.zeros(0, dtype=np.float32), rate)
    return Audio(np.concatenate([part.samples for part in parts]).astype(np.float32), rate)

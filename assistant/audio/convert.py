"""Sample formats, channel mixing and resampling: any sound in, the rate a consumer needs out.

Callers hand in telephone recordings at 8 kHz, studio files at 44.1 kHz stereo, int16 from a
microphone or float32 from a synthesiser. Recognisers take 16 kHz mono; the line takes its
own rate. Resampling is polyphase (`scipy.signal.resample_poly`), which band-limits as it
goes, so a 44.1 kHz file does not alias into the speech band on its way down.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
from scipy.signal import resample_poly

from assistant.audio.wavfile import Audio, read_wav

RECOGNITION_RATE = 16000
"""The rate every recogniser takes."""

_INT16_SCALE = 32768.0


def to_float32(samples: np.ndarray) -> np.ndarray:
    """Samples of any numeric dtype as float32 in -1..1 (integers are scaled by their range).

    Raises:
        ValueError: the array is not numeric.
    """
    data = np.asarray(samples)
    if data.dtype == np.float32:
        return data
    if np.issubdtype(data.dtype, np.floating):
        return data.astype(np.float32)
    if np.issubdtype(data.dtype, np.integer):
        info = np.iinfo(data.dtype)
        if info.min == 0:  # unsigned PCM (8-bit WAV) is centred on half its range
            middle = (int(info.max) + 1) / 2
            return ((data.astype(np.float64) - middle) / middle).astype(np.float32)
        return (data.astype(np.float64) / (int(info.max) + 1)).astype(np.float32)
    raise ValueError(f"audio samples must be numbers, not {data.dtype}")


def to_int16(samples: np.ndarray) -> np.ndarray:
    """Samples as int16 PCM; float input is clipped to -1..1 first, never wrapped."""
    data = np.asarray(samples)
    if data.dtype == np.int16:
        return data
    scaled = np.clip(to_float32(data), -1.0, 32767 / _INT16_SCALE) * _INT16_SCALE
    return np.round(scaled).astype(np.int16)


def to_mono(samples: np.ndarray) -> np.ndarray:
    """Mix frames x channels down to one channel (the mean, so levels stay comparable).

    A one-dimensional array is already mono and comes back as float32.

    Raises:
        ValueError: more than two dimensions.
    """
    data = to_float32(samples)
    if data.ndim == 1:
        return data
    if data.ndim != 2:
        raise ValueError(f"audio must be frames x channels, got {data.ndim} dimensions")
    return np.ascontiguousarray(data.mean(axis=1), dtype=np.float32)


def resample(samples: np.ndarray, from_rate: int, to_rate: int) -> np.ndarray:
    """Mono samples converted from `from_rate` to `to_rate` (float32).

    Raises:
        ValueError: a rate is not a positive number of samples per second.
    """
    if from_rate <= 0 or to_rate <= 0:
        raise ValueError(f"sample rates must be positive, got {from_rate} and {to_rate}")
    data = to_float32(samples)
    if from_rate == to_rate or len(data) == 0:
        return data
    ratio = Fraction(to_rate, from_rate)
    converted = resample_poly(data.astype(np.float64), ratio.numerator, ratio.denominator)
    return converted.astype(np.float32)


def resample_audio(audio: Audio, rate: int) -> Audio:
    """`audio` at `rate`."""
    if audio.rate == rate:
        return audio
    return Audio(resample(audio.samples, audio.rate, rate), rate)


def read_for_recognition(path: Path | str, rate: int = RECOGNITION_RATE) -> Audio:
    """A sound file of any rate and channel count, as mono float32 at `rate`.

    Raises:
        AudioFileError: the file is missing or is not a sound file.
    """
    return resample_audio(read_wav(path), rate)

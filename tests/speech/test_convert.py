"""Sample formats, mixing and resampling, on real files written in several formats."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile

from assistant.audio.convert import read_for_recognition, resample, to_float32, to_int16, to_mono
from assistant.audio.wavfile import AudioFileError


def tone(frequency: float, rate: int, seconds: float = 0.5, level: float = 0.5) -> np.ndarray:
    t = np.arange(round(seconds * rate)) / rate
    return (level * np.sin(2 * np.pi * frequency * t)).astype(np.float32)


def peak_frequency(samples: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return float(np.argmax(spectrum) * rate / len(samples))


def test_integer_samples_scale_to_minus_one_one_and_back():
    pcm = np.array([-32768, -16384, 0, 16384, 32767], dtype=np.int16)
    floats = to_float32(pcm)
    assert floats.dtype == np.float32
    assert floats.min() == -1.0 and 0.99 < floats.max() < 1.0
    assert np.array_equal(to_int16(floats), pcm)
    unsigned = to_float32(np.array([0, 128, 255], dtype=np.uint8))
    assert unsigned[0] == -1.0 and unsigned[1] == 0.0


def test_floats_beyond_full_scale_are_clipped_not_wrapped():
    assert list(to_int16(np.array([1.5, -2.0], dtype=np.float32))) == [32767, -32768]


def test_text_is_not_audio():
    with pytest.raises(ValueError, match="numbers"):
        to_float32(np.array(["a", "b"]))


def test_stereo_is_mixed_to_the_mean():
    left, right = tone(440, 16000), tone(440, 16000, level=0.1)
    mixed = to_mono(np.stack([left, right], axis=1))
    assert np.allclose(mixed, (left + right) / 2, atol=1e-6)


@pytest.mark.parametrize("source", [8000, 22050, 44100, 48000])
def test_resampling_keeps_length_and_pitch(source):
    converted = resample(tone(1000, source), source, 16000)
    assert len(converted) == pytest.approx(0.5 * 16000, abs=2)
    assert peak_frequency(converted, 16000) == pytest.approx(1000, abs=5)


def test_resampling_down_removes_what_the_new_rate_cannot_hold():
    # 10 kHz at 44.1 kHz would alias to 6 kHz at 16 kHz without the anti-alias filter.
    converted = resample(tone(10000, 44100), 44100, 16000)
    assert np.sqrt(np.mean(converted ** 2)) < 0.01


def test_bad_rates_are_refused():
    with pytest.raises(ValueError, match="positive"):
        resample(tone(440, 8000), 0, 16000)


@pytest.mark.parametrize(("rate", "channels", "subtype"), [
    (8000, 1, "PCM_16"), (8000, 1, "ULAW"), (44100, 2, "PCM_16"), (48000, 2, "FLOAT"),
    (22050, 1, "PCM_U8"),
])
def test_any_wav_reads_as_16k_mono(tmp_path: Path, rate, channels, subtype):
    signal = tone(700, rate)
    data = np.stack([signal] * channels, axis=1) if channels > 1 else signal
    path = tmp_path / "in.wav"
    soundfile.write(path, data, rate, subtype=subtype)
    audio = read_for_recognition(path)
    assert audio.rate == 16000 and audio.samples.ndim == 1
    assert audio.duration_s == pytest.approx(0.5, abs=0.01)
    assert peak_frequency(audio.samples, 16000) == pytest.approx(700, abs=10)


def test_a_file_that_is_not_sound_is_a_clear_error(tmp_path: Path):
    path = tmp_path / "notes.wav"
    path.write_text("not audio")
    with pytest.raises(AudioFileError, match="notes.wav"):
        read_for_recognition(path)

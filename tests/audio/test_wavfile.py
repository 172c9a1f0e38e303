"""WAV files: what is written reads back, any channel count reads as mono."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile

from assistant.audio.wavfile import Audio, AudioFileError, concatenate, read_wav, write_wav


def tone(seconds: float, rate: int, hz: float = 440.0) -> np.ndarray:
    t = np.arange(round(seconds * rate)) / rate
    return (0.5 * np.sin(2 * np.pi * hz * t)).astype(np.float32)


def test_written_audio_reads_back_within_16_bit_precision(tmp_path: Path) -> None:
    original = Audio(tone(0.5, 8000), 8000)
    back = read_wav(write_wav(tmp_path / "a.wav", original))
    assert back.rate == 8000
    assert np.max(np.abs(back.samples - original.samples)) < 1 / 16000
    assert soundfile.info(str(tmp_path / "a.wav")).subtype == "PCM_16"


def test_stereo_is_mixed_down_and_loud_samples_are_clipped(tmp_path: Path) -> None:
    left, right = tone(0.2, 16000), tone(0.2, 16000, 1000.0)
    soundfile.write(str(tmp_path / "s.wav"), np.stack([left, right], axis=1), 16000)
    mono = read_wav(tmp_path / "s.wav")
    assert np.allclose(mono.samples, (left + right) / 2, atol=1e-4)
    loud = Audio(np.array([2.0, -3.0, 0.25], dtype=np.float32), 8000)
    assert list(read_wav(write_wav(tmp_path / "l.wav", loud)).samples[:2]) == pytest.approx(
        [1.0, -1.0], abs=1e-4)


def test_unreadable_files_give_a_plain_error(tmp_path: Path) -> None:
    with pytest.raises(AudioFileError, match="cannot read"):
        read_wav(tmp_path / "missing.wav")
    (tmp_path / "text.wav").write_text("not audio")
    with pytest.raises(AudioFileError, match="cannot read"):
        read_wav(tmp_path / "text.wav")


def test_concatenate_refuses_mixed_rates() -> None:
    joined = concatenate([Audio(tone(0.1, 8000), 8000), Audio.silence(0.1, 8000)], 8000)
    assert joined.duration_s == pytest.approx(0.2)
    with pytest.raises(ValueError, match="16000 Hz"):
        concatenate([Audio(tone(0.1, 16000), 16000)], 8000)

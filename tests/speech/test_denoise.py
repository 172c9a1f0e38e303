"""Noise suppression before recognition: noisy turns are cleaned, clean turns left alone."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.audio.convert import read_for_recognition
from assistant.speech.denoise import NOISY_BELOW_DB, signal_to_noise_db, without_noise
from assistant.speech.endpoint import frame_levels
from tests.speechgen import SpeechMaker, padded, telephone

RATE = 16000


def _level_db(samples: np.ndarray) -> float:
    return float(10 * np.log10(np.mean(np.square(samples, dtype=np.float64)) + 1e-12))


@pytest.mark.parametrize("voice", ["en", "joe"])
def test_clean_speech_is_left_alone(speech: SpeechMaker, voice: str) -> None:
    clip = padded(speech.say("check my balance", voice).samples)
    assert signal_to_noise_db(clip, RATE) >= NOISY_BELOW_DB
    assert without_noise(clip, RATE) is clip


def test_recorded_human_speech_is_left_alone(testdata: Path) -> None:
    audio = read_for_recognition(testdata / "cards" / "001.wav").samples
    assert without_noise(audio, RATE) is audio


def test_a_noisy_phone_line_is_cleaned_and_the_voice_kept(speech: SpeechMaker) -> None:
    voice = padded(speech.say("talk to a person", "joe").samples, 0.5, 0.5)
    line = telephone(voice, snr_db=10.0)
    assert signal_to_noise_db(line, RATE) < NOISY_BELOW_DB
    cleaned = without_noise(line, RATE)
    assert cleaned.dtype == np.float32 and len(cleaned) == len(line)
    pause = slice(0, round(0.4 * RATE))  # before the caller speaks: noise only
    assert _level_db(cleaned[pause]) < _level_db(line[pause]) - 15
    words = slice(round(0.5 * RATE), len(line) - round(0.5 * RATE))
    assert _level_db(cleaned[words]) > _level_db(line[words]) - 3
    assert signal_to_noise_db(cleaned, RATE) > signal_to_noise_db(line, RATE) + 10


def test_silence_and_very_short_input_pass_through() -> None:
    silence = np.zeros(RATE, dtype=np.float32)
    assert without_noise(silence, RATE) is silence
    blip = np.ones(100, dtype=np.float32)
    assert len(frame_levels(blip, 320)[0]) == 0
    assert without_noise(blip, RATE) is blip

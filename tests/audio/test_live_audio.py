"""Prompts played into a real (null) sound device and recorded back from its monitor."""

from __future__ import annotations

import time

import numpy as np
import pytest
from pocketsphinx import Decoder
from scipy.signal import correlate

from assistant.audio.convert import resample_audio
from assistant.audio.streams import Microphone, Speaker
from assistant.audio.wavfile import Audio
from assistant.speech.tts import Synthesizer

pytestmark = pytest.mark.audio

RATE = 16000
PROMPT = "Your balance is forty two dollars."
CHOICES = ("your balance is forty two dollars", "your balance is ten dollars",
           "make a payment", "talk to a person", "your plan costs forty dollars")


def record(microphone: Microphone, seconds: float, into: list[np.ndarray]) -> None:
    wanted = sum(map(len, into)) + round(seconds * RATE)
    deadline = time.monotonic() + seconds + 10
    while sum(map(len, into)) < wanted and time.monotonic() < deadline:
        chunk = microphone.read(0.5)
        if chunk is not None:
            into.append(chunk)


def play_and_record(prompt: Audio, stop_after_s: float | None = None) -> tuple[np.ndarray, Speaker]:
    """Play through the default output while recording the default input (its monitor)."""
    recorded: list[np.ndarray] = []
    with Microphone(rate=RATE) as microphone, Speaker() as speaker:
        # The monitor delivers its first chunk only after a moment: start playing once
        # recording is under way.
        record(microphone, 0.2, recorded)
        speaker.play(prompt)
        if stop_after_s is None:
            record(microphone, prompt.duration_s + 0.8, recorded)
            assert speaker.wait(5)
        else:
            record(microphone, stop_after_s, recorded)
            speaker.stop()
            assert not speaker.playing
            record(microphone, prompt.duration_s, recorded)
    return np.concatenate(recorded), speaker


def best_alignment(recorded: np.ndarray, expected: np.ndarray) -> tuple[int, float]:
    scores = correlate(recorded, expected, mode="valid")
    lag = int(np.argmax(scores))
    segment = recorded[lag:lag + len(expected)]
    similarity = float(np.dot(segment, expected)
                       / np.sqrt(np.dot(segment, segment) * np.dot(expected, expected)))
    return lag, similarity


@pytest.fixture(scope="module")
def prompt() -> Audio:
    with Synthesizer() as tts:
        return resample_audio(tts.synthesize(PROMPT, "en"), RATE)


def test_a_played_prompt_is_recorded_back_and_recognised(null_sink: str, prompt: Audio) -> None:
    recorded, _ = play_and_record(prompt)
    lag, similarity = best_alignment(recorded, prompt.samples)
    assert similarity > 0.9
    heard = recorded[lag:lag + len(prompt.samples)]
    pcm = (np.clip(heard, -1, 1) * 32767).astype(np.int16).tobytes()
    decoder = Decoder(samprate=RATE, lm=None)
    grammar = "#JSGF V1.0; grammar prompts; public <prompt> = " + " | ".join(CHOICES) + ";"
    decoder.add_jsgf_string("prompts", grammar)
    decoder.activate_search("prompts")
    decoder.start_utt()
    decoder.process_raw(pcm, full_utt=True)
    decoder.end_utt()
    assert decoder.hyp() is not None
    assert decoder.hyp().hypstr == CHOICES[0]


def test_stopping_a_prompt_cuts_it_off_at_once(null_sink: str, prompt: Audio) -> None:
    recorded, speaker = play_and_record(prompt, stop_after_s=0.6)
    start, _ = best_alignment(recorded, prompt.samples[:RATE // 2])
    after = recorded[start + round(1.2 * RATE):]
    assert np.sqrt(np.mean(after ** 2)) < 0.002
    assert np.max(np.abs(recorded[start:start + RATE // 2])) > 0.1
    reference = speaker.reference(0.5, RATE)
    assert not np.any(reference), "nothing is playing after stop"

"""Talk-off: speech and music on the line must not turn into keys or TTY text."""

from __future__ import annotations

from math import gcd
from pathlib import Path

import numpy as np
import pytest
from scipy.signal import resample_poly

from assistant.signals import dtmf, tty
from assistant.signals.line import LineDemultiplexer

pytestmark = pytest.mark.slow


def _at(samples, rate, target):
    common = gcd(rate, target)
    return resample_poly(samples, target // common, rate // common)


@pytest.mark.parametrize("target", [None, 8000, 48000])
def test_speech_yields_no_keys(speech, target):
    heard = {}
    for name, samples, rate in speech:
        audio, at = (samples, rate) if target is None else (_at(samples, rate, target), target)
        keys = "".join(p.key for p in dtmf.decode(audio, at))
        if keys:
            heard[name] = keys
    assert heard == {}


def test_speech_yields_no_tty_text_or_carrier(speech):
    heard = {}
    for name, samples, rate in speech:
        line = LineDemultiplexer(8000)
        events = line.feed(_at(samples, rate, 8000)) + line.flush()
        if events:
            heard[name] = events
    assert heard == {}


def test_speech_decoded_as_tty_at_either_baud_is_empty(speech):
    assert {name: tty.decode(s, r).text for name, s, r in speech if tty.decode(s, r).text} == {}


@pytest.mark.parametrize("instrument", ["pluck", "sawtooth", "square"])
def test_music_near_key_frequencies_yields_no_keys(sox, read_sound, tmp_path: Path, instrument):
    """Chords whose notes sit within 1.5 % of key tones (F5 + E6 is nearly "2"), played by
    instruments with harmonics, as hold music would."""
    path = tmp_path / "music.wav"
    notes = [("F5", "E6"), ("F5", "B6"), ("A5", "F6"), ("G5", "E6"), ("A#5", "G#6")]
    pieces = []
    for low, high in notes:
        pieces += ["synth", 0.4, instrument, low, instrument, high, ":"]
    sox("-n", "-r", 8000, "-c", 1, path, *pieces[:-1], "gain", -6)
    samples, rate = read_sound(path)
    assert dtmf.decode(samples, rate) == []


def test_pure_sine_chords_on_key_frequencies_are_keys(sox, read_sound, tmp_path: Path):
    """The same chords as pure sines are indistinguishable from a keypad: they are keys."""
    path = tmp_path / "sines.wav"
    sox("-n", "-r", 8000, "-c", 1, path, "synth", 0.4, "sine", "F5", "sine", "E6", "gain", -6)
    samples, rate = read_sound(path)
    assert [p.key for p in dtmf.decode(samples, rate)] == ["2"]


def test_keys_pressed_over_speech_15_db_quieter_are_heard(speech):
    """A caller keying over the echo of a prompt: the voice must not hide the keys."""
    keys = "0123456789*#ABCD" * 2
    tones = dtmf.encode(keys, 8000, tone_ms=80, gap_ms=120).astype(float)
    voice = np.concatenate([_at(s, r, 8000) for name, s, r in speech if name.startswith("en")])
    voice = voice[: len(tones)]
    tone_power = np.mean(tones[tones != 0] ** 2)
    voice_power = np.mean(voice[np.abs(voice) > 1e-3] ** 2)
    mixed = tones + voice * np.sqrt(tone_power / voice_power * 10 ** (-15 / 10))
    presses = dtmf.decode(mixed, 8000)
    # Each press must be the key sent at its time (tone every 200 ms), none invented.
    assert all(keys[round(p.start_s / 0.2)] == p.key for p in presses)
    assert len(presses) >= len(keys) - 2

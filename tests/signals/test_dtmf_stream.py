"""The DTMF generator and streaming detector: rates, channels, chunking, and multimon-ng's view."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.signals import dtmf
from assistant.signals.tonebank import SignalError

ALL_KEYS = "0123456789*#ABCD"


def _keys(presses: list[dtmf.DtmfTone]) -> str:
    return "".join(p.key for p in presses)


@pytest.mark.parametrize("rate", [8000, 11025, 16000, 22050, 44100, 48000])
def test_every_key_round_trips_at_common_rates(rate):
    audio = dtmf.encode(ALL_KEYS, rate, tone_ms=45, gap_ms=45)
    assert audio.dtype == np.float32
    assert _keys(dtmf.decode(audio, rate)) == ALL_KEYS


def test_generator_timing_and_level():
    audio = dtmf.encode("5", 8000, tone_ms=500, gap_ms=40, level_dbfs=-9, twist_db=2)
    assert len(audio) == 4320
    # 500 ms holds a whole number of cycles of 770 and 1336 Hz: bins 385 and 668.
    spectrum = np.abs(np.fft.rfft(audio[:4000].astype(float))) / 2000
    low, high = spectrum[385], spectrum[668]
    assert 20 * np.log10(high / low) == pytest.approx(2, abs=0.05)
    assert 20 * np.log10(np.sqrt(low * high)) == pytest.approx(-9, abs=0.05)
    assert np.all(audio[4000:] == 0)


def test_press_times_follow_the_generated_layout():
    presses = dtmf.decode(dtmf.encode("147", 8000, tone_ms=70, gap_ms=130), 8000)
    assert [p.start_s for p in presses] == pytest.approx([0.0, 0.2, 0.4], abs=0.004)
    assert [p.end_s for p in presses] == pytest.approx([0.07, 0.27, 0.47], abs=0.004)


def test_stereo_input_is_mixed_down():
    mono = dtmf.encode("2580", 16000)
    stereo = np.stack([mono, np.zeros_like(mono)], axis=1)
    assert _keys(dtmf.decode(stereo, 16000)) == "2580"


@pytest.mark.parametrize(
    ("keys", "kwargs"),
    [
        ("12e", {}),
        ("1", {"tone_ms": 0}),
        ("1", {"level_dbfs": 0, "twist_db": 6}),
        ("1", {"rate": 3000}),
    ],
)
def test_generator_refuses_what_it_cannot_make(keys, kwargs):
    with pytest.raises(SignalError):
        dtmf.encode(keys, **kwargs)


def test_detector_refuses_rates_too_low_for_dtmf():
    with pytest.raises(SignalError, match="8000"):
        dtmf.DtmfDetector(6000)


def test_silence_and_noise_hold_no_keys():
    rng = np.random.default_rng(7)
    assert dtmf.decode(np.zeros(8000 * 5), 8000) == []
    assert dtmf.decode(rng.normal(0, 0.2, 8000 * 30), 8000) == []


_CLEAN = np.concatenate([dtmf.encode("159#*0", 16000, tone_ms=45, gap_ms=45), np.zeros(1600)])
_REFERENCE = _CLEAN + np.random.default_rng(11).normal(0, 0.02, len(_CLEAN))


@settings(max_examples=25, deadline=None, derandomize=True)
@given(st.lists(st.integers(min_value=1, max_value=4000), min_size=1, max_size=40))
def test_results_do_not_depend_on_chunking(cuts):
    reference = dtmf.decode(_REFERENCE, 16000)
    assert _keys(reference) == "159#*0"
    detector = dtmf.DtmfDetector(16000)
    presses, position, index = [], 0, 0
    while position < len(_REFERENCE):
        size = cuts[index % len(cuts)]
        presses += detector.process(_REFERENCE[position : position + size])
        position, index = position + size, index + 1
    assert presses + detector.flush() == reference


def test_keys_come_out_while_streaming_not_only_at_the_end():
    detector = dtmf.DtmfDetector(8000)
    audio = np.concatenate([dtmf.encode("1", 8000), np.zeros(8000)])
    heard = []
    for start in range(0, len(audio), 160):
        heard += [(p.key, start / 8000) for p in detector.process(audio[start : start + 160])]
    assert heard and heard[0][0] == "1"
    assert heard[0][1] < 0.08 + 0.1
    assert detector.flush() == []


@pytest.mark.parametrize("rate", [8000, 48000])
def test_multimon_and_we_agree_on_our_encoder(multimon, rate):
    audio = dtmf.encode(ALL_KEYS + "0815", rate, tone_ms=60, gap_ms=60)
    ours = _keys(dtmf.decode(audio, rate))
    assert ours == ALL_KEYS + "0815"
    assert multimon(audio.astype(float), rate) == ours


def test_multimon_and_we_agree_on_sox_tones(sox, multimon, read_sound, tmp_path: Path):
    parts = []
    for index, (low, high) in enumerate([(697, 1209), (770, 1336), (852, 1477), (941, 1633)]):
        part = tmp_path / f"k{index}.wav"
        sox(
            "-n",
            "-r",
            8000,
            "-b",
            16,
            part,
            "synth",
            0.07,
            "sine",
            low,
            "sine",
            high,
            "vol",
            "0.4",
            "pad",
            0,
            0.07,
        )
        parts.append(part)
    joined = tmp_path / "keys.wav"
    sox(*parts, joined)
    samples, rate = read_sound(joined)
    ours = _keys(dtmf.decode(samples, rate))
    assert ours == "159D"
    assert multimon(samples, rate) == ours

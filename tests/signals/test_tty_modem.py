"""The TTY modem on its own: framing, rates, carrier, resynchronisation, chunking, echo guard."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.audio.convert import read_for_recognition
from assistant.signals import tty
from assistant.signals.baudot import LETTERS, LTRS, text_to_codes
from assistant.signals.tonebank import SignalError
from assistant.signals.tty_demod import CarrierOff, CarrierOn, TtyDemodulator, TtyFrame

TEXT = "CALL 555 1212 ABOUT BILL #8, $42.17? GA"


def _frequency_track(audio: np.ndarray, rate: int, start_s: float, bits: int, baud: float):
    """Which FSK tone dominates the middle of each bit, by an FFT of that bit alone."""
    out = []
    for index in range(bits):
        centre = start_s + (index + 0.5) / baud
        lo, hi = round((centre - 0.004) * rate), round((centre + 0.004) * rate)
        spectrum = np.abs(np.fft.rfft(audio[lo:hi].astype(float), rate // 2))
        peak = int(np.argmax(spectrum)) * 2
        out.append(min((1400, 1800), key=lambda tone: abs(tone - peak)))
    return out


def test_transmission_opens_with_150_ms_of_mark_then_frames_lsb_first():
    rate, baud = 8000, 45.45
    audio = tty.encode_codes([0b00011], rate, baud, stop_bits=2.0, lead_ms=150, tail_ms=0)
    assert len(audio) == round((0.150 + 8 / baud) * rate)
    lead = _frequency_track(audio, rate, 0.0, 3, 1 / 0.05)
    assert lead == [1400, 1400, 1400]
    bits = _frequency_track(audio, rate, 0.150, 8, baud)
    # start (space), data 1,1,0,0,0 from the least significant bit, two stop bits (mark).
    assert bits == [1800, 1400, 1400, 1800, 1800, 1800, 1400, 1400]


def test_transmitter_refuses_what_it_cannot_send():
    with pytest.raises(SignalError):
        tty.encode("HI", baud=110)
    with pytest.raises(SignalError):
        tty.encode("HI", stop_bits=1.0)
    with pytest.raises(SignalError):
        tty.encode_codes([40])


@pytest.mark.parametrize("rate", [8000, 11025, 16000, 44100, 48000])
@pytest.mark.parametrize("baud", [45.45, 50.0])
def test_round_trip_at_rates_and_bauds(rate, baud):
    message = tty.decode(tty.encode(TEXT, rate, baud=baud), rate)
    assert message.text == TEXT
    assert message.baud == baud


@pytest.mark.parametrize("stop_bits", [1.5, 2.0])
def test_one_and_a_half_or_two_stop_bits(stop_bits):
    assert tty.decode(tty.encode(TEXT, 8000, stop_bits=stop_bits), 8000, 45.45).text == TEXT


def test_lines_are_sent_as_cr_lf_and_read_back_as_newlines():
    message = tty.decode(tty.encode("first line\nsecond line GA", 8000), 8000)
    assert message.text == "FIRST LINE\nSECOND LINE GA"
    assert "".join(c.char for c in message.characters).count("\r\n") == 1


def test_carrier_on_and_off_bracket_each_transmission():
    rate = 8000
    gap = np.zeros(rate)
    audio = np.concatenate([gap, tty.encode("ONE", rate), gap, tty.encode("TWO", rate), gap])
    demod = TtyDemodulator(rate)
    events = demod.process(audio) + demod.flush()
    changes = [e for e in events if not isinstance(e, TtyFrame)]
    assert [type(e) for e in changes] == [CarrierOn, CarrierOff, CarrierOn, CarrierOff]
    first_len = len(tty.encode("ONE", rate)) / rate
    assert changes[0].time_s == pytest.approx(1.0, abs=0.01)
    assert changes[1].time_s == pytest.approx(1.0 + first_len, abs=0.03)
    times = [e.time_s for e in events]
    assert times == sorted(times)


def test_decoding_resynchronises_after_a_noise_burst():
    rate = 8000
    before, after = tty.encode("BEFORE", rate), tty.encode("AFTER THE NOISE", rate)
    burst = np.random.default_rng(5).normal(0, 0.5, rate // 2)
    # The burst lands in the middle of a character stream: the receiver must find the start
    # bits again, not stay out of step.
    audio = np.concatenate([before[: len(before) * 2 // 3], burst, after]).astype(float)
    text = tty.decode(audio, rate, 45.45).text
    assert text.endswith("AFTER THE NOISE")
    assert text.startswith("BEF")


def test_noise_and_silence_hold_no_text():
    rng = np.random.default_rng(9)
    assert tty.decode(rng.normal(0, 0.2, 8000 * 30), 8000).text == ""
    assert tty.decode(np.zeros(8000 * 5), 8000).text == ""


_CLEAN = np.concatenate(
    [np.zeros(3000), tty.encode("CHUNK 42 GA", 16000), np.zeros(9000), tty.encode("OK", 16000)]
).astype(float)
_AUDIO = _CLEAN + np.random.default_rng(2).normal(0, 0.01, len(_CLEAN))


@settings(max_examples=20, deadline=None, derandomize=True)
@given(st.lists(st.integers(min_value=1, max_value=6000), min_size=1, max_size=30))
def test_results_do_not_depend_on_chunking(cuts):
    reference_receiver = tty.TtyReceiver(16000)
    reference = reference_receiver.process(_AUDIO) + reference_receiver.flush()
    assert tty.characters_to_text([e for e in reference if isinstance(e, tty.TtyCharacter)]) == (
        "CHUNK 42 GAOK"
    )
    receiver = tty.TtyReceiver(16000)
    events, position, index = [], 0, 0
    while position < len(_AUDIO):
        size = cuts[index % len(cuts)]
        events += receiver.process(_AUDIO[position : position + size])
        position, index = position + size, index + 1
    assert events + receiver.flush() == reference


def test_echo_guard_ignores_our_own_transmission_and_300_ms_after():
    rate = 8000
    ours = tty.encode("ECHO OF OUR PROMPT GA", rate)
    theirs = tty.encode("CALLER REPLY GA", rate)
    ours_end = len(ours) / rate
    audio = np.concatenate([ours, np.zeros(rate // 2), theirs]).astype(float)
    guard = tty.EchoGuard()
    guard.transmitted(0.0, ours_end)
    receiver = tty.TtyReceiver(rate, guard=guard)
    events = receiver.process(audio) + receiver.flush()
    text = tty.characters_to_text([e for e in events if isinstance(e, tty.TtyCharacter)])
    assert text == "CALLER REPLY GA"
    on = [e for e in events if isinstance(e, CarrierOn)]
    assert len(on) == 1 and on[0].time_s > ours_end + 0.3

    unguarded = tty.TtyReceiver(rate)
    heard = unguarded.process(audio) + unguarded.flush()
    assert "ECHO" in tty.characters_to_text([e for e in heard if isinstance(e, tty.TtyCharacter)])


def test_echo_guard_holds_for_300_ms_only():
    guard = tty.EchoGuard()
    guard.transmitted(1.0, 2.0)
    assert guard.covers(1.5, 1.6)
    assert guard.covers(2.25, 2.4)
    assert not guard.covers(2.31, 2.5)
    assert not guard.covers(0.2, 0.9)
    guard.forget_before(5.0)
    assert not guard.covers(1.5, 1.6)
    with pytest.raises(ValueError):
        guard.transmitted(3.0, 2.0)


def test_frames_carry_the_codes_sent():
    codes = text_to_codes("Q9")
    demod = TtyDemodulator(8000)
    audio = tty.encode_codes(codes, 8000)
    frames = [e for e in demod.process(audio) + demod.flush() if isinstance(e, TtyFrame)]
    assert [f.code for f in frames] == codes
    assert all(f.confidence > 0.9 for f in frames)


def test_a_first_carrier_with_one_frame_is_no_tty_until_a_second_confirms_it():
    rate = 8000
    lone = tty.encode_codes([LETTERS.index("T")], rate)
    gap = np.zeros(rate // 2, dtype=np.float32)
    receiver = tty.TtyReceiver(rate)
    assert receiver.process(lone) + receiver.process(gap) == []
    assert not receiver.carrier
    # A TTY opens with a shift code: the second frame confirms the first.
    events = receiver.process(np.concatenate([tty.encode_codes([LTRS, 1], rate), gap]))
    assert [type(e) for e in events] == [CarrierOn, tty.TtyCharacter, CarrierOff]
    assert events[1].char == "E"
    # Once a TTY has been heard, a lone character is its own.
    later = receiver.process(np.concatenate([lone, gap])) + receiver.flush()
    assert [e.char for e in later if isinstance(e, tty.TtyCharacter)] == ["T"]


def test_a_prompt_whose_vowel_passes_for_one_frame_is_no_tty():
    # A rendering of the welcome prompt in which one vowel glide passes every check of a
    # character frame ("T"): it must not start TTY mode.
    path = Path(__file__).with_name("data") / "welcome-prompt-one-tty-frame.wav"
    audio = read_for_recognition(path, 16000).samples
    frames = [e for e in TtyDemodulator(16000).process(audio) if isinstance(e, TtyFrame)]
    assert len(frames) == 1
    receiver = tty.TtyReceiver(16000)
    assert receiver.process(audio) + receiver.flush() == []

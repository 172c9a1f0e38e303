"""The endpointer, voicing and barge-in detector on real synthesised speech and made signals."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.speech.endpoint import (
    BargeInDetector,
    Endpointer,
    EndpointSettings,
    InputTimedOut,
    SpeechEnded,
    SpeechStarted,
    speech_span,
    voiced_fraction,
)
from tests.speechgen import RATE, SpeechMaker, cough, noise, room_echo, silence

CHUNK = 320  # 20 ms, as a microphone delivers


def run(endpointer: Endpointer, samples: np.ndarray) -> list[tuple[int, object]]:
    """Feed `samples` in 20 ms chunks; each event with the sample count fed when it came."""
    events = []
    for start in range(0, len(samples), CHUNK):
        for event in endpointer.push(samples[start:start + CHUNK]):
            events.append((start + CHUNK, event))
    return events


def voiced_end(samples: np.ndarray) -> int:
    """Where the speech in a synthesised clip really ends (the last loud sample)."""
    loud = np.flatnonzero(np.abs(samples) > 0.01)
    return int(loud[-1]) + 1


@pytest.fixture(scope="module")
def balance(speech: SpeechMaker) -> np.ndarray:
    return speech.say("check my balance").samples


def test_a_turn_starts_with_the_speech_and_ends_after_a_short_silence(balance):
    lead = RATE  # one second of silence before the caller speaks
    signal = np.concatenate([silence(1.0), balance, silence(2.0)])
    events = run(Endpointer(), signal)

    kinds = [type(event) for _, event in events]
    assert kinds == [SpeechStarted, SpeechEnded]
    started, ended = events[0][1], events[1][1]
    assert isinstance(started, SpeechStarted) and isinstance(ended, SpeechEnded)
    # The turn's audio starts a little before the first word (pre-roll), never after it.
    first_loud = lead + int(np.flatnonzero(np.abs(balance) > 0.01)[0])
    assert first_loud - round(0.4 * RATE) <= started.start <= first_loud
    speech_end = lead + voiced_end(balance)
    assert abs(ended.end - speech_end) <= round(0.1 * RATE)
    # ... and is reported about 0.7 s of silence later, not at the end of the file.
    reported_at = events[1][0]
    assert round(0.6 * RATE) <= reported_at - ended.end <= round(0.8 * RATE)
    assert not ended.forced


def test_digits_are_given_longer_pauses_than_commands(speech: SpeechMaker):
    chunk = speech.say("four five six").samples
    signal = np.concatenate([silence(0.5), chunk, silence(1.0), chunk, silence(2.5)])

    command = [e for _, e in run(Endpointer(digits=False), signal) if isinstance(e, SpeechEnded)]
    digits = [e for _, e in run(Endpointer(digits=True), signal) if isinstance(e, SpeechEnded)]

    second_chunk_end = round(0.5 * RATE) + 2 * len(chunk) + RATE
    # A command turn ends in the one-second pause; a digit turn keeps both chunks.
    assert command[0].end < round(0.5 * RATE) + len(chunk) + round(0.1 * RATE)
    assert digits[0].end > second_chunk_end - len(chunk)


def test_no_input_after_the_timeout_scaled_by_the_callers_patience():
    usual = run(Endpointer(EndpointSettings(no_input_s=8.0)), silence(20.0))
    patient = run(Endpointer(EndpointSettings(no_input_s=8.0).for_caller(2.0)), silence(20.0))

    assert [type(e) for _, e in usual] == [InputTimedOut]
    assert usual[0][1].at == pytest.approx(8.0 * RATE, abs=CHUNK)
    assert patient[0][1].at == pytest.approx(16.0 * RATE, abs=CHUNK)


def test_patience_lengthens_the_end_of_turn_silence_too(balance):
    loud = np.flatnonzero(np.abs(balance) > 0.01)
    trimmed = balance[loud[0]:loud[-1] + 1]
    # A one-second pause between two sentences.
    signal = np.concatenate([silence(0.5), trimmed, silence(1.0), trimmed, silence(3.0)])
    usual = run(Endpointer(), signal)
    patient = run(Endpointer(EndpointSettings().for_caller(2.0)), signal)
    usual_end = next(e for _, e in usual if isinstance(e, SpeechEnded))
    patient_end = next(e for _, e in patient if isinstance(e, SpeechEnded))
    # 0.7 s ends the usual turn in the pause; 1.4 s waits for the second sentence.
    assert patient_end.end > usual_end.end + len(trimmed) // 2


def test_patience_must_be_positive():
    with pytest.raises(ValueError, match="patience"):
        EndpointSettings().for_caller(0)


def test_a_turn_that_never_pauses_is_cut_at_the_longest_length(speech: SpeechMaker):
    sentence = speech.say("one two three four five six seven eight nine ten").samples
    endless = np.tile(sentence, 8)
    events = run(Endpointer(EndpointSettings(max_speech_s=5.0)), endless)
    ended = [e for _, e in events if isinstance(e, SpeechEnded)]
    assert ended and ended[0].forced
    assert ended[0].end - ended[0].start == pytest.approx(5.0 * RATE, abs=2 * CHUNK)


def test_background_noise_is_learnt_and_not_taken_for_speech(balance):
    hum = noise(4.0, level_db=-45.0)
    signal = hum.copy()
    signal[RATE:RATE + len(balance)] += balance
    events = run(Endpointer(), signal)
    started = [e for _, e in events if isinstance(e, SpeechStarted)]
    assert len(started) == 1
    assert started[0].start >= RATE - round(0.4 * RATE)


def test_a_click_does_not_start_a_turn():
    click = np.zeros(round(2.0 * RATE), dtype=np.float32)
    click[RATE:RATE + 80] = 0.8  # 5 ms
    assert run(Endpointer(EndpointSettings(no_input_s=30.0)), click) == []


def test_a_turn_that_starts_in_speech_is_heard_from_its_first_frame(speech: SpeechMaker):
    # After a barge-in the audio starts where the caller began, and the noise floor may
    # never have heard the line without them: left to find the speech itself, the
    # endpointer would learn the first word as background and start the turn after it.
    said = speech.say("agent please").samples
    loud = np.flatnonzero(np.abs(said) > 0.01)
    talking = np.concatenate([said[loud[0]:], silence(2.0)])
    endpointer = Endpointer()
    endpointer.reset(talking=True)
    events = run(endpointer, talking)

    assert events[0] == (CHUNK, SpeechStarted(0))
    ended = events[1][1]
    assert isinstance(ended, SpeechEnded) and not ended.forced
    assert abs(ended.end - (loud[-1] + 1 - loud[0])) <= round(0.1 * RATE)


def test_masked_tones_pass_as_silence_and_teach_the_floor_nothing(balance):
    # The voice channel masks 60 ms where the DTMF detector thought it heard a key.
    hiss = noise(4.0, level_db=-55.0)
    signal = hiss.copy()
    signal[RATE // 2:RATE // 2 + len(balance)] += balance
    endpointer = Endpointer()
    ended = []
    for start in range(0, len(signal), CHUNK):
        masked = round(0.9 * RATE) <= start < round(0.96 * RATE)
        ended += [e for e in endpointer.push(signal[start:start + CHUNK], masked=masked)
                  if isinstance(e, SpeechEnded)]

    assert ended and abs(ended[0].end - (RATE // 2 + voiced_end(balance))) <= round(0.1 * RATE)
    assert endpointer.floor.db == pytest.approx(-55.0, abs=3.0)


def test_speech_is_voiced_and_a_cough_is_not(speech: SpeechMaker):
    assert voiced_fraction(speech.say("check my balance").samples, RATE) > 0.4
    assert voiced_fraction(speech.say("check my balance", voice="joe").samples, RATE) > 0.4
    for seed in range(3):
        assert voiced_fraction(cough(seed=seed), RATE) < 0.1


def test_speech_span_finds_the_speech_in_a_recorded_turn(balance):
    signal = np.concatenate([silence(1.0), balance, silence(2.0)])
    span = speech_span(signal, RATE, margin_s=0.0)
    assert span is not None
    first_loud = RATE + int(np.flatnonzero(np.abs(balance) > 0.01)[0])
    assert abs(span[0] - first_loud) <= CHUNK
    assert abs(span[1] - (RATE + voiced_end(balance))) <= 3 * CHUNK
    assert speech_span(silence(2.0), RATE) is None


def barge_in_time(detector: BargeInDetector, microphone: np.ndarray,
                  prompt: np.ndarray) -> float | None:
    for start in range(0, len(prompt), CHUNK):
        if detector.heard(microphone[start:start + CHUNK], prompt[start:start + CHUNK]):
            return start / RATE
    return None


@pytest.fixture(scope="module")
def prompt(speech: SpeechMaker) -> np.ndarray:
    return speech.say("Welcome to the billing line. Say balance, pay, or agent. "
                      "You can also press keys on your phone at any time.").samples


@pytest.mark.parametrize("gain", [0.1, 0.3, 1.0])
def test_the_prompts_own_echo_is_not_a_barge_in(prompt, gain):
    microphone = room_echo(prompt, gain=gain) + noise(len(prompt) / RATE, -60.0)
    assert barge_in_time(BargeInDetector(), microphone, prompt) is None


@pytest.mark.parametrize("text, voice", [("Is there anything else I can help with?", "en"),
                                         ("Make a payment", "joe")])
@pytest.mark.parametrize("gain", [0.05, 0.5])
def test_the_echo_of_a_steady_vowel_is_not_a_barge_in(speech: SpeechMaker, text, voice, gain):
    # A line that hands the prompt straight back, later and quieter (a hybrid, a
    # speakerphone): the echo of a held vowel stands well above the learnt echo return.
    said = speech.say(text, voice).samples
    delay = round(0.03 * RATE)
    microphone = gain * np.concatenate([np.zeros(delay, np.float32), said[:-delay]]) \
        + noise(len(said) / RATE, -60.0)
    assert barge_in_time(BargeInDetector(), microphone, said) is None


def test_the_caller_talking_over_the_prompt_is_a_barge_in(speech: SpeechMaker, prompt):
    caller = speech.say("agent please", voice="joe").samples
    microphone = room_echo(prompt, gain=0.3) + noise(len(prompt) / RATE, -60.0)
    starts = round(2.0 * RATE)
    microphone[starts:starts + len(caller)] += 0.8 * caller
    detector = BargeInDetector()
    heard = barge_in_time(detector, microphone, prompt)
    assert heard is not None
    assert 2.0 <= heard <= 2.5
    first_word = starts + int(np.flatnonzero(np.abs(caller) > 0.01)[0])
    # It says how far back the caller's speech began, so none of it is lost.
    began = heard + CHUNK / RATE - detector.talking_s
    assert abs(began - first_word / RATE) <= 0.1


def test_a_headset_caller_need_not_outshout_the_prompt(speech: SpeechMaker, prompt):
    # A headset's microphone never hears the prompt: the silence while it plays teaches
    # the detector that there is no echo to take for the caller.
    caller = speech.say("agent please", voice="joe").samples
    microphone = noise(len(prompt) / RATE, -60.0)
    starts = round(2.0 * RATE)
    microphone[starts:starts + len(caller)] += 0.3 * caller  # well below the prompt
    detector = BargeInDetector()
    heard = barge_in_time(detector, microphone, prompt)
    first_word = (starts + int(np.flatnonzero(np.abs(caller) > 0.01)[0])) / RATE
    assert heard is not None and heard - first_word <= 0.3
    assert abs(heard + CHUNK / RATE - detector.talking_s - first_word) <= 0.1


@pytest.mark.parametrize("starts_s", [1.4, 2.2, 2.7, 3.3])
def test_echo_passing_for_the_caller_does_not_start_their_turn_early(
        speech: SpeechMaker, prompt, starts_s):
    # The learnt echo return sits some 8 dB below the echo of a steady vowel, so now and
    # then a frame of echo passes for the caller's just before they begin: a turn started
    # there would give the recogniser echo to take for words.
    caller = speech.say("check my balance").samples
    microphone = room_echo(prompt, gain=0.1) + noise(len(prompt) / RATE, -70.0)
    starts = round(starts_s * RATE)
    microphone[starts:starts + len(caller)] += caller[:len(microphone) - starts]
    detector = BargeInDetector()
    heard = barge_in_time(detector, microphone, prompt)
    first_word = (starts + int(np.flatnonzero(np.abs(caller) > 0.01)[0])) / RATE
    assert heard is not None
    assert abs(heard + CHUNK / RATE - detector.talking_s - first_word) <= 0.05


def test_speech_with_no_prompt_playing_is_a_barge_in_at_once(speech: SpeechMaker):
    caller = speech.say("agent please", voice="joe").samples
    microphone = np.concatenate([silence(0.5), caller])
    heard = barge_in_time(BargeInDetector(), microphone, np.zeros_like(microphone))
    assert heard is not None and 0.5 <= heard <= 0.9


def test_barge_in_needs_the_same_span_of_both_signals():
    with pytest.raises(ValueError, match="same span"):
        BargeInDetector().heard(np.zeros(320), np.zeros(160))

"""The voice loop over a scripted line: keys, type-ahead, silence and a TTY caller."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import numpy as np
import pytest
from typer.testing import CliRunner

from assistant.audio.devices import DeviceError
from assistant.billing import BillingService
from assistant.channels.captions import ASSISTANT, CALLER, split_into_cues
from assistant.channels.listening import RecognizerListener
from assistant.channels.presenter import Rendition, render_actions
from assistant.channels.transcript import SECRET, Turn
from assistant.channels.voice import VoiceCall
from assistant.cli import app
from assistant.dialog.events import CallStarted
from assistant.dialog.session import Session, SessionOptions
from assistant.signals import dtmf, tty
from assistant.speech.endpoint import BargeInDetector, frame_levels
from assistant.speech.tts import Synthesizer
from tests.channels.fakes import RATE, ScriptedLine


def keys(text: str) -> np.ndarray:
    return dtmf.encode(text, rate=RATE)


def typed(text: str) -> np.ndarray:
    return tty.encode(text, rate=RATE)


def no_speech(lang: str) -> object:
    raise AssertionError("keys and TTY must not reach the speech recogniser")


@pytest.fixture(scope="module")
def synthesizer() -> Iterator[Synthesizer]:
    with Synthesizer() as tts:
        yield tts


def run(line: ScriptedLine, tts: Synthesizer) -> tuple[VoiceCall, list[Turn]]:
    shown: list[Turn] = []
    with BillingService.open_memory() as service:
        call = VoiceCall(Session(service, options=SessionOptions(lang="en")), line, line, tts,
                         RecognizerListener(no_speech), on_turn=shown.append)
        call.run("en")
    return call, shown


def test_a_keypad_caller_signs_in_and_reaches_a_person(synthesizer: Synthesizer) -> None:
    line = ScriptedLine([keys("1"), keys("10000001#"), keys("1234#"), keys("2"), keys("0")])
    call, shown = run(line, synthesizer)
    assert call.session.ended
    assert shown == call.log.turns
    caller = [t for t in shown if t.who == "caller"]
    assert [(t.modality, t.text, t.intent) for t in caller] == [
        ("keypad", "1", "balance"), ("keypad", "10000001#", None), ("keypad", SECRET, None),
        ("keypad", "2", "no"), ("keypad", "0", "agent")]
    keys_said = [t.prompt_key for t in shown if t.who == "assistant"]
    assert "balance.due" in keys_said and keys_said[-1] == "transfer"
    assert not line.stops
    # What was played is what the record says, at the times it says.
    spoken = [t for t in shown if t.who == "assistant" and t.end_s > t.start_s]
    assert [round(start, 2) for start, _ in line.played] == [round(t.start_s, 2) for t in spoken]


def test_keys_pressed_during_a_prompt_cut_it_short(synthesizer: Synthesizer) -> None:
    line = ScriptedLine([keys("0")], interrupt_at_s=[8.0])
    call, _ = run(line, synthesizer)
    assert len(line.stops) == 1 and call.session.ended
    turns = call.log.turns
    menu = next(t for t in turns if t.prompt_key == "menu.main")
    pressed = next(t for t in turns if t.who == "caller")
    assert pressed.intent == "agent"
    # The menu's record and captions end where the caller cut it off.
    assert menu.end_s == pytest.approx(line.stops[0], abs=0.03)
    assert menu.end_s - menu.start_s < 9.0
    assert all(cue.end_s <= pressed.start_s + 0.3 for cue in call.log.captions.cues
               if cue.start_s < pressed.start_s)
    after = [t.prompt_key for t in turns[turns.index(pressed) + 1:]]
    assert after[-1] == "transfer"


def test_silence_becomes_no_input_after_the_timeout(synthesizer: Synthesizer) -> None:
    line = ScriptedLine([np.zeros(15 * RATE, dtype=np.float32), keys("0")])
    call, shown = run(line, synthesizer)
    silent = next(t for t in shown if t.who == "caller")
    assert silent.text == "(no answer)"
    expect_s = 10.0
    menu = next(t for t in shown if t.prompt_key == "menu.main")
    assert silent.start_s - menu.end_s == pytest.approx(expect_s, abs=0.5)
    nxt = shown[shown.index(silent) + 1]
    assert nxt.prompt_key == "error.no_input"


def test_a_tty_caller_is_answered_in_baudot_half_duplex(synthesizer: Synthesizer) -> None:
    line = ScriptedLine([typed("BALANCE GA"), typed("10000001 GA"), typed("1234 GA"),
                         typed("NO GA"), typed("GOODBYE GA")])
    call, shown = run(line, synthesizer)
    assert call.session.ended and call.tty_mode
    caller = [t for t in shown if t.who == "caller"]
    assert [t.text for t in caller] == ["BALANCE GA", "10000001 GA", SECRET, "NO GA",
                                        "GOODBYE GA"]
    assert all(t.modality == "tty" for t in caller)
    answers = [t for t in shown if t.who == "assistant" and t.start_s > caller[0].start_s]
    assert answers and all(t.modality == "tty" for t in answers)
    assert answers[-1].text.endswith("SK")
    sent = [audio for start, audio in line.played if start > caller[0].end_s]
    printed = tty.decode(np.concatenate([a.samples for a in sent]), RATE).text
    assert "YOUR BALANCE IS $" in printed and "GOODBYE. SK" in printed
    # Half-duplex: nothing was sent while the caller was typing.
    for start, _ in line.played:
        for turn in caller:
            assert not (turn.start_s < start < turn.end_s - 0.05)


def test_the_command_names_a_missing_device_and_exits_1() -> None:
    result = CliRunner().invoke(app, ["voice", "--input-device", "no such microphone"])
    assert result.exit_code == 1
    assert "no microphone" in result.output and "dialin devices" in result.output


def test_the_prompts_own_echo_does_not_interrupt_it(synthesizer: Synthesizer) -> None:
    line = ScriptedLine([keys("0")], echo=0.5)
    with BillingService.open_memory() as service:
        call = VoiceCall(Session(service, options=SessionOptions(lang="en")), line, line,
                         synthesizer, RecognizerListener(no_speech),
                         barge_in=BargeInDetector(RATE))
        call.run("en")
    assert not line.stops
    menu = next(t for t in call.log.turns if t.prompt_key == "menu.main")
    assert menu.end_s - menu.start_s > 20
    assert [t.intent for t in call.log.turns if t.who == "caller"] == ["agent"]


def spoken(text: str) -> np.ndarray:
    """Caller speech made by espeak-ng, at the line's rate."""
    import subprocess
    import tempfile
    from pathlib import Path

    from assistant.audio.convert import read_for_recognition

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "said.wav"
        subprocess.run(["espeak-ng", "-v", "en-us", "-w", str(path), text], check=True)
        return read_for_recognition(path, RATE).samples


class KeptListener(RecognizerListener):
    """The real recognisers, keeping what they were given to hear."""

    def __init__(self) -> None:
        super().__init__()
        self.given: list[np.ndarray] = []

    def hear(self, samples: np.ndarray, rate: int, expect: object, lang: str) -> object:
        self.given.append(samples)
        return super().hear(samples, rate, expect, lang)  # type: ignore[arg-type]


def _menu(tts: Synthesizer) -> Rendition:
    """The main menu prompt as a call presents it."""
    with BillingService.open_memory() as service:
        session = Session(service, options=SessionOptions(lang="en"))
        actions = session.handle(CallStarted(lang="en", modality="voice"),
                                 dt.datetime(2025, 1, 6, 9, 0))
    return next(r for r in render_actions(actions, tts, RATE, tty_mode=False)
                if r.key == "menu.main")


def _menu_pause(tts: Synthesizer) -> tuple[float, float]:
    """The first pause of at least 0.25 s, 3 s or more into the main menu prompt: (start,
    end) in seconds from the prompt's start."""
    levels, _ = frame_levels(_menu(tts).audio.samples, RATE // 50)
    quiet = np.concatenate([levels < -60.0, [False]])
    start = 0
    for index, silent in enumerate(quiet):
        if silent and not quiet[index - 1]:
            start = index
        elif not silent and quiet[index - 1] and index - start >= 13 and start >= 150:
            return start / 50, index / 50
    raise AssertionError("the menu prompt has no pause")


def _talk_over_the_menu(synthesizer: Synthesizer, echo: float = 0.05,
                        at_s: float = 4.0) -> tuple:
    # A handset's echo comes back some 26 dB down (a headset's not at all); the caller
    # talks `at_s` into the menu.
    said_audio = spoken("check my balance")
    line = ScriptedLine([said_audio], echo=echo, interrupt_at_s=[at_s], hang_up_after_s=3.0)
    listener = KeptListener()
    with BillingService.open_memory() as service:
        call = VoiceCall(Session(service, options=SessionOptions(lang="en")), line, line,
                         synthesizer, listener, barge_in=BargeInDetector(RATE))
        with pytest.raises(DeviceError, match="no audio"):
            call.run("en")  # the caller is gone after their first turn
    return call, line, listener, said_audio


@pytest.mark.slow
def test_a_caller_talking_over_the_menu_cuts_it(synthesizer: Synthesizer) -> None:
    call, line, _, _ = _talk_over_the_menu(synthesizer)
    menu = next(t for t in call.log.turns if t.prompt_key == "menu.main")
    assert line.stops and menu.start_s + 4.0 < line.stops[0] < menu.start_s + 5.0
    assert menu.end_s == pytest.approx(line.stops[0], abs=0.03)


@pytest.mark.slow
@pytest.mark.parametrize("case", ["handset", "headset", "in a pause", "after a pause"])
def test_a_caller_talking_over_the_menu_is_heard_whole(synthesizer: Synthesizer,
                                                       case: str) -> None:
    pause_s, resumed_s = _menu_pause(synthesizer)
    echo, at_s = {"handset": (0.05, 4.0), "headset": (0.0, 4.0),
                  "in a pause": (0.05, pause_s + 0.05),
                  "after a pause": (0.05, resumed_s + 0.1)}[case]
    call, _, listener, said_audio = _talk_over_the_menu(synthesizer, echo, at_s)
    turns = call.log.turns
    menu = next(t for t in turns if t.prompt_key == "menu.main")
    said = next(t for t in turns if t.who == "caller")
    assert said.start_s == pytest.approx(menu.start_s + at_s, abs=0.1)
    assert said.modality == "voice"
    # The recogniser was given the whole of what the caller said, and little of the echo
    # before it (what it makes of speech mixed with echo is the recogniser's affair).
    given = listener.given[0]
    scores = np.correlate(given, said_audio, mode="valid")
    lag = int(np.argmax(scores))
    inside = given[lag:lag + len(said_audio)]
    similarity = float(np.dot(inside, said_audio)
                       / np.sqrt(np.dot(inside, inside) * np.dot(said_audio, said_audio)))
    assert similarity > 0.95
    assert len(given) < len(said_audio) + 0.6 * RATE
    # ... and understood it: the session goes on to find the caller's account.
    assert said.intent == "balance"
    assert turns[turns.index(said) + 1].prompt_key == "auth.intro"


@pytest.mark.slow
def test_a_caller_who_starts_just_before_a_new_line_of_the_menu_is_captioned(
        synthesizer: Synthesizer) -> None:
    menu = _menu(synthesizer)
    cues = split_into_cues(ASSISTANT, menu.text, 0.0, menu.audio.duration_s)
    line_s = next(cue.start_s for cue in cues if cue.start_s >= 4.0)
    call, _, _, _ = _talk_over_the_menu(synthesizer, at_s=line_s - 0.15)
    said = next(t for t in call.log.turns if t.who == "caller")
    assert said.intent == "balance"
    # The transcript keeps when the caller began; the captions show them from the line
    # they talked over, in order.
    menu_start = next(t.start_s for t in call.log.turns if t.prompt_key == "menu.main")
    assert said.start_s == pytest.approx(menu_start + line_s - 0.15, abs=0.1)
    shown = next(c for c in call.log.captions.cues if c.speaker == CALLER)
    assert said.start_s <= shown.start_s <= said.start_s + 0.3
    starts = [c.start_s for c in call.log.captions.cues]
    assert starts == sorted(starts)


class HissingLine(ScriptedLine):
    """A scripted line with white noise on it, as an analogue line or a cheap handset has."""

    def __init__(self, turns: list[np.ndarray], level_db: float, **kwargs: object) -> None:
        super().__init__(turns, **kwargs)  # type: ignore[arg-type]
        self._hiss = np.random.default_rng(7)
        self._level = 10 ** (level_db / 20)

    def read(self, timeout_s: float) -> np.ndarray | None:
        chunk = super().read(timeout_s)
        if chunk is None:
            return None
        return chunk + (self._level * self._hiss.standard_normal(len(chunk))).astype(np.float32)


@pytest.mark.slow
def test_a_caller_on_a_hissing_line_is_heard(synthesizer: Synthesizer) -> None:
    # The DTMF detector takes a vowel in "my" for a key for a moment: those 60 ms are kept
    # from the endpointer, and must neither cost the caller the turn nor teach its noise
    # floor digital silence (the hiss would then pass for speech that never ends).
    line = HissingLine([spoken("check my balance")], level_db=-60.0, hang_up_after_s=3.0)
    with BillingService.open_memory() as service:
        call = VoiceCall(Session(service, options=SessionOptions(lang="en")), line, line,
                         synthesizer, KeptListener())
        with pytest.raises(DeviceError, match="no audio"):
            call.run("en")
    said = next(t for t in call.log.turns if t.who == "caller")
    assert (said.modality, said.intent) == ("voice", "balance")
    assert said.end_s - said.start_s < 2.5

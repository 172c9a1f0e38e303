"""The voice loop over a scripted line: keys, type-ahead, silence and a TTY caller."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
from typer.testing import CliRunner

from assistant.audio.devices import DeviceError
from assistant.billing import BillingService
from assistant.channels.listening import RecognizerListener
from assistant.channels.transcript import SECRET, Turn
from assistant.channels.voice import VoiceCall
from assistant.cli import app
from assistant.dialog.session import Session, SessionOptions
from assistant.signals import dtmf, tty
from assistant.speech.endpoint import BargeInDetector
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


def _talk_over_the_menu(synthesizer: Synthesizer) -> tuple:
    # A handset's echo comes back some 26 dB down; the caller talks four seconds into
    # the menu.
    said_audio = spoken("check my balance")
    line = ScriptedLine([said_audio], echo=0.05, interrupt_at_s=[4.0], hang_up_after_s=3.0)
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
@pytest.mark.xfail(
    strict=True,
    reason="known gap: after a barge-in the caller's turn is logged late and heard as no "
    "input; the words said over the prompt are not yet kept whole for the recogniser",
)
def test_a_caller_talking_over_the_menu_is_heard_whole(synthesizer: Synthesizer) -> None:
    call, _, listener, said_audio = _talk_over_the_menu(synthesizer)
    menu = next(t for t in call.log.turns if t.prompt_key == "menu.main")
    said = next(t for t in call.log.turns if t.who == "caller")
    assert said.start_s == pytest.approx(menu.start_s + 4.0, abs=0.5)
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
    assert len(given) < len(said_audio) + 0.9 * RATE

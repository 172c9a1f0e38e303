"""The voice loop on a real sound device: the PulseAudio null sink and its monitor.

The monitor hears everything played into the sink, the assistant's prompts and the caller's
keys alike, as a speakerphone in a quiet room would.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from assistant.audio.streams import Microphone, Speaker
from assistant.audio.wavfile import Audio
from assistant.billing import BillingService
from assistant.channels.listening import RATE, RecognizerListener
from assistant.channels.transcript import Turn
from assistant.channels.voice import VoiceCall
from assistant.cli import app
from assistant.dialog.session import Session, SessionOptions
from assistant.signals import dtmf
from assistant.speech.tts import Synthesizer

pytestmark = [pytest.mark.audio, pytest.mark.slow]


def no_speech(lang: str) -> object:
    raise AssertionError("the caller only pressed keys")


def test_a_key_pressed_during_the_greeting_reaches_a_person(null_sink: str) -> None:
    shown: list[Turn] = []
    caller_keys = Audio(dtmf.encode("0", rate=RATE, tone_ms=120, level_dbfs=-8), RATE)
    greeted = threading.Event()

    def press_zero() -> None:
        greeted.wait(30)
        time.sleep(1.0)
        with Speaker() as phone:
            phone.play(caller_keys)
            phone.wait(5)

    def record(turn: Turn) -> None:
        shown.append(turn)
        if turn.prompt_key == "language.switch_hint":
            greeted.set()

    caller = threading.Thread(target=press_zero, daemon=True)
    caller.start()
    with BillingService.open_memory() as service, Synthesizer() as tts, \
            Microphone(rate=RATE) as microphone, Speaker() as speaker:
        # Short timeouts: should the key go unheard, the call ends soon and the test fails.
        session = Session(service, options=SessionOptions(lang="en", timeout_scale=0.3))
        call = VoiceCall(session, microphone, speaker, tts, RecognizerListener(no_speech),
                         on_turn=record)
        call.run("en")
    caller.join(10)
    pressed = [t for t in shown if t.who == "caller"]
    assert [(t.modality, t.text, t.intent) for t in pressed] == [("keypad", "0", "agent")]
    hint = next(t for t in call.log.turns if t.prompt_key == "language.switch_hint")
    assert hint.end_s - hint.start_s < 3.0, "the key cut the prompt short"
    assert call.session.ended
    assert call.log.turns[-1].prompt_key == "transfer"
    assert np.isfinite(call.time_s) and call.time_s < 40


def test_no_speech_model_for_the_language_is_exit_2_with_the_way_to_get_one(
        null_sink: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    monkeypatch.delenv("DIALIN_VOSK_MODEL_ES", raising=False)
    result = CliRunner().invoke(app, ["voice", "--lang", "es"])
    assert result.exit_code == 2
    assert "no speech recogniser for language 'es'" in result.output
    assert "DIALIN_VOSK_MODEL_ES" in result.output

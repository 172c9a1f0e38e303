"""The kiosk's voice: what it says when voice cannot work (for real, with the device list
handed in), and a call driven by speech through a scripted microphone and speaker (the
device boundary), with recognition and speech in worker threads."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest

from assistant.audio.devices import AudioDevice, DeviceError
from assistant.dialog.actions import Expectation
from assistant.dialog.events import Utterance
from assistant.dialog.redact import MASK
from assistant.ui.settings import KioskSettings
from assistant.ui.voice import VoiceCheck, VoiceLink
from tests.ui.conftest import MakeKiosk
from tests.ui.kiosk_view import log_text, settle, status

MICROPHONE = AudioDevice(index=0, name="USB microphone", hostapi="ALSA", inputs=1, outputs=0,
                         default_rate=48000.0, default_input=True)
SPEAKER = AudioDevice(index=1, name="Speaker", hostapi="ALSA", inputs=0, outputs=2,
                      default_rate=48000.0, default_output=True)


class LoadedRecognizer:
    def stream(self, expect: Expectation | None) -> object:
        raise AssertionError("check must not start a turn")


def no_model(lang: str) -> LoadedRecognizer:
    raise FileNotFoundError(f"no model for {lang}")


def model(lang: str) -> LoadedRecognizer:
    return LoadedRecognizer()


def no_sound_system() -> list[AudioDevice]:
    raise DeviceError("the PortAudio library is not installed")


@pytest.mark.parametrize(("devices", "recognizers", "expected"), [
    (no_sound_system, model, VoiceCheck(False, False, "voice_off_no_sound_system")),
    (lambda: [], model, VoiceCheck(False, False, "voice_off_no_microphone")),
    (lambda: [SPEAKER], model, VoiceCheck(False, True, "voice_off_no_microphone")),
    (lambda: [MICROPHONE, SPEAKER], no_model, VoiceCheck(False, True, "voice_off_no_model")),
    (lambda: [MICROPHONE], model, VoiceCheck(True, False)),
    (lambda: [MICROPHONE, SPEAKER], model, VoiceCheck(True, True)),
])
def test_the_voice_check_says_what_is_missing(
        devices: Callable[[], list[AudioDevice]],
        recognizers: Callable[[str], LoadedRecognizer], expected: VoiceCheck) -> None:
    assert VoiceLink(devices=devices, recognizers=recognizers).check("en") == expected


async def test_no_microphone_is_said_plainly_and_the_keypad_works(make_kiosk: MakeKiosk) -> None:
    app = make_kiosk()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        text = log_text(app)
        assert "Notice: Voice is off: no microphone found. Use the keypad or type." in text
        assert "Microphone: unavailable" in status(app)
        await pilot.press("1")
        await pilot.pause()
        assert "You chose English." in log_text(app)


async def test_no_model_is_said_in_the_kiosks_language(make_kiosk: MakeKiosk) -> None:
    voice = VoiceLink(devices=lambda: [MICROPHONE], recognizers=no_model)
    app = make_kiosk(KioskSettings(language="es"), voice=voice)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert "La voz está desactivada: no hay modelo de voz para Español." in log_text(app)


class ScriptedVoice(VoiceLink):
    """A microphone that hears the given answers, one per turn, and a speaker that keeps
    what it was asked to say."""

    def __init__(self, answers: list[str]) -> None:
        super().__init__(devices=lambda: [MICROPHONE, SPEAKER], recognizers=model)
        self.answers = list(answers)
        self.spoken: list[tuple[str, str, str, float]] = []
        self._stopped = threading.Event()

    def speak(self, text: str, lang: str, profile: str, rate: float) -> None:
        self.spoken.append((text, lang, profile, rate))

    def listen(self, expect: Expectation | None, lang: str,
               on_partial: Callable[[str], None]) -> Utterance | None:
        self._stopped.clear()
        if not self.answers:
            self._stopped.wait(30)
            return None
        answer = self.answers.pop(0)
        on_partial(answer)
        return Utterance(answer, confidence=0.9, lang=lang)

    def stop(self) -> None:
        self._stopped.set()

    def close(self) -> None:
        self.stop()


async def wait_until(pilot, condition: Callable[[], bool], seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the kiosk did not get there in time"
        await pilot.pause(0.05)


async def test_a_call_by_voice(make_kiosk: MakeKiosk) -> None:
    voice = ScriptedVoice(["english", "check my balance", "one zero zero zero zero zero zero one",
                           "one two three four"])
    app = make_kiosk(KioskSettings(voice_profile="clear", speech_rate=0.8), voice=voice)
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_until(pilot, lambda: "Your balance is $89.97." in log_text(app))
        text = log_text(app)
        assert "Notice: Voice is on: speak, use the keypad, or type." in text
        assert "You: english" in text and "You: check my balance" in text
        assert f"You: {MASK * len('one two three four')}" in text
        assert "one two three four" not in text
        assert "Microphone: listening" in status(app)
        said = [entry[0] for entry in voice.spoken]
        assert said[0] == "Welcome to the billing line."
        assert any("account number" in line for line in said)
        assert {entry[2:] for entry in voice.spoken} == {("clear", 0.8)}


async def test_a_muted_microphone_does_not_listen(make_kiosk: MakeKiosk) -> None:
    voice = ScriptedVoice(["english"])
    app = make_kiosk(KioskSettings(microphone=False), voice=voice)
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_until(pilot, lambda: bool(voice.spoken))
        await pilot.pause(0.2)
        assert "Microphone: muted" in status(app)
        assert "You: english" not in log_text(app)
        assert voice.answers == ["english"]


@pytest.mark.audio
@pytest.mark.slow
def test_speech_plays_on_a_real_device_and_stops_when_told() -> None:
    link = VoiceLink()
    prompt = "Balance and due date: press 1. Make a payment: press 2. Payment history: press 3."
    try:
        started = time.monotonic()
        link.speak(prompt, "en", "default", 1.0)
        whole = time.monotonic() - started
        threading.Timer(1.0, link.stop).start()
        started = time.monotonic()
        link.speak(prompt, "en", "default", 1.0)  # rendered already: it plays at once
        cut = time.monotonic() - started
    finally:
        link.close()
    assert whole > 3.0, "the prompt returned before it could have been heard"
    assert 0.9 < cut < whole / 2, f"stop did not cut the prompt off ({cut:.1f} of {whole:.1f} s)"

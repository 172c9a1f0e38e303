"""The kiosk's own words: complete in every language, checked at load."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.ui.commands import APP_COMMANDS, CALL_COMMANDS
from assistant.ui.strings import STRINGS_FILE, StringsError, load_strings
from assistant.ui.voice import VoiceCheck

STRINGS = load_strings()


def test_every_caller_language_has_the_kiosks_words() -> None:
    assert set(STRINGS.languages) == {"en", "es", "ko"}


@pytest.mark.parametrize("lang", ["en", "es", "ko"])
def test_every_command_and_state_has_words(lang: str) -> None:
    keys = [key for command in (*CALL_COMMANDS, *APP_COMMANDS)
            for key in (command.label, command.about)]
    keys += [f"mic_{state}" for state in ("listening", "muted", "unavailable")]
    keys += [f"talk_{who}" for who in ("assistant", "caller", "your_turn", "waiting", "ended")]
    for key in keys:
        assert STRINGS.text(lang, key).strip(), key


def test_a_missing_translation_is_named(tmp_path: Path) -> None:
    broken = tmp_path / "strings.toml"
    broken.write_text(STRINGS_FILE.read_text(encoding="utf-8")
                      .replace('send = "Enviar"\n', ""), encoding="utf-8")
    with pytest.raises(StringsError, match=r"es\.send: missing"):
        load_strings(broken)


def test_a_lost_placeholder_is_named(tmp_path: Path) -> None:
    broken = tmp_path / "strings.toml"
    broken.write_text(STRINGS_FILE.read_text(encoding="utf-8")
                      .replace('time_left = "남은 시간: {seconds}초"', 'time_left = "남은 시간"'),
                      encoding="utf-8")
    with pytest.raises(StringsError, match=r"ko\.time_left: placeholders"):
        load_strings(broken)


def test_an_unknown_language_falls_back_to_english() -> None:
    assert STRINGS.text("fr", "send") == "Send"


def test_every_voice_reason_has_words() -> None:
    reasons = ["voice_off_no_sound_system", "voice_off_no_microphone", "voice_off_no_model",
               "voice_off_no_recognizer", "voice_off_failed", "voice_off_muted"]
    for reason in reasons:
        assert "keypad" in STRINGS.text("en", VoiceCheck(False, False, reason).reason,
                                        language="English")

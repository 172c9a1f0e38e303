"""The kiosk's settings: one JSON file per kiosk, kept between callers and restarts.

A kiosk is set up once for the people it serves (a high-contrast screen, slower speech,
longer time to answer), so the settings outlive a call. Values are checked on load; a file
that cannot be used is a `SettingsError` naming the file and key.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from platformdirs import user_config_dir

THEMES = ("default", "high-contrast", "colour-blind")
VOICE_PROFILES = ("default", "clear")
SPEECH_RATES = (0.8, 1.0, 1.25)
"""Slower, normal and faster, as multipliers of the voice profile's own rate."""

TIMEOUT_SCALES = (1.0, 2.0, 4.0, 10.0, 0.0)
"""Normal, twice, four times, ten times as long, and no limit (WCAG 2.2.1)."""


class SettingsError(ValueError):
    """A settings file that cannot be used, with the file and key at fault."""

    def __init__(self, path: Path, key: str, problem: str) -> None:
        super().__init__(f"{path}: {key}: {problem}")
        self.path = path
        self.key = key


@dataclass(frozen=True, slots=True)
class KioskSettings:
    """How this kiosk presents the billing line."""

    language: str | None = None
    """The language of new calls; None asks each caller."""

    theme: str = "default"
    """One of `THEMES`."""

    large_captions: bool = False
    """The live caption takes more of the screen, in bold."""

    speech_rate: float = 1.0
    """One of `SPEECH_RATES`: how fast prompts are spoken."""

    voice_profile: str = "default"
    """"default" or "clear" (slower, more distinct)."""

    timeout_scale: float = 1.0
    """One of `TIMEOUT_SCALES`: multiplies every wait; 0 turns time limits off."""

    microphone: bool = True
    """Listen for speech when a microphone and a model are there."""


def default_settings_path() -> Path:
    """Where this kiosk's settings live unless told otherwise."""
    return Path(user_config_dir("dialin", appauthor=False)) / "kiosk.json"


def _check(path: Path, data: dict[str, Any]) -> KioskSettings:
    known = {f.name for f in fields(KioskSettings)}
    for key in data:
        if key not in known:
            raise SettingsError(path, key, "unknown setting")
    settings = KioskSettings(**data)
    allowed: dict[str, tuple[Any, ...]] = {
        "theme": THEMES, "voice_profile": VOICE_PROFILES, "speech_rate": SPEECH_RATES,
        "timeout_scale": TIMEOUT_SCALES, "large_captions": (True, False),
        "microphone": (True, False),
    }
    for key, values in allowed.items():
        value = getattr(settings, key)
        if value not in values or isinstance(value, bool) != isinstance(values[0], bool):
            raise SettingsError(path, key, f"{value!r} is not one of {list(values)}")
    language = settings.language
    if language is not None and (not isinstance(language, str) or not language.isalpha()):
        raise SettingsError(path, "language", f"{language!r} is not a language code")
    return settings


def load_settings(path: Path) -> KioskSettings:
    """The settings saved at `path`, or the defaults when there is no file yet.

    Raises:
        SettingsError: the file is not JSON, or a setting is unknown or out of range.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return KioskSettings()
    except OSError as error:
        raise SettingsError(path, "(file)", f"cannot be read: {error.strerror}") from error
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise SettingsError(path, "(file)", f"is not valid JSON: {error}") from error
    if not isinstance(data, dict):
        raise SettingsError(path, "(file)", "must hold one JSON object")
    return _check(path, data)


def save_settings(settings: KioskSettings, path: Path) -> None:
    """Write `settings` to `path` whole or not at all (a temporary file, then a rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".kiosk-", suffix=".json", dir=path.parent)
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump(asdict(settings), out, indent=2, ensure_ascii=False)
        out.write("\n")
    os.replace(temporary, path)

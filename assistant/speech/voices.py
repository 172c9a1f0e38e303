"""Voice profiles: which espeak-ng voice speaks each language, and how fast and loud.

Profiles are data (`voices/<lang>.toml`), validated at load so that a typo is reported with
its file and key before a call starts, not as a crash in the middle of one. Every language
has a "default" profile and a slower "clear" one that a caller can ask for.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from assistant.paths import DataFileError, data_dir

REQUIRED_PROFILES = ("default", "clear")
"""Every language file must define these."""

RATE_RANGE = (80, 450)
"""Words per minute espeak-ng speaks intelligibly."""

PITCH_RANGE = (0, 100)
VOLUME_RANGE = (0.0, 1.0)


class VoiceError(DataFileError):
    """A voice profile file that cannot be used, with the file and key at fault."""


@dataclass(frozen=True, slots=True)
class VoiceProfile:
    """How one language is spoken in one style."""

    lang: str
    """The language code the profile belongs to ("en")."""

    name: str
    """The profile's name: "default" or "clear" (or any extra one a file defines)."""

    voice: str
    """The espeak-ng voice identifier ("gmw/en-US", "roa/es", "ko")."""

    rate: int
    """Speaking rate in words per minute."""

    pitch: int
    """Base pitch, 0-100; 50 is the voice's natural pitch."""

    volume: float
    """Amplitude, 0-1."""


def _number(table: Mapping[str, object], key: str, path: Path, section: str,
            bounds: tuple[float, float], integer: bool) -> float:
    value = table.get(key)
    where = f"{section}.{key}"
    if value is None:
        raise VoiceError(path, where, "missing")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise VoiceError(path, where, f"must be a number, not {value!r}")
    if integer and not isinstance(value, int):
        raise VoiceError(path, where, f"must be a whole number, not {value!r}")
    low, high = bounds
    if not low <= value <= high:
        raise VoiceError(path, where, f"{value} is outside {low}-{high}")
    return value


def _profile(lang: str, name: str, table: object, path: Path) -> VoiceProfile:
    if not isinstance(table, Mapping):
        raise VoiceError(path, name, "must be a table of voice, rate, pitch, volume")
    unknown = set(table) - {"voice", "rate", "pitch", "volume"}
    if unknown:
        raise VoiceError(path, f"{name}.{sorted(unknown)[0]}", "unknown setting")
    voice = table.get("voice")
    if not isinstance(voice, str) or not voice.strip():
        raise VoiceError(path, f"{name}.voice", "must name an espeak-ng voice")
    return VoiceProfile(
        lang=lang,
        name=name,
        voice=voice.strip(),
        rate=int(_number(table, "rate", path, name, RATE_RANGE, integer=True)),
        pitch=int(_number(table, "pitch", path, name, PITCH_RANGE, integer=True)),
        volume=float(_number(table, "volume", path, name, VOLUME_RANGE, integer=False)),
    )


def load_voice_file(path: Path) -> dict[str, VoiceProfile]:
    """Read and check one `voices/<lang>.toml`; the language is the file's stem.

    Raises:
        VoiceError: the file is unreadable, a profile is missing, or a setting is wrong.
    """
    lang = path.stem
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise VoiceError(path, "(file)", f"cannot be read: {error.strerror}") from error
    except tomllib.TOMLDecodeError as error:
        raise VoiceError(path, "(file)", f"is not valid TOML: {error}") from error
    profiles = {name: _profile(lang, name, table, path) for name, table in data.items()}
    for required in REQUIRED_PROFILES:
        if required not in profiles:
            raise VoiceError(path, required, "missing (every language needs it)")
    if profiles["clear"].rate >= profiles["default"].rate:
        raise VoiceError(path, "clear.rate", "must be slower than default.rate")
    return profiles


def load_voices(directory: Path | None = None) -> dict[str, dict[str, VoiceProfile]]:
    """Every language's profiles: `{lang: {profile name: VoiceProfile}}`.

    Raises:
        VoiceError: the folder holds no profile file, or one of them is wrong.
    """
    folder = directory or data_dir("voices")
    files = sorted(folder.glob("*.toml"))
    if not files:
        raise VoiceError(folder, "(folder)", "holds no voice profile (<lang>.toml)")
    return {path.stem: load_voice_file(path) for path in files}


def find_profile(voices: Mapping[str, Mapping[str, VoiceProfile]], lang: str,
                 profile: str) -> VoiceProfile:
    """The profile for `lang` and `profile` name.

    Raises:
        VoiceError: no such language or profile.
    """
    if lang not in voices:
        raise VoiceError("voices", lang, f"no voice profile for language {lang!r}; "
                         f"known: {', '.join(sorted(voices))}")
    if profile not in voices[lang]:
        raise VoiceError(f"voices/{lang}.toml", profile, f"no profile named {profile!r}; "
                         f"known: {', '.join(sorted(voices[lang]))}")
    return voices[lang][profile]

"""The kiosk's own words in each language, read from `strings.toml` beside this module.

The billing prompts come from the language packs; these are the labels, status lines,
notices and commands around them. Checked at load like a pack: every language has every
English key with the same placeholders, so a missing translation is an error naming the
file and key, not a blank label in front of a caller.
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

STRINGS_FILE = Path(__file__).with_name("strings.toml")
REFERENCE = "en"


class StringsError(ValueError):
    """The kiosk's strings file cannot be used, with the file and key at fault."""

    def __init__(self, path: Path, key: str, problem: str) -> None:
        super().__init__(f"{path}: {key}: {problem}")


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@dataclass(frozen=True, slots=True)
class UiStrings:
    """Every language's kiosk strings: `{lang: {key: template}}`."""

    table: Mapping[str, Mapping[str, str]]

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self.table)

    def text(self, lang: str, key: str, /, **params: object) -> str:
        """The string `key` in `lang` (English if the kiosk has no words for `lang`)."""
        words = self.table.get(lang, self.table[REFERENCE])
        return words[key].format(**params)


def load_strings(path: Path = STRINGS_FILE) -> UiStrings:
    """Read and check the strings file.

    Raises:
        StringsError: the file is unreadable, or a language lacks a key or a placeholder.
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise StringsError(path, "(file)", f"cannot be read: {error}") from error
    reference = data.get(REFERENCE)
    if not isinstance(reference, dict) or not reference:
        raise StringsError(path, REFERENCE, "the English table is missing")
    for lang, words in data.items():
        if not isinstance(words, dict):
            raise StringsError(path, lang, "must be a table of strings")
        for key, template in reference.items():
            if not isinstance(words.get(key), str):
                raise StringsError(path, f"{lang}.{key}", "missing")
            if _fields(words[key]) != _fields(template):
                raise StringsError(path, f"{lang}.{key}",
                                   f"placeholders differ from English: {sorted(_fields(template))}")
        extra = set(words) - set(reference)
        if extra:
            raise StringsError(path, f"{lang}.{sorted(extra)[0]}", "not an English key")
    return UiStrings(table=data)

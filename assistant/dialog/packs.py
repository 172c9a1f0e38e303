"""Language packs: prompts, intent phrases and number words, read from `lang/*.toml`.

A pack is data, not code. Every pack is checked at load against the reference pack
(English): the same prompt keys, the same placeholders in each prompt, phrases for every
canonical intent, words for every digit. A broken pack is a `PackError` naming the file
and the key, raised before any call starts.
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from assistant.paths import DataFileError, data_dir

REFERENCE = "en"

CANONICAL_INTENTS = (
    "balance",
    "pay",
    "autopay",
    "payment_method",
    "history",
    "plan",
    "change_plan",
    "add_ons",
    "equipment",
    "dispute",
    "explain_bill",
    "troubleshoot",
    "agent",
    "settings",
    "language",
    "repeat",
    "help",
    "back",
    "yes",
    "no",
    "goodbye",
)
"""The stable intent names of the design; tests, transcripts and the audit use them."""

EXTRA_INTENTS = ("faq", "more", "main_menu")
"""Intents Dialin adds to the canonical ones: the FAQ, the second menu page, the main menu."""

INTENTS = CANONICAL_INTENTS + EXTRA_INTENTS
KEY_SYMBOLS = tuple("0123456789") + ("*", "#")

FORMAT_VALUES = {
    "format.credit": {"amount"},
    "format.date_speech": {"month", "month_number", "day", "day_ordinal", "year"},
}
"""The values a format template may use, in any language."""


class PackError(DataFileError):
    """A language pack that cannot be used, with the file and key at fault."""


@dataclass(frozen=True, slots=True)
class LanguagePack:
    """One language's prompts, phrases and number words."""

    code: str
    """Short language code: "en", "es", "ko"."""

    name: str
    """The language's own name for itself ("Español")."""

    locale: str
    """Babel locale for money, dates and numbers ("es_US")."""

    path: Path
    """The file it was read from."""

    prompts: Mapping[str, str]
    """Prompt key ("pay.confirm") -> template with `{placeholders}`."""

    intents: Mapping[str, tuple[str, ...]]
    """Intent name -> the phrases a caller may say or type for it."""

    digit_words: Mapping[str, tuple[str, ...]]
    """Key symbol ("0".."9", "*", "#") -> the words for it."""

    stopwords: frozenset[str]
    """Words that carry no meaning for intent matching ("my", "the", "please")."""

    aliases: tuple[str, ...] = ()
    """Other names callers use for this language, in any language ("Spanish", "español")."""

    def prompt(self, key: str) -> str:
        """The template for `key`."""
        return self.prompts[key]


def placeholders(template: str) -> set[str]:
    """The `{names}` a template expects."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _flatten(table: Mapping[str, object], path: Path, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        full = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(_flatten(value, path, f"{full}."))
        elif isinstance(value, str) and value.strip():
            flat[full] = value.strip()
        else:
            raise PackError(path, f"prompts.{full}", "must be a non-empty string")
    return flat


def _phrases(value: object, path: Path, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise PackError(path, key, "must be a non-empty list of phrases")
    phrases = []
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise PackError(path, key, f"has an empty or non-text phrase: {item!r}")
        phrases.append(" ".join(item.split()))
    return tuple(phrases)


def _section(data: Mapping[str, object], path: Path, name: str) -> Mapping[str, object]:
    section = data.get(name)
    if not isinstance(section, Mapping):
        raise PackError(path, name, "section is missing")
    return section


def _aliases(value: object, path: Path) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(a, str) and a for a in value):
        raise PackError(path, "meta.aliases", "must be a list of names")
    return tuple(value)


def load_pack(path: Path) -> LanguagePack:
    """Read and check one pack on its own (keys are compared across packs in `load_packs`)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise PackError(path, "(file)", f"is not valid TOML: {error}") from error
    except (OSError, UnicodeDecodeError) as error:
        raise PackError(path, "(file)", f"cannot be read: {error}") from error

    meta = _section(data, path, "meta")
    for key in ("code", "name", "locale"):
        if not isinstance(meta.get(key), str) or not meta[key]:
            raise PackError(path, f"meta.{key}", "is missing")

    intents_table = _section(data, path, "intents")
    intents = {}
    for intent in INTENTS:
        if intent not in intents_table:
            raise PackError(path, f"intents.{intent}", "has no phrases")
        intents[intent] = _phrases(intents_table[intent], path, f"intents.{intent}")
    unknown = sorted(set(intents_table) - set(INTENTS))
    if unknown:
        raise PackError(path, f"intents.{unknown[0]}", "is not a known intent")

    numbers = _section(data, path, "numbers")
    digit_words = {}
    for symbol in KEY_SYMBOLS:
        if symbol not in numbers:
            raise PackError(path, f"numbers.{symbol}", "has no words")
        digit_words[symbol] = _phrases(numbers[symbol], path, f"numbers.{symbol}")

    matching = data.get("matching", {})
    stop = matching.get("stopwords", []) if isinstance(matching, Mapping) else []
    prompts = _flatten(_section(data, path, "prompts"), path)
    return LanguagePack(
        code=str(meta["code"]),
        name=str(meta["name"]),
        locale=str(meta["locale"]),
        path=path,
        prompts=MappingProxyType(prompts),
        intents=MappingProxyType(intents),
        digit_words=MappingProxyType(digit_words),
        stopwords=frozenset(str(word).lower() for word in stop),
        aliases=_aliases(meta.get("aliases", []), path),
    )


def check_against(pack: LanguagePack, reference: LanguagePack) -> None:
    """Raise `PackError` unless `pack` has exactly the reference's prompts and placeholders."""
    missing = sorted(set(reference.prompts) - set(pack.prompts))
    if missing:
        raise PackError(pack.path, f"prompts.{missing[0]}", "is missing")
    extra = sorted(set(pack.prompts) - set(reference.prompts))
    if extra:
        raise PackError(pack.path, f"prompts.{extra[0]}", f"is not in the {reference.code} pack")
    for key, template in reference.prompts.items():
        want, got = placeholders(template), placeholders(pack.prompts[key])
        # A format template may use fewer of the values offered (word order differs).
        if want != got and not (key.startswith("format.") and got <= FORMAT_VALUES[key]):
            raise PackError(
                pack.path,
                f"prompts.{key}",
                f"placeholders {sorted(got)} differ from {reference.code}'s {sorted(want)}",
            )


def load_packs(directory: Path | None = None) -> dict[str, LanguagePack]:
    """All packs in `directory` (default: the shipped `lang/`), checked against English.

    The result is ordered as the caller should hear the choices: English first, then the
    others by code.
    """
    directory = directory or data_dir("lang")
    packs = {}
    for path in sorted(directory.glob("*.toml")):
        if path.stem == "menus":
            continue
        pack = load_pack(path)
        if pack.code != path.stem:
            raise PackError(path, "meta.code", f"is {pack.code!r}, not the file name {path.stem!r}")
        packs[pack.code] = pack
    if REFERENCE not in packs:
        raise PackError(directory / f"{REFERENCE}.toml", "(file)", "the reference pack is missing")
    for pack in packs.values():
        check_against(pack, packs[REFERENCE])
    ordered = [REFERENCE] + sorted(code for code in packs if code != REFERENCE)
    return {code: packs[code] for code in ordered}

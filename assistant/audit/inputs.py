"""What the audit looks at: the language packs, the keypad layout, the voices, the themes.

The packs are read one file at a time rather than through `load_packs`, which stops at the
first pack that differs from English: the audit must report every difference, and still
drive sessions in every language that can be read at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from assistant.dialog.packs import REFERENCE, LanguagePack, PackError, load_pack
from assistant.paths import data_dir


@dataclass(frozen=True, slots=True)
class AuditInputs:
    """The files one audit reads."""

    lang_dir: Path
    """The language packs (`*.toml` but `menus.toml`)."""

    menus_path: Path
    """The keypad layout."""

    voices_dir: Path
    """The voice profiles (speaking rates, for spoken durations)."""

    themes: tuple[Path, ...] = ()
    """Kiosk theme files to check; empty means the kiosk's own."""

    @classmethod
    def shipped(cls, lang_dir: Path | None = None, menus_path: Path | None = None,
                themes: tuple[Path, ...] = ()) -> AuditInputs:
        """The shipped files, with any of them replaced."""
        lang = lang_dir or data_dir("lang")
        return cls(
            lang_dir=lang,
            menus_path=menus_path or lang / "menus.toml",
            voices_dir=data_dir("voices"),
            themes=themes,
        )

    def describe(self) -> dict[str, str]:
        """The inputs as the report lists them."""
        return {
            "lang_dir": str(self.lang_dir),
            "menus": str(self.menus_path),
            "voices_dir": str(self.voices_dir),
            "themes": ", ".join(str(t) for t in self.themes) or "the kiosk's own",
        }


@dataclass(frozen=True, slots=True)
class ReadPacks:
    """The packs that could be read, and the files that could not."""

    packs: dict[str, LanguagePack]
    """Language code -> pack, the reference first, then by code."""

    unreadable: tuple[PackError, ...]
    """Files that are not a usable pack even on their own."""


def read_packs(lang_dir: Path) -> ReadPacks:
    """Every pack in `lang_dir` that can be read on its own."""
    packs: dict[str, LanguagePack] = {}
    unreadable: list[PackError] = []
    for path in sorted(lang_dir.glob("*.toml")):
        if path.stem == "menus":
            continue
        try:
            pack = load_pack(path)
        except PackError as error:
            unreadable.append(error)
            continue
        if pack.code != path.stem:
            unreadable.append(PackError(path, "meta.code",
                                        f"is {pack.code!r}, not the file name {path.stem!r}"))
            continue
        packs[pack.code] = pack
    ordered = sorted(packs, key=lambda code: (code != REFERENCE, code))
    return ReadPacks({code: packs[code] for code in ordered}, tuple(unreadable))

"""Where Dialin's data lives: the shipped packs and profiles, and the user's own files."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """A shipped data folder ("lang", "voices"): beside the package in a checkout,
    inside it in an installed wheel."""
    for candidate in (_PACKAGE.parent / name, _PACKAGE / "_data" / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"Dialin's {name}/ folder is missing from {_PACKAGE.parent}")


def user_dir() -> Path:
    """The user's Dialin folder (database, settings, downloaded models)."""
    return Path(user_data_dir("dialin", appauthor=False))


class DataFileError(ValueError):
    """A data file (language pack, voice profile, keypad layout) that cannot be used, with
    the file and the key at fault, so the fix is one look away."""

    def __init__(self, path: Path | str, key: str, problem: str) -> None:
        super().__init__(f"{path}: {key}: {problem}")
        self.path = str(path)
        self.key = key
        self.problem = problem

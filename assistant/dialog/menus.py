"""The menus' keypad layout (`lang/menus.toml`) and the expectations of named menu states.

Keys `*` (back), `0` (agent) and `#` (repeat) mean the same in every menu.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from assistant.dialog.actions import Expectation
from assistant.dialog.packs import INTENTS, PackError
from assistant.paths import data_dir

GLOBAL_KEYS = {"*": "back", "0": "agent", "#": "repeat"}

MAIN_MENU_INTENTS = tuple(
    intent
    for intent in INTENTS
    if intent not in ("repeat", "back", "yes", "no", "more", "main_menu")
)
"""What a caller can ask for at the main menu by name; each needs a key on some page."""

YES_NO_KEYS = (("1", "yes"), ("2", "no"))


@dataclass(frozen=True, slots=True)
class Menus:
    """The keypad pages: page name -> key -> intent."""

    pages: Mapping[str, Mapping[str, str]]
    path: Path

    def keys(self, page: str) -> tuple[tuple[str, str], ...]:
        return tuple(sorted(self.pages[page].items(), key=lambda kv: (kv[0] == "0", kv[0])))

    def key_path(self, intent: str) -> list[str] | None:
        """The keys that reach `intent` from the main menu, e.g. ["9", "3"]."""
        for key, target in self.pages["main"].items():
            if target == intent:
                return [key]
        for key, target in self.pages["main"].items():
            if target in self.pages and target != "main":
                for sub_key, sub_target in self.pages[target].items():
                    if sub_target == intent:
                        return [key, sub_key]
        return None

    def missing_keys(self) -> list[str]:
        """Main-menu intents no key reaches."""
        return [intent for intent in MAIN_MENU_INTENTS if self.key_path(intent) is None]


def load_menus(path: Path | None = None) -> Menus:
    """Read and check the keypad layout."""
    path = path or data_dir("lang") / "menus.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise PackError(path, "(file)", f"cannot be read: {error}") from error
    pages: dict[str, dict[str, str]] = {}
    for page in ("main", "more"):
        table = data.get(page)
        if not isinstance(table, Mapping):
            raise PackError(path, page, "page is missing")
        for key, intent in table.items():
            if key not in "0123456789" or len(key) != 1:
                raise PackError(path, f"{page}.{key}", "keys are single digits 0-9")
            if intent not in INTENTS:
                raise PackError(path, f"{page}.{key}", f"{intent!r} is not an intent")
            if GLOBAL_KEYS.get(key, intent) != intent:
                raise PackError(
                    path, f"{page}.{key}", f"key {key} is reserved for {GLOBAL_KEYS[key]}"
                )
        pages[page] = dict(table)
    return Menus(pages=pages, path=path)


def menu_expectation(menus: Menus, page: str, timeout_s: float = 10.0) -> Expectation:
    """What a menu page waits for: any main-menu intent by voice, its keys by keypad."""
    return Expectation(
        kind="intent",
        intents=tuple(i for i in (*MAIN_MENU_INTENTS, "more", "main_menu") if i != "help"),
        keys=menus.keys(page),
        timeout_s=timeout_s,
    )


def expectation_for(state: str, menus: Menus | None = None) -> Expectation:
    """The expectation of a named state, for tools that listen outside a call
    (`dialin listen --menu STATE`): main, more, yes_no, digits, amount, text, language."""
    menus = menus or load_menus()
    if state in menus.pages:
        return menu_expectation(menus, state)
    if state == "yes_no":
        return Expectation(kind="yes_no", keys=YES_NO_KEYS)
    if state == "digits":
        return Expectation(kind="digits", min_len=1, max_len=19, timeout_s=15.0)
    if state == "amount":
        return Expectation(kind="amount", min_len=1, max_len=7, timeout_s=15.0)
    if state == "text":
        return Expectation(kind="text", timeout_s=30.0)
    if state == "language":
        return Expectation(kind="intent", intents=("language",))
    raise ValueError(
        f"unknown menu state {state!r}: use one of "
        f"{', '.join([*menus.pages, 'yes_no', 'digits', 'amount', 'text', 'language'])}"
    )

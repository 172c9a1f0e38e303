"""The kiosk: contrast of every colour pair of every theme, and a key for every action.

Contrast uses the kiosk's own theme reader and pair list (`assistant.ui.palette`), so what is
checked is what the screen shows: text pairs need 4.5:1 (7:1 in a high-contrast theme),
the focus outline 3:1 against what it surrounds. Key bindings are read from the kiosk's
app and screen classes themselves: every `action_*` they define must be bound to a key,
every keypad key must have a keyboard key, and the commands that work at every question
(help, repeat, back, a person, language) should each have one.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

from assistant.audit.findings import FAIL, NOTE, PASS, Check, Finding, missing_component
from assistant.dialog.actions import Expectation

CONTRAST_REQUIREMENTS = ("WCAG 1.4.3", "WCAG 1.4.6", "WCAG 1.4.11", "508 302.3")
KEY_REQUIREMENTS = ("WCAG 2.1.1", "WCAG 2.1.3", "508 302.7")
AAA_TEXT = 7.0
DTMF_KEYS = "0123456789*#"


def _themes(paths: tuple[Path, ...]) -> Iterator[tuple[str, object, str]]:
    """(file, theme or None, error) for each theme file."""
    from assistant.ui import palette

    files = paths or tuple(palette.THEMES_DIR / f"{n}.tcss" for n in palette.THEME_NAMES)
    for path in files:
        try:
            yield str(path), palette.load_theme(path), ""
        except palette.ThemeError as error:
            yield str(path), None, str(error)


def contrast_findings(paths: tuple[Path, ...]) -> list[Finding]:
    """One finding per colour pair per theme."""
    from assistant.ui import palette

    findings = []
    for path, theme, error in _themes(paths):
        if not isinstance(theme, palette.KioskTheme):
            findings.append(Finding(f"theme {Path(path).stem}", FAIL,
                                    f"The theme cannot be read: {error}.",
                                    CONTRAST_REQUIREMENTS, (error,)))
            continue
        pairs = [(fg, bg, theme.text_minimum, "text") for fg, bg in palette.CONTRAST_PAIRS]
        pairs += [(fg, bg, palette.OUTLINE_MINIMUM, "outline")
                  for fg, bg in palette.OUTLINE_PAIRS]
        for foreground, background, minimum, what in pairs:
            ratio = theme.contrast(foreground, background)
            ok = ratio >= minimum
            refs = (("WCAG 1.4.11",) if what == "outline"
                    else ("WCAG 1.4.6",) if minimum >= AAA_TEXT else ("WCAG 1.4.3",))
            fg_hex = theme.colours[foreground].hex
            bg_hex = theme.colours[background].hex
            findings.append(Finding(
                f"{theme.name}: {foreground} on {background}", PASS if ok else FAIL,
                f"Contrast {ratio:.2f}:1 ({'at least' if ok else 'below'} the {minimum:g}:1 "
                f"this {what} needs"
                + (f"; meets AAA {AAA_TEXT:g}:1" if what == "text" and ratio >= AAA_TEXT else "")
                + ").",
                (*refs, "508 302.3"),
                (f"{path}: ${foreground} {fg_hex} on ${background} {bg_hex}",),
                {"theme": theme.name, "foreground": foreground, "background": background,
                 "foreground_hex": fg_hex, "background_hex": bg_hex,
                 "ratio": round(ratio, 2), "minimum": minimum, "kind": what}))
    return findings


def _ui_modules() -> Iterator[ModuleType]:
    package = importlib.import_module("assistant.ui")
    for info in pkgutil.walk_packages(package.__path__, "assistant.ui."):
        if not info.name.endswith("__main__"):
            yield importlib.import_module(info.name)


def _action_name(action: str) -> str:
    """"screen.ask('help')" -> "ask"."""
    return action.split("(")[0].split(".")[-1]


def binding_findings() -> list[Finding]:
    """Every action defined by the kiosk's apps and screens, and the keys bound to it."""
    from textual.app import App
    from textual.binding import Binding
    from textual.dom import DOMNode

    findings = []
    classes = {cls for module in _ui_modules() for _, cls in inspect.getmembers(module,
               inspect.isclass) if issubclass(cls, DOMNode) and cls.__module__ == module.__name__}
    app_keys = {}
    for cls in classes:
        if issubclass(cls, App):
            app_keys.update({_action_name(b.action): b.key for b in cls.BINDINGS
                             if isinstance(b, Binding)})
    for cls in sorted(classes, key=lambda c: c.__qualname__):
        bindings = [b for b in getattr(cls, "BINDINGS", []) if isinstance(b, Binding)]
        bound: dict[str, list[str]] = {}
        for binding in bindings:
            bound.setdefault(_action_name(binding.action), []).append(binding.key)
        actions = sorted(name.removeprefix("action_") for name in vars(cls)
                         if name.startswith("action_"))
        for action in actions:
            keys = bound.get(action) or ([app_keys[action]] if action in app_keys else [])
            findings.append(Finding(
                f"{cls.__name__}.{action}", PASS if keys else FAIL,
                f"Bound to {', '.join(keys)}." if keys else "No key is bound to this action.",
                KEY_REQUIREMENTS, (f"{cls.__module__}.{cls.__qualname__}.BINDINGS",),
                {"class": cls.__qualname__, "action": action, "keys": keys}))
        keyed = {b.action.split("'")[1] for b in bindings
                 if _action_name(b.action) == "key" and "'" in b.action}
        if keyed:
            missing = [k for k in DTMF_KEYS if k not in keyed]
            findings.append(Finding(
                f"{cls.__name__}: keypad keys", FAIL if missing else PASS,
                (f"Keys {' '.join(missing)} have no keyboard key." if missing
                 else "All twelve keypad keys have keyboard keys."),
                KEY_REQUIREMENTS, (f"bound: {' '.join(sorted(keyed))}",)))
        asked = {b.action.split("'")[1]: b.key for b in bindings
                 if _action_name(b.action) == "ask" and "'" in b.action}
        if asked:
            for intent in Expectation(kind="intent").globals:
                key = asked.get(intent)
                findings.append(Finding(
                    f"{cls.__name__}: {intent}", PASS if key else NOTE,
                    f"“{intent}” is on {key}." if key
                    else f"“{intent}” has no key of its own; it can be typed or said.",
                    KEY_REQUIREMENTS, (f"{cls.__module__}.{cls.__qualname__}.BINDINGS",)))
    return findings


def check_kiosk(themes: tuple[Path, ...]) -> Check:
    """Contrast and key bindings of the kiosk."""
    rule = ("Every text colour pair of every theme reaches 4.5:1 (7:1 in the high-contrast "
            "theme) and the focus outline 3:1; every action of the kiosk's app and screens "
            "has a key, and so does every keypad key.")
    requirements = (*CONTRAST_REQUIREMENTS, *KEY_REQUIREMENTS)
    try:
        findings = contrast_findings(themes) + binding_findings()
    except ImportError as error:
        return missing_component("kiosk", "Kiosk: contrast and key bindings", rule,
                                 requirements, "assistant.ui", str(error))
    pairs = [f for f in findings if "ratio" in f.data]
    worst = min(pairs, key=lambda f: f.data["ratio"]) if pairs else None
    return Check(
        id="kiosk",
        title="Kiosk: contrast of every theme, a key for every action",
        rule=rule,
        requirements=requirements,
        findings=tuple(findings),
        summary=(f"{len(pairs)} colour pairs checked"
                 + (f"; lowest {worst.data['ratio']}:1 ({worst.subject})" if worst else "")),
    )

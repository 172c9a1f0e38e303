"""Copies of the shipped files broken in one known way each, for the audit to catch."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

JOBS = 2
"""Worker processes for the session-driving checks (CI has two cores)."""


def remove_first_prompt(pack: Path) -> str:
    """Delete the first prompt of the top [prompts] table; the key deleted."""
    lines = pack.read_text(encoding="utf-8").splitlines(keepends=True)
    start = lines.index("[prompts]\n")
    for index in range(start + 1, len(lines)):
        match = re.match(r"^([a-z_]+)\s*=", lines[index])
        if match:
            del lines[index]
            pack.write_text("".join(lines), encoding="utf-8")
            return match.group(1)
    raise AssertionError(f"{pack} has no prompt directly under [prompts]")


def remove_first_main_key(menus: Path) -> str:
    """Delete the first main-menu key that is not the agent's; the intent it reached."""
    layout = tomllib.loads(menus.read_text(encoding="utf-8"))
    key, intent = next((k, i) for k, i in layout["main"].items() if k != "0")
    text = menus.read_text(encoding="utf-8")
    menus.write_text(re.sub(rf'^"{key}"\s*=\s*"{intent}"\n', "", text, count=1, flags=re.M),
                     encoding="utf-8")
    return intent


def low_contrast_theme(folder: Path) -> tuple[Path, str, str]:
    """A copy of the default theme whose caption text is the colour of its background;
    the path and the (text, background) roles made unreadable."""
    from assistant.ui import palette

    source = palette.THEMES_DIR / "default.tcss"
    theme = palette.load_theme(source)
    background = theme.colours["kiosk-caption-background"].hex
    text = re.sub(r"^\$kiosk-caption-text:.*$", f"$kiosk-caption-text: {background};",
                  source.read_text(encoding="utf-8"), flags=re.M)
    path = folder / "low-contrast.tcss"
    path.write_text(text, encoding="utf-8")
    return path, "kiosk-caption-text", "kiosk-caption-background"

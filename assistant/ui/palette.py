"""The kiosk's colour themes: `themes/<name>.tcss` files of colour variables, and their
contrast.

A theme file declares one colour per role (`$kiosk-caption-text: #ffff00;`). The same file
feeds a Textual theme (so built-in widgets and the command palette follow it) and the
contrast check, so what is checked is what is shown. `CONTRAST_PAIRS` names every
text-on-background pair the stylesheet uses; WCAG asks 4.5:1 for text (7:1 for the
high-contrast theme) and 3:1 for the focus outline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from textual.color import Color, ColorParseError
from textual.theme import Theme

THEMES_DIR = Path(__file__).with_name("themes")
THEME_NAMES = ("default", "high-contrast", "colour-blind")

BASE_ROLES = ("background", "foreground", "surface", "panel", "primary", "secondary",
              "accent", "error", "warning", "success")
"""The variables Textual derives its own colours from."""

KIOSK_ROLES = (
    "kiosk-caption-background", "kiosk-caption-text", "kiosk-log-background",
    "kiosk-assistant-text", "kiosk-caller-text", "kiosk-notice-text", "kiosk-key-background",
    "kiosk-key-text", "kiosk-focus-background", "kiosk-focus-text", "kiosk-status-background",
    "kiosk-status-text", "kiosk-warning-background", "kiosk-warning-text",
    "kiosk-input-background", "kiosk-input-text", "kiosk-muted-text", "kiosk-border",
)
"""The variables the kiosk's own stylesheet uses."""

CONTRAST_PAIRS = (
    ("foreground", "background"),
    ("foreground", "surface"),
    ("foreground", "panel"),
    ("kiosk-caption-text", "kiosk-caption-background"),
    ("kiosk-assistant-text", "kiosk-log-background"),
    ("kiosk-caller-text", "kiosk-log-background"),
    ("kiosk-notice-text", "kiosk-log-background"),
    ("kiosk-key-text", "kiosk-key-background"),
    ("kiosk-focus-text", "kiosk-focus-background"),
    ("kiosk-status-text", "kiosk-status-background"),
    ("kiosk-warning-text", "kiosk-warning-background"),
    ("kiosk-input-text", "kiosk-input-background"),
    ("kiosk-muted-text", "kiosk-input-background"),
)
"""(text, background) pairs that appear on screen."""

OUTLINE_PAIRS = (("kiosk-border", "background"), ("kiosk-border", "kiosk-key-background"))
"""(outline, background) pairs: the focus outline must stand out at 3:1."""

TEXT_MINIMUM = {"high-contrast": 7.0}
"""The least text contrast per theme; 4.5:1 for any theme not named."""

OUTLINE_MINIMUM = 3.0

_DECLARATION = re.compile(r"^\$(?P<name>[a-z][a-z0-9-]*)\s*:\s*(?P<value>[^;]+);$")
_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)


class ThemeError(ValueError):
    """A theme file that cannot be used, with the file and the line or role at fault."""


@dataclass(frozen=True, slots=True)
class KioskTheme:
    """One colour theme, as declared in its file."""

    name: str
    """The file's stem: "default", "high-contrast", "colour-blind"."""

    colours: dict[str, Color]
    """Role -> colour."""

    @property
    def text_minimum(self) -> float:
        return TEXT_MINIMUM.get(self.name, 4.5)

    @property
    def textual_name(self) -> str:
        return f"dialin-{self.name}"

    def contrast(self, text: str, background: str) -> float:
        """The WCAG contrast ratio of two roles."""
        return contrast_ratio(self.colours[text], self.colours[background])

    def to_textual(self) -> Theme:
        """A Textual theme carrying every role as a CSS variable."""
        hexes = {role: colour.hex for role, colour in self.colours.items()}
        return Theme(
            name=self.textual_name,
            primary=hexes["primary"], secondary=hexes["secondary"], accent=hexes["accent"],
            error=hexes["error"], warning=hexes["warning"], success=hexes["success"],
            foreground=hexes["foreground"], background=hexes["background"],
            surface=hexes["surface"], panel=hexes["panel"],
            dark=relative_luminance(self.colours["background"]) < 0.5,
            variables={
                **{role: hexes[role] for role in KIOSK_ROLES},
                "footer-key-foreground": hexes["kiosk-focus-background"],
                "input-cursor-background": hexes["kiosk-input-text"],
                "input-cursor-foreground": hexes["kiosk-input-background"],
                "input-selection-background": hexes["kiosk-focus-background"],
                "input-selection-foreground": hexes["kiosk-focus-text"],
                "block-cursor-foreground": hexes["kiosk-focus-text"],
                "block-cursor-background": hexes["kiosk-focus-background"],
                "block-cursor-blurred-foreground": hexes["foreground"],
                "block-cursor-blurred-background": hexes["panel"],
                "text-muted": hexes["kiosk-muted-text"],
            },
        )


def relative_luminance(colour: Color) -> float:
    """WCAG 2 relative luminance of an opaque sRGB colour (0 black to 1 white)."""

    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(colour.r) + 0.7152 * linear(colour.g) + 0.0722 * linear(colour.b)


def contrast_ratio(first: Color, second: Color) -> float:
    """WCAG 2 contrast ratio, 1 (none) to 21 (black on white); the order does not matter."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)),
                             reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def load_theme(path: Path) -> KioskTheme:
    """Read one theme file: comments and `$role: #rrggbb;` lines, every role present.

    Raises:
        ThemeError: a line is not a declaration, a colour does not parse, a role is missing.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ThemeError(f"{path}: cannot be read: {error.strerror}") from error
    colours: dict[str, Color] = {}
    lines = _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text).splitlines()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        match = _DECLARATION.match(line.strip())
        if match is None:
            raise ThemeError(f"{path}:{number}: expected `$role: #rrggbb;`, got {line.strip()!r}")
        try:
            colours[match["name"]] = Color.parse(match["value"].strip())
        except ColorParseError as error:
            raise ThemeError(f"{path}:{number}: {match['name']}: {error}") from error
    for role in (*BASE_ROLES, *KIOSK_ROLES):
        if role not in colours:
            raise ThemeError(f"{path}: {role}: missing")
        if colours[role].a != 1:
            raise ThemeError(f"{path}: {role}: must be opaque, so its contrast is known")
    return KioskTheme(name=path.stem, colours=colours)


def load_themes(directory: Path = THEMES_DIR) -> dict[str, KioskTheme]:
    """Every shipped theme, by name, in `THEME_NAMES` order."""
    return {name: load_theme(directory / f"{name}.tcss") for name in THEME_NAMES}

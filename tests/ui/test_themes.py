"""Every theme's text stands out from its background: 4.5:1 or better (WCAG 1.4.3), 7:1
for the high-contrast theme (1.4.6), 3:1 for the focus outline (1.4.11). Checked twice:
on the theme files' declared pairs, and on every widget actually on screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.color import Color
from textual.widget import Widget

from assistant.ui.palette import (
    CONTRAST_PAIRS,
    OUTLINE_MINIMUM,
    OUTLINE_PAIRS,
    THEME_NAMES,
    ThemeError,
    contrast_ratio,
    load_theme,
    load_themes,
)
from assistant.ui.screens.settings import SettingsScreen
from assistant.ui.settings import KioskSettings
from tests.ui.conftest import MakeKiosk
from tests.ui.kiosk_view import settle

THEMES = load_themes()


def test_the_contrast_ratio_is_wcags() -> None:
    assert contrast_ratio(Color.parse("#000000"), Color.parse("#ffffff")) == pytest.approx(21)
    assert contrast_ratio(Color.parse("#777777"), Color.parse("#777777")) == pytest.approx(1)
    # WCAG's own example: #767676 on white is the lightest grey that passes 4.5:1.
    assert contrast_ratio(Color.parse("#767676"), Color.parse("#ffffff")) == \
        pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("name", THEME_NAMES)
def test_every_declared_text_pair_reaches_the_minimum(name: str) -> None:
    theme = THEMES[name]
    low = {f"{text} on {back}": round(theme.contrast(text, back), 2)
           for text, back in CONTRAST_PAIRS if theme.contrast(text, back) < theme.text_minimum}
    assert not low, f"{name}: below {theme.text_minimum}:1: {low}"


@pytest.mark.parametrize("name", THEME_NAMES)
def test_the_focus_outline_stands_out(name: str) -> None:
    theme = THEMES[name]
    for outline, back in OUTLINE_PAIRS:
        assert theme.contrast(outline, back) >= OUTLINE_MINIMUM, (name, outline, back)


def test_high_contrast_asks_for_seven_to_one() -> None:
    assert THEMES["high-contrast"].text_minimum == 7.0
    assert THEMES["default"].text_minimum == 4.5


TEXT_COMPONENTS = ("input--placeholder", "input--selection", "input--suggestion",
                   "toggle--label")
"""Parts of built-in widgets styled apart from the widget, that show text."""


def _shown_pairs(screen_widgets: list[Widget]) -> dict[str, float]:
    """Contrast of each visible widget's text colour (and its text parts') over its
    effective background; text drawn with transparency blends into the background."""
    ratios = {}
    for widget in screen_widgets:
        if not widget.display or not widget.visible or widget.region.area == 0:
            continue
        _, _, background, colour = widget.colors
        name = f"{type(widget).__name__}#{widget.id or ''}.{'.'.join(sorted(widget.classes))}"
        ratios[name] = contrast_ratio(background + colour, background)
        for part in TEXT_COMPONENTS:
            if part not in widget.COMPONENT_CLASSES:
                continue
            styles = widget.get_component_styles(part)
            back = background + styles.background if styles.has_rule("background") \
                else background
            text = styles.color if styles.has_rule("color") else colour
            ratios[f"{name}/{part}"] = contrast_ratio(back + text, back)
    return ratios


@pytest.mark.parametrize("name", THEME_NAMES)
async def test_every_widget_on_screen_reaches_the_minimum(name: str,
                                                          make_kiosk: MakeKiosk) -> None:
    minimum = THEMES[name].text_minimum
    app = make_kiosk(KioskSettings(theme=name))
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("1", "1")  # a caller's entry and more prompts in the log
        await pilot.press("tab", "tab")  # a focused key
        await pilot.pause()
        call_ratios = _shown_pairs(list(app.screen.walk_children(with_self=True)))
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        await pilot.press("tab")
        await pilot.pause()
        settings_ratios = _shown_pairs(list(app.screen.walk_children(with_self=True)))
    assert len(call_ratios) > 20 and len(settings_ratios) > 10
    low = {widget: round(ratio, 2) for widget, ratio in {**call_ratios, **settings_ratios}.items()
           if ratio < minimum}
    assert not low, f"{name}: below {minimum}:1: {low}"


def test_a_theme_file_missing_a_role_is_refused(tmp_path: Path) -> None:
    source = (Path(THEMES["default"].name + ".tcss"))
    text = (Path(__file__).parents[2] / "assistant/ui/themes" / source).read_text()
    broken = tmp_path / "broken.tcss"
    broken.write_text("\n".join(line for line in text.splitlines()
                                if not line.startswith("$kiosk-caption-text")))
    with pytest.raises(ThemeError, match="kiosk-caption-text: missing"):
        load_theme(broken)


def test_a_theme_file_with_a_bad_line_names_it(tmp_path: Path) -> None:
    broken = tmp_path / "broken.tcss"
    broken.write_text("/* a theme */\n$background: #000000;\nScreen { color: red; }\n")
    with pytest.raises(ThemeError, match=r"broken.tcss:3: expected"):
        load_theme(broken)
    broken.write_text("$background: #00000g;\n")
    with pytest.raises(ThemeError, match=r"broken.tcss:1: background"):
        load_theme(broken)

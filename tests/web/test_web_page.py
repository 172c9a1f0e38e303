"""The web page in a real browser, used by keyboard alone as a person does.

`dialin serve` runs for real on its own database; headless Chromium loads the page; keys
are pressed one at a time (Tab, characters, Enter). Each language goes through sign-in,
the balance, a payment and a transfer to a person. axe-core checks every page state in
every theme against WCAG 2.2 A and AA.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.browser import Page

pytestmark = pytest.mark.slow

ASSISTANT_TURNS = "document.querySelectorAll('#log li.assistant').length"
LOG_TEXT = "document.getElementById('log').innerText"

LANG_KEYS = {"en": "1", "es": "2", "ko": "3"}
SIGNED_IN = {"en": "$89.97", "es": "$89.97", "ko": "US$89.97"}


async def answer(page: Page, text: str) -> None:
    """Type `text` into the focused answer box and press Enter; wait for the reply."""
    before = await page.evaluate(ASSISTANT_TURNS)
    await page.type(text)
    await page.press("Enter")
    await page.wait_for(f"{ASSISTANT_TURNS} > {before}")


async def start(page: Page, url: str) -> None:
    await page.goto(url)
    await page.wait_for(f"{ASSISTANT_TURNS} >= 1")
    await page.evaluate("""(() => {
        window.logChanges = {added: 0, removed: 0, changed: 0};
        new MutationObserver(records => { for (const r of records) {
            if (r.type === 'childList' && r.target.id === 'log') {
                window.logChanges.added += r.addedNodes.length;
                window.logChanges.removed += r.removedNodes.length;
            } else { window.logChanges.changed += 1; }
        }}).observe(document.getElementById('log'),
                    {childList: true, subtree: true, characterData: true, attributes: true});
        return true; })()""")


async def skip_to_answer(page: Page) -> None:
    await page.press("Tab")
    assert (await page.focused()).startswith("a#"), "the first Tab stop is not the skip link"
    await page.press("Enter")
    assert (await page.focused()).startswith("input#answer")


@pytest.mark.parametrize("lang", ["en", "es", "ko"])
async def test_keyboard_only_sign_in_balance_payment_and_a_person(
        served: str, chromium: str, lang: str) -> None:
    async with Page.open(chromium) as page:
        await start(page, served)
        await skip_to_answer(page)
        await answer(page, LANG_KEYS[lang])
        assert await page.evaluate("document.documentElement.lang") == lang
        await answer(page, "1")                 # balance
        await answer(page, "10000001")          # account number, then Enter: no pound
        assert await page.evaluate("document.getElementById('answer').type") == "password"
        await answer(page, "1234")              # PIN
        assert SIGNED_IN[lang] in await page.evaluate(LOG_TEXT)
        for key in ("1", "2", "1", "1"):        # pay now, the minimum, the card, confirm
            await answer(page, key)
        log_text = await page.evaluate(LOG_TEXT)
        assert re.search(r"P\d{9}", log_text), log_text[-600:]
        await answer(page, "0")                 # a person
        notice = await page.evaluate(
            "[...document.querySelectorAll('#log li.notice')].map(e => e.innerText).join()")
        assert re.search(r"A\d{7}", notice), notice
        received = page.received
        changes = await page.evaluate("window.logChanges")
        turns = await page.evaluate(ASSISTANT_TURNS)
        languages = await page.evaluate(
            "[...document.querySelectorAll('#log li.assistant')].slice(1)"
            ".flatMap(li => [...li.querySelectorAll('p')].map(p => p.lang))")
    assert "1234" not in received, "the PIN reached the page"
    assert "••••" in received
    assert changes["removed"] == 0 and changes["changed"] == 0, changes
    assert turns >= 10
    assert set(languages) == {lang}, "a prompt is not marked with the call's language"


async def test_each_assistant_turn_is_one_entry_of_a_live_log(served: str, chromium: str
                                                             ) -> None:
    async with Page.open(chromium) as page:
        await start(page, served)
        await skip_to_answer(page)
        await answer(page, "1")
        await answer(page, "1")
        tree = await page.call("Accessibility.getFullAXTree")
        dom_turns = await page.evaluate(ASSISTANT_TURNS)
    nodes = {node["nodeId"]: node for node in tree["nodes"]}
    logs = [n for n in tree["nodes"] if n.get("role", {}).get("value") == "log"]
    assert len(logs) == 1
    live = {p["name"]: p["value"].get("value") for p in logs[0].get("properties", [])}
    assert live.get("live") == "polite"
    lists = [nodes[c] for c in logs[0].get("childIds", [])
             if nodes.get(c, {}).get("role", {}).get("value") == "list"]
    assert len(lists) == 1, "the log does not hold one list of turns"
    listitems = [nodes[c] for c in lists[0].get("childIds", [])
                 if nodes.get(c, {}).get("role", {}).get("value") == "listitem"]
    assert len(listitems) == dom_turns + 2  # the assistant's turns and the caller's two


async def test_a_button_press_by_keyboard_and_a_language_switch_mid_call(
        served: str, chromium: str) -> None:
    async with Page.open(chromium) as page:
        await start(page, served)
        await skip_to_answer(page)
        # Tab on from the answer box: Send, then the first choice (English).
        await page.press("Tab")
        await page.press("Tab")
        focused = await page.focused()
        assert focused.startswith("button#|1"), focused
        before = await page.evaluate(ASSISTANT_TURNS)
        await page.press("Enter")
        await page.wait_for(f"{ASSISTANT_TURNS} > {before}")
        assert await page.evaluate("document.documentElement.lang") == "en"
        await page.evaluate("document.querySelector('[data-command=language]').focus()")
        before = await page.evaluate(ASSISTANT_TURNS)
        await page.press("Enter")
        await page.wait_for(f"{ASSISTANT_TURNS} > {before}")
        await page.evaluate("document.getElementById('answer').focus()")
        await answer(page, "2")
        assert await page.evaluate("document.documentElement.lang") == "es"
        labels = await page.evaluate(
            "document.querySelector('label[for=answer]').textContent")
    assert labels == "Su respuesta"


STATES = ("welcome", "menu", "secret", "settings", "ended")


async def reach(page: Page, url: str, state: str) -> None:
    await start(page, url)
    await skip_to_answer(page)
    if state == "welcome":
        return
    await answer(page, "1")
    if state == "menu":
        return
    if state == "settings":
        await page.evaluate("document.getElementById('open-settings').click()")
        await page.wait_for("document.getElementById('settings').open")
        return
    await answer(page, "1")
    await answer(page, "10000001")
    if state == "secret":
        return
    await answer(page, "1234")
    await answer(page, "2")          # no payment now
    await page.type("goodbye")
    await page.press("Enter")
    await page.wait_for("document.getElementById('new-call-row').hidden === false")


@pytest.mark.parametrize("theme", ["default", "high-contrast", "colour-blind"])
async def test_axe_finds_no_wcag_violation_in_any_state(served: str, chromium: str,
                                                        theme: str) -> None:
    found = {}
    async with Page.open(chromium) as page:
        await page.goto(served)
        await page.evaluate("localStorage.setItem('dialin.settings', JSON.stringify("
                            f"{{theme: '{theme}'}}))")
        for state in STATES:
            await reach(page, served, state)
            href = await page.evaluate("document.getElementById('theme').href")
            assert href.endswith(f"/themes/{theme}.css")
            found[state] = await page.axe()
    assert all(not v for v in found.values()), json.dumps(found, indent=1)


async def test_the_page_reflows_at_320_px_and_at_200_percent(served: str, chromium: str,
                                                            tmp_path: Path) -> None:
    async with Page.open(chromium) as page:
        for width, scale in ((320, 1), (640, 2)):
            await page.call("Emulation.setDeviceMetricsOverride", width=width, height=800,
                            deviceScaleFactor=scale, mobile=False)
            await page.call("Emulation.setEmulatedMedia", features=[
                {"name": "prefers-reduced-motion", "value": "reduce"}])
            await reach(page, served, "menu")
            overflow = await page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth")
            hidden = await page.evaluate(
                "[...document.querySelectorAll('button, input, label')].filter(e => "
                "e.offsetParent !== null && e.getBoundingClientRect().right > "
                "document.documentElement.clientWidth + 1).length")
            assert overflow <= 0, f"{width} px: the page scrolls sideways by {overflow} px"
            assert hidden == 0, f"{width} px: {hidden} controls cut off"
            assert await page.evaluate("document.getAnimations().length") == 0
        await page.screenshot(tmp_path / "narrow.png")
    assert (tmp_path / "narrow.png").stat().st_size > 5000


async def test_the_axe_check_sees_a_contrast_failure_when_there_is_one(
        served: str, chromium: str) -> None:
    async with Page.open(chromium) as page:
        await reach(page, served, "menu")
        # a grey of about 2.9:1 on the log's background: readable to some, not to AA
        await page.evaluate("document.querySelector('#log li.assistant').style.color = "
                            "'rgb(90, 106, 117)'")
        found = await page.axe()
    assert "color-contrast" in {violation["id"] for violation in found}


ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT = ROOT / "docs" / "web-page.png"


async def test_the_readme_screenshot_is_made_from_the_page(served: str, chromium: str) -> None:
    """The page after sign-in, as the README shows it: written to build/screenshots/ on
    every run (copy it to docs/ when the page changes)."""
    made = ROOT / "build" / "screenshots" / "web-page.png"
    made.parent.mkdir(parents=True, exist_ok=True)
    async with Page.open(chromium) as page:
        await page.call("Emulation.setDeviceMetricsOverride", width=1100, height=760,
                        deviceScaleFactor=1, mobile=False)
        await reach(page, served, "secret")
        await answer(page, "1234")
        await page.screenshot(made)
    assert made.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "docs/web-page.png" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert SCREENSHOT.read_bytes()[16:24] == made.read_bytes()[16:24], \
        "docs/web-page.png is not the size the page is shot at"

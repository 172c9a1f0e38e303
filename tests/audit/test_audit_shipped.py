"""The audit of the shipped system: every check passes, and the report is complete and
readable. Marked slow: it drives a few thousand real sessions."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from assistant.audit.audit import CHECKS, write_report
from assistant.audit.driver import Driver
from assistant.audit.findings import FAIL, PASS, Report
from assistant.audit.inputs import read_packs
from assistant.dialog.menus import MAIN_MENU_INTENTS, load_menus
from assistant.paths import data_dir

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("check_id", CHECKS)
def test_each_check_passes_on_the_shipped_system(shipped_audit: tuple[Report, dict],
                                                 check_id: str) -> None:
    report, _ = shipped_audit
    check = report.check(check_id)
    failures = [f"{f.subject}: {f.detail}" for f in check.failures]
    assert check.status == PASS, "\n".join(failures) or "nothing was checked"


def test_every_main_menu_option_is_audited_in_every_language(
        shipped_audit: tuple[Report, dict]) -> None:
    report, _ = shipped_audit
    audited = {(f.data["option"], f.data["lang"])
               for f in report.check("modality_parity").findings if "option" in f.data}
    languages = set(read_packs(data_dir("lang")).packs)
    wanted = {(intent, lang) for intent in MAIN_MENU_INTENTS if intent != "help"
              for lang in languages}
    assert wanted <= audited


def test_every_prompt_of_every_pack_is_measured(shipped_audit: tuple[Report, dict]) -> None:
    report, _ = shipped_audit
    measured = {(f.data["lang"], f.data["key"])
                for f in report.check("plain_language").findings if "key" in f.data}
    packs = read_packs(data_dir("lang")).packs
    assert measured == {(code, key) for code, pack in packs.items() for key in pack.prompts}


def test_the_graph_is_made_of_paths_that_real_sessions_take(
        shipped_audit: tuple[Report, dict], tmp_path: Path) -> None:
    _, graph = shipped_audit
    packs = read_packs(data_dir("lang")).packs
    assert {s["lang"] for s in graph["states"]} == set(packs)
    for lang in packs:
        assert any(s["lang"] == lang and s["kind"] == "intent" for s in graph["states"])
    # Replay a spread of the recorded paths, typed, on new sessions: each must lead to the
    # question the graph says it does.
    from assistant.dialog.events import Digits, TextLine

    driver = Driver(packs, load_menus(), tmp_path)
    spread = graph["states"][:: max(1, len(graph["states"]) // 12)]
    for state in spread:
        events = []
        for step in state["path"]:
            verb, _, rest = step.partition(" ")
            if "•" in rest:
                break
            events.append(Digits(rest) if verb == "pressed" else TextLine(rest.strip("“”")))
        else:
            assert driver.run(events).state == state["state"], state["path"]


def test_report_files_are_written_and_agree(shipped_audit: tuple[Report, dict],
                                            tmp_path: Path) -> None:
    report, graph = shipped_audit
    json_path, html_path = write_report(report, graph, tmp_path / "out")
    data = json.loads(json_path.read_text(encoding="utf-8"))
    assert data["status"] == report.status
    assert [c["id"] for c in data["checks"]] == list(CHECKS)
    assert all(c["requirements"] for c in data["checks"])
    assert len(data["graph"]["states"]) == len(graph["states"])
    assert html_path.read_text(encoding="utf-8").count("<h2 id=") >= len(CHECKS)


class _Structure(HTMLParser):
    """What an auditor's tools look for: headings, table captions and headers, languages."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.html_lang = ""
        self.tables = 0
        self.captions = 0
        self.header_cells = 0
        self.marked_languages: set[str] = set()
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.tags.append(tag)
        if tag == "html":
            self.html_lang = values.get("lang") or ""
        elif tag == "table":
            self.tables += 1
        elif tag == "caption":
            self.captions += 1
        elif tag == "th" and values.get("scope") in ("col", "row"):
            self.header_cells += 1
        if values.get("lang") and tag != "html":
            self.marked_languages.add(values["lang"] or "")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_the_html_report_is_accessible_itself(shipped_audit: tuple[Report, dict],
                                              tmp_path: Path) -> None:
    report, graph = shipped_audit
    _, html_path = write_report(report, graph, tmp_path / "out")
    page = _Structure()
    page.feed(html_path.read_text(encoding="utf-8"))
    assert page.html_lang == "en"
    assert page.tags.count("h1") == 1
    assert page.tags.count("h2") >= len(CHECKS)
    assert page.tables > 0 and page.captions == page.tables
    assert page.header_cells >= 4 * page.tables
    other = set(read_packs(data_dir("lang")).packs) - {"en"}
    assert other <= page.marked_languages
    text = " ".join(page.text)
    for check in report.checks:
        verdict = "Pass" if check.status == PASS else "Fail"
        assert f"{check.title}: {'✓' if check.status == PASS else '✗'} {verdict}" in text
    assert (FAIL in {c.status for c in report.checks}) == ("audit: failed" in text)

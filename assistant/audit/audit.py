"""The whole audit: read the inputs, drive the sessions and calls, judge, write the report.

Checks that only read files (packs, themes) run first; the ones that drive sessions share
one pool of worker processes. A check that cannot run because a part of Dialin is missing
fails and says so: the audit never passes by leaving something out.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.audit.completeness import check_completeness
from assistant.audit.explore import Explorer, Graph
from assistant.audit.findings import FAIL, Check, Finding, Report
from assistant.audit.graph_check import check_graph, graph_data
from assistant.audit.inputs import AuditInputs, read_packs
from assistant.audit.kiosk import check_kiosk
from assistant.audit.parity import ParityAudit
from assistant.audit.plain_language import check_plain_language
from assistant.audit.report import write_html, write_json
from assistant.audit.runs import Runner
from assistant.audit.security import Scanned, check_security, scan_call, scan_graph
from assistant.audit.timing import check_timing
from assistant.dialog.menus import load_menus
from assistant.dialog.packs import REFERENCE, PackError

CHECKS = ("modality_parity", "dialog_graph", "language_completeness", "plain_language",
          "timing", "captions", "tty", "kiosk", "security")
"""Every check, in report order."""

SESSION_CHECKS = {"modality_parity", "dialog_graph", "timing", "captions", "tty", "security"}


@dataclass(frozen=True, slots=True)
class AuditOptions:
    """What to audit and how."""

    inputs: AuditInputs
    checks: tuple[str, ...] = CHECKS
    """The checks to run (all by default)."""

    languages: tuple[str, ...] | None = None
    """Explore the dialog graph in these languages only (None: all)."""

    jobs: int | None = None
    """Worker processes for the sessions (None: one per core)."""

    progress: Callable[[str], None] = field(default=lambda _: None)
    """Told what the audit is doing, a line at a time."""

    def __post_init__(self) -> None:
        unknown = sorted(set(self.checks) - set(CHECKS))
        if unknown:
            raise ValueError(f"unknown check {unknown[0]!r}: choose from {', '.join(CHECKS)}")


def _cannot_drive(check_id: str, why: str) -> Check:
    return Check(check_id, check_id.replace("_", " ").capitalize(),
                 "Needs sessions driven with the packs and keypad layout.", ("WCAG 2.1.1",),
                 (Finding("sessions", FAIL, f"No session could run: {why}.", ("WCAG 2.1.1",),
                          (why,)),), "not run")


def run_audit(options: AuditOptions) -> tuple[Report, dict[str, Any]]:
    """Run the chosen checks; the report and the explored graph (empty if not explored)."""
    started = time.monotonic()
    inputs, chosen, say = options.inputs, set(options.checks), options.progress
    read = read_packs(inputs.lang_dir)
    results: dict[str, Check] = {}
    graph_json: dict[str, Any] = {}
    if "language_completeness" in chosen:
        results["language_completeness"] = check_completeness(read, inputs.voices_dir)
    if "plain_language" in chosen:
        say("measuring every prompt")
        results["plain_language"] = check_plain_language(read.packs, inputs.voices_dir)
    if "kiosk" in chosen:
        results["kiosk"] = check_kiosk(inputs.themes)
    driven = chosen & SESSION_CHECKS
    if driven:
        why = "" if REFERENCE in read.packs else f"the reference pack {REFERENCE}.toml is unusable"
        try:
            load_menus(inputs.menus_path)
        except PackError as error:
            why = why or f"the keypad layout cannot be read: {error}"
        if why:
            results.update({c: _cannot_drive(c, why) for c in driven})
        else:
            graph_json = _drive(options, read.packs, driven, results)
    report = Report(
        checks=tuple(results[c] for c in CHECKS if c in results),
        inputs=inputs.describe(),
        generated=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        duration_s=time.monotonic() - started,
    )
    return report, graph_json


def _drive(options: AuditOptions, packs: dict[str, Any], driven: set[str],
           results: dict[str, Check]) -> dict[str, Any]:
    from assistant.audit.captions import check_captions
    from assistant.audit.tty import check_tty

    say = options.progress
    scratch = Path(tempfile.mkdtemp(prefix="dialin-audit-"))
    try:
        with Runner(options.inputs.lang_dir, options.inputs.menus_path, scratch,
                    options.jobs) as runner:
            if "modality_parity" in driven:
                say("choosing every menu option by voice, keypad and text")
                results["modality_parity"] = ParityAudit(runner, packs).check()
            graph = Graph()
            if driven & {"dialog_graph", "timing", "security"}:
                say("exploring the dialog graph")
                graph = Explorer(runner, packs, options.languages).explore()
                results["dialog_graph"] = check_graph(graph)
            if "timing" in driven:
                say("probing waits, help and repeat at every question")
                results["timing"] = check_timing(graph, runner, packs)
            scans: list[Scanned] = [scan_graph(graph)]
            if driven & {"captions", "security"}:
                say("running a simulated keypad call")
                captioned = check_captions(runner, packs, scratch / "captions-call")
                results["captions"] = captioned.check
                scans.append(scan_call("keypad call records", captioned.output, captioned.plan))
            if driven & {"tty", "security"}:
                say("running a simulated TTY call")
                typed = check_tty(runner, packs, scratch / "tty-call")
                results["tty"] = typed.check
                scans.append(scan_call("TTY call records", typed.output, typed.plan))
            if "security" in driven:
                results["security"] = check_security(scans)
            say(f"{runner.runs} sessions driven")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    for check_id in list(results):
        if check_id in SESSION_CHECKS and check_id not in driven:
            del results[check_id]
    return graph_data(graph) if graph.states else {}


def write_report(report: Report, graph: dict[str, Any], folder: Path) -> tuple[Path, Path]:
    """Write report.json and report.html into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    json_path, html_path = folder / "report.json", folder / "report.html"
    write_json(report, json_path, {"graph": graph} if graph else None)
    write_html(report, html_path, graph or None)
    return json_path, html_path

"""Security: no card number, bank number, PIN or security code in clear, anywhere.

Searched: everything that left every session the explorer drove (prompt text and speech,
the values filled into prompts, the agent's hand-off summary, the log records, and the
stored rows after a secret was entered), and the transcript and captions of the simulated
calls. Each search looks for the secrets the audit itself entered and for any unmasked card
number. Neither WCAG nor Section 508 covers this; EN 301 549 does (masked entry, private
access to personal data), so the findings cite it.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.audit.calls import CallOutput, CallPlan
from assistant.audit.explore import Graph
from assistant.audit.findings import FAIL, PASS, Check, Finding
from assistant.audit.leaks import Leak, scan

REQUIREMENTS = ("EN 5.1.3.8", "EN 5.1.3.9")


@dataclass(frozen=True, slots=True)
class Scanned:
    """One body of records searched."""

    name: str
    records: int
    secrets: int
    """How many secret entries the records follow."""

    leaks: tuple[tuple[Leak, str], ...]
    """Each leak and how it came about."""

    missing: str = ""
    """Why this body of records could not be searched, if it could not."""


def scan_graph(graph: Graph) -> Scanned:
    """What the explorer's sessions put out."""
    return Scanned("sessions (prompts, speech, values, hand-offs, logs, database)",
                   graph.records_scanned, graph.secrets_entered,
                   tuple((f.leak, " → ".join(f.steps)) for f in graph.leaks))


def scan_call(name: str, output: CallOutput | None, plan: CallPlan | None) -> Scanned:
    """The files a simulated call wrote."""
    if output is None or plan is None:
        return Scanned(name, 0, 0, (), "the call did not run")
    texts = [(path.name, path.read_text(encoding="utf-8"))
             for path in (output.transcript, output.vtt, output.srt) if path.is_file()]
    if not texts:
        return Scanned(name, 0, len(plan.secrets), (), "the call wrote no records")
    leaks = scan(texts, plan.secrets)
    return Scanned(name, len(texts), len(plan.secrets),
                   tuple((leak, f"{name}: {leak.source}") for leak in leaks))


def check_security(scans: list[Scanned]) -> Check:
    findings: list[Finding] = []
    for scanned in scans:
        if scanned.missing:
            findings.append(Finding(scanned.name, FAIL, f"Not searched: {scanned.missing}.",
                                    REQUIREMENTS, (scanned.missing,)))
            continue
        for leak, how in scanned.leaks:
            findings.append(Finding(
                f"{scanned.name}: {leak.source}", FAIL,
                f"An {leak.kind} is in clear in the {leak.source}.", REQUIREMENTS,
                (f"…{leak.excerpt}…", f"after: {how}"),
                {"source": leak.source, "kind": leak.kind}))
        if not scanned.leaks:
            searched = scanned.records > 0 and scanned.secrets > 0
            findings.append(Finding(
                scanned.name, PASS if searched else FAIL,
                f"{scanned.records} records searched after {scanned.secrets} secret entries; "
                "no secret in clear." if searched else
                "Nothing was searched for entered secrets, so nothing is shown.",
                REQUIREMENTS, (f"{scanned.records} records",),
                {"records": scanned.records, "secrets": scanned.secrets}))
    leaks = sum(len(s.leaks) for s in scans)
    return Check(
        id="security",
        title="Security: no card numbers or PINs in clear",
        rule=("Every record that leaves a call is searched for the secrets the audit entered "
              "(keyed, typed or spoken digit by digit) and for unmasked card numbers; the "
              "last four digits alone are allowed. Any found fails, and so does a body of "
              "records that could not be searched."),
        requirements=REQUIREMENTS,
        findings=tuple(findings),
        summary=(f"{sum(s.records for s in scans)} records searched after "
                 f"{sum(s.secrets for s in scans)} secret entries; {leaks} leaks"),
    )

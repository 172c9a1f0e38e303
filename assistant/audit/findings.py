"""What the audit reports: findings with their evidence, grouped into checks, in one report.

A check passes only when it checked something and none of its findings failed: a check
that found nothing to look at (a component missing, an empty graph) fails, so the audit
can never pass by having looked away.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from assistant.audit.standards import requirement

PASS = "pass"
FAIL = "fail"
NOTE = "note"
"""A finding that informs without deciding (a measurement, a case that does not apply)."""

STATUSES = (PASS, FAIL, NOTE)


class AuditError(RuntimeError):
    """The audit itself could not run (unreadable input, a broken pack); says why."""


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing checked, its verdict, and what shows it."""

    subject: str
    """What was checked, in a few words: "balance, es", "prompt menu.main, en"."""

    status: str
    """"pass", "fail" or "note"."""

    detail: str
    """What was found, as one plain sentence."""

    requirements: tuple[str, ...]
    """The WCAG success criteria or Section 508 provisions this is evidence for."""

    evidence: tuple[str, ...] = ()
    """What shows it: the path taken, the measurement, the file and key."""

    data: dict[str, Any] = field(default_factory=dict)
    """The same measurements, machine-readable (JSON values only)."""

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"finding status must be one of {STATUSES}, not {self.status!r}")
        for ref in self.requirements:
            requirement(ref)


@dataclass(frozen=True, slots=True)
class Check:
    """One area of the audit (modality parity, captions, ...) and its findings."""

    id: str
    """Stable name used in report.json and by CI: "modality_parity"."""

    title: str
    """Heading in the report."""

    rule: str
    """How the verdict is decided, in one or two sentences."""

    requirements: tuple[str, ...]
    """Every requirement the check's findings may cite."""

    findings: tuple[Finding, ...]

    summary: str = ""
    """One line on what was measured (counts, worst case)."""

    @property
    def status(self) -> str:
        """Fail when any finding failed or when nothing was checked."""
        if not self.findings or any(f.status == FAIL for f in self.findings):
            return FAIL
        return PASS

    @property
    def failures(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.status == FAIL)


@dataclass(frozen=True, slots=True)
class Report:
    """The whole audit."""

    checks: tuple[Check, ...]

    inputs: dict[str, str]
    """What was audited: the language folder, the keypad layout, the themes."""

    generated: str
    """When, as ISO 8601."""

    duration_s: float
    """How long the audit took."""

    @property
    def status(self) -> str:
        return PASS if self.checks and all(c.status == PASS for c in self.checks) else FAIL

    def check(self, check_id: str) -> Check:
        """The check named `check_id`.

        Raises:
            KeyError: no such check in this report.
        """
        for check in self.checks:
            if check.id == check_id:
                return check
        raise KeyError(check_id)

    def to_json(self) -> dict[str, Any]:
        """The report as report.json holds it."""
        return {
            "status": self.status,
            "generated": self.generated,
            "duration_s": round(self.duration_s, 1),
            "inputs": dict(self.inputs),
            "checks": [
                {
                    "id": c.id,
                    "title": c.title,
                    "status": c.status,
                    "rule": c.rule,
                    "summary": c.summary,
                    "requirements": [asdict(requirement(r)) for r in c.requirements],
                    "findings": [
                        {
                            "subject": f.subject,
                            "status": f.status,
                            "detail": f.detail,
                            "requirements": list(f.requirements),
                            "evidence": list(f.evidence),
                            "data": f.data,
                        }
                        for f in c.findings
                    ],
                }
                for c in self.checks
            ],
        }


def missing_component(check_id: str, title: str, rule: str, requirements: tuple[str, ...],
                      component: str, why: str) -> Check:
    """The failing check for a part of Dialin that is not there to be audited."""
    return Check(
        id=check_id,
        title=title,
        rule=rule,
        requirements=requirements,
        findings=(
            Finding(
                subject=component,
                status=FAIL,
                detail=f"component missing: {why}",
                requirements=requirements,
                evidence=(f"component missing: {component}",),
            ),
        ),
        summary="component missing",
    )

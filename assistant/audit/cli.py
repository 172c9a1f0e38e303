"""`dialin audit`: run the audit, write the report, and answer CI with the exit status."""

from __future__ import annotations

import sys
from pathlib import Path

from assistant.audit.audit import CHECKS, AuditOptions, run_audit, write_report
from assistant.audit.findings import PASS
from assistant.audit.inputs import AuditInputs


def run_audit_command(out: Path, lang_dir: Path | None, menus: Path | None,
                      themes: tuple[Path, ...], checks: tuple[str, ...],
                      jobs: int | None) -> int:
    """Run the audit; 0 when every check passed, 1 when one failed, 2 on bad options."""
    for path in (lang_dir, menus, *themes):
        if path is not None and not path.exists():
            print(f"dialin audit: {path} does not exist", file=sys.stderr)
            return 2
    try:
        options = AuditOptions(
            inputs=AuditInputs.shipped(lang_dir, menus, themes),
            checks=checks or CHECKS,
            jobs=jobs,
            progress=lambda line: print(f"audit: {line}", file=sys.stderr, flush=True),
        )
    except ValueError as error:
        print(f"dialin audit: {error}", file=sys.stderr)
        return 2
    report, graph = run_audit(options)
    json_path, html_path = write_report(report, graph, out)
    for check in report.checks:
        print(f"{check.status.upper():4}  {check.id}: {check.summary}")
    print(f"{report.status.upper()}: {html_path} and {json_path.name} "
          f"({report.duration_s:.0f} s)")
    return 0 if report.status == PASS else 1

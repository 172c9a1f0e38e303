"""Writing the report: report.json for machines, report.html for people.

The HTML is itself held to what it audits: one h1 and a heading per check, tables with
captions and header cells, the verdict always in words (colour only repeats it), prompts in
other languages marked with their language, and no script.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from html import escape
from pathlib import Path
from typing import Any

from assistant.audit.findings import FAIL, NOTE, PASS, Check, Finding, Report
from assistant.audit.standards import requirement

_WORDS = {PASS: "✓ Pass", FAIL: "✗ Fail", NOTE: "ℹ Note"}
_ORDER = {FAIL: 0, NOTE: 1, PASS: 2}

_STYLE = """
body { font-family: system-ui, sans-serif; line-height: 1.5; margin: 1rem auto;
       max-width: 72rem; padding: 0 1rem; color: #111; background: #fff; }
a { color: #0645ad; }
a:focus, summary:focus { outline: 3px solid #000; outline-offset: 2px; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1.5rem; }
caption { text-align: left; font-weight: bold; padding: 0.25rem 0; }
th, td { border: 1px solid #555; padding: 0.3rem 0.5rem; text-align: left;
         vertical-align: top; }
thead th { background: #e8e8e8; }
.status-fail { background: #fde2e2; font-weight: bold; }
.status-pass { background: #e3f4e3; }
.status-note { background: #fff4d6; }
td ul { margin: 0; padding-left: 1.1rem; }
.verdict { font-size: 1.25rem; }
"""


def write_json(report: Report, path: Path, appendix: dict[str, Any] | None = None) -> None:
    """Write report.json: the report, and the explored graph when there is one."""
    data = report.to_json()
    if appendix:
        data.update(appendix)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _status(status: str, tag: str = "td") -> str:
    return f'<{tag} class="status-{status}">{escape(_WORDS[status])}</{tag}>'


def _requirements(refs: Iterable[str]) -> str:
    items = []
    for ref in refs:
        req = requirement(ref)
        level = f" (level {req.level})" if req.level else ""
        items.append(f'<li><abbr title="{escape(req.standard)}">{escape(req.id)}</abbr> '
                     f"{escape(req.title)}{level}</li>")
    return f"<ul>{''.join(items)}</ul>"


def _evidence(finding: Finding) -> str:
    lang = finding.data.get("lang") if isinstance(finding.data.get("lang"), str) else None
    items = []
    for line in finding.evidence:
        marked = f' lang="{escape(lang)}"' if lang and lang != "en" and line.startswith("“") else ""
        items.append(f"<li{marked}>{escape(line)}</li>")
    return f"<ul>{''.join(items)}</ul>" if items else ""


def _findings_table(check: Check, findings: list[Finding], caption: str) -> str:
    rows = []
    for f in findings:
        rows.append(
            f'<tr><th scope="row">{escape(f.subject)}</th>{_status(f.status)}'
            f"<td>{escape(f.detail)}</td><td>{escape(', '.join(f.requirements))}</td>"
            f"<td>{_evidence(f)}</td></tr>")
    return (
        f"<table><caption>{escape(caption)}</caption><thead><tr>"
        '<th scope="col">What</th><th scope="col">Result</th><th scope="col">Finding</th>'
        '<th scope="col">Supports</th><th scope="col">Evidence</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>")


def _check_section(check: Check) -> str:
    findings = sorted(check.findings, key=lambda f: _ORDER[f.status])
    shown = [f for f in findings if f.status != PASS]
    passed = [f for f in findings if f.status == PASS]
    parts = [
        f'<section aria-labelledby="{check.id}"><h2 id="{check.id}">'
        f"{escape(check.title)}: {escape(_WORDS[check.status])}</h2>",
        f"<p><strong>How it is decided:</strong> {escape(check.rule)}</p>",
        f"<p><strong>Measured:</strong> {escape(check.summary)}</p>",
        "<h3>Requirements it supports</h3>", _requirements(check.requirements),
    ]
    if shown:
        failed = sum(f.status == FAIL for f in shown)
        parts.append(_findings_table(check, shown, f"{check.title}: {failed} failed, "
                                                   f"{len(shown) - failed} notes"))
    elif not findings:
        parts.append("<p>Nothing was checked, so the check fails.</p>")
    if passed:
        parts.append(f"<details><summary>{len(passed)} passed findings</summary>"
                     + _findings_table(check, passed, f"{check.title}: passed findings")
                     + "</details>")
    parts.append("</section>")
    return "\n".join(parts)


def _summary_table(report: Report) -> str:
    rows = "".join(
        f'<tr><th scope="row"><a href="#{c.id}">{escape(c.title)}</a></th>{_status(c.status)}'
        f"<td>{escape(c.summary)}</td><td>{escape(', '.join(c.requirements))}</td></tr>"
        for c in report.checks)
    return ("<table><caption>Every check and its result</caption><thead><tr>"
            '<th scope="col">Check</th><th scope="col">Result</th>'
            '<th scope="col">Measured</th><th scope="col">Supports</th></tr></thead>'
            f"<tbody>{rows}</tbody></table>")


def _graph_section(graph: dict[str, Any]) -> str:
    states = graph.get("states", [])
    rows = "".join(
        f'<tr><th scope="row">{escape(s["state"])}</th><td>{escape(s["lang"])}</td>'
        f'<td>{escape(s["context"] or "—")}</td><td>{escape(s["kind"])}</td>'
        f'<td>{s["timeout_s"]:g} s</td><td lang="{escape(s["lang"])}">{escape(s["prompt"])}</td>'
        f'<td>{escape(" → ".join(s["path"]) or "start of the call")}</td></tr>'
        for s in states)
    return (
        '<section aria-labelledby="graph"><h2 id="graph">The dialog graph as explored</h2>'
        f"<p>{len(states)} questions, found by driving sessions; "
        f"{len(graph.get('edges', []))} moves tried (all in report.json).</p>"
        "<details><summary>Every question found</summary>"
        "<table><caption>Questions found, with the first path to each</caption><thead><tr>"
        '<th scope="col">Question</th><th scope="col">Language</th>'
        '<th scope="col">After</th><th scope="col">Kind</th><th scope="col">Wait</th>'
        '<th scope="col">Prompt</th><th scope="col">Path</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></details></section>")


def render_html(report: Report, graph: dict[str, Any] | None = None) -> str:
    """The report as one self-contained HTML page."""
    verdict = "passed" if report.status == PASS else "failed"
    failed = [c for c in report.checks if c.status == FAIL]
    inputs = "".join(f"<li>{escape(k)}: {escape(v)}</li>" for k, v in report.inputs.items())
    body = [
        f"<h1>Dialin accessibility audit: {verdict}</h1>",
        f'<p class="verdict"><strong>{escape(_WORDS[report.status])}.</strong> '
        f"{len(report.checks) - len(failed)} of {len(report.checks)} checks passed"
        + (f"; failed: {escape(', '.join(c.title for c in failed))}." if failed else ".")
        + "</p>",
        f"<p>Generated {escape(report.generated)} in {report.duration_s:.0f} s "
        "from the running system.</p>",
        f"<h2>What was audited</h2><ul>{inputs}</ul>",
        "<h2>Results</h2>", _summary_table(report),
        *(_check_section(c) for c in report.checks),
    ]
    if graph:
        body.append(_graph_section(graph))
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>Dialin accessibility audit: {verdict}</title>\n<style>{_STYLE}</style>\n"
        "</head>\n<body>\n<main>\n" + "\n".join(body) + "\n</main>\n</body>\n</html>\n")


def write_html(report: Report, path: Path, graph: dict[str, Any] | None = None) -> None:
    path.write_text(render_html(report, graph), encoding="utf-8")

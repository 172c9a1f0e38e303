"""The dialog graph check: every question found, every option of it answerable every way.

Where the parity check follows menu options from the main menu, this one looks at every
question the walk found (lists, yes/no questions, digit and amount entries) the first time
its prompt is met in each language: each option, given by voice, keypad and text, must lead
to the same place with no error. Session failures and unusable entries fail too.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from assistant.audit.explore import Edge, Graph
from assistant.audit.findings import FAIL, NOTE, PASS, Check, Finding
from assistant.audit.moves import KEYPAD, MODALITIES

REQUIREMENTS = ("WCAG 2.1.1", "WCAG 4.1.2", "508 302.1", "508 302.4", "508 302.6")


def _state_finding(lang: str, key: str, edges: list[Edge], path: tuple[str, ...],
                   kind: str) -> Finding:
    options: dict[str, dict[str, Edge]] = defaultdict(dict)
    for edge in edges:
        options[edge.option][edge.modality] = edge
    problems, evidence = [], [f"reached by: {' → '.join(path) or 'the start of the call'}"]
    for option, ways in options.items():
        reached = {e.reached for e in ways.values()}
        missing = [m for m in MODALITIES if m not in ways
                   and not (m == KEYPAD and kind in ("intent", "text"))]
        errors = sorted({err for e in ways.values() for err in e.errors})
        line = "; ".join(f"{m} {ways[m].move} ⇒ {ways[m].reached}"
                         for m in MODALITIES if m in ways)
        evidence.append(f"{option}: {line}")
        if len(reached) > 1:
            problems.append(f"“{option}” leads to different places")
        if missing:
            problems.append(f"“{option}” has no {' or '.join(missing)} way")
        if errors:
            problems.append(f"“{option}” met {', '.join(errors)}")
    detail = ("; ".join(problems) + "." if problems else
              f"All {len(options)} options lead to the same place by every way offered.")
    return Finding(f"{key}, {lang}", FAIL if problems else PASS,
                   detail[0].upper() + detail[1:], REQUIREMENTS, tuple(evidence),
                   {"lang": lang, "state": key, "kind": kind, "options": len(options)})


def graph_data(graph: Graph) -> dict[str, Any]:
    """The graph as report.json keeps it: every question found and every move tried."""
    return {
        "states": [
            {"lang": s.lang, "state": s.key, "context": s.context, "kind": s.expect.kind,
             "timeout_s": s.expect.timeout_s, "secret": s.expect.secret,
             "options": list(s.expect.intents or s.expect.choices), "prompt": s.prompt,
             "path": list(s.steps)}
            for s in graph.states.values()
        ],
        "edges": [
            {"lang": e.lang, "state": e.state, "option": e.option, "modality": e.modality,
             "move": e.move, "reached": e.reached, "errors": list(e.errors)}
            for e in graph.edges
        ],
    }


def check_graph(graph: Graph) -> Check:
    """Judge the explored graph."""
    findings: list[Finding] = []
    for state in graph.states.values():
        if state.expect.kind == "digits" and state.entry is None:
            findings.append(Finding(
                f"{state.key}, {state.lang}", FAIL,
                "No value the explorer tried was accepted, so nothing past it was reached.",
                REQUIREMENTS, (f"reached by: {' → '.join(state.steps)}",),
                {"lang": state.lang, "state": state.key}))
    first = graph.first_states()
    for state in first:
        edges = graph.edges_from(state)
        if edges:
            findings.append(_state_finding(state.lang, state.key, edges, state.steps,
                                           state.expect.kind))
    crashes: dict[str, tuple[str, ...]] = {}
    for crash, steps in graph.crashes:
        crashes.setdefault(crash, steps)
    for crash, steps in crashes.items():
        findings.append(Finding("session failure", FAIL, f"The session raised {crash}.",
                                REQUIREMENTS, (f"path: {' → '.join(steps)}",)))
    for lang, key, steps in graph.not_explored:
        findings.append(Finding(f"{key}, {lang}", NOTE,
                                "Deeper than the walk goes; not explored.", REQUIREMENTS,
                                (f"path: {' → '.join(steps)}",)))
    contexts = len(graph.states)
    prompts = len(first)
    return Check(
        id="dialog_graph",
        title="Dialog graph: every question answerable by voice, keypad and text",
        rule=("The graph is found by driving sessions from the start of a call. At each "
              "question, the first time its prompt is met in a language, every option is "
              "given by voice, keypad and text (keypad where the question offers keys); all "
              "ways must reach the same place with no error. A session failure, or a digit "
              "entry that accepts nothing tried, fails."),
        requirements=REQUIREMENTS,
        findings=tuple(findings),
        summary=(f"{prompts} questions ({contexts} with their contexts) in "
                 f"{len(graph.languages())} languages; {len(graph.edges)} moves tried"),
    )

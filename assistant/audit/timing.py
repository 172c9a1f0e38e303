"""Timing and help: every wait, whether the caller can lift it, and help, repeat and a
second chance at every question.

Each question found (its first context in each language) is probed on a fresh call, as a
caller who needs time would: with the "no time limit" preference (timeout scale 0), they
say nothing until the wait would run out, ask to hear the question again (`#` where keys
answer, the phrase elsewhere), then ask for help. The wait must be off; silence must be
met with a reprompt, not the end of the call; repeat must ask again; help must explain and
ask again.
"""

from __future__ import annotations

from collections.abc import Mapping

from assistant.audit.driver import Outcome
from assistant.audit.explore import Graph, State
from assistant.audit.findings import FAIL, PASS, Check, Finding
from assistant.audit.moves import describe
from assistant.audit.runs import Job, Runner
from assistant.dialog.events import Digits, Event, NoInput, TextLine
from assistant.dialog.packs import LanguagePack

REQUIREMENTS = ("WCAG 2.2.1", "WCAG 3.2.6", "WCAG 3.3.5", "508 1194.23(d)", "508 302.9")
KEYED_KINDS = ("intent", "choice", "yes_no")
"""Questions answered by single keys, where `#` repeats (elsewhere `#` ends an entry)."""

PROBES = ("silence", "repeat", "help")


def probe_events(state: State, pack: LanguagePack) -> tuple[Event, Event, Event]:
    """Silence, then repeat, then help, in the way this question allows."""
    repeat: Event = (Digits("#") if state.expect.kind in KEYED_KINDS
                     else TextLine(pack.intents["repeat"][0]))
    return NoInput(), repeat, TextLine(pack.intents["help"][0])


def judge(state: State, probes: tuple[Event, ...], outcome: Outcome) -> Finding:
    """The verdict on one question from its probe call."""
    key, wait = state.key, state.expect.timeout_s
    answers = outcome.answers[-len(probes):]
    waiting = outcome.waiting[-len(probes):]
    results: dict[str, bool] = {}
    lines = []
    for name, event, said, now in zip(PROBES, probes, answers, waiting, strict=False):
        asked_again = now == key and key in said
        if name == "silence":
            ok = asked_again and "error.no_input" in said
        elif name == "help":
            ok = asked_again and any(k.startswith("help.") for k in said)
        else:
            ok = asked_again
        results[name] = ok
        lines.append(f"{name}: {'works' if ok else 'FAILS'}: {describe(event)} ⇒ "
                     f"{', '.join(said) or 'nothing'} ⇒ {now or 'the call ended'}")
    for name in PROBES:
        results.setdefault(name, False)
    left = outcome.expect.timeout_s if outcome.expect is not None else None
    results["no time limit"] = outcome.state == key and left == 0
    lines.insert(0, f"no time limit: {'works' if results['no time limit'] else 'FAILS'}: "
                    f"wait with the preference {left if left is not None else 'unknown'} s")
    failed = [name for name, ok in results.items() if not ok]
    detail = (f"Waits {wait:g} s; " + (
        "the wait can be turned off, and a reprompt after silence, repeat and help all work."
        if not failed else f"these do not work here: {', '.join(failed)}."))
    return Finding(
        f"{key}, {state.lang}", FAIL if failed else PASS, detail, REQUIREMENTS,
        (f"reached by: {' → '.join(state.steps) or 'the start of the call'}", *lines),
        {"lang": state.lang, "state": key, "timeout_s": wait,
         **{name.replace(" ", "_"): ok for name, ok in results.items()}})


def check_timing(graph: Graph, runner: Runner, packs: Mapping[str, LanguagePack]) -> Check:
    """Probe every question of the graph for its wait, silence, repeat and help."""
    states = graph.first_states()
    probes = [probe_events(state, packs[state.lang]) for state in states]
    outcomes = runner.run([Job((*state.events, *events), timeout_scale=0.0)
                           for state, events in zip(states, probes, strict=True)])
    findings = [judge(state, events, outcome)
                for state, events, outcome in zip(states, probes, outcomes, strict=True)]
    waits = sorted({s.expect.timeout_s for s in states})
    return Check(
        id="timing",
        title="Timing, help and repeat at every question",
        rule=("At every question found, with the caller's no-time-limit preference: the wait "
              "is off (WCAG 2.2.1); silence is answered with a reprompt, never the end of the "
              "call; repeat asks again; help explains and asks again. Any that fails, fails."),
        requirements=REQUIREMENTS,
        findings=tuple(findings),
        summary=(f"{len(states)} questions probed; waits of "
                 f"{', '.join(f'{w:g}' for w in waits)} s"),
    )

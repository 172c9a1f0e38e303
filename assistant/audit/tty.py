"""TTY: a simulated Baudot call through a main path, answered in Baudot.

The caller's turns are typed lines sent as Baudot tones (the signals encoder); `dialin call`
must read each one right, take the session along the same path as the typed lines take
it, and answer in Baudot tones a TTY can print: the assistant's audio is decoded with the
signals decoder and each of its turns must be found in what a TTY would show.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from assistant.audit.calls import (
    CallOutput,
    CallPlan,
    CallUnavailable,
    CheckedCall,
    plan_call,
    run_call,
    write_turns,
)
from assistant.audit.findings import FAIL, PASS, Check, Finding, missing_component
from assistant.audit.moves import TEXT
from assistant.audit.runs import Runner
from assistant.dialog.packs import LanguagePack

if TYPE_CHECKING:
    from assistant.channels.transcript import Turn

REQUIREMENTS = ("508 412.8.3", "508 412.8.4", "508 1194.23(c)", "508 302.4", "508 302.6")
MIN_PRINTED = 0.9
"""The share of the assistant's turns a TTY must print legibly."""

MATCH = 85
"""How close (0-100) printed text must be to the turn to count as printed."""

PATH_MATCH = 80
"""How close (0-100) the call's answer must be to the session's for the same line (dates
and reference numbers differ between the two calls)."""


def _normal(text: str) -> str:
    from assistant.signals.baudot import normalize_text

    return " ".join(normalize_text(text).split())


def _caller_findings(plan: CallPlan, heard: list[Turn]) -> list[Finding]:
    findings = []
    for number, (planned, turn) in enumerate(zip(plan.turns, heard, strict=False), start=1):
        want = "[secret]" if planned.secret else _normal(planned.value)
        got = turn.text if planned.secret else _normal(turn.text)
        ok = turn.modality == "tty" and got == want
        findings.append(Finding(
            f"caller turn {number}", PASS if ok else FAIL,
            f"Read as {turn.modality} “{turn.text}”" + ("." if ok else f"; sent “{want}”."),
            REQUIREMENTS, (f"sent as Baudot: “{want}”",)))
    if len(heard) < len(plan.turns):
        findings.append(Finding("caller turns", FAIL,
                                f"Only {len(heard)} of {len(plan.turns)} TTY turns reached "
                                "the call.", REQUIREMENTS, ()))
    return findings


def _answer_findings(plan: CallPlan, turns: list[Turn]) -> list[Finding]:
    """The line announces itself in Baudot, then answers every TTY turn in Baudot, with
    what the session answers the same typed lines."""
    heard = [t for t in turns if t.who == "caller"]
    first = heard[0].start_s if heard else float("inf")
    announced = [t for t in turns if t.who == "assistant" and t.modality == "tty"
                 and t.start_s < first]
    findings = [Finding(
        "announced to TTY callers", PASS if announced else FAIL,
        (f"Before the caller's first turn the line sends “{announced[0].text}” in Baudot."
         if announced else "Nothing is sent in Baudot before the caller's first turn, so a "
         "TTY caller is not told the line answers TTYs."), REQUIREMENTS,
        tuple(f"{t.start_s:.1f} s {t.modality}: {t.text}" for t in turns[:6]))]
    for number, planned in enumerate(plan.turns, start=1):
        if number > len(heard):
            break
        start = heard[number - 1].end_s
        until = heard[number].start_s if number < len(heard) else float("inf")
        answer = [t for t in turns if t.who == "assistant" and start <= t.start_s < until]
        spoken = [t for t in answer if t.modality != "tty"]
        expected = _normal(" ".join(planned.answer))
        got = _normal(" ".join(t.text for t in answer if t.modality == "tty"))
        similar = fuzz.ratio(expected, got[: len(expected) + 4]) if expected else 100.0
        ok = bool(answer) and not spoken and similar >= PATH_MATCH
        findings.append(Finding(
            f"answer to turn {number}", PASS if ok else FAIL,
            ("Answered in Baudot with what the session answers the same line."
             if ok else "Answered " + ("partly by voice" if spoken else
                                      "not as the session answers the same line")
             + f" (similarity {similar:.0f}%)."),
            REQUIREMENTS, (f"session: {expected}", f"call: {got}"),
            {"similarity": round(similar, 1), "spoken_turns": len(spoken)}))
    return findings


def _printed_finding(output: CallOutput, turns: list[Turn]) -> Finding:
    from assistant.audio.wavfile import AudioFileError, read_wav
    from assistant.signals import tty as baudot_tty

    sent = [t for t in turns if t.who == "assistant" and t.modality == "tty"]
    try:
        audio = read_wav(output.audio)
        printed = _normal(baudot_tty.decode(audio.samples, audio.rate).text)
    except (AudioFileError, ValueError) as error:
        return Finding("assistant's TTY audio", FAIL, f"assistant.wav cannot be decoded: "
                       f"{error}.", REQUIREMENTS, (str(output.audio),))
    found = [t for t in sent if fuzz.partial_ratio(_normal(t.text), printed) >= MATCH]
    share = len(found) / len(sent) if sent else 0.0
    return Finding(
        "printed by a TTY", PASS if share >= MIN_PRINTED else FAIL,
        f"{len(found)} of {len(sent)} Baudot turns of the assistant decode from its audio "
        f"({share:.0%}; at least {MIN_PRINTED:.0%} needed).", REQUIREMENTS,
        (f"decoded from assistant.wav: {printed[:300]}{'…' if len(printed) > 300 else ''}",
         *[f"not printed: {t.text}" for t in sent if t not in found][:5]),
        {"printed_share": round(share, 3), "decoded_chars": len(printed)})


def tty_findings(output: CallOutput, plan: CallPlan) -> list[Finding]:
    """Judge what `dialin call` made of the Baudot turns."""
    from assistant.channels.transcript import TranscriptError, read_transcript

    if output.returncode != 0 or not output.transcript.is_file():
        return [Finding("simulated TTY call", FAIL,
                        f"dialin call failed (exit {output.returncode}) or wrote no transcript.",
                        REQUIREMENTS, (output.stderr or "no error output",))]
    try:
        turns = read_transcript(output.transcript)
    except TranscriptError as error:
        return [Finding("transcript", FAIL, f"The transcript cannot be read: {error}.",
                        REQUIREMENTS, (str(output.transcript),))]
    heard = [t for t in turns if t.who == "caller"]
    return [*_caller_findings(plan, heard), *_answer_findings(plan, turns),
            _printed_finding(output, turns)]


def check_tty(runner: Runner, packs: Mapping[str, LanguagePack], folder: Path) -> CheckedCall:
    """Plan a typed call, send it as Baudot through `dialin call`, and read the answer."""
    rule = ("A caller types on a TTY (Baudot tones) through a main path. The line must "
            "announce in Baudot that it answers TTYs, read every line right, answer every "
            "line in Baudot (no speech) with what the session answers the same typed line, "
            f"and at least {MIN_PRINTED:.0%} of its Baudot turns must decode from its audio.")
    title = "TTY: a simulated Baudot call through a main path"
    try:
        plan = plan_call(runner, packs, TEXT)
        turns = write_turns(plan, folder / "turns", tty=True)
        output = run_call(turns, folder / "out")
    except CallUnavailable as error:
        return CheckedCall(missing_component("tty", title, rule, REQUIREMENTS, "dialin call (TTY)",
                                         str(error)), None, None)
    findings = tty_findings(output, plan)
    passed = sum(f.status == PASS for f in findings)
    return CheckedCall(Check("tty", title, rule, REQUIREMENTS, tuple(findings),
                         f"{len(plan.turns)} TTY turns sent; {passed} of {len(findings)} "
                         "findings pass"), output, plan)

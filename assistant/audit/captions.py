"""Captions, measured on a simulated keypad call through `dialin call`.

Every turn of the transcript (the assistant's and the caller's) must be captioned by the
same speaker's cues, with at least `MIN_WORD_COVERAGE` of its words, the first cue showing
no later than `MAX_DELAY_S` after the turn began. WebVTT and SRT must carry the same cues.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from assistant.audit.calls import (
    CallOutput,
    CallPlan,
    CallUnavailable,
    CheckedCall,
    plan_call,
    run_call,
    write_turns,
)
from assistant.audit.findings import FAIL, NOTE, PASS, Check, Finding, missing_component
from assistant.audit.moves import KEYPAD
from assistant.audit.runs import Runner
from assistant.dialog.packs import LanguagePack
from assistant.dialog.textnorm import words

REQUIREMENTS = ("WCAG 1.2.4", "WCAG 1.2.2", "508 302.4", "508 413.1.1")
MIN_WORD_COVERAGE = 0.9
MAX_DELAY_S = 2.0
"""Live captions may trail speech a little; more than this loses the thread."""

MAX_CHARS_PER_S = 25.0
"""Above this a cue is hard to read in the time it is shown (noted, not failed)."""

_TIMING = re.compile(r"^(\S+)\s+-->\s+(\S+)")
_VOICE = re.compile(r"^<v(?:\.[^ >]*)?\s+([^>]+)>")
_TAG = re.compile(r"</?[^>]+>")


@dataclass(frozen=True, slots=True)
class Caption:
    start_s: float
    end_s: float
    speaker: str
    text: str


def _seconds(stamp: str) -> float:
    parts = stamp.replace(",", ".").split(":")
    value = 0.0
    for part in parts:
        value = value * 60 + float(part)
    return value


def read_vtt(text: str) -> list[Caption]:
    """The cues of a WebVTT file, with their `<v Speaker>` voices.

    Raises:
        ValueError: the file does not start with WEBVTT.
    """
    if not text.lstrip("\ufeff").startswith("WEBVTT"):
        raise ValueError("not a WebVTT file (no WEBVTT header)")
    cues = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        lines = [line for line in block.split("\n") if line.strip()]
        for index, line in enumerate(lines):
            timing = _TIMING.match(line)
            if timing is None:
                continue
            body = lines[index + 1:]
            speaker = ""
            if body:
                voice = _VOICE.match(body[0])
                speaker = voice.group(1).strip() if voice else ""
            plain = " ".join(_TAG.sub("", b) for b in body)
            cues.append(Caption(_seconds(timing.group(1)), _seconds(timing.group(2)), speaker,
                                plain.replace("&lt;", "<").replace("&gt;", ">")
                                .replace("&amp;", "&")))
            break
    return cues


def _coverage(turn_text: str, cues: list[Caption]) -> float:
    said = words(turn_text)
    if not said:
        return 1.0
    shown = set(words(" ".join(c.text for c in cues)))
    return sum(1 for w in said if w in shown) / len(said)


def caption_findings(output: CallOutput, plan: CallPlan) -> list[Finding]:
    """Coverage and delay of every transcript turn, and the two caption files."""
    from assistant.channels.transcript import TranscriptError, read_transcript

    evidence = (f"command: dialin call with {len(plan.turns)} DTMF turns",)
    if output.returncode != 0 or not output.transcript.is_file() or not output.vtt.is_file():
        return [Finding("simulated call", FAIL,
                        f"dialin call failed (exit {output.returncode}) or wrote no captions.",
                        REQUIREMENTS, (*evidence, output.stderr or "no error output"))]
    try:
        turns = read_transcript(output.transcript)
        cues = read_vtt(output.vtt.read_text(encoding="utf-8"))
    except (TranscriptError, ValueError) as error:
        return [Finding("caption files", FAIL, f"A record cannot be read: {error}.",
                        REQUIREMENTS, evidence)]
    findings = []
    for number, turn in enumerate(turns, start=1):
        speaker = turn.who.capitalize()
        near = [c for c in cues if c.speaker.lower() == turn.who
                and c.end_s > turn.start_s - 0.01 and c.start_s < turn.end_s + MAX_DELAY_S]
        coverage = _coverage(turn.text, near)
        delay = (min(c.start_s for c in near) - turn.start_s) if near else None
        ok = coverage >= MIN_WORD_COVERAGE and delay is not None and delay <= MAX_DELAY_S
        fast = [c for c in near if c.end_s > c.start_s
                and len(c.text) / (c.end_s - c.start_s) > MAX_CHARS_PER_S]
        status = PASS if ok and not fast else (NOTE if ok else FAIL)
        shown = "no caption" if delay is None else f"{coverage:.0%} of its words captioned, " \
                                                    f"first cue {delay:+.2f} s from its start"
        findings.append(Finding(
            f"turn {number}: {speaker}" + (f" ({turn.prompt_key})" if turn.prompt_key else ""),
            status, f"{shown}" + (f"; {len(fast)} cues faster than {MAX_CHARS_PER_S:g} "
                                  "characters a second" if fast else "") + ".",
            REQUIREMENTS,
            (f"transcript {turn.start_s:.2f}-{turn.end_s:.2f} s ({turn.modality}): {turn.text}",
             *(f"cue {c.start_s:.2f}-{c.end_s:.2f} s <{c.speaker}>: {c.text}" for c in near[:4])),
            {"who": turn.who, "coverage": round(coverage, 3),
             "delay_s": None if delay is None else round(delay, 3)}))
    srt_count = _srt_count(output.srt)
    findings.append(Finding(
        "SRT and WebVTT", PASS if srt_count == len(cues) and cues else FAIL,
        f"captions.vtt has {len(cues)} cues; captions.srt has {srt_count}.", REQUIREMENTS,
        (str(output.vtt), str(output.srt)), {"vtt": len(cues), "srt": srt_count}))
    expected = list(plan.prompt_keys)
    got = [t.prompt_key for t in turns if t.who == "assistant" and t.prompt_key
           and t.prompt_key in plan.prompt_keys]
    findings.append(Finding(
        "the call's path", PASS if got == expected else FAIL,
        "The call said the same prompts, in the same order, as a session given the same keys."
        if got == expected else "The call's prompts differ from the session's on the same keys.",
        REQUIREMENTS, (f"session: {' '.join(expected)}", f"call: {' '.join(got)}")))
    return findings


def _srt_count(path: Path) -> int:
    import srt

    if not path.is_file():
        return 0
    try:
        return len(list(srt.parse(path.read_text(encoding="utf-8"))))
    except srt.SRTParseError:
        return 0


def check_captions(runner: Runner, packs: Mapping[str, LanguagePack], folder: Path) -> CheckedCall:
    """Plan a keypad call, run it through `dialin call`, and measure its captions."""
    rule = (f"On a simulated keypad call, every transcript turn is captioned by its speaker's "
            f"cues with at least {MIN_WORD_COVERAGE:.0%} of its words, the first cue at most "
            f"{MAX_DELAY_S:g} s after the turn starts; WebVTT and SRT hold the same cues; the "
            "call follows the session's path.")
    title = "Captions: coverage and delay on a simulated call"
    try:
        plan = plan_call(runner, packs, KEYPAD)
        turns = write_turns(plan, folder / "turns", tty=False)
        output = run_call(turns, folder / "out")
    except CallUnavailable as error:
        return CheckedCall(missing_component("captions", title, rule, REQUIREMENTS,
                                             "dialin call", str(error)), None, None)
    findings = caption_findings(output, plan)
    measured = [f.data["delay_s"] for f in findings if f.data.get("delay_s") is not None]
    covered = [f.data["coverage"] for f in findings if "coverage" in f.data]
    summary = (f"{len(covered)} turns; mean coverage "
               f"{sum(covered) / len(covered):.0%}, " if covered else "no turns; ") + (
        f"delay at most {max(measured):.2f} s" if measured else "no delay measured")
    check = Check("captions", title, rule, REQUIREMENTS, tuple(findings), summary)
    return CheckedCall(check, output, plan)

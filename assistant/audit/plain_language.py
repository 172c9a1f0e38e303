"""Plain language: the reading grade, length and spoken duration of every prompt.

The verdict is per pack, on a threshold rather than on any one prompt: a pack fails when its
running text as a whole reads above grade 8, or when more than `MAX_SHARE_OVER` of its
gradable prompts do. Every prompt over the target is still listed, for the writers.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from assistant.audit.findings import FAIL, NOTE, PASS, Check, Finding
from assistant.audit.readability import GRADE_TARGET, MIN_GRADED_WORDS, measure, plain_text
from assistant.audit.readability import text_grade as pack_text_grade
from assistant.dialog.packs import LanguagePack
from assistant.speech.voices import VoiceError, load_voices

REQUIREMENTS = ("WCAG 3.1.5", "508 302.9")

MAX_SHARE_OVER = 0.10
"""The share of gradable prompts that may read above the target before a pack fails."""

FALLBACK_WPM = (150.0, 110.0)
"""Speaking rates assumed for a language with no voice profile (default, clear)."""


def _rates(voices_dir: Path) -> tuple[dict[str, tuple[float, float]], str]:
    try:
        voices = load_voices(voices_dir)
    except VoiceError as error:
        return {}, str(error)
    return {lang: (float(p["default"].rate), float(p["clear"].rate))
            for lang, p in voices.items()}, ""


def _sentence(text: str) -> str:
    return text if text.rstrip().endswith((".", "?", "!", "。", "？")) else text + "."


def _pack_findings(pack: LanguagePack, rate: float, clear: float) -> list[Finding]:
    findings = []
    graded, over, running = 0, 0, []
    for key, template in pack.prompts.items():
        reading = measure(template, pack, rate, clear)
        length = (f"{reading.words} words, about {reading.spoken_s:g} s to hear "
                  f"({reading.spoken_clear_s:g} s in the clear voice)")
        if reading.words >= MIN_GRADED_WORDS:
            graded += 1
            running.append(_sentence(plain_text(template, pack)))
        if reading.over_target:
            over += 1
        if reading.grade is not None:
            level = f"grade {reading.grade:g}" + (
                f" (Fernández-Huerta {reading.score:g})" if reading.score is not None else "")
        elif reading.proxy:
            level = reading.proxy
        else:
            level = "a label, too short to grade"
        findings.append(Finding(
            f"{pack.code}: {key}", NOTE if reading.over_target else PASS,
            f"{level[0].upper()}{level[1:]}; {length}"
            + (". Over the target: worth rewording." if reading.over_target else "."),
            REQUIREMENTS, (f"“{template}”",),
            {"lang": pack.code, "key": key, "grade": reading.grade, "score": reading.score,
             "method": reading.method, "over_target": reading.over_target,
             "words": reading.words, "sentences": reading.sentences,
             "characters": reading.characters, "spoken_s": reading.spoken_s,
             "spoken_clear_s": reading.spoken_clear_s, "proxy": reading.proxy}))
    grade, score = pack_text_grade(" ".join(running), pack) if running else (None, None)
    share = over / graded if graded else 0.0
    failed = (grade is not None and grade > GRADE_TARGET) or share > MAX_SHARE_OVER
    method = findings[0].data["method"] if findings else ""
    whole = (f"the running text reads at grade {grade:g}" if grade is not None
             else "graded by the length proxy")
    verdict = Finding(
        f"{pack.code}: the whole pack", FAIL if failed else PASS,
        f"{whole[0].upper()}{whole[1:]}; {over} of {graded} gradable prompts are over the "
        f"target ({share:.0%}, at most {MAX_SHARE_OVER:.0%} allowed).",
        REQUIREMENTS,
        (f"measure: {method}", f"{len(pack.prompts)} prompts, {graded} of them "
         f"{MIN_GRADED_WORDS} words or more", f"speaking rate {rate:g} wpm, clear {clear:g}"),
        {"lang": pack.code, "grade": grade, "score": score, "over": over,
         "graded": graded, "share_over": round(share, 3), "method": method})
    return [verdict, *findings]


def check_plain_language(packs: Mapping[str, LanguagePack], voices_dir: Path) -> Check:
    """Measure every prompt of every pack."""
    rates, problem = _rates(voices_dir)
    findings: list[Finding] = []
    if problem:
        findings.append(Finding("voice profiles", NOTE,
                                "Spoken durations use assumed rates: the profiles are unreadable.",
                                REQUIREMENTS, (problem,)))
    for code, pack in packs.items():
        rate, clear = rates.get(code, FALLBACK_WPM)
        findings.extend(_pack_findings(pack, rate, clear))
    notes = sum(f.status == NOTE for f in findings)
    return Check(
        id="plain_language",
        title="Plain language: reading grade, length and spoken duration of every prompt",
        rule=(f"A pack fails when its running text reads above grade {GRADE_TARGET:g}, or when "
              f"more than {MAX_SHARE_OVER:.0%} of its prompts of {MIN_GRADED_WORDS} words or "
              "more do. Shorter prompts (labels) are too short for a formula and are measured "
              "for length only. English uses Flesch-Kincaid; Spanish, Fernández-Huerta's "
              "table; Korean, a length proxy (at most 12 words or 40 syllables a sentence), "
              "as no established formula exists. Each prompt over the target is a note."),
        requirements=REQUIREMENTS,
        findings=tuple(findings),
        summary=f"{sum(len(p.prompts) for p in packs.values())} prompts measured; "
                f"{notes} over the target",
    )

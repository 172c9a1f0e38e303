"""Language completeness: every prompt of the reference pack, in every pack, with the same
placeholders; every pack readable, and spoken by a voice profile.

Unlike `load_packs`, which stops at the first difference, this lists every one, each with
its file and key, so a translator gets the whole list at once.
"""

from __future__ import annotations

from pathlib import Path

from assistant.audit.findings import FAIL, PASS, Check, Finding
from assistant.audit.inputs import ReadPacks
from assistant.dialog.packs import FORMAT_VALUES, REFERENCE, LanguagePack, placeholders

REQUIREMENTS = ("WCAG 3.3.2", "508 302.9")


def _compare(pack: LanguagePack, reference: LanguagePack) -> list[Finding]:
    findings = []
    where = f"{pack.path.name}"
    for key in sorted(set(reference.prompts) - set(pack.prompts)):
        findings.append(Finding(
            f"{pack.code}: prompts.{key}", FAIL,
            f"The prompt {key} is missing from the {pack.name} pack.",
            REQUIREMENTS, (f"{where}: prompts.{key} is missing",
                           f"{reference.code}: “{reference.prompts[key]}”"),
            {"lang": pack.code, "key": key, "problem": "missing"}))
    for key in sorted(set(pack.prompts) - set(reference.prompts)):
        findings.append(Finding(
            f"{pack.code}: prompts.{key}", FAIL,
            f"The prompt {key} is not in the {reference.code} pack, so it is never said.",
            REQUIREMENTS, (f"{where}: prompts.{key} has no counterpart",),
            {"lang": pack.code, "key": key, "problem": "extra"}))
    for key in sorted(set(pack.prompts) & set(reference.prompts)):
        want, got = placeholders(reference.prompts[key]), placeholders(pack.prompts[key])
        fewer_allowed = key in FORMAT_VALUES and got <= FORMAT_VALUES[key]
        if want != got and not fewer_allowed:
            findings.append(Finding(
                f"{pack.code}: prompts.{key}", FAIL,
                f"The prompt {key} has placeholders {sorted(got)}; "
                f"{reference.code} has {sorted(want)}.",
                REQUIREMENTS, (f"{where}: prompts.{key}: “{pack.prompts[key]}”",
                               f"{reference.code}: “{reference.prompts[key]}”"),
                {"lang": pack.code, "key": key, "problem": "placeholders",
                 "placeholders": sorted(got), "reference": sorted(want)}))
    return findings


def check_completeness(read: ReadPacks, voices_dir: Path) -> Check:
    """Compare every pack with the reference, and look for its voice profile."""
    findings: list[Finding] = []
    for error in read.unreadable:
        findings.append(Finding(
            f"{Path(error.path).name}: {error.key}", FAIL,
            f"The pack cannot be used: {error.problem}.", REQUIREMENTS, (str(error),),
            {"file": error.path, "key": error.key, "problem": error.problem}))
    reference = read.packs.get(REFERENCE)
    if reference is None:
        findings.append(Finding(
            f"{REFERENCE}.toml", FAIL, "The reference pack is missing or unreadable.",
            REQUIREMENTS, (f"no usable {REFERENCE}.toml",)))
    for code, pack in read.packs.items():
        problems = [] if reference is None or pack is reference else _compare(pack, reference)
        findings.extend(problems)
        voice = voices_dir / f"{code}.toml"
        if not voice.is_file():
            findings.append(Finding(
                f"{code}: voice profile", FAIL,
                f"No voice profile speaks {pack.name}: prompts could not be heard.",
                REQUIREMENTS, (f"{voice} is missing",), {"lang": code}))
        if not problems:
            findings.append(Finding(
                f"{code}: {len(pack.prompts)} prompts", PASS,
                f"All {len(pack.prompts)} prompts are present with the reference's placeholders"
                if pack is not reference else
                f"The reference pack: {len(pack.prompts)} prompts, "
                f"{sum(len(p) for p in pack.intents.values())} intent phrases.",
                REQUIREMENTS, (str(pack.path),),
                {"lang": code, "prompts": len(pack.prompts)}))
    missing = sum(1 for f in findings if f.status == FAIL)
    return Check(
        id="language_completeness",
        title="Language completeness: every prompt in every pack",
        rule=("Every pack is readable, has exactly the reference (English) pack's prompt keys "
              "with the same placeholders, and has a voice profile; any difference fails."),
        requirements=REQUIREMENTS,
        findings=tuple(findings),
        summary=(f"{len(read.packs)} packs read; {missing} problems"
                 + (f" ({len(read.unreadable)} files unreadable)" if read.unreadable else "")),
    )

"""Modality parity: every menu option, in every language, by voice, by keypad and by text.

The options and their keys come from the running menus: the main menu's expectation names
what can be said, and its keys (and the keys of every page they open) what can be pressed.
Each option is then chosen three ways from the main menu: its phrase said, its keys
pressed, its phrase typed. Where it asks the caller to sign in, the caller signs in the
same way (digits said, keyed or typed). The three must end up in the same place, having
been told the same things, with no error on the way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from assistant.audit.driver import Outcome, demo_sign_in
from assistant.audit.explore import SIGN_IN_PROMPTS
from assistant.audit.findings import FAIL, PASS, Check, Finding
from assistant.audit.moves import KEYPAD, MODALITIES, TEXT, VOICE, Move, entry_moves
from assistant.audit.runs import Job, Runner
from assistant.dialog.actions import Say
from assistant.dialog.events import Digits, Event, TextLine, Utterance
from assistant.dialog.packs import LanguagePack

REQUIREMENTS = ("WCAG 2.1.1", "508 302.1", "508 302.4", "508 302.6", "508 302.7")
SIGN_IN_STEPS = 2


@dataclass(frozen=True, slots=True)
class Attempt:
    """One option chosen one way, followed to where it leads."""

    lang: str
    option: str
    modality: str
    events: tuple[Event, ...]
    steps: tuple[str, ...]
    outcome: Outcome | None = None


def _signature(outcome: Outcome) -> tuple[str, tuple[str, ...]]:
    """Where an option led, told apart only by what matters to the caller: the question
    (any menu counts as "a menu"), or how the call ended, and what was said first."""
    menu = outcome.expect is not None and outcome.expect.kind == "intent"
    told = tuple(a.key for a in outcome.last if isinstance(a, Say))
    return ("a menu" if menu else outcome.reached), told


class ParityAudit:
    """Chooses every menu option every way, in every language.

    Args:
        runner: runs paths through real sessions.
        packs: the language packs.
    """

    def __init__(self, runner: Runner, packs: Mapping[str, LanguagePack]) -> None:
        self.runner = runner
        self.packs = packs
        self.sign_in = dict(zip(SIGN_IN_PROMPTS, demo_sign_in(), strict=True))

    def language_paths(self) -> dict[str, tuple[Event, tuple[str, ...]]]:
        """For each language the call offers: the key that chooses it, in words too."""
        root = self.runner.run([Job(())])[0]
        if root.expect is None or root.expect.kind != "choice":
            return {}
        keys = [Digits(key) for key, _ in root.expect.keys]
        outcomes = self.runner.run([Job((key,)) for key in keys])
        paths: dict[str, tuple[Event, tuple[str, ...]]] = {}
        for key, outcome in zip(keys, outcomes, strict=True):
            if not outcome.ended and outcome.lang not in paths:
                paths[outcome.lang] = (key, (Move("", KEYPAD, key).describe(),))
        return paths

    def key_paths(self, prefix: tuple[Event, ...]) -> dict[str, tuple[str, ...]]:
        """Every intent a key reaches from the main menu, with the shortest keys to it,
        found by pressing each key of each page (a key that opens a menu opens a page)."""
        start = self.runner.run([Job(prefix)])[0]
        found: dict[str, tuple[str, ...]] = {}
        pages: list[tuple[tuple[str, ...], Outcome]] = [((), start)]
        seen_pages = {start.state}
        while pages:
            keys_to_page, page = pages.pop(0)
            if page.expect is None:
                continue
            pressed = [(*keys_to_page, key) for key, _ in page.expect.keys]
            outcomes = self.runner.run(
                [Job((*prefix, *(Digits(k) for k in keys))) for keys in pressed])
            for (_key, intent), keys, outcome in zip(page.expect.keys, pressed, outcomes,
                                                    strict=True):
                found.setdefault(intent, keys)
                opens_page = outcome.expect is not None and outcome.expect.kind == "intent"
                if opens_page and not outcome.errors and outcome.state not in seen_pages:
                    seen_pages.add(outcome.state)
                    pages.append((keys, outcome))
        return found

    def attempts(self, lang: str, prefix: tuple[Event, ...], prefix_steps: tuple[str, ...]
                 ) -> tuple[list[Attempt], dict[str, tuple[str, ...]]]:
        """The first step of every option, every way; and the keys found for each."""
        pack = self.packs[lang]
        main = self.runner.run([Job(prefix)])[0]
        keys = self.key_paths(prefix)
        spoken = main.expect.intents if main.expect is not None else ()
        options = [o for o in dict.fromkeys((*spoken, *keys)) if o != "main_menu"]
        attempts = []
        for option in options:
            phrase = pack.intents[option][0]
            ways: dict[str, tuple[Event, ...]] = {
                VOICE: (Utterance(phrase, lang=lang),),
                TEXT: (TextLine(phrase),),
            }
            if option in keys:
                ways[KEYPAD] = tuple(Digits(k) for k in keys[option])
            for modality in MODALITIES:
                if modality not in ways:
                    attempts.append(Attempt(lang, option, modality, (), ()))
                    continue
                steps = (*prefix_steps,
                         *(Move(option, modality, event).describe() for event in ways[modality]))
                attempts.append(Attempt(lang, option, modality, (*prefix, *ways[modality]),
                                        steps))
        return attempts, keys

    def follow(self, attempts: list[Attempt]) -> list[Attempt]:
        """Run every attempt, signing in the attempt's own way where it is asked to."""
        done = [a for a in attempts if not a.events]
        going = [a for a in attempts if a.events]
        for _ in range(SIGN_IN_STEPS + 1):
            outcomes = self.runner.run([Job(a.events) for a in going])
            still = []
            for attempt, outcome in zip(going, outcomes, strict=True):
                value = self.sign_in.get(outcome.state)
                if value is None or outcome.expect is None or outcome.errors:
                    done.append(_with(attempt, outcome))
                    continue
                move = {m.modality: m for m in entry_moves(
                    outcome.expect, self.packs[outcome.lang], value)}[attempt.modality]
                still.append(Attempt(attempt.lang, attempt.option, attempt.modality,
                                     (*attempt.events, move.event),
                                     (*attempt.steps, move.describe()), outcome))
            going = still
        for attempt in going:
            done.append(attempt)
        return done

    def check(self) -> Check:
        findings: list[Finding] = []
        languages = self.language_paths()
        for lang in self.packs:
            if lang not in languages:
                findings.append(Finding(
                    f"language {lang}", FAIL,
                    "The call never offers this language, so none of its options are reachable.",
                    REQUIREMENTS, ("the language choice at the start of the call",)))
        for lang, (choose, chosen) in languages.items():
            attempts, _ = self.attempts(lang, (choose,), chosen)
            followed = self.follow(attempts)
            by_option: dict[str, dict[str, Attempt]] = {}
            for attempt in followed:
                by_option.setdefault(attempt.option, {})[attempt.modality] = attempt
            for option, ways in by_option.items():
                findings.append(_verdict(lang, option, ways))
        passed = sum(f.status == PASS for f in findings)
        return Check(
            id="modality_parity",
            title="Modality parity: every menu option by voice, keypad and text",
            rule=("Each menu option, in each language, is chosen from the main menu by its "
                  "phrase said, by its keys, and by its phrase typed (signing in the same way "
                  "when asked); it passes when all three reach the same question or end, "
                  "having said the same things, with no error."),
            requirements=REQUIREMENTS,
            findings=tuple(findings),
            summary=f"{passed} of {len(findings)} option-language pairs reachable all three ways",
        )


def _with(attempt: Attempt, outcome: Outcome) -> Attempt:
    return Attempt(attempt.lang, attempt.option, attempt.modality, attempt.events,
                   attempt.steps, outcome)


def _verdict(lang: str, option: str, ways: Mapping[str, Attempt]) -> Finding:
    evidence = []
    problems = []
    signatures = set()
    for modality in MODALITIES:
        attempt = ways.get(modality)
        if attempt is None or attempt.outcome is None:
            problems.append(f"no {modality} way to choose it"
                            + (" (no key on any menu page)" if modality == KEYPAD else ""))
            evidence.append(f"{modality}: none")
            continue
        outcome = attempt.outcome
        evidence.append(f"{modality}: {' → '.join(attempt.steps)} ⇒ {outcome.reached}")
        if outcome.errors or outcome.crash:
            problems.append(f"{modality} met {', '.join(outcome.errors) or outcome.crash}")
        signatures.add(_signature(outcome))
    if len(signatures) > 1:
        problems.append("the three ways lead to different places")
    status = FAIL if problems else PASS
    reached = next(iter(signatures))[0] if len(signatures) == 1 else "different places"
    detail = ("; ".join(problems) + "." if problems
              else f"Voice, keypad and text all reach {reached}.")
    return Finding(f"{option}, {lang}", status, detail[0].upper() + detail[1:],
                   REQUIREMENTS, tuple(evidence),
                   {"lang": lang, "option": option, "reached": reached,
                    "paths": {m: list(a.steps) for m, a in ways.items()}})

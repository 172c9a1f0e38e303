"""Simulated calls through `dialin call`: planned on real sessions, sent as real audio.

A plan walks one main path the way a caller would: choose the language, take the main
menu's first option, sign in if asked, decline what is offered, then say goodbye. Each
step is an event the session accepts (checked by running the session), and becomes a turn
of audio made with Dialin's own encoders: DTMF tones for a keypad caller, Baudot tones for
a TTY caller. The call itself runs through the public command, as an auditor would run it.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from assistant.audit.driver import Outcome
from assistant.audit.findings import Check
from assistant.audit.moves import KEYPAD, Move, entry_moves, option_moves
from assistant.audit.parity import ParityAudit
from assistant.audit.runs import Job, Runner
from assistant.dialog.actions import Ask, Say
from assistant.dialog.events import Digits, Event, TextLine
from assistant.dialog.packs import REFERENCE, LanguagePack

MAX_TURNS = 8
CALL_TIMEOUT_S = 300.0
TURN_RATE = 8000
"""Telephone rate for the turns' audio."""


class CallUnavailable(RuntimeError):
    """`dialin call` or an encoder is not there, or the call failed; says which."""


@dataclass(frozen=True, slots=True)
class PlannedTurn:
    """One caller turn of a planned call."""

    move: Move
    """What the caller does (keys or a typed line)."""

    secret: bool
    """It enters a secret (what the records must not show)."""

    value: str
    """The keys or the text sent."""

    asked: str
    """The question it answers."""

    reached: str
    """Where the session goes after it."""

    answer: tuple[str, ...] = ()
    """The texts of the session's answer, in order."""


@dataclass(frozen=True, slots=True)
class CallPlan:
    lang: str
    turns: tuple[PlannedTurn, ...]
    end: str
    """How the planned call ends ("end: goodbye")."""

    prompt_keys: tuple[str, ...]
    """Every prompt the session says along the way, in order."""

    @property
    def secrets(self) -> tuple[str, ...]:
        return tuple(t.value.rstrip("#") for t in self.turns if t.secret)


@dataclass(frozen=True, slots=True)
class CallOutput:
    """What `dialin call` wrote."""

    folder: Path
    command: tuple[str, ...]
    returncode: int
    stderr: str

    @property
    def transcript(self) -> Path:
        return self.folder / "transcript.jsonl"

    @property
    def vtt(self) -> Path:
        return self.folder / "captions.vtt"

    @property
    def srt(self) -> Path:
        return self.folder / "captions.srt"

    @property
    def audio(self) -> Path:
        return self.folder / "assistant.wav"


@dataclass(frozen=True, slots=True)
class CheckedCall:
    """A check made on a simulated call, and what the call wrote (the security check
    scans it)."""

    check: Check
    output: CallOutput | None
    plan: CallPlan | None


class _Caller:
    """The planned caller: what they answer to each question, in one modality."""

    def __init__(self, parity: ParityAudit, packs: Mapping[str, LanguagePack], modality: str,
                 lang: str, keys: dict[str, tuple[str, ...]]) -> None:
        self.packs, self.modality, self.lang, self.keys = packs, modality, lang, keys
        self.sign_in = parity.sign_in
        self.first_option = next(iter(keys), None)
        self.menus_met = 0

    def _by_keys(self, option: str) -> Move | None:
        keys = self.keys.get(option)
        return Move(option, KEYPAD, Digits("".join(keys))) if keys else None

    def answer(self, outcome: Outcome) -> Move | None:
        """The language, the main menu's first option, sign-in, "no" to what is offered,
        the first item of a list, and goodbye at the menu after that."""
        expect = outcome.expect
        if expect is None:
            return None
        pack = self.packs[outcome.lang]
        if outcome.state in self.sign_in:
            moves = entry_moves(expect, pack, self.sign_in[outcome.state])
            return next(m for m in moves if m.modality == self.modality)
        options = [m for m in option_moves(expect, pack) if m.modality == self.modality]
        name = self.packs[self.lang].name
        if expect.kind == "choice" and name in expect.choices:
            wanted = f"{expect.choices.index(name) + 1}: {name}"
            return next((m for m in options if m.option == wanted), None)
        if expect.kind == "yes_no":
            return next((m for m in options if m.option == "no"), None)
        if expect.kind == "choice":
            return options[0] if options else None
        if expect.kind == "intent":
            self.menus_met += 1
            option = self.first_option if self.menus_met == 1 else "goodbye"
            if option is None:
                return None
            if self.modality == KEYPAD:
                return self._by_keys(option)
            return next((m for m in options if m.option == option), None)
        return None


def plan_call(runner: Runner, packs: Mapping[str, LanguagePack], modality: str,
              lang: str = REFERENCE) -> CallPlan:
    """A main path through the menu in one modality (keypad or text), checked on sessions.

    Raises:
        CallUnavailable: the session does not offer `lang`, or the path cannot be followed.
    """
    parity = ParityAudit(runner, packs)
    languages = parity.language_paths()
    if lang not in languages:
        raise CallUnavailable(f"the call does not offer the language {lang!r}")
    caller = _Caller(parity, packs, modality, lang,
                     parity.key_paths((languages[lang][0],)))
    events: list[Event] = []
    turns: list[PlannedTurn] = []
    outcome = runner.run([Job(())])[0]
    said: list[str] = list(outcome.said)
    while not outcome.ended and len(turns) < MAX_TURNS:
        move = caller.answer(outcome)
        if move is None:
            raise CallUnavailable(f"no {modality} answer planned for {outcome.state}")
        events.append(move.event)
        after = runner.run([Job(tuple(events))])[0]
        if after.errors or after.crash:
            raise CallUnavailable(f"the planned {move.describe()} at {outcome.state} "
                                  f"met {after.reached}, {', '.join(after.errors)}")
        value = move.event.keys if isinstance(move.event, Digits) else (
            move.event.text if isinstance(move.event, TextLine) else "")
        secret = outcome.expect is not None and outcome.expect.secret
        answer = tuple(a.text for a in after.last if isinstance(a, Say | Ask))
        turns.append(PlannedTurn(move, secret, value, outcome.state, after.reached, answer))
        said.extend(after.said)
        outcome = after
    return CallPlan(lang, tuple(turns), outcome.reached, tuple(said))


def write_turns(plan: CallPlan, folder: Path, tty: bool) -> list[Path]:
    """Each planned turn as audio: DTMF keys, or Baudot TTY tones of the typed text.

    Raises:
        CallUnavailable: the encoder is missing.
    """
    try:
        from assistant.audio.wavfile import Audio, write_wav
        from assistant.signals import dtmf
        from assistant.signals import tty as baudot_tty
    except ImportError as error:
        raise CallUnavailable(f"an encoder is missing: {error}") from error
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number, turn in enumerate(plan.turns, start=1):
        samples = (baudot_tty.encode(turn.value, rate=TURN_RATE) if tty
                   else dtmf.encode(turn.value, rate=TURN_RATE))
        path = folder / f"turn-{number:02d}.wav"
        write_wav(path, Audio(samples, TURN_RATE))
        paths.append(path)
    return paths


def call_command() -> list[str]:
    """How to run `dialin` from this interpreter, installed as a script or not."""
    return [sys.executable, "-c", "from assistant.cli import main; main()"]


def run_call(turns: list[Path], out: Path, extra: tuple[str, ...] = ()) -> CallOutput:
    """Run `dialin call --turn ... --out OUT`.

    Raises:
        CallUnavailable: the command is missing or did not finish in time.
    """
    command = [*call_command(), "call"]
    for turn in turns:
        command += ["--turn", str(turn)]
    command += [*extra, "--out", str(out)]
    try:
        done = subprocess.run(command, capture_output=True, text=True,
                              timeout=CALL_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired as error:
        raise CallUnavailable(f"dialin call did not finish in {CALL_TIMEOUT_S:g} s") from error
    if done.returncode != 0 and "No such command" in done.stderr:
        raise CallUnavailable("dialin has no `call` command")
    return CallOutput(out, tuple(command), done.returncode, done.stderr.strip()[-2000:])

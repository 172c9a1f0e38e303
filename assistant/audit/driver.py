"""Drives one real session along one path of caller events, on its own copy of the demo data.

Every path starts a new call on a fresh copy of a seeded database, so what one path did
(a payment, a plan change) never changes what another finds. Whatever leaves the session on
the way (prompts, the agent's summary, log records, and the stored rows when a secret was
entered) is searched for the secrets entered, so the security check needs no second run.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import shutil
import sqlite3
import zlib
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from assistant.audit.leaks import Leak, scan
from assistant.audit.moves import spoken_digits
from assistant.billing import BillingService
from assistant.billing.demo import demo_accounts
from assistant.dialog.actions import Action, Ask, End, Expectation, Say, Transfer
from assistant.dialog.events import CallStarted, Digits, Event, TextLine, Utterance
from assistant.dialog.menus import Menus
from assistant.dialog.numbers import digits_from_text
from assistant.dialog.packs import LanguagePack
from assistant.dialog.session import Session, SessionOptions

AUDIT_DAY = dt.date(2025, 6, 15)
"""The day the demo data is seeded for: a fixed day keeps every report comparable."""

CALL_START = dt.datetime(2025, 6, 15, 15, 0)
TURN = dt.timedelta(seconds=6)


@dataclass(frozen=True, slots=True)
class Outcome:
    """Where a path led."""

    lang: str
    """The session's language at the end."""

    state: str
    """The prompt key of the question waiting ("" once the call ended)."""

    expect: Expectation | None
    """What that question expects."""

    end_reason: str
    """Why the call ended ("goodbye", "transfer", ...); empty while it goes on."""

    last: tuple[Action, ...]
    """The session's answer to the last event."""

    answers: tuple[tuple[str, ...], ...] = ()
    """The prompt keys said in answer to each event of the path, in order."""

    waiting: tuple[str, ...] = ()
    """The question waiting after each event of the path ("" once the call ended)."""

    crash: str = ""
    """The exception a session raised, if it did (a defect the audit reports)."""

    leaks: tuple[Leak, ...] = ()
    """Secrets found in clear in anything that left the session."""

    records_scanned: int = 0
    """How many texts were searched for secrets."""

    secrets_entered: int = 0
    """How many secret entries the path made."""

    @property
    def ended(self) -> bool:
        return not self.state

    @property
    def reached(self) -> str:
        """The state reached, or how the call ended: "auth.account", "end: transfer"."""
        if self.crash:
            return f"crash: {self.crash}"
        return self.state or f"end: {self.end_reason or 'no question'}"

    @property
    def said(self) -> tuple[str, ...]:
        """The prompt keys of the last answer, in order."""
        return tuple(a.key for a in self.last if isinstance(a, Say | Ask))

    @property
    def errors(self) -> tuple[str, ...]:
        """Error prompts in the last answer ("error.no_match")."""
        return tuple(k for k in self.said if k.startswith("error."))


class _Records(logging.Handler):
    """Keeps the log messages written during one path."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(self.format(record))


@contextmanager
def _captured_logs() -> Iterator[_Records]:
    handler = _Records()
    logger = logging.getLogger("assistant")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def _secret_value(event: Event, pack: LanguagePack) -> str:
    if isinstance(event, Digits):
        return event.keys.rstrip("#")
    if isinstance(event, Utterance | TextLine):
        return digits_from_text(event.text, pack) or event.text
    return ""


def _action_texts(actions: Sequence[Action]) -> Iterator[tuple[str, str]]:
    for action in actions:
        if isinstance(action, Say | Ask):
            yield "prompt text", action.text
            if action.speech:
                yield "prompt speech", action.speech
            if action.params:
                yield "prompt values", " | ".join(action.params.values())
        elif isinstance(action, Transfer):
            yield "agent hand-off", action.summary


def stored_text(path: Path) -> str:
    """Every text and number stored in a database file, one row per line."""
    with sqlite3.connect(path) as db:
        tables = [row[0] for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        lines = []
        for table in tables:
            for row in db.execute(f'SELECT * FROM "{table}"'):  # table names come from the schema
                lines.append(f"{table}: " + " | ".join(
                    str(v) for v in row if isinstance(v, str | int | float)))
    return "\n".join(lines)


def seed_template(folder: Path) -> Path:
    """A demo database seeded once, for every path to copy (seeding hashes PINs: slow)."""
    path = folder / "template.sqlite3"
    if not path.exists():
        BillingService.open(path, today=AUDIT_DAY, rng=random.Random(0)).close()
    return path


def demo_sign_in() -> tuple[str, str]:
    """The demo account that signs in: its number, then its PIN."""
    demo = demo_accounts(AUDIT_DAY)[0]
    return demo.number, demo.pin


class Driver:
    """Runs paths through real sessions over one set of packs and one keypad layout.

    Args:
        packs: the language packs, reference first.
        menus: the keypad layout.
        workdir: a folder of this driver's own for the database copies (each is deleted as
            its path ends).
        template: the seeded database to copy; made in `workdir` when None.
    """

    def __init__(self, packs: Mapping[str, LanguagePack], menus: Menus, workdir: Path,
                 template: Path | None = None) -> None:
        self.packs = dict(packs)
        self.menus = menus
        self.workdir = workdir
        self.template = template or seed_template(workdir)
        self._runs = 0

    def run(self, path: Sequence[Event], timeout_scale: float = 1.0) -> Outcome:
        """Start a call (the caller's language not yet known) and feed it `path`.

        The same path always gets the same reference numbers, whichever process runs it.
        """
        self._runs += 1
        seed = zlib.crc32(repr((tuple(path), timeout_scale)).encode())
        db = self.workdir / f"run-{self._runs}.sqlite3"
        shutil.copyfile(self.template, db)
        service = BillingService.open(db, today=AUDIT_DAY, rng=random.Random(seed))
        options = SessionOptions(call_id=f"audit-{seed:08x}", timeout_scale=timeout_scale)
        texts: list[tuple[str, str]] = []
        secrets: dict[str, str] = {}
        session = Session(service, self.packs, options, self.menus)
        last: list[Action] = []
        answers: list[tuple[str, ...]] = []
        waiting: list[str] = []
        crash = ""
        try:
            with _captured_logs() as logs:
                now = CALL_START
                try:
                    last = session.handle(CallStarted(lang=None), now)
                    texts.extend(_action_texts(last))
                    for event in path:
                        if session.ended:
                            break
                        expect = session.expecting
                        if expect is not None and expect.secret:
                            pack = self.packs[session.lang]
                            value = _secret_value(event, pack)
                            if value.isdigit():  # not a command ("help") said instead
                                secrets[value] = spoken_digits(value, pack)
                        now += TURN
                        last = session.handle(event, now)
                        texts.extend(_action_texts(last))
                        answers.append(tuple(a.key for a in last if isinstance(a, Say | Ask)))
                        waiting.append("" if session.ended else session.state_name)
                except Exception as error:  # a session defect is a finding
                    crash = f"{type(error).__name__}: {error}"
            texts.append(("agent summary", session.summary()))
            texts.extend(("log", message) for message in logs.messages)
        finally:
            service.close()
        if secrets:
            texts.append(("database", stored_text(db)))
        db.unlink(missing_ok=True)
        ended = session.ended or crash != ""
        end = next((a for a in reversed(last) if isinstance(a, End)), None)
        return Outcome(
            lang=session.lang,
            state="" if ended else session.state_name,
            expect=None if ended else session.expecting,
            end_reason=end.reason if end else "",
            last=tuple(last),
            answers=tuple(answers),
            waiting=tuple(waiting),
            crash=crash,
            leaks=tuple(scan(texts, secrets.keys(), secrets)),
            records_scanned=len(texts),
            secrets_entered=len(secrets),
        )

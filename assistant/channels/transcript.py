"""The call transcript: JSON Lines, one object per turn, for auditors and scripts.

A turn is what one side said, keyed, typed or sent by TTY, with its time from the start of
the call. Texts are masked before they are written (`mask_secrets`, and the channel replaces
a secret entry by `SECRET` outright), so a transcript is safe to keep and share.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from assistant.dialog.redact import mask_secrets

SECRET = "[secret]"
"""What a PIN, card or bank number the caller gave becomes in every record."""

WHO = ("caller", "assistant")
MODALITIES = ("voice", "keypad", "text", "tty")


class TranscriptError(ValueError):
    """A turn or a transcript line that does not follow the format."""


@dataclass(frozen=True, slots=True)
class Turn:
    """One side's turn in the call."""

    who: str
    """"caller" or "assistant"."""

    modality: str
    """How it travelled: "voice", "keypad", "text" or "tty"."""

    text: str
    """What was said, keyed or shown, secrets masked."""

    start_s: float
    """Seconds from the start of the call to the start of the turn."""

    end_s: float
    """Seconds from the start of the call to the end of the turn."""

    intent: str | None = None
    """The intent the caller's turn was understood as, when it was a menu choice."""

    confidence: float | None = None
    """The recogniser's confidence in a spoken turn, 0 to 1."""

    prompt_key: str | None = None
    """For the assistant: the prompt's key in the language pack."""

    lang: str | None = None
    """The language of the turn."""

    def __post_init__(self) -> None:
        if self.who not in WHO:
            raise TranscriptError(f"who must be one of {', '.join(WHO)}, not {self.who!r}")
        if self.modality not in MODALITIES:
            raise TranscriptError(f"modality must be one of {', '.join(MODALITIES)}, "
                                  f"not {self.modality!r}")
        if not 0 <= self.start_s <= self.end_s:
            raise TranscriptError(f"a turn cannot run from {self.start_s} s to {self.end_s} s")

    def to_json(self) -> str:
        """One JSON object on one line, text masked once more for safety."""
        record = dataclasses.asdict(self)
        record["text"] = mask_secrets(self.text)
        return json.dumps(record, ensure_ascii=False)

    @staticmethod
    def from_json(line: str) -> Turn:
        """Read back one line written by `to_json`.

        Raises:
            TranscriptError: not JSON, or fields missing, unknown or wrong.
        """
        try:
            record: Any = json.loads(line)
        except json.JSONDecodeError as error:
            raise TranscriptError(f"not a JSON line: {error}") from error
        if not isinstance(record, dict):
            raise TranscriptError("a transcript line must be a JSON object")
        names = {f.name for f in dataclasses.fields(Turn)}
        unknown = set(record) - names
        if unknown:
            raise TranscriptError(f"unknown field {sorted(unknown)[0]!r}")
        try:
            return Turn(**record)
        except TypeError as error:
            raise TranscriptError(f"missing field: {error}") from error


class TranscriptWriter:
    """Appends turns to a JSON Lines file as the call goes, flushing each one, so a call
    cut short still leaves every turn it had."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._file: IO[str] = self.path.open("w", encoding="utf-8")
        self.turns: list[Turn] = []

    def write(self, turn: Turn) -> None:
        self._file.write(turn.to_json() + "\n")
        self._file.flush()
        self.turns.append(turn)

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> TranscriptWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def dumps(turns: Iterable[Turn]) -> str:
    """A whole transcript as JSON Lines text."""
    return "".join(turn.to_json() + "\n" for turn in turns)


def read_transcript(path: Path | str) -> list[Turn]:
    """Every turn of a transcript file.

    Raises:
        TranscriptError: a line is not a turn (the message names the line).
    """
    turns = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            turns.append(Turn.from_json(line))
        except TranscriptError as error:
            raise TranscriptError(f"{path}:{number}: {error}") from error
    return turns

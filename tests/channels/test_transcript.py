"""Transcript turns: JSON Lines that read back field for field, and refuse what is not a turn."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from assistant.channels.transcript import (
    SECRET,
    TranscriptError,
    TranscriptWriter,
    Turn,
    dumps,
    read_transcript,
)

TURNS = [
    Turn("assistant", "voice", "Welcome to the billing line.", 0.0, 1.8, prompt_key="welcome",
         lang="en"),
    Turn("caller", "voice", "check my balance", 2.1, 3.4, intent="balance", confidence=0.87,
         lang="en"),
    Turn("caller", "keypad", SECRET, 4.0, 5.5, lang="en"),
    Turn("caller", "tty", "SALDO GA", 6.0, 8.0, intent="balance", lang="es"),
    Turn("assistant", "tty", "잔액은 $42.00입니다 GA", 8.0, 12.0, prompt_key="tty.turn", lang="ko"),
]


@pytest.mark.parametrize("turn", TURNS, ids=lambda t: f"{t.who}-{t.modality}")
def test_every_turn_round_trips(turn: Turn) -> None:
    line = turn.to_json()
    assert "\n" not in line
    assert Turn.from_json(line) == turn
    assert set(json.loads(line)) == {f.name for f in dataclasses.fields(Turn)}


def test_the_writer_flushes_each_turn_and_the_file_reads_back(tmp_path: Path) -> None:
    path = tmp_path / "transcript.jsonl"
    with TranscriptWriter(path) as writer:
        writer.write(TURNS[0])
        assert read_transcript(path) == TURNS[:1]
        for turn in TURNS[1:]:
            writer.write(turn)
    assert read_transcript(path) == TURNS
    assert path.read_text(encoding="utf-8") == dumps(TURNS)


def test_card_numbers_are_masked_on_the_way_out() -> None:
    turn = Turn("caller", "text", "pay with 4111-1111-1111-1111 please", 0, 1)
    written = turn.to_json()
    assert "4111" not in written
    assert Turn.from_json(written).text.endswith("1111 please")


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("not json", "not a JSON line"),
        ("[1, 2]", "JSON object"),
        ('{"who": "caller"}', "missing field"),
        ('{"who": "agent", "modality": "voice", "text": "", "start_s": 0, "end_s": 1}', "who"),
        ('{"who": "caller", "modality": "fax", "text": "", "start_s": 0, "end_s": 1}', "modality"),
        ('{"who": "caller", "modality": "voice", "text": "", "start_s": 2, "end_s": 1}',
         "cannot run"),
        ('{"who": "caller", "modality": "voice", "text": "", "start_s": 0, "end_s": 1, '
         '"mood": "happy"}', "unknown field 'mood'"),
    ],
)
def test_lines_that_are_not_turns_are_refused(line: str, problem: str) -> None:
    with pytest.raises(TranscriptError, match=problem):
        Turn.from_json(line)


def test_a_bad_line_is_reported_with_its_number(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    path.write_text(TURNS[0].to_json() + "\n\n{oops\n", encoding="utf-8")
    with pytest.raises(TranscriptError, match=r"t\.jsonl:3"):
        read_transcript(path)

"""A whole simulated call by voice and keypad: espeak-ng speech turns, DTMF turns, through
sign-in, the balance and a payment with a new card, run with `dialin call`."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest
import srt
import webvtt
from typer.testing import CliRunner

from assistant.audio.convert import read_for_recognition
from assistant.audio.wavfile import Audio, read_wav, write_wav
from assistant.channels.transcript import SECRET, read_transcript
from assistant.cli import app
from assistant.signals import dtmf, tty

pytestmark = pytest.mark.slow

ACCOUNT, PIN, CARD = "10000001", "1234", "4111111111111111"

# (how, what, the intent the transcript should show)
CALL = [
    ("say", "check my balance", "balance"),
    ("key", f"{ACCOUNT}#", None),
    ("key", f"{PIN}#", None),
    ("say", "yes", "yes"),
    ("key", "1", None),                 # the full balance
    ("say", "a new card", None),
    ("key", f"{CARD}#", None),
    ("key", "1228", None),              # expiry
    ("key", "123#", None),              # security code
    ("say", "yes", "yes"),              # confirm the payment
    ("say", "goodbye", "goodbye"),
]


def spoken(folder: Path, number: int, text: str) -> Path:
    raw = folder / f"raw-{number:02d}.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-w", str(raw), text], check=True)
    audio = read_for_recognition(raw, 16000)
    pause = np.zeros(4000, dtype=np.float32)
    return write_wav(folder / f"turn-{number:02d}.wav",
                     Audio(np.concatenate([pause, audio.samples, pause]), 16000))


def keyed(folder: Path, number: int, keys: str) -> Path:
    pause = np.zeros(4000, dtype=np.float32)
    samples = np.concatenate([pause, dtmf.encode(keys, rate=8000), pause])
    return write_wav(folder / f"turn-{number:02d}.wav", Audio(samples, 8000))


@pytest.fixture(scope="module")
def call_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("voice-call")
    turns = [spoken(folder, n, what) if how == "say" else keyed(folder, n, what)
             for n, (how, what, _) in enumerate(CALL, start=1)]
    out = folder / "out"
    arguments = ["call", "--lang", "en", "--out", str(out)]
    for turn in turns:
        arguments += ["--turn", str(turn)]
    result = CliRunner().invoke(app, arguments)
    assert result.exit_code == 0, result.output
    return out


def test_every_turn_is_heard_in_order_with_its_intent(call_folder: Path) -> None:
    turns = read_transcript(call_folder / "transcript.jsonl")
    caller = [t for t in turns if t.who == "caller"]
    assert [t.modality for t in caller] == [
        "voice" if how == "say" else "keypad" for how, _, _ in CALL]
    assert [t.intent for t in caller] == [intent for _, _, intent in CALL]
    assert [t.text for t in caller][:4] == ["check my balance", f"{ACCOUNT}#", SECRET, "yes"]
    assert all(t.confidence is not None and 0 < t.confidence <= 1
               for t in caller if t.modality == "voice")
    said = [t.prompt_key for t in turns if t.who == "assistant"]
    for earlier, later in [("auth.account", "auth.secret"), ("auth.secret", "balance.due"),
                           ("balance.due", "card.number"), ("card.number", "pay.done")]:
        assert said.index(earlier) < said.index(later)
    assert said[-1] == "goodbye" or "goodbye" in said[-1]
    for before, after in zip(turns, turns[1:], strict=False):
        assert after.start_s >= before.end_s - 1e-6


def test_captions_are_valid_and_carry_both_sides_in_time(call_folder: Path) -> None:
    vtt = webvtt.read(str(call_folder / "captions.vtt")).captions
    subtitles = list(srt.parse((call_folder / "captions.srt").read_text(encoding="utf-8")))
    assert len(vtt) == len(subtitles)
    assert {c.voice for c in vtt} == {"Caller", "Assistant"}
    assert any(c.voice == "Caller" and "check my balance" in c.text for c in vtt)
    starts = [s.start for s in subtitles]
    assert starts == sorted(starts)
    assert all(s.end >= s.start for s in subtitles)
    audio = read_wav(call_folder / "assistant.wav")
    assert subtitles[-1].end.total_seconds() <= audio.duration_s + 0.01


def test_no_card_number_or_pin_in_any_file(call_folder: Path) -> None:
    for path in call_folder.iterdir():
        data = path.read_bytes()
        assert CARD.encode() not in data and CARD[-8:].encode() not in data, path.name
        if path.suffix != ".wav":
            assert PIN.encode() not in data, path.name
    line = read_wav(call_folder / "assistant.wav")
    sent = tty.decode(line.samples, line.rate).text
    assert PIN not in sent and CARD not in sent

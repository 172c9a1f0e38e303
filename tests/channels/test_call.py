"""Simulated calls (`dialin call`) from keypad and TTY audio made by the signals encoders."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import srt
import webvtt
from typer.testing import CliRunner

from assistant.audio.wavfile import Audio, read_wav, write_wav
from assistant.channels.call import run_call
from assistant.channels.transcript import SECRET, read_transcript
from assistant.cli import app
from assistant.signals import dtmf, tty

ACCOUNT, PIN, CARD = "10000001", "1234", "4111111111111111"

PAYMENT_BY_KEYS = [
    ("1", "balance"),            # main menu: balance
    (f"{ACCOUNT}#", None),       # account number
    (f"{PIN}#", None),           # PIN
    ("1", "yes"),                # pay now?
    ("1", None),                 # the full balance
    ("2", None),                 # a new card
    (f"{CARD}#", None),          # card number
    ("1228", None),              # expiry
    ("123#", None),              # security code
    ("1", "yes"),                # confirm
]


def keyed(folder: Path, number: int, keys: str, rate: int = 8000) -> Path:
    pause = np.zeros(rate // 2, dtype=np.float32)
    samples = np.concatenate([pause, dtmf.encode(keys, rate=rate), pause])
    return write_wav(folder / f"turn-{number:02d}.wav", Audio(samples, rate))


def typed(folder: Path, number: int, text: str, rate: int = 8000) -> Path:
    pause = np.zeros(rate // 2, dtype=np.float32)
    samples = np.concatenate([pause, tty.encode(text, rate=rate), pause])
    return write_wav(folder / f"turn-{number:02d}.wav", Audio(samples, rate))


class NoSpeech:
    """These calls hold no speech: the recogniser must not be asked."""

    def hear(self, samples: np.ndarray, rate: int, expect: object, lang: str) -> None:
        raise AssertionError("a keypad or TTY turn reached the speech recogniser")


def assert_no_secrets(folder: Path, *secrets: str) -> None:
    for path in folder.iterdir():
        data = path.read_bytes()
        for secret in secrets:
            if path.suffix != ".wav" or len(secret) > 8:
                assert secret.encode() not in data, f"{secret} in {path.name}"
    # What the assistant sent down the line, as a TTY or a DTMF decoder hears it.
    line = read_wav(folder / "assistant.wav")
    sent = tty.decode(line.samples, line.rate).text
    keys = "".join(tone.key for tone in dtmf.decode(line.samples, line.rate))
    for secret in secrets:
        assert secret not in sent and secret not in keys


def check_captions(folder: Path) -> None:
    vtt = webvtt.read(str(folder / "captions.vtt")).captions
    subtitles = list(srt.parse((folder / "captions.srt").read_text(encoding="utf-8")))
    assert len(vtt) == len(subtitles) > 0
    assert {c.voice for c in vtt} == {"Caller", "Assistant"}
    starts = [s.start for s in subtitles]
    assert starts == sorted(starts)
    assert all(s.end >= s.start for s in subtitles)


@pytest.fixture(scope="module")
def keypad_call(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("keypad")
    turns = [keyed(folder, n, keys) for n, (keys, _) in enumerate(PAYMENT_BY_KEYS, start=1)]
    out = folder / "out"
    run_call(turns, out, lang="en", listener=NoSpeech())
    return out


def test_a_keypad_call_signs_in_hears_the_balance_and_pays_by_new_card(keypad_call: Path) -> None:
    turns = read_transcript(keypad_call / "transcript.jsonl")
    caller = [t for t in turns if t.who == "caller"]
    assert [t.modality for t in caller] == ["keypad"] * len(PAYMENT_BY_KEYS)
    assert [t.intent for t in caller] == [intent for _, intent in PAYMENT_BY_KEYS]
    assert caller[1].text == f"{ACCOUNT}#"
    assert caller[2].text == SECRET and caller[6].text == SECRET and caller[8].text == SECRET
    keys = [t.prompt_key for t in turns if t.who == "assistant"]
    assert keys[0] == "welcome" and "tty.announce" in keys
    assert keys.index("auth.account") < keys.index("auth.secret") < keys.index("balance.due")
    assert "pay.done" in keys
    spoken = " ".join(t.text for t in turns if t.who == "assistant")
    assert "ending in 1111" in spoken
    for before, after in zip(turns, turns[1:], strict=False):
        assert after.start_s >= before.end_s - 1e-6


def test_the_keypad_call_files_are_valid_and_hold_no_secret(keypad_call: Path) -> None:
    assert sorted(p.name for p in keypad_call.iterdir()) == [
        "assistant.wav", "captions.srt", "captions.vtt", "transcript.jsonl"]
    check_captions(keypad_call)
    assert_no_secrets(keypad_call, CARD, PIN, CARD[-8:])
    turns = read_transcript(keypad_call / "transcript.jsonl")
    audio = read_wav(keypad_call / "assistant.wav")
    assert audio.rate == 16000
    assert audio.duration_s >= turns[-1].end_s


def test_a_tty_caller_is_answered_in_baudot_for_the_rest_of_the_call(tmp_path: Path) -> None:
    lines = ["BALANCE GA", f"{ACCOUNT} GA", f"{PIN} GA", "NO GA", "GOODBYE GA"]
    turns = [typed(tmp_path, n, text) for n, text in enumerate(lines, start=1)]
    result = run_call(turns, tmp_path / "out", lang="en", listener=NoSpeech())
    assert result.ended
    records = read_transcript(tmp_path / "out" / "transcript.jsonl")
    caller = [t for t in records if t.who == "caller"]
    assert [t.text for t in caller] == ["BALANCE GA", f"{ACCOUNT} GA", SECRET, "NO GA",
                                        "GOODBYE GA"]
    assert [t.intent for t in caller] == ["balance", None, None, "no", "goodbye"]
    first_caller = records.index(caller[0])
    before = records[:first_caller]
    assert any(t.modality == "tty" and t.text == "BILLING LINE GA" for t in before)
    after = records[first_caller + 1:]
    answers = [t for t in after if t.who == "assistant"]
    assert answers and all(t.modality == "tty" for t in answers)
    assert all(t.text.endswith(" GA") for t in answers[:-1])
    assert answers[-1].text.endswith(" SK")
    line = read_wav(tmp_path / "out" / "assistant.wav")
    printed = tty.decode(line.samples, line.rate).text
    assert "BILLING LINE GA" in printed
    assert "YOUR BALANCE IS $" in printed and printed.rstrip().endswith("SK")
    check_captions(tmp_path / "out")
    assert_no_secrets(tmp_path / "out", PIN)


def test_silence_is_no_answer_and_the_command_line_writes_the_files(tmp_path: Path) -> None:
    quiet = write_wav(tmp_path / "quiet.wav", Audio.silence(1.5, 44100))
    keys = keyed(tmp_path, 1, "0", rate=48000)
    result = CliRunner().invoke(app, ["call", "--turn", str(quiet), "--turn", str(keys),
                                      "--lang", "en", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in
               (tmp_path / "out" / "transcript.jsonl").read_text().splitlines()]
    caller = [r for r in records if r["who"] == "caller"]
    assert caller[0]["text"] == "(no answer)" and caller[0]["modality"] == "voice"
    assert caller[1]["intent"] == "agent"
    keys_after_silence = [r["prompt_key"] for r in records[records.index(caller[0]):]]
    assert keys_after_silence[1] == "error.no_input"


def test_an_unreadable_turn_is_a_plain_error(tmp_path: Path) -> None:
    (tmp_path / "bad.wav").write_text("not audio")
    result = CliRunner().invoke(app, ["call", "--turn", str(tmp_path / "bad.wav"),
                                      "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "cannot read" in result.output
    assert not (tmp_path / "out").exists()

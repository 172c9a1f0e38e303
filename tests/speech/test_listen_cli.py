"""`dialin listen`: the JSON contract, any rate and channel count, and a missing model."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import soundfile
from typer.testing import CliRunner

from assistant.audio.convert import resample
from assistant.cli import app
from tests.speechgen import SpeechMaker, padded

pytestmark = pytest.mark.slow

KEYS = ["file", "text", "intent", "confidence", "engine", "audio_s", "decode_s"]


@pytest.fixture(scope="module")
def files(speech: SpeechMaker, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """"check my balance" at 16 kHz mono, 8 kHz mono and 44.1 kHz stereo, and a cough."""
    folder = tmp_path_factory.mktemp("listen")
    voice = padded(speech.say("check my balance", "joe").samples)
    made = {}
    for name, rate, channels in (("wide", 16000, 1), ("phone", 8000, 1), ("cd", 44100, 2)):
        samples = resample(voice, 16000, rate)
        data = np.stack([samples, 0.8 * samples], axis=1) if channels == 2 else samples
        made[name] = folder / f"{name}.wav"
        soundfile.write(made[name], data, rate, subtype="PCM_16")
    from tests.speechgen import cough

    made["cough"] = folder / "cough.wav"
    soundfile.write(made["cough"], cough(), 16000, subtype="PCM_16")
    return made


def test_one_json_object_per_file_at_any_rate(files):
    paths = [str(files[name]) for name in ("wide", "phone", "cd", "cough")]
    result = CliRunner().invoke(app, ["listen", *paths, "--lang", "en", "--json"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["file"] for line in lines] == paths
    for line in lines:
        assert list(line) == KEYS
        assert line["engine"] == "pocketsphinx"
        assert line["decode_s"] > 0
    for line in lines[:3]:
        assert line["intent"] == "balance"
        assert line["text"] == "check my balance"
        assert 0.5 < line["confidence"] <= 1.0
        assert line["audio_s"] == pytest.approx(lines[0]["audio_s"], abs=0.01)
    assert lines[3]["intent"] is None and lines[3]["text"] == ""
    assert lines[3]["confidence"] == 0.0


def test_readable_lines_without_json(files):
    result = CliRunner().invoke(app, ["listen", str(files["wide"]), "--menu", "main"])
    assert result.exit_code == 0
    assert "'check my balance' -> balance" in result.stdout


def test_a_menu_state_changes_the_grammar(files):
    result = CliRunner().invoke(app, ["listen", str(files["wide"]), "--menu", "digits",
                                      "--json"])
    line = json.loads(result.stdout)
    assert line["intent"] is None  # "check my balance" is not digits


def test_a_missing_model_says_which_language_where_and_how(tmp_path, monkeypatch, files):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    monkeypatch.delenv("DIALIN_VOSK_MODEL_ES", raising=False)
    result = CliRunner().invoke(app, ["listen", str(files["wide"]), "--lang", "es", "--json"])
    assert result.exit_code == 2
    message = result.stderr
    assert "'es'" in message and "DIALIN_VOSK_MODEL_ES" in message
    assert str(tmp_path / "dialin" / "models" / "es") in message
    assert "dialin models fetch es" in message


def test_vosk_for_english_without_a_vosk_model_is_refused(tmp_path, monkeypatch, files):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    monkeypatch.delenv("DIALIN_VOSK_MODEL_EN", raising=False)
    result = CliRunner().invoke(app, ["listen", str(files["wide"]), "--engine", "vosk"])
    assert result.exit_code == 2 and "Vosk" in result.stderr


def test_an_unreadable_file_is_reported_and_the_rest_still_heard(tmp_path, files):
    bad = tmp_path / "bad.wav"
    bad.write_text("not a sound")
    result = CliRunner().invoke(app, ["listen", str(bad), str(files["wide"]), "--json"])
    assert result.exit_code == 1
    assert "bad.wav" in result.stderr
    assert json.loads(result.stdout)["intent"] == "balance"

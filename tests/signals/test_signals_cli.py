"""`dialin dtmf` and `dialin tty`: the public command-line contracts, end to end."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import soundfile
from typer.testing import CliRunner

from assistant.cli import app
from assistant.signals import dtmf, tty

runner = CliRunner()


def test_dtmf_encode_then_decode(tmp_path: Path):
    out = tmp_path / "keys.wav"
    made = runner.invoke(app, ["dtmf", "--encode", "0123456789*#abcd", "-o", str(out)])
    assert made.exit_code == 0, made.output
    info = soundfile.info(out)
    assert (info.samplerate, info.channels, info.subtype) == (8000, 1, "PCM_16")
    heard = runner.invoke(app, ["dtmf", str(out)])
    assert heard.exit_code == 0
    assert heard.stdout == "0123456789*#ABCD\n"


def test_dtmf_json_per_file(tmp_path: Path):
    first, second = tmp_path / "a.wav", tmp_path / "b.wav"
    assert (
        runner.invoke(
            app, ["dtmf", "--encode", "42#", "-o", str(first), "--rate", "16000"]
        ).exit_code
        == 0
    )
    soundfile.write(second, np.zeros(8000), 8000)
    result = runner.invoke(app, ["dtmf", "--json", str(first), str(second)])
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records[0]["file"] == str(first) and records[0]["keys"] == "42#"
    assert [e["key"] for e in records[0]["events"]] == ["4", "2", "#"]
    assert records[0]["events"][1]["start_s"] == 0.16
    assert records[0]["events"][1]["end_s"] == 0.24
    assert records[1] == {"file": str(second), "keys": "", "events": []}


def test_dtmf_reads_stereo_at_any_rate(tmp_path: Path):
    path = tmp_path / "stereo.wav"
    mono = dtmf.encode("369", 44100)
    soundfile.write(path, np.stack([mono, mono * 0.5], axis=1), 44100)
    assert runner.invoke(app, ["dtmf", str(path)]).stdout == "369\n"
    low = tmp_path / "low.wav"
    from scipy.signal import resample_poly

    soundfile.write(low, resample_poly(dtmf.encode("0*", 12000), 1, 2), 6000)
    assert runner.invoke(app, ["dtmf", str(low)]).stdout == "0*\n"


def test_tty_encode_then_decode(tmp_path: Path):
    out = tmp_path / "tty.wav"
    made = runner.invoke(
        app,
        [
            "tty",
            "--encode",
            "Balance $42.17, call 555 1212 GA",
            "-o",
            str(out),
            "--baud",
            "50",
            "--rate",
            "16000",
        ],
    )
    assert made.exit_code == 0, made.output
    assert soundfile.info(out).samplerate == 16000
    result = runner.invoke(app, ["tty", "--json", str(out)])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "file": str(out),
        "text": "BALANCE $42.17, CALL 555 1212 GA",
        "baud": 50.0,
    }
    assert runner.invoke(app, ["tty", str(out)]).stdout == "BALANCE $42.17, CALL 555 1212 GA\n"


def test_tty_decodes_a_stereo_recording_at_45_baud(tmp_path: Path):
    path = tmp_path / "stereo.wav"
    mono = tty.encode("HELLO\nWORLD GA", 22050)
    soundfile.write(path, np.stack([mono, mono], axis=1), 22050)
    record = json.loads(runner.invoke(app, ["tty", "--json", str(path)]).stdout)
    assert record["text"] == "HELLO\nWORLD GA" and record["baud"] == 45.45


def test_usage_errors_say_what_is_wrong(tmp_path: Path):
    bad_keys = runner.invoke(app, ["dtmf", "--encode", "12x", "-o", str(tmp_path / "x.wav")])
    assert bad_keys.exit_code == 2 and "not DTMF keys" in bad_keys.output
    no_output = runner.invoke(app, ["tty", "--encode", "HI"])
    assert no_output.exit_code == 2 and "-o" in no_output.output
    nothing = runner.invoke(app, ["dtmf"])
    assert nothing.exit_code == 2
    bad_baud = runner.invoke(
        app, ["tty", "--encode", "HI", "-o", str(tmp_path / "t.wav"), "--baud", "300"]
    )
    assert bad_baud.exit_code == 2 and "45.45 or 50" in bad_baud.output
    missing = runner.invoke(app, ["tty", str(tmp_path / "missing.wav")])
    assert missing.exit_code == 1 and "cannot read" in missing.output

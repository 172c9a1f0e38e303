"""The `dialin dtmf` and `dialin tty` commands: decode line recordings, or make test tones.

Signal modules are imported inside the commands so that the rest of the command line starts
without loading them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    import numpy as np

_MIN_RATE = 8000
"""Recordings below this rate are resampled up to it before decoding."""


def dtmf_command(
    files: list[Path] | None = typer.Argument(None, help="Recordings to decode (any rate)."),
    json_output: bool = typer.Option(False, "--json", help="One JSON object per file."),
    encode: str | None = typer.Option(None, "--encode", help="Keys to generate: 0-9 * # A-D."),
    output: Path | None = typer.Option(None, "-o", "--output", help="WAV file --encode writes."),
    rate: int = typer.Option(8000, "--rate", help="Sample rate --encode writes at."),
) -> None:
    """The touch-tone keys pressed in a recording, or (--encode) a recording of keys."""
    from assistant.signals import dtmf

    if encode is not None:
        target = _encode_target(files, output)
        _write(target, _generate(lambda: dtmf.encode(encode, rate)), rate)
        return
    for path in _inputs(files):
        samples, file_rate = _read(path)
        keys = dtmf.decode(samples, file_rate)
        text = "".join(key.key for key in keys)
        if json_output:
            events = [
                {"key": k.key, "start_s": round(k.start_s, 4), "end_s": round(k.end_s, 4)}
                for k in keys
            ]
            typer.echo(json.dumps({"file": str(path), "keys": text, "events": events}))
        else:
            typer.echo(text)


def tty_command(
    files: list[Path] | None = typer.Argument(None, help="Recordings to decode (any rate)."),
    json_output: bool = typer.Option(False, "--json", help="One JSON object per file."),
    encode: str | None = typer.Option(None, "--encode", help="Text to send as TTY tones."),
    output: Path | None = typer.Option(None, "-o", "--output", help="WAV file --encode writes."),
    rate: int = typer.Option(8000, "--rate", help="Sample rate --encode writes at."),
    baud: str | None = typer.Option(
        None, "--baud", help="45.45 or 50 (default: 45.45 to send, both tried to decode)."
    ),
) -> None:
    """The text a Baudot TTY sent in a recording, or (--encode) a recording of text."""
    from assistant.signals import tty

    chosen = _baud(baud)
    if encode is not None:
        target = _encode_target(files, output)
        _write(target, _generate(lambda: tty.encode(encode, rate, baud=chosen or 45.45)), rate)
        return
    for path in _inputs(files):
        samples, file_rate = _read(path)
        message = tty.decode(samples, file_rate, chosen)
        if json_output:
            record = {"file": str(path), "text": message.text, "baud": message.baud}
            typer.echo(json.dumps(record, ensure_ascii=False))
        else:
            typer.echo(message.text.rstrip("\n"))


def _baud(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        baud = float(value)
    except ValueError:
        baud = 0.0
    if baud not in (45.45, 50.0):
        raise typer.BadParameter(f"{value!r}: use 45.45 or 50", param_hint="--baud")
    return baud


def _encode_target(files: list[Path] | None, output: Path | None) -> Path:
    if files:
        raise typer.BadParameter("give either recordings to decode or --encode, not both")
    if output is None:
        raise typer.BadParameter("--encode needs -o OUT.wav", param_hint="-o")
    return output


def _inputs(files: list[Path] | None) -> list[Path]:
    if not files:
        raise typer.BadParameter("give a recording to decode, or --encode with -o OUT.wav")
    return files


def _generate(make: Callable[[], np.ndarray]) -> np.ndarray:
    """Run a generator, turning a bad request into a usage error."""
    from assistant.signals.tonebank import SignalError

    try:
        return make()
    except SignalError as error:
        raise typer.BadParameter(str(error)) from error


def _read(path: Path) -> tuple[np.ndarray, int]:
    """Mono samples and rate of a recording, resampled up to 8 kHz if it is below."""
    from math import gcd

    from scipy.signal import resample_poly

    from assistant.audio.wavfile import AudioFileError, read_wav

    try:
        audio = read_wav(path)
    except AudioFileError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from error
    if audio.rate >= _MIN_RATE:
        return audio.samples, audio.rate
    common = gcd(audio.rate, _MIN_RATE)
    return resample_poly(audio.samples, _MIN_RATE // common, audio.rate // common), _MIN_RATE


def _write(path: Path, samples: np.ndarray, rate: int) -> None:
    import numpy as np

    from assistant.audio.wavfile import Audio, AudioFileError, write_wav

    try:
        write_wav(path, Audio(np.asarray(samples, dtype=np.float32), rate))
    except AudioFileError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from error

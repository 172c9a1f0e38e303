"""The independent tools the signal tests measure Dialin against: sox, espeak-ng, minimodem,
multimon-ng.

Each fixture returns a small function that runs the real program on real files.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import soundfile

Run = Callable[..., subprocess.CompletedProcess[str]]


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed; run scripts/setup")
    return path


def _runner(name: str) -> Run:
    program = _tool(name)

    def run(*args: str | Path, stdin: str | bytes | None = None) -> subprocess.CompletedProcess:
        text = not isinstance(stdin, bytes)
        result = subprocess.run(
            [program, *map(str, args)], input=stdin, capture_output=True, text=text, timeout=120
        )
        if result.returncode != 0:
            pytest.fail(f"{name} {' '.join(map(str, args))} failed: {result.stderr!r}")
        return result

    return run


@pytest.fixture(scope="session")
def sox() -> Run:
    return _runner("sox")


@pytest.fixture(scope="session")
def minimodem() -> Run:
    return _runner("minimodem")


@pytest.fixture(scope="session")
def multimon() -> Callable[[np.ndarray, int], str]:
    """Keys multimon-ng's DTMF decoder hears in mono audio (resampled to its 22050 Hz)."""
    run = _runner("multimon-ng")

    def keys(samples: np.ndarray, rate: int) -> str:
        from math import gcd

        from scipy.signal import resample_poly

        common = gcd(22050, rate)
        resampled = resample_poly(samples, 22050 // common, rate // common)
        raw = (np.clip(resampled, -1, 1) * 32767).astype("<i2").tobytes()
        out = run("-q", "-t", "raw", "-a", "DTMF", "-", stdin=raw).stdout
        lines = out.decode().splitlines() if isinstance(out, bytes) else out.splitlines()
        return "".join(line.split(":", 1)[1].strip() for line in lines if line.startswith("DTMF:"))

    return keys


@pytest.fixture(scope="session")
def speech(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, np.ndarray, int]]:
    """Sentences spoken by espeak-ng in several voices and pitches, English, Spanish, Korean."""
    run = _runner("espeak-ng")
    folder = tmp_path_factory.mktemp("speech")
    lines = {
        "en": [
            "Your balance is forty two dollars and seventeen cents, due on the fifteenth.",
            "To pay your bill, press one. To speak with an agent, say agent.",
            "I would like to dispute a charge on my internet bill from last month.",
        ],
        "es": [
            "Su saldo es de cuarenta y dos dólares con diecisiete centavos.",
            "Para hablar con un agente, diga agente.",
        ],
        "ko": [
            "잔액은 사십이 달러 십칠 센트입니다.",
            "상담원과 통화하시려면 상담원이라고 말씀하세요.",
        ],
    }
    voices = {
        "en": ["en", "en-us", "en+f3", "en+f5", "en+m3", "en-us+klatt", "en+croak"],
        "es": ["es", "es+f3", "es-419"],
        "ko": ["ko", "ko+f3"],
    }
    clips = []
    for lang, names in voices.items():
        for index, voice in enumerate(names):
            for pitch in (25, 85):
                text = lines[lang][(index + pitch) % len(lines[lang])]
                path = folder / f"{voice}-{pitch}.wav"
                run("-v", voice, "-p", str(pitch), "-w", path, text)
                samples, rate = soundfile.read(path)
                clips.append((f"{voice}-{pitch}", samples, rate))
    return clips


def read(path: Path) -> tuple[np.ndarray, int]:
    """Samples (mixed to mono) and rate of a sound file."""
    samples, rate = soundfile.read(path, always_2d=True)
    return samples.mean(axis=1), rate


@pytest.fixture(scope="session")
def read_sound() -> Callable[[Path], tuple[np.ndarray, int]]:
    return read

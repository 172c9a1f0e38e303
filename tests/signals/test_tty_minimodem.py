"""Our TTY modem against minimodem's independent `tdd` modem, in both directions."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile

from assistant.signals import tty

MESSAGE = "YOUR BALANCE IS $42.17, DUE 3/15. CALL 555 1212 (24/7)? GA"


def _write(path: Path, samples: np.ndarray, rate: int) -> Path:
    soundfile.write(path, samples, rate, subtype="PCM_16")
    return path


def _minimodem_text(minimodem, path: Path) -> str:
    return minimodem("--rx", "tdd", "-q", "-f", path).stdout.replace("\r", "").strip()


@pytest.mark.parametrize("rate", [8000, 48000])
def test_minimodem_reads_our_transmission(minimodem, tmp_path: Path, rate):
    path = _write(tmp_path / "ours.wav", tty.encode(MESSAGE, rate), rate)
    assert _minimodem_text(minimodem, path) == MESSAGE


@pytest.mark.parametrize("text", ["555 1212", "HELLO 555 1212", "ROOM 12 34 56", "A1B2C3"])
def test_we_read_minimodems_transmission(minimodem, read_sound, tmp_path: Path, text):
    path = tmp_path / "theirs.wav"
    minimodem("--tx", "tdd", "-f", path, stdin=text)
    samples, rate = read_sound(path)
    assert tty.decode(samples, rate).text.strip() == text


def test_figures_across_a_space_where_minimodem_differs(minimodem, read_sound, tmp_path: Path):
    """A TTY that does not send FIGS again after a space: V.18 keeps figures across the
    space, so "555 1212" stays digits for us; minimodem returns to letters on every space
    ("unshift on space") and reads the second group as letters."""
    path = _write(
        tmp_path / "plain.wav", tty.encode("555 1212", 8000, refigure_after_space=False), 8000
    )
    samples, rate = read_sound(path)
    assert tty.decode(samples, rate).text == "555 1212"
    assert _minimodem_text(minimodem, path) == "555 QWQW"


def test_minimodems_transmitter_assumes_unshift_on_space(minimodem, read_sound, tmp_path: Path):
    """minimodem's transmitter skips LTRS after a space, trusting the receiver to unshift;
    a V.18 receiver keeps figures, so letters right after digits and a space come out as
    figures. We keep the V.18 behaviour."""
    path = tmp_path / "theirs.wav"
    minimodem("--tx", "tdd", "-f", path, stdin="1212 GA")
    samples, rate = read_sound(path)
    assert tty.decode(samples, rate).text.strip() == "1212 &-"


@pytest.mark.parametrize("offset", [-0.05, 0.05])
def test_we_read_a_transmitter_five_percent_off_frequency(minimodem, read_sound, tmp_path, offset):
    path = tmp_path / "off.wav"
    mark, space = 1400 * (1 + offset), 1800 * (1 + offset)
    minimodem("--tx", "tdd", "-M", mark, "-S", space, "-f", path, stdin="GA PAY NOW 42.50")
    samples, rate = read_sound(path)
    assert tty.decode(samples, rate).text.strip() == "GA PAY NOW 42.50"


@pytest.mark.parametrize("snr_db", [10, 0])
def test_both_read_our_transmission_in_noise(minimodem, read_sound, tmp_path: Path, snr_db):
    clean = tty.encode(MESSAGE, 8000).astype(float)
    noise = np.random.default_rng(snr_db).normal(
        0, np.sqrt(np.mean(clean**2) / 10 ** (snr_db / 10)), len(clean)
    )
    path = _write(tmp_path / "noisy.wav", np.clip(clean + noise, -1, 1), 8000)
    samples, rate = read_sound(path)
    assert tty.decode(samples, rate).text == MESSAGE
    assert _minimodem_text(minimodem, path) == MESSAGE

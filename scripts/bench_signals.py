#!/usr/bin/env python3
"""Benchmark Dialin's DTMF and TTY decoders against multimon-ng and minimodem on the same files.

For each signal-to-noise ratio (white Gaussian noise, fixed seed, power measured over the
active signal) it prints:
- DTMF detection rate: keys found in order, of 160 keys (50 ms tones, 60 ms gaps, levels,
  twist and frequency offsets drawn within Q.24's accept limits);
- false keys per minute of speech: espeak-ng sentences (English, Spanish, Korean; several
  voices and pitches; none used by the tests), with the same noise;
- TTY character error rate over a 45.45-baud message of about 400 characters;
- false TTY characters per minute of the same speech;
and then Dialin's decoding speed as a multiple of real time (audio seconds per CPU second).

Usage: .venv/bin/python scripts/bench_signals.py [--quick]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from difflib import SequenceMatcher
from math import gcd
from pathlib import Path

import numpy as np
import soundfile
from rapidfuzz.distance import Levenshtein
from scipy.signal import resample_poly

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.signals import dtmf, tty  # noqa: E402
from assistant.signals.dtmf_frames import HIGH_GROUP, KEYPAD, LOW_GROUP  # noqa: E402

RATE = 8000
SNRS = (20, 15, 10, 5, 0, -5, -10)
"""The brief's five ratios, and two harder ones that show where each decoder gives out."""
SEED = 20240601
KEYS = "0123456789*#ABCD"
TTY_TEXT = (
    "HELLO, THIS IS A TTY CALL ABOUT ACCOUNT 4471 2290. MY BILL SAYS $84.16 BUT I PAID "
    "$42.08 ON 3/14. PLEASE CHECK THE LATE FEE (IT WAS $5.00) AND THE MODEM RENTAL; I "
    "RETURNED IT ON 2/28. CALL ME BACK AT 555 1212 OR 555 3434 AFTER 6 PM? THANKS! GA\n"
    "ALSO: CAN I MOVE TO THE 300 MBPS PLAN FOR $55 A MONTH, STARTING 4/1? "
    "AND IS AUTOPAY STILL ON FOR MY CARD ENDING 0042? GA SK"
)
SENTENCES = {
    "en": [
        "Good morning. I am calling because my internet keeps dropping every evening around seven.",
        "Could you tell me why my bill went up by twelve dollars this month?",
        "I moved last week and need to update my service address and my phone number.",
        "Yes, I want to set up automatic payments from my checking account, please.",
        "No thanks, I will call back later when I have my account details in front of me.",
        "My daughter added a streaming package without asking. Can you remove it?",
    ],
    "es": [
        "Buenas tardes, quiero saber por qué mi factura subió este mes.",
        "Necesito cambiar mi plan de teléfono móvil a uno más barato.",
        "Sí, por favor, quiero hablar con un representante sobre un cargo duplicado.",
    ],
    "ko": [
        "안녕하세요, 이번 달 요금이 왜 올랐는지 알고 싶습니다.",
        "자동 이체를 신청하고 싶어요.",
        "인터넷이 저녁마다 끊겨서 전화했습니다.",
    ],
}
VOICES = {
    "en": ["en-us", "en+f2", "en+f4", "en+m1", "en+m7", "en-gb-x-rp", "en-us+klatt2"],
    "es": ["es+f2", "es+m2", "es-419+f4"],
    "ko": ["ko+m2", "ko+f4"],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer keys and less speech")
    args = parser.parse_args()
    for tool in ("espeak-ng", "multimon-ng", "minimodem"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is not installed; run scripts/setup")
    rng = np.random.default_rng(SEED)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        keys, key_audio = _key_material(rng, 40 if args.quick else 160)
        speech = _speech(work, quick=args.quick)
        tty_audio = tty.encode(TTY_TEXT, RATE).astype(np.float64)
        speech_minutes = len(speech) / RATE / 60
        print(
            f"DTMF: {len(keys)} keys; speech: {speech_minutes:.1f} min of espeak-ng; "
            f"TTY: {len(TTY_TEXT)} characters at 45.45 baud; {RATE} Hz, seed {SEED}\n"
        )
        header = (
            "| SNR dB | DTMF found: Dialin | multimon-ng | false keys/min speech: Dialin "
            "| multimon-ng | TTY CER: Dialin | minimodem | false TTY chars/min speech: Dialin "
            "| minimodem |"
        )
        print(header)
        print("|---" * 9 + "|")
        for snr in SNRS:
            noisy_keys = _add_noise(key_audio, snr, rng)
            noisy_speech = _add_noise(speech, snr, rng)
            noisy_tty = _add_noise(tty_audio, snr, rng)
            ours_keys = "".join(p.key for p in dtmf.decode(noisy_keys, RATE))
            their_keys = _multimon(noisy_keys)
            ours_talk = len(dtmf.decode(noisy_speech, RATE))
            their_talk = len(_multimon(noisy_speech))
            ours_text = tty.decode(noisy_tty, RATE, 45.45).text
            their_text = _minimodem(work, noisy_tty)
            ours_false = len(tty.decode(noisy_speech, RATE, 45.45).text.strip())
            their_false = len(_minimodem(work, noisy_speech).strip())
            print(
                f"| {snr:>3} | {_found(keys, ours_keys):6.1%} | {_found(keys, their_keys):6.1%} "
                f"| {ours_talk / speech_minutes:5.2f} | {their_talk / speech_minutes:5.2f} "
                f"| {_cer(TTY_TEXT, ours_text):6.1%} | {_cer(TTY_TEXT, their_text):6.1%} "
                f"| {ours_false / speech_minutes:5.2f} | {their_false / speech_minutes:5.2f} |"
            )
        print()
        _speed(key_audio, tty_audio)


def _key_material(rng: np.random.Generator, count: int) -> tuple[str, np.ndarray]:
    """Random keys as a keypad on a line sends them: levels, twist and pitch within Q.24."""
    keys = "".join(rng.choice(list(KEYS), count))
    pieces = []
    for key in keys:
        row = next(i for i, r in enumerate(KEYPAD) if key in r)
        column = KEYPAD[row].index(key)
        level = rng.uniform(-20, -8)
        twist = rng.uniform(-4, 4)
        low = LOW_GROUP[row] * (1 + rng.uniform(-0.015, 0.015))
        high = HIGH_GROUP[column] * (1 + rng.uniform(-0.015, 0.015))
        t = np.arange(round(0.050 * RATE)) / RATE
        low_amp, high_amp = 10 ** ((level - twist / 2) / 20), 10 ** ((level + twist / 2) / 20)
        tone = low_amp * np.sin(2 * np.pi * low * t) + high_amp * np.sin(2 * np.pi * high * t)
        pieces += [tone, np.zeros(round(0.060 * RATE))]
    return keys, np.concatenate(pieces)


def _speech(work: Path, quick: bool) -> np.ndarray:
    """espeak-ng sentences in every voice at three pitches, at RATE, joined by short pauses."""
    clips = []
    pitches = (30,) if quick else (20, 50, 80)
    for lang, voices in VOICES.items():
        for index, voice in enumerate(voices):
            for pitch in pitches:
                for number, sentence in enumerate(SENTENCES[lang]):
                    if quick and number:
                        break
                    path = work / f"{voice}-{pitch}-{number}.wav"
                    subprocess.run(
                        [
                            "espeak-ng",
                            "-v",
                            voice,
                            "-p",
                            str(pitch),
                            "-s",
                            str(150 + 10 * index),
                            "-w",
                            str(path),
                            sentence,
                        ],
                        check=True,
                        capture_output=True,
                    )
                    samples, rate = soundfile.read(path)
                    common = gcd(rate, RATE)
                    clips += [
                        resample_poly(samples, RATE // common, rate // common),
                        np.zeros(RATE // 4),
                    ]
    return np.concatenate(clips)


def _add_noise(signal: np.ndarray, snr_db: float, rng: np.random.Generator) -> np.ndarray:
    active = signal[np.abs(signal) > 1e-3]
    power = float(np.mean(active**2))
    noise = rng.normal(0, np.sqrt(power / 10 ** (snr_db / 10)), len(signal))
    return np.clip(signal + noise, -1, 1)


def _multimon(samples: np.ndarray) -> str:
    resampled = resample_poly(samples, 441, 160)
    raw = (np.clip(resampled, -1, 1) * 32767).astype("<i2").tobytes()
    result = subprocess.run(
        ["multimon-ng", "-q", "-t", "raw", "-a", "DTMF", "-"],
        input=raw,
        capture_output=True,
        check=True,
    )
    lines = result.stdout.decode().splitlines()
    return "".join(line.split(":", 1)[1].strip() for line in lines if line.startswith("DTMF:"))


def _minimodem(work: Path, samples: np.ndarray) -> str:
    path = work / "line.wav"
    soundfile.write(path, samples, RATE, subtype="PCM_16")
    result = subprocess.run(
        ["minimodem", "--rx", "tdd", "-q", "-f", str(path)], capture_output=True, check=True
    )
    return result.stdout.decode("utf-8", "replace").replace("\r", "")


def _found(sent: str, heard: str) -> float:
    """Share of the keys sent that were heard, in order (extra keys do not count)."""
    blocks = SequenceMatcher(None, sent, heard, autojunk=False).get_matching_blocks()
    return sum(block.size for block in blocks) / len(sent)


def _cer(sent: str, heard: str) -> float:
    """Character error rate: edits to turn what was heard into what was sent, per character."""
    return Levenshtein.distance(heard.strip(), sent) / len(sent)


def _speed(key_audio: np.ndarray, tty_audio: np.ndarray) -> None:
    print("| decoder | rate Hz | × real time |")
    print("|---|---|---|")
    for rate in (8000, 48000):
        common = gcd(rate, RATE)
        keys = resample_poly(key_audio, rate // common, RATE // common)
        text = resample_poly(tty_audio, rate // common, RATE // common)
        for name, run, audio in (
            ("DTMF", lambda a, r=rate: dtmf.decode(a, r), keys),
            ("TTY, one baud rate", lambda a, r=rate: tty.decode(a, r, 45.45), text),
            ("TTY, both baud rates", lambda a, r=rate: tty.decode(a, r), text),
            (
                "line, 20 ms chunks",
                lambda a, r=rate: _line(a, r, 0.02),
                np.concatenate([keys, text]),
            ),
            (
                "line, 100 ms chunks",
                lambda a, r=rate: _line(a, r, 0.1),
                np.concatenate([keys, text]),
            ),
        ):
            elapsed = min(_timed(run, audio) for _ in range(3))
            print(f"| {name} | {rate} | {len(audio) / rate / elapsed:.0f} |")


def _timed(run: Callable[[np.ndarray], object], audio: np.ndarray) -> float:
    """CPU seconds the decoder took: steadier than wall time on a shared machine."""
    started = time.process_time()
    run(audio)
    return time.process_time() - started


def _line(audio: np.ndarray, rate: int, chunk_s: float) -> None:
    """The line demultiplexer fed as a live channel would feed it."""
    from assistant.signals.line import LineDemultiplexer

    line = LineDemultiplexer(rate)
    step = round(rate * chunk_s)
    for start in range(0, len(audio), step):
        line.feed(audio[start : start + step])
    line.flush()


if __name__ == "__main__":
    main()

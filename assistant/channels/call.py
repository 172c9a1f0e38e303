"""A simulated call: the caller's turns from audio files, the assistant's answers to files.

`dialin call --turn a.wav --turn b.wav --out DIR` answers each turn in order, as the line
would: keys (DTMF) become `Digits`, TTY text becomes `TextLine(source="tty")` and switches the
call to TTY answers, speech goes to the recogniser (`NoInput` when nothing was said). Time is
the call's own clock: prompts take as long as their audio, a caller's turn as long as its
file. The outputs:

- `transcript.jsonl`: one JSON object per turn of either side (see `transcript.Turn`);
- `captions.vtt`, `captions.srt`: both sides, timed to the call clock;
- `assistant.wav`: the assistant's side of the whole call at 16 kHz; the caller's turns are
  silence of their own length, so the file lines up with the captions and the transcript.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from assistant.audio.convert import resample_audio
from assistant.audio.wavfile import Audio, concatenate, read_wav, write_wav
from assistant.channels.captions import to_srt, to_webvtt
from assistant.channels.listening import NoRecognizer, RecognizerListener
from assistant.channels.presenter import NOT_UNDERSTOOD, CallLog, event_intent, render_actions
from assistant.channels.transcript import Turn, dumps
from assistant.dialog.actions import Action, Expectation
from assistant.dialog.events import (
    CallStarted,
    Digits,
    Event,
    Hangup,
    NoInput,
    TextLine,
    Utterance,
)
from assistant.dialog.session import Session, SessionOptions
from assistant.signals.dtmf import DtmfTone
from assistant.signals.line import LineDemultiplexer, TtyLine, silence_tones
from assistant.speech.endpoint import Endpointer, EndpointSettings, SpeechEnded, SpeechStarted
from assistant.speech.tts import Synthesizer

LINE_RATE = 16000
"""The call's sample rate: the recognisers' rate, and enough for DTMF and TTY tones."""

PAUSE_S = 0.3
"""Silence between two prompts, as a speaker breathes."""

PRIMING_S = 0.1
"""How much of a turn's quietest moment the endpointer hears first, to learn the line."""

TAIL_S = 0.3
"""Audio kept after the end of speech for the recogniser."""

TTY_ENDING = re.compile(r"\s*\b(GA|SK|Q)\b\s*$", re.IGNORECASE)


class CallError(RuntimeError):
    """The call could not be run; the message says why in plain words."""


class Listener(Protocol):
    """Turns a caller's speech into an utterance, or None when nothing usable was said."""

    def hear(self, samples: np.ndarray, rate: int, expect: Expectation | None,
             lang: str) -> Utterance | None:
        """Recognise one turn of caller audio."""


@dataclass(frozen=True, slots=True)
class HeardTurn:
    """What the line made of one turn of caller audio."""

    event: Event
    """What goes to the session."""

    modality: str
    """"voice", "keypad" or "tty"."""

    shown: str | None = None
    """The turn as sent, when it differs from the event: a TTY line with its GA."""


@dataclass(frozen=True, slots=True)
class CallResult:
    """What a simulated call produced."""

    out: Path
    """The folder the files were written to."""

    turns: tuple[Turn, ...]
    """Every turn of both sides, as in transcript.jsonl."""

    duration_s: float
    """The call's length on its own clock."""

    ended: bool
    """The session ended the call (goodbye, transfer) before the caller ran out of turns."""


def quietest(samples: np.ndarray, length: int) -> np.ndarray:
    """The quietest stretch of `length` samples (zeros when the turn is shorter)."""
    if len(samples) < length or length <= 0:
        return np.zeros(max(0, length), dtype=np.float32)
    energy = np.concatenate([[0.0], np.cumsum(samples.astype(np.float64) ** 2)])
    windows = energy[length:] - energy[:-length]
    start = int(np.argmin(windows[::max(1, length // 4)])) * max(1, length // 4)
    return np.asarray(samples[start:start + length], dtype=np.float32)


def speech_span(samples: np.ndarray, rate: int) -> tuple[int, int] | None:
    """Where the caller speaks in a whole turn (start with the endpointer's pre-roll, end
    with a short tail), or None when the turn holds no speech at all.

    The endpointer learns its noise floor from the first frames it hears, and a turn's file
    may start with the first word: it first hears the turn's quietest moment, as a line
    has before a caller speaks.
    """
    lead = round(PRIMING_S * rate)
    turn_s = len(samples) / rate
    settings = EndpointSettings(rate=rate, no_input_s=turn_s + 1.0, max_speech_s=turn_s + 1.0)
    endpointer = Endpointer(settings)
    events = endpointer.push(np.concatenate([quietest(samples, lead), samples]))
    events += endpointer.push(np.zeros(round(2 * settings.trailing_silence_s * rate),
                                       dtype=np.float32))
    started = [e for e in events if isinstance(e, SpeechStarted)]
    if not started:
        return None
    ended = [e for e in events if isinstance(e, SpeechEnded)]
    end = ended[0].end - lead if ended else len(samples)
    tail = round(TAIL_S * rate)
    return max(0, started[0].start - lead), min(len(samples), end + tail)


def hear_turn(samples: np.ndarray, listener: Listener, expect: Expectation | None,
              lang: str) -> HeardTurn:
    """Split one turn of line audio (at LINE_RATE) into TTY text, keys or speech.

    TTY text wins over keys, keys over speech: a caller who typed or keyed meant it, and
    the speech recogniser never hears the tones.
    """
    line = LineDemultiplexer(LINE_RATE)
    events = line.feed(samples) + line.flush()
    typed = [e.text for e in events if isinstance(e, TtyLine) and e.text.strip()]
    if typed:
        text = " ".join(" ".join(typed).split())
        said = TTY_ENDING.sub("", text).strip()
        if not said and text.upper().endswith("SK"):
            return HeardTurn(Hangup(), "tty", text)
        return HeardTurn(TextLine(said, source="tty") if said else NoInput(), "tty", text)
    keys = "".join(e.key for e in events if isinstance(e, DtmfTone))
    if keys:
        return HeardTurn(Digits(keys), "keypad")
    speech = silence_tones(samples, LINE_RATE, line.tone_spans)
    span = speech_span(speech, LINE_RATE)
    if span is None:
        return HeardTurn(NoInput(), "voice")
    start, end = span
    utterance = listener.hear(speech[start:end], LINE_RATE, expect, lang)
    if utterance is None:
        return HeardTurn(Utterance("", confidence=0.0, lang=lang), "voice", NOT_UNDERSTOOD)
    return HeardTurn(utterance, "voice")


class CallRecorder:
    """Runs one session over turn audio and keeps the call's timeline and record."""

    def __init__(self, session: Session, tts: Synthesizer, listener: Listener,
                 start: dt.datetime) -> None:
        self.session = session
        self.tts = tts
        self.listener = listener
        self.start = start
        self.log = CallLog()
        self.timeline: list[Audio] = []
        self.clock_s = 0.0
        self.tty_mode = False

    def _now(self) -> dt.datetime:
        return self.start + dt.timedelta(seconds=self.clock_s)

    def _advance(self, audio: Audio) -> None:
        self.timeline.append(audio)
        self.clock_s += audio.duration_s

    def present(self, actions: list[Action], greeting: bool = False) -> None:
        """Put the assistant's answer on the timeline and in the record."""
        renditions = render_actions(actions, self.tts, LINE_RATE, tty_mode=self.tty_mode,
                                    profile=self.session.voice_profile, greeting=greeting)
        for rendition in renditions:
            self.log.assistant(rendition, self.clock_s)
            self._advance(rendition.audio)
            if len(rendition.audio.samples):
                self._advance(Audio.silence(PAUSE_S, LINE_RATE))

    def begin(self, lang: str | None) -> None:
        """The caller is connected: greet them."""
        self.present(self.session.handle(CallStarted(lang=lang, modality="voice"), self._now()),
                     greeting=True)

    def caller_turn(self, audio: Audio) -> Turn:
        """One turn of caller audio: hear it, record it, present the answer."""
        samples = resample_audio(audio, LINE_RATE).samples
        expect = self.session.expecting
        lang = self.session.lang
        heard = hear_turn(samples, self.listener, expect, lang)
        start_s = self.clock_s
        self._advance(Audio(np.zeros(len(samples), dtype=np.float32), LINE_RATE))
        if heard.modality == "tty":
            self.tty_mode = True
        intent = event_intent(heard.event, expect, self.session.packs, lang)
        turn = self.log.caller(heard.event, heard.modality, start_s, self.clock_s,
                               expect=expect, intent=intent, lang=lang, shown=heard.shown)
        actions = self.session.handle(heard.event, self._now())
        if not isinstance(heard.event, Hangup):
            self.present(actions)
        return turn

    def hang_up(self) -> None:
        """The caller has no more turns: they hang up (nothing more is presented)."""
        if not self.session.ended:
            self.session.handle(Hangup(), self._now())

    def write(self, out: Path) -> None:
        """Write the transcript, captions and the assistant's audio into `out`."""
        out.mkdir(parents=True, exist_ok=True)
        (out / "transcript.jsonl").write_text(dumps(self.log.turns), encoding="utf-8")
        (out / "captions.vtt").write_text(to_webvtt(self.log.captions.cues), encoding="utf-8")
        (out / "captions.srt").write_text(to_srt(self.log.captions.cues), encoding="utf-8")
        write_wav(out / "assistant.wav", concatenate(self.timeline, LINE_RATE))


def run_call(turn_files: Sequence[Path], out: Path, *, lang: str | None = None,
             db: Path | None = None, listener: Listener | None = None,
             tts: Synthesizer | None = None, start: dt.datetime | None = None) -> CallResult:
    """Run one simulated call and write its files into `out`.

    Args:
        turn_files: the caller's turns, in order (any sample rate and channel count).
        out: the folder for the outputs (created if needed).
        lang: the caller's language; None lets the greeting offer the choice.
        db: the billing database; None uses a fresh temporary copy of the demo data.
        listener: the speech recogniser; the default engine for the language when None.
        tts: the synthesiser; a new one when None.
        start: the wall-clock time the call starts (the session's "now" at the greeting).

    Raises:
        CallError: a turn file cannot be read, or no recogniser is available.
    """
    from assistant.audio.wavfile import AudioFileError
    from assistant.billing import BillingService

    try:
        turns = [read_wav(path) for path in turn_files]
    except AudioFileError as error:
        raise CallError(str(error)) from error
    speech = tts or Synthesizer()
    with tempfile.TemporaryDirectory(prefix="dialin-call-") as scratch:
        service = BillingService.open(db or Path(scratch) / "billing.db")
        try:
            options = SessionOptions(lang=lang, call_id=f"call-{uuid.uuid4().hex}")
            recorder = CallRecorder(Session(service, options=options), speech,
                                    listener or default_listener(), start or dt.datetime.now())
            recorder.begin(lang)
            for number, audio in enumerate(turns, start=1):
                if recorder.session.ended:
                    break
                try:
                    recorder.caller_turn(audio)
                except NoRecognizer as error:
                    raise CallError(f"turn {number} ({turn_files[number - 1]}) holds speech, "
                                    f"but {error}") from error
            ended = recorder.session.ended
            recorder.hang_up()
            recorder.write(out)
        finally:
            service.close()
            if tts is None:
                speech.close()
    return CallResult(out, tuple(recorder.log.turns), recorder.clock_s, ended)


def default_listener() -> Listener:
    """The project's speech recognisers, opened when a turn first needs one."""
    return RecognizerListener()

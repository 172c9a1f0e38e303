"""The headless voice loop: the whole billing menu through a microphone and a speaker.

Every prompt is spoken; while it plays the line is still heard, so a key press (DTMF in the
microphone audio), a TTY carrier or the caller's voice (when a barge-in detector is given)
cuts it short. Then the caller's turn is heard: keys, TTY text or speech, with the session's
no-input timeout. Once a TTY is heard the call answers in Baudot for the rest of the call,
half-duplex (never while the caller's carrier is on). Live captions of both sides go to the
`on_turn` callback (stdout for `dialin voice`).

Time is the line's own clock: the number of microphone samples heard, so the loop runs the
same against a real device or a scripted one in tests.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

import numpy as np

from assistant.audio.devices import DeviceError
from assistant.audio.streams import AudioSink, AudioSource
from assistant.channels.listening import RATE, NoRecognizer, RecognizerListener
from assistant.channels.presenter import (
    NOT_UNDERSTOOD,
    CallLog,
    Rendition,
    event_intent,
    render_actions,
)
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
from assistant.dialog.session import Session
from assistant.signals.dtmf import DtmfTone
from assistant.signals.line import LineDemultiplexer, TtyLine
from assistant.signals.tty import TtyCharacter
from assistant.signals.tty_demod import CarrierOn
from assistant.speech.endpoint import (
    BargeInDetector,
    Endpointer,
    EndpointSettings,
    InputTimedOut,
    SpeechEnded,
)
from assistant.speech.tts import Synthesizer

NEVER_S = 24 * 3600.0
"""The no-input wait when the caller turned timeouts off."""

INTER_DIGIT_S = 3.0
"""Keys stop being collected this long after the last one (the session then decides)."""

BARGE_IN_LOOKBACK_S = 1.0
"""Line audio kept while a prompt plays, from which the start of the caller's turn is
taken after a barge-in (more than `BargeIn.talking_s` says)."""

BARGE_IN_PREROLL_S = 0.04
"""Audio kept before where the detector heard the caller begin (a soft first consonant);
short, since before it is the prompt's echo, which a recogniser would try to hear as words."""

CHUNK_S = 0.02
"""A microphone chunk, as the devices deliver them."""

DEAD_MICROPHONE_S = 5.0
"""No audio at all from the microphone for this long is a device failure."""

TTY_ENDING = re.compile(r"\b(GA|SK)\s*$", re.IGNORECASE)


class BargeIn(Protocol):
    """Tells the caller's voice from the prompt's own echo while a prompt plays."""

    def heard(self, microphone: np.ndarray, reference: np.ndarray) -> bool:
        """Whether `microphone` holds the caller speaking, given the prompt audio
        `reference` played over the same span (same length and rate)."""

    def reset(self) -> None:
        """A new prompt starts: forget the last one."""

    @property
    def talking_s(self) -> float:
        """Once `heard` is true: how long ago the caller began talking."""


@dataclass(frozen=True, slots=True)
class CallerTurn:
    """One turn of the caller, as the line heard it."""

    event: Event
    modality: str
    start_s: float
    end_s: float
    expect: Expectation | None
    shown: str | None = None


class VoiceCall:
    """One call over a microphone and a speaker.

    Args:
        session: the call's session.
        microphone: caller audio at `RATE`, in chunks.
        speaker: where prompts (and TTY tones) are played.
        tts: the synthesiser.
        listener: the recognisers.
        barge_in: detects the caller talking over a prompt; without one, only keys and a
            TTY carrier interrupt prompts.
        on_turn: called with every turn of either side as it is recorded (live captions).
        clock: the wall-clock time at the start of the call, for the session's "now".
    """

    def __init__(self, session: Session, microphone: AudioSource, speaker: AudioSink,
                 tts: Synthesizer, listener: RecognizerListener, *,
                 barge_in: BargeIn | None = None, on_turn: Callable[[Turn], None] | None = None,
                 clock: dt.datetime | None = None) -> None:
        if microphone.rate != RATE:
            raise ValueError(f"the microphone must deliver {RATE} Hz, not {microphone.rate}")
        self.session = session
        self.microphone = microphone
        self.speaker = speaker
        self.tts = tts
        self.listener = listener
        self.barge_in = barge_in
        self.on_turn = on_turn
        self.start = clock or dt.datetime.now()
        self.log = CallLog()
        self.line = LineDemultiplexer(RATE)
        self.tty_mode = False
        self._keys: list[DtmfTone] = []
        self._typed: list[TtyLine] = []
        self._typing = False
        """TTY characters have come in on a line not finished yet."""
        self._carrier_heard = False
        self._endpointer = Endpointer(EndpointSettings(rate=RATE))
        """One for the whole call: its noise floor carries over from turn to turn."""
        self._barged: list[np.ndarray] = []
        """The audio in which the caller was heard talking over a prompt: the start of
        their turn."""

    # ----------------------------------------------------------------- the line

    @property
    def time_s(self) -> float:
        return self.line.time_s

    def _now(self) -> dt.datetime:
        return self.start + dt.timedelta(seconds=self.time_s)

    def _hear(self) -> np.ndarray:
        """The next chunk of line audio, with its keys and TTY text taken note of.

        Raises:
            DeviceError: the microphone delivered nothing for `DEAD_MICROPHONE_S`.
        """
        chunk = self.microphone.read(DEAD_MICROPHONE_S)
        if chunk is None:
            raise DeviceError(f"the microphone delivered no audio for {DEAD_MICROPHONE_S:g} s")
        for event in self.line.feed(chunk):
            if isinstance(event, DtmfTone):
                self._keys.append(event)
            elif isinstance(event, TtyLine):
                self._typing = False
                if event.text.strip():
                    self._typed.append(event)
            elif isinstance(event, TtyCharacter) and event.char not in "\r\n":
                self._typing = True
            elif isinstance(event, CarrierOn):
                self._carrier_heard = True
        return chunk

    @property
    def _told_apart(self) -> bool:
        """Keys or TTY text have been told apart on the line."""
        return bool(self._keys or self._typed or self._typing)

    @property
    def _signalling(self) -> bool:
        """Keys or TTY text are coming in, or tones are on the line."""
        return self._told_apart or self.line.tone_active

    @property
    def _signalled(self) -> bool:
        """Keys or TTY text were told apart on the line, or the call is in TTY mode.

        Not merely a tone begun: the DTMF detector takes a vowel for a key for a moment
        now and then, and that must not cost the caller their turn."""
        return self._told_apart or self._carrier_heard or self.tty_mode

    def _record(self, turn: Turn) -> None:
        if self.on_turn is not None:
            self.on_turn(turn)

    # ------------------------------------------------------------ the assistant

    def present(self, actions: list[Action], greeting: bool = False) -> None:
        """Speak (or send in Baudot) a batch of actions, stopping at an interruption."""
        renditions = render_actions(actions, self.tts, RATE, tty_mode=self.tty_mode,
                                    profile=self.session.voice_profile, greeting=greeting)
        for rendition in renditions:
            if not self._play(rendition):
                break
        if self._carrier_heard:
            self.tty_mode = True

    def _play(self, rendition: Rendition) -> bool:
        """Play one rendition; False if the caller interrupted it."""
        if rendition.modality == "tty":
            # Half-duplex: never send over the caller's typing.
            while self.line.tone_active:
                self._hear()
        start_s = self.time_s
        self._record(self.log.assistant(rendition, start_s))
        if not len(rendition.audio.samples):
            return True
        if rendition.modality == "tty":
            self.line.transmitted(start_s, start_s + rendition.audio.duration_s)
        detector = self.barge_in
        if detector is not None:
            detector.reset()
        self.speaker.play(rendition.audio)
        recent: deque[np.ndarray] = deque(maxlen=round(BARGE_IN_LOOKBACK_S / CHUNK_S))
        while self.speaker.playing:
            chunk = self._hear()
            if rendition.modality == "tty":
                continue
            recent.append(chunk)
            reference = self.speaker.reference(len(chunk) / RATE, RATE)
            barged = detector is not None and detector.heard(chunk, reference)
            if self._keys or self._carrier_heard or barged:
                self.speaker.stop()
                self.log.cut(self.time_s)
                # The detector needs a moment of the caller's voice to be sure: their turn
                # began before it spoke up.
                self._barged = (_latest(recent, detector.talking_s + BARGE_IN_PREROLL_S)
                                if barged and detector is not None else [])
                return False
        return True

    # ----------------------------------------------------------------- the caller

    def listen(self) -> CallerTurn:
        """Hear the caller's next turn: keys, TTY text, speech, or nothing in time.

        Speech is found by the endpointer; the recogniser hears the turn from the
        endpointer's start (its pre-roll included) to its end. After a barge-in the turn
        starts with the audio in which the caller was heard over the prompt. Tones are kept
        from the endpointer, and a turn in which keys or TTY text were told apart is not
        given to the recogniser.
        """
        expect = self.session.expecting
        pending, self._barged = self._barged, []
        listen_start_s = self.time_s - sum(len(c) for c in pending) / RATE
        endpointer = self._endpointer_for(expect, talking=bool(pending))
        heard: list[np.ndarray] = []
        """The audio since the listen began."""
        signalled = False
        over = False
        while True:
            if self._keys and (self._keys_done(expect) or
                               self.time_s - self._keys[-1].end_s >= INTER_DIGIT_S):
                return self._keyed(expect)
            if self._typed and self._typing_done():
                return self._typed_turn(expect)
            if over and not self._signalling:
                return self._turn(NoInput(), "voice", self.time_s, expect)
            chunk = pending.pop(0) if pending else self._hear()
            tones = self._signalling or self.tty_mode
            signalled = signalled or self._signalled
            heard.append(chunk)
            for event in endpointer.push(chunk, masked=tones):
                if isinstance(event, SpeechEnded) and not signalled:
                    # The recogniser hears the turn once it is over (by then a tone that
                    # began like speech, a TTY carrier or a key, has been told apart), with
                    # the trailing silence that ended it: recognisers need a little.
                    audio = np.concatenate(heard)[event.start:]
                    utterance = self.listener.hear(audio, RATE, expect, self.session.lang)
                    start_s = listen_start_s + event.start / RATE
                    if utterance is None:
                        not_understood = Utterance("", 0.0, lang=self.session.lang)
                        return self._turn(not_understood, "voice", start_s, expect,
                                          NOT_UNDERSTOOD)
                    return self._turn(utterance, "voice", start_s, expect)
                # No input in time, or sound that was not the caller's speech.
                over = isinstance(event, InputTimedOut | SpeechEnded) or over

    def _endpointer_for(self, expect: Expectation | None, talking: bool) -> Endpointer:
        """The endpointer, set for this question: the session's timeout is already scaled
        by the caller's patience, the pauses between words are scaled here. `talking`: the
        turn starts with the caller already talking (a barge-in)."""
        patience = self.session.timeout_scale or 1.0
        timeout_s = expect.timeout_s if expect is not None else 0.0
        no_input_s = timeout_s / patience if timeout_s > 0 else NEVER_S
        self._endpointer.settings = replace(self._endpointer.settings, patience=patience,
                                            no_input_s=no_input_s)
        self._endpointer.digits = expect is not None and expect.kind in ("digits", "amount")
        self._endpointer.reset(talking=talking)
        return self._endpointer

    def _keys_done(self, expect: Expectation | None) -> bool:
        keys = "".join(k.key for k in self._keys)
        if expect is None or expect.kind not in ("digits", "amount"):
            return True
        return keys.endswith(expect.terminator) or (0 < expect.max_len <= len(keys))

    def _keyed(self, expect: Expectation | None) -> CallerTurn:
        keys, self._keys = self._keys, []
        return self._turn(Digits("".join(k.key for k in keys)), "keypad", keys[0].start_s,
                          expect)

    def _typing_done(self) -> bool:
        last = self._typed[-1]
        by_carrier_loss = last.completed_s - last.end_s >= self.line.line_timeout_s - 0.05
        return bool(TTY_ENDING.search(last.text)) or by_carrier_loss

    def _typed_turn(self, expect: Expectation | None) -> CallerTurn:
        lines, self._typed = self._typed, []
        self.tty_mode = True
        text = " ".join(" ".join(line.text for line in lines).split())
        said = TTY_ENDING.sub("", text).strip()
        event: Event = TextLine(said, source="tty") if said else NoInput()
        if not said and text.upper().endswith("SK"):
            event = Hangup()
        return self._turn(event, "tty", lines[0].start_s, expect, shown=text)

    def _turn(self, event: Event, modality: str, start_s: float, expect: Expectation | None,
              shown: str | None = None) -> CallerTurn:
        return CallerTurn(event, modality, max(0.0, start_s), self.time_s, expect, shown)

    # ------------------------------------------------------------------- the call

    def run(self, lang: str | None) -> None:
        """The whole call, from greeting to End (or the caller's SK)."""
        self.present(self.session.handle(CallStarted(lang=lang, modality="voice"), self._now()),
                     greeting=True)
        while not self.session.ended:
            turn = self.listen()
            intent = event_intent(turn.event, turn.expect, self.session.packs, self.session.lang)
            self._record(self.log.caller(turn.event, turn.modality, turn.start_s, turn.end_s,
                                         expect=turn.expect, intent=intent,
                                         lang=self.session.lang, shown=turn.shown))
            actions = self.session.handle(turn.event, self._now())
            if not isinstance(turn.event, Hangup):
                self.present(actions)


def caption_line(turn: Turn) -> str:
    """A turn as one live caption line."""
    who = "Caller" if turn.who == "caller" else "Assistant"
    text = " / ".join(line for line in turn.text.splitlines() if line.strip())
    return f"[{turn.start_s:7.1f}s] {who} ({turn.modality}): {text}"


def run_voice(lang: str | None = None, input_device: str | None = None,
              output_device: str | None = None, db: Path | None = None,
              transcript: Path | None = None) -> int:
    """`dialin voice`: one call on the sound devices; returns the exit status.

    Exit status: 0 after the call, 1 when no sound device can be used, 2 when no speech
    recogniser or model is available for the language.
    """
    from assistant.audio.streams import Microphone, Speaker
    from assistant.billing import BillingService
    from assistant.dialog.session import SessionOptions

    try:
        microphone = Microphone(input_device, rate=RATE)
    except DeviceError as error:
        print(f"dialin voice: no microphone: {error}", file=sys.stderr)
        return 1
    try:
        speaker = Speaker(output_device)
    except DeviceError as error:
        microphone.close()
        print(f"dialin voice: no speaker: {error}", file=sys.stderr)
        return 1
    listener = RecognizerListener()
    try:
        listener.recognizer(lang or "en")
    except NoRecognizer as error:
        microphone.close()
        speaker.close()
        print(f"dialin voice: {error}", file=sys.stderr)
        return 2
    service = BillingService.open(db)
    call: VoiceCall | None = None
    try:
        with Synthesizer() as tts:
            session = Session(service, options=SessionOptions(
                lang=lang, call_id=f"voice-{uuid.uuid4().hex}"))
            call = VoiceCall(session, microphone, speaker, tts, listener,
                             barge_in=BargeInDetector(RATE),
                             on_turn=lambda turn: print(caption_line(turn), flush=True))
            call.run(lang)
    except DeviceError as error:
        print(f"dialin voice: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        microphone.close()
        speaker.close()
        service.close()
        if transcript is not None and call is not None:
            # Written once the call is over, so prompts cut short are recorded as heard.
            transcript.write_text(dumps(call.log.turns), encoding="utf-8")
    return 0


def _latest(chunks: deque[np.ndarray], seconds: float) -> list[np.ndarray]:
    """The newest chunks that hold at least `seconds` of audio (all of them if fewer)."""
    wanted = round(seconds * RATE)
    kept: list[np.ndarray] = []
    for chunk in reversed(chunks):
        if wanted <= 0:
            break
        kept.append(chunk)
        wanted -= len(chunk)
    return kept[::-1]

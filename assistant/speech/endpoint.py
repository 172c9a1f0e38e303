"""When a caller starts and stops talking, and when they talk over a prompt.

Pure numpy over sample counts: no clock, no device, so the same code runs on a live
microphone, a recorded call and a test signal.

- `Endpointer` ends a turn after a short trailing silence (longer while digits are read out
  one by one), reports no-input after the expectation's timeout, and caps very long turns.
  Every timeout is multiplied by the caller's `patience`: a caller who speaks slowly or with
  effort gets the time they need instead of being cut off.
- `BargeInDetector` tells the caller's voice from the prompt's own echo coming back through
  the microphone, by comparing the microphone with the audio being played.
- `voiced_fraction` measures how much of a sound has a pitch: speech does, a cough or a
  knock does not.

The speech detector is an energy and zero-crossing test against a noise floor that adapts
while nobody speaks, so it works in a quiet office and beside a store's air conditioning.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, replace

import numpy as np

FRAME_S = 0.02
"""Analysis frame: 20 ms, what a microphone delivers per read."""

_FLOOR_START_DB = -70.0
_FLOOR_MIN_DB = -90.0
_SILENT_DB = -100.0

ECHO_CONTOUR_DB = 2.0
"""How closely (standard deviation of the level difference, dB) the frames heard must follow
the prompt's, at one delay, to be taken for its echo rather than the caller's voice."""


@dataclass(frozen=True, slots=True)
class EndpointSettings:
    """How long the endpointer waits; every duration is in seconds before `patience`."""

    rate: int = 16000
    """Samples per second of the audio pushed in."""

    trailing_silence_s: float = 0.7
    """Silence after speech that ends a turn."""

    digits_trailing_silence_s: float = 1.5
    """The same while digits or an amount are read out, with pauses between chunks."""

    no_input_s: float = 8.0
    """Silence from the start of the turn that means nobody is answering."""

    max_speech_s: float = 30.0
    """The longest turn; speech beyond it ends the turn anyway."""

    min_speech_s: float = 0.12
    """Speech shorter than this (a click, a tap on the microphone) does not start a turn."""

    preroll_s: float = 0.3
    """Audio kept before the detected start, so a soft first consonant is not lost."""

    onset_db: float = 9.0
    """How far above the noise floor a frame must be to count as speech."""

    patience: float = 1.0
    """The caller's time multiplier (2.0 doubles every wait)."""

    def for_caller(self, patience: float) -> EndpointSettings:
        """These settings for a caller who needs `patience` times the usual time.

        Raises:
            ValueError: patience is not positive.
        """
        if patience <= 0:
            raise ValueError(f"patience must be positive, got {patience}")
        return replace(self, patience=patience)

    def samples(self, seconds: float, scaled: bool = True) -> int:
        """`seconds` as a sample count, times `patience` when `scaled`."""
        return round(seconds * (self.patience if scaled else 1.0) * self.rate)


@dataclass(frozen=True, slots=True)
class SpeechStarted:
    """The caller started talking."""

    start: int
    """Sample index where the turn's audio begins (speech onset minus the pre-roll)."""


@dataclass(frozen=True, slots=True)
class SpeechEnded:
    """The caller stopped talking: the turn is over."""

    start: int
    """Sample index where the turn's audio begins."""

    end: int
    """Sample index just after the last speech frame."""

    forced: bool = False
    """True when the turn hit `max_speech_s` rather than ending in silence."""


@dataclass(frozen=True, slots=True)
class InputTimedOut:
    """Nobody spoke before the no-input timeout."""

    at: int
    """Sample index of the timeout."""


EndpointEvent = SpeechStarted | SpeechEnded | InputTimedOut


def frame_levels(samples: np.ndarray, frame: int) -> tuple[np.ndarray, np.ndarray]:
    """Per-frame level in dBFS and zero-crossing rate (crossings per sample) of whole frames."""
    count = len(samples) // frame
    if count == 0:
        return np.zeros(0), np.zeros(0)
    frames = np.asarray(samples[: count * frame], dtype=np.float64).reshape(count, frame)
    power = np.mean(frames * frames, axis=1)
    level = 10.0 * np.log10(np.maximum(power, 10 ** (_SILENT_DB / 10)))
    signs = np.signbit(frames)
    zcr = np.count_nonzero(signs[:, 1:] != signs[:, :-1], axis=1) / frame
    return level, zcr


class NoiseFloor:
    """The background level, learnt from frames that are not speech.

    It falls quickly (a door closed, the fan stopped) and rises slowly, so a caller who
    keeps talking is not learnt as background.
    """

    def __init__(self, start_db: float = _FLOOR_START_DB) -> None:
        self.db = start_db
        self._seen = 0

    def update(self, level_db: float, is_speech: bool) -> None:
        """Fold one frame's level into the estimate."""
        self._seen += 1
        if self._seen <= 5:  # the first frames set the floor directly
            self.db = level_db if self._seen == 1 else min(self.db, level_db)
        elif level_db < self.db:
            self.db += 0.3 * (level_db - self.db)
        elif not is_speech:
            self.db += 0.02 * (level_db - self.db)
        self.db = max(self.db, _FLOOR_MIN_DB)


def is_speech_frame(level_db: float, zcr: float, floor_db: float, onset_db: float) -> bool:
    """Whether one frame sounds like speech: loud enough above the floor, or a softer
    frame with the many zero crossings of a fricative ("s", "f")."""
    if level_db < -65.0:
        return False
    if level_db >= floor_db + onset_db:
        return True
    return level_db >= floor_db + onset_db / 2 and zcr >= 0.3


class Endpointer:
    """Finds one turn of speech in a stream of audio.

    Push audio as it arrives; the events come back in order. After `SpeechEnded` or
    `InputTimedOut` the turn is over and further audio is ignored until `reset()`.

    Args:
        settings: durations and thresholds (with the caller's patience).
        digits: the caller is reading digits or an amount, so pauses are longer.
    """

    def __init__(self, settings: EndpointSettings | None = None, digits: bool = False) -> None:
        self.settings = settings or EndpointSettings()
        self.digits = digits
        self._frame = max(1, round(self.settings.rate * FRAME_S))
        self.floor = NoiseFloor()
        self.reset()

    def reset(self, talking: bool = False) -> None:
        """Start listening for a new turn (the noise floor is kept).

        Args:
            talking: the caller is already talking (they barged in over a prompt, and the
                audio pushed starts where they began): the turn starts at the first sample,
                reported with the first frame, rather than once `min_speech_s` of frames
                stand out from a floor that may never have heard the line without them.
        """
        self._pending = np.zeros(0, dtype=np.float32)
        self._position = 0
        self._run = 0
        self._run_start = 0
        self._speech_start: int | None = None
        self._talking = talking
        self._last_speech_end = 0
        self.done = False

    @property
    def position(self) -> int:
        """Samples consumed since the turn began."""
        return self._position

    @property
    def in_speech(self) -> bool:
        """Whether the caller is in the middle of a turn."""
        return self._speech_start is not None and not self.done

    def push(self, samples: np.ndarray, masked: bool = False) -> list[EndpointEvent]:
        """Take the next audio (mono, any length); return what happened in it.

        Args:
            masked: the audio is not the caller's voice (key or TTY tones on the line): it
                passes as silence and teaches the noise floor nothing. Zeros in its place
                would teach the floor digital silence, and then the line's own hiss would
                pass for speech and never end the turn.
        """
        if self.done:
            return []
        data = np.concatenate([self._pending, np.asarray(samples, dtype=np.float32)])
        whole = len(data) - len(data) % self._frame
        self._pending = data[whole:]
        levels, zcrs = frame_levels(data[:whole], self._frame)
        events: list[EndpointEvent] = []
        for level, zcr in zip(levels, zcrs, strict=True):
            event = self._step(float(level), float(zcr), masked)
            if event is not None:
                events.append(event)
                if isinstance(event, SpeechEnded | InputTimedOut):
                    self.done = True
                    break
        return events

    def _step(self, level: float, zcr: float, masked: bool) -> EndpointEvent | None:
        s = self.settings
        start_of_frame = self._position
        self._position += self._frame
        speech = not masked and is_speech_frame(level, zcr, self.floor.db, s.onset_db)
        if not masked:
            self.floor.update(level, speech)
        if speech:
            if self._run == 0:
                self._run_start = start_of_frame
            self._run += self._frame
            self._last_speech_end = self._position
        else:
            self._run = 0

        if self._speech_start is None:
            if self._talking:
                self._speech_start = 0
                return SpeechStarted(0)
            if self._run >= s.samples(s.min_speech_s, scaled=False):
                self._speech_start = max(0, self._run_start - s.samples(s.preroll_s, False))
                return SpeechStarted(self._speech_start)
            if self._position >= s.samples(s.no_input_s):
                return InputTimedOut(self._position)
            return None

        trailing = s.digits_trailing_silence_s if self.digits else s.trailing_silence_s
        if self._position - self._last_speech_end >= s.samples(trailing):
            return SpeechEnded(self._speech_start, self._last_speech_end)
        if self._position - self._speech_start >= s.samples(s.max_speech_s):
            return SpeechEnded(self._speech_start, self._position, forced=True)
        return None


def voiced_fraction(samples: np.ndarray, rate: int, floor_db: float = -55.0) -> float:
    """The share of audible 30 ms frames that have a pitch between 60 and 400 Hz.

    Vowels are voiced, so real speech scores well above zero; a cough, a knock or a burst
    of noise has no steady pitch and scores near zero.
    """
    frame = round(0.03 * rate)
    data = np.asarray(samples, dtype=np.float64)
    count = len(data) // frame
    if count == 0:
        return 0.0
    frames = data[: count * frame].reshape(count, frame)
    frames = frames - frames.mean(axis=1, keepdims=True)
    power = np.mean(frames * frames, axis=1)
    audible = 10 * np.log10(np.maximum(power, 1e-12)) >= floor_db
    if not audible.any():
        return 0.0
    shortest, longest = rate // 400, min(rate // 60, frame - 1)
    spectrum = np.fft.rfft(frames[audible], n=2 * frame, axis=1)
    autocorr = np.fft.irfft(np.abs(spectrum) ** 2, axis=1)[:, :frame]
    lags = np.arange(shortest, longest)
    unbiased = autocorr[:, shortest:longest] * (frame / (frame - lags))
    peaks = unbiased.max(axis=1) / np.maximum(autocorr[:, 0], 1e-12)
    return float(np.count_nonzero(peaks >= 0.5) / np.count_nonzero(audible))


class BargeInDetector:
    """Tells the caller talking over a prompt from the prompt's own echo.

    The microphone hears the prompt again after a short delay, quieter and coloured by the
    room or the handset. Every 10 ms the detector compares the microphone's level with the
    loudest prompt audio played within the echo delay, learns how loud the echo comes back
    (the echo return, from frames not already taken for the caller, so an interruption
    does not teach it; a microphone that stays at its floor while the prompt sounds, as a
    headset's does, teaches it that none comes back) and calls a frame the caller's when
    the microphone is `margin_db` louder than the echo could be, or speech-loud while no
    prompt sound is within reach. `min_speech_s` of such frames within half as long again
    (speech has short gaps: the closure before a "k") is a barge-in, unless what was heard
    rises and falls with the prompt at one delay: that is the prompt's echo, however loud
    the line hands it back. It answers the voice channel's `BargeIn` protocol.

    Args:
        rate: samples per second of both signals.
        max_echo_delay_s: the longest delay (plus reverberation) between playing and hearing.
        margin_db: how much louder than the expected echo the caller must be.
        min_speech_s: how long the caller must keep talking to interrupt.
        onset_db: how far above the microphone's noise floor speech must be.
        prior_echo_db: the echo return assumed until enough prompt has been heard
            (0 dB: as loud as the prompt, the cautious end).
    """

    def __init__(self, rate: int = 16000, max_echo_delay_s: float = 0.25,
                 margin_db: float = 8.0, min_speech_s: float = 0.2, onset_db: float = 9.0,
                 prior_echo_db: float = 0.0) -> None:
        self.rate = rate
        self.margin_db = margin_db
        self.onset_db = onset_db
        self.prior_echo_db = prior_echo_db
        self._frame = max(1, rate // 100)
        self._reach = max(1, round(max_echo_delay_s * 100)) + 1
        self._needed = max(1, round(min_speech_s * 100))
        self._returns: deque[float] = deque(maxlen=500)
        self.floor = NoiseFloor()
        self.reset()

    @property
    def echo_return_db(self) -> float:
        """The learnt echo level relative to the prompt: the median of what was heard while
    only the prompt played, the prior until 20 frames are in."""
        if len(self._returns) < 20:
            return self.prior_echo_db
        return float(np.median(np.asarray(self._returns)))

    @property
    def talking_s(self) -> float:
        """How long ago the caller's speech began, as of the last `heard` (0 if it has not):
        a channel that detects a barge-in keeps this much audio so the first word is whole.

        Counted from the first recent frame twice `margin_db` clear of the echo (failing
        that, the first of the caller's): the learnt echo return, a median, can sit nearly
        `margin_db` below the echo of a steady vowel, so a frame of echo now and then
        passes for the caller's, and a turn started there gives the recogniser echo to
        take for words."""
        clearances = list(self._recent)
        for clear_db in (2 * self.margin_db, self.margin_db):
            first = next((i for i, c in enumerate(clearances) if c >= clear_db), None)
            if first is not None:
                return (len(clearances) - first) * self._frame / self.rate + \
                    len(self._pending_mic) / self.rate
        return 0.0

    def reset(self) -> None:
        """Forget the current prompt (call before each new prompt); the echo return is kept."""
        self._prompt: deque[float] = deque([_SILENT_DB] * self._reach, maxlen=self._reach)
        self._pending_mic = np.zeros(0, dtype=np.float32)
        self._pending_ref = np.zeros(0, dtype=np.float32)
        self._recent: deque[float] = deque(maxlen=round(self._needed * 1.5))
        """How far each recent frame stood above the echo, dB: inf for speech with no
        prompt within reach, -inf for no speech."""
        span = round(self._needed * 1.5) + self._reach
        self._mic_levels: deque[float] = deque(maxlen=span)
        self._ref_levels: deque[float] = deque(maxlen=span)

    def heard(self, microphone: np.ndarray, reference: np.ndarray) -> bool:
        """Whether `microphone` holds the caller speaking, given the prompt audio `reference`
        played over the same span (same length and rate)."""
        mic = np.asarray(microphone, dtype=np.float32)
        ref = np.asarray(reference, dtype=np.float32)
        if len(ref) != len(mic):
            raise ValueError(
                f"microphone and reference must cover the same span: {len(mic)} != {len(ref)}")
        mic = np.concatenate([self._pending_mic, mic])
        ref = np.concatenate([self._pending_ref, ref])
        whole = len(mic) - len(mic) % self._frame
        self._pending_mic, self._pending_ref = mic[whole:], ref[whole:]
        mic_levels, zcrs = frame_levels(mic[:whole], self._frame)
        ref_levels, _ = frame_levels(ref[:whole], self._frame)
        for mic_db, zcr, ref_db in zip(mic_levels, zcrs, ref_levels, strict=True):
            self._step(float(mic_db), float(zcr), float(ref_db))
        return sum(c >= self.margin_db for c in self._recent) >= self._needed \
            and not self._follows_the_prompt()

    def _follows_the_prompt(self) -> bool:
        """Whether the recent frames heard are the prompt's own level contour at some delay
        within reach, only quieter: its echo, however loud it came back.

        The learnt echo return is a median, which on a hot line sits some 10 dB under
        the echo of a steady vowel, so such a vowel clears the margin. A caller's voice
        does not rise and fall with the prompt; its echo does."""
        window = len(self._recent)
        mic = np.asarray(self._mic_levels)[-window:]
        ref = np.asarray(self._ref_levels)
        heard = mic >= self.floor.db + self.onset_db
        if np.count_nonzero(heard) < self._needed:
            return False
        for delay in range(min(self._reach, len(ref) - window + 1)):
            played = ref[len(ref) - window - delay:len(ref) - delay]
            both = heard & (played > _SILENT_DB + 10.0)
            if np.count_nonzero(both) == np.count_nonzero(heard) and \
                    float(np.std(mic[both] - played[both])) <= ECHO_CONTOUR_DB:
                return True
        return False

    def _step(self, mic_db: float, zcr: float, ref_db: float) -> None:
        self._mic_levels.append(mic_db)
        self._ref_levels.append(ref_db)
        self._prompt.append(ref_db)
        source_db = max(self._prompt)
        speech = is_speech_frame(mic_db, zcr, self.floor.db, self.onset_db)
        prompt_playing = source_db > -60.0
        if not speech:
            clearance = -np.inf
        elif prompt_playing:
            clearance = mic_db - source_db - self.echo_return_db
        else:
            clearance = np.inf
        if prompt_playing and clearance < self.margin_db and (
                mic_db > self.floor.db + 3.0 or ref_db > -60.0):
            # A microphone at its floor while the prompt sounds hears no echo at all (a
            # headset): the return is at most that quiet.
            self._returns.append(max(mic_db, self.floor.db) - source_db)
        self.floor.update(mic_db, speech or prompt_playing)
        self._recent.append(clearance)


def speech_span(samples: np.ndarray, rate: int, margin_s: float = 0.25,
                min_speech_s: float = 0.1) -> tuple[int, int] | None:
    """Where the speech is in a whole recorded turn: (start, end) sample indices with
    `margin_s` kept on each side, or None when there is less than `min_speech_s` of it.

    The noise floor is the turn's own quietest tenth, so a recording made in a noisy room
    is judged against that room.
    """
    frame = max(1, round(FRAME_S * rate))
    levels, zcrs = frame_levels(np.asarray(samples, dtype=np.float32), frame)
    if len(levels) == 0:
        return None
    floor = float(np.percentile(levels, 10))
    speech = np.array([is_speech_frame(float(level), float(zcr), floor, 9.0)
                       for level, zcr in zip(levels, zcrs, strict=True)])
    if np.count_nonzero(speech) * frame < min_speech_s * rate:
        return None
    frames = np.flatnonzero(speech)
    margin = round(margin_s * rate)
    start = max(0, int(frames[0]) * frame - margin)
    end = min(len(samples), (int(frames[-1]) + 1) * frame + margin)
    return start, end

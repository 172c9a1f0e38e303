"""A telephone line made of buffers: the device boundary of the voice channel, faked.

`ScriptedLine` is both the microphone and the speaker of a `VoiceCall`, on a virtual clock
that advances 20 ms per chunk read: what the speaker plays takes as long as its audio, and
the scripted caller answers each prompt once the assistant has been quiet for a moment.
"""

from __future__ import annotations

import numpy as np

from assistant.audio.wavfile import Audio

RATE = 16000
CHUNK = 320


class ScriptedLine:
    """A caller who says each scripted turn once the assistant has answered the last one
    and fallen silent.

    Args:
        turns: the caller's audio for each turn, in order, at 16 kHz.
        answer_after_s: how long the assistant must be quiet before the caller answers.
        echo: how much of the played audio comes back into the microphone.
        interrupt_at_s: for each turn, play it this long into the next prompt instead
            (type-ahead, barge-in); None answers after the prompt as usual.
        hang_up_after_s: the line goes dead this long after the last turn.
    """

    def __init__(self, turns: list[np.ndarray], answer_after_s: float = 0.5,
                 echo: float = 0.0, interrupt_at_s: list[float | None] | None = None,
                 hang_up_after_s: float = 60.0) -> None:
        self.rate = RATE
        self._turns = [np.asarray(t, dtype=np.float32) for t in turns]
        self._interrupts = interrupt_at_s or [None] * len(turns)
        self._answer_after = round(answer_after_s * RATE)
        self._echo = echo
        self._dead_after = round(hang_up_after_s * RATE)
        self.clock = 0
        """Samples elapsed."""
        self._playing = np.zeros(0, dtype=np.float32)
        self._played_at = 0
        self._position = 0
        self._quiet_since = 0
        self._speaking: np.ndarray | None = None
        self._spoken = 0
        self._finished_at: int | None = None
        self.played: list[tuple[float, Audio]] = []
        """What the speaker was asked to play, with the time it started."""
        self.stops: list[float] = []
        """When a prompt was cut short."""

    # -- microphone
    def read(self, timeout_s: float) -> np.ndarray | None:
        self._maybe_start_turn()
        if self._speaking is None and not self._turns and self._finished_at is not None \
                and self.clock - self._finished_at > self._dead_after:
            return None
        chunk = np.zeros(CHUNK, dtype=np.float32)
        if self._speaking is not None:
            part = self._speaking[self._spoken:self._spoken + CHUNK]
            chunk[:len(part)] += part
            self._spoken += CHUNK
            if self._spoken >= len(self._speaking):
                self._speaking = None
                self._finished_at = self.clock + CHUNK
        if self.playing:
            part = self._playing[self._position:self._position + CHUNK]
            chunk[:len(part)] += self._echo * part
            self._position += CHUNK
            if not self.playing:
                self._quiet_since = self.clock + CHUNK
        self.clock += CHUNK
        return chunk

    def _maybe_start_turn(self) -> None:
        if self._speaking is not None or not self._turns:
            return
        interrupt = self._interrupts[0]
        if interrupt is not None:
            due = self.playing and self.clock - self._played_at >= interrupt * RATE
        else:
            # A caller waits for an answer to their last turn, then for it to end.
            answered = self._finished_at is None or self._played_at >= self._finished_at
            due = answered and not self.playing and \
                self.clock - self._quiet_since >= self._answer_after
        if due:
            self._speaking = self._turns.pop(0)
            self._interrupts.pop(0)
            self._spoken = 0

    def close(self) -> None:
        """Nothing to release."""

    # -- speaker
    def play(self, audio: Audio) -> None:
        assert audio.rate == RATE
        self.played.append((self.clock / RATE, audio))
        self._playing = audio.samples
        self._played_at = self.clock
        self._position = 0

    def stop(self) -> None:
        if self.playing:
            self.stops.append(self.clock / RATE)
        self._position = len(self._playing)
        self._quiet_since = self.clock

    def wait(self, timeout_s: float | None = None) -> bool:
        return not self.playing

    @property
    def playing(self) -> bool:
        return self._position < len(self._playing)

    def reference(self, seconds: float, rate: int) -> np.ndarray:
        wanted = round(seconds * rate)
        played = self._playing[max(0, self._position - wanted):self._position]
        return np.concatenate([np.zeros(wanted - len(played), dtype=np.float32), played])

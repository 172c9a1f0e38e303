"""Live sound: microphone chunks in, prompt playback out.

`Microphone` hands out fixed-size chunks from a sounddevice input stream; `Speaker` plays one
`Audio` at a time, can be cut off at once (barge-in), and tells what it is playing right now
(the playback reference an echo check compares the microphone with). The voice channel talks
to the `AudioSource`/`AudioSink` protocols, so a WAV file can stand in for a microphone and a
buffer for a speaker in tests.
"""

from __future__ import annotations

import queue
import threading
from typing import Any, Protocol

import numpy as np

from assistant.audio.devices import AudioDevice, DeviceError, pick_device, portaudio
from assistant.audio.wavfile import Audio


class AudioSource(Protocol):
    """Where caller audio comes from, chunk by chunk."""

    rate: int

    def read(self, timeout_s: float) -> np.ndarray | None:
        """The next chunk (float32 mono), or None if none came within `timeout_s`."""

    def close(self) -> None:
        """Stop listening."""


class AudioSink(Protocol):
    """Where the assistant's prompts go."""

    def play(self, audio: Audio) -> None:
        """Start playing `audio` (replacing anything still playing); returns at once."""

    def stop(self) -> None:
        """Cut the current prompt off now (the caller barged in)."""

    def wait(self, timeout_s: float | None = None) -> bool:
        """Block until the prompt has played out; False if `timeout_s` passed first."""

    @property
    def playing(self) -> bool:
        """A prompt is being played."""

    def reference(self, seconds: float, rate: int) -> np.ndarray:
        """The last `seconds` of what was played, at `rate` (zeros where nothing was)."""

    def close(self) -> None:
        """Release the device."""


class Microphone:
    """A sounddevice input stream delivering float32 mono chunks of `block_s` seconds."""

    def __init__(self, device: str | int | AudioDevice | None = None, rate: int = 16000,
                 block_s: float = 0.02, backlog_s: float = 30.0) -> None:
        """Args:
            device: a device, its number or name; the default input when None.
            rate: samples per second to record at (the sound system resamples).
            block_s: chunk length.
            backlog_s: how much unread audio to keep before the oldest is dropped.

        Raises:
            DeviceError: no such input device, or it cannot be opened.
        """
        self._sd: Any = portaudio()
        chosen = device if isinstance(device, AudioDevice) else pick_device(device, "input")
        self.device = chosen
        self.rate = rate
        self.dropped = 0
        """Chunks lost because nobody read them in time, or the device overflowed."""
        self._chunks: queue.Queue[np.ndarray] = queue.Queue(
            maxsize=max(1, round(backlog_s / block_s)))
        try:
            self._stream = self._sd.InputStream(
                samplerate=rate, channels=1, dtype="float32", device=chosen.index,
                blocksize=round(rate * block_s), callback=self._on_audio)
            self._stream.start()
        except self._sd.PortAudioError as error:
            raise DeviceError(f"cannot record from {chosen.name!r} at {rate} Hz: {error}") \
                from error

    def _on_audio(self, indata: np.ndarray, frames: int, when: Any, status: Any) -> None:
        if status.input_overflow:
            self.dropped += 1
        try:
            self._chunks.put_nowait(indata[:, 0].copy())
        except queue.Full:
            self.dropped += 1

    def read(self, timeout_s: float) -> np.ndarray | None:
        try:
            return self._chunks.get(timeout=timeout_s)
        except queue.Empty:
            return None

    def drain(self) -> int:
        """Forget every chunk not yet read (e.g. recorded while the assistant spoke)."""
        count = 0
        while True:
            try:
                self._chunks.get_nowait()
            except queue.Empty:
                return count
            count += 1

    def close(self) -> None:
        self._stream.abort()
        self._stream.close()

    def __enter__(self) -> Microphone:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Speaker:
    """Plays one prompt at a time on a sounddevice output stream."""

    def __init__(self, device: str | int | AudioDevice | None = None,
                 latency_s: float = 0.1, tail_s: float = 0.25) -> None:
        """Args:
            device: a device, its number or name; the default output when None.
            latency_s: the output buffer; small, so a barge-in cuts the prompt at once.
            tail_s: silence played after each prompt, so the sound system's own buffers
                have drained the prompt's last syllable before the stream closes.

        Raises:
            DeviceError: no such output device.
        """
        self._sd: Any = portaudio()
        chosen = device if isinstance(device, AudioDevice) else pick_device(device, "output")
        self.device = chosen
        self._latency_s = latency_s
        self._tail_s = tail_s
        self._lock = threading.Lock()
        self._stream: Any = None
        self._samples = np.zeros(0, dtype=np.float32)
        self._rate = 16000
        self._position = 0
        self._finished = threading.Event()
        self._finished.set()

    def play(self, audio: Audio) -> None:
        """Start playing `audio` at its own rate (the sound system resamples).

        Raises:
            DeviceError: the device refused the stream.
        """
        self.stop()
        tail = np.zeros(round(self._tail_s * audio.rate), dtype=np.float32)
        with self._lock:
            self._samples = np.concatenate([audio.samples.astype(np.float32), tail])
            self._rate = audio.rate
            self._position = 0
            self._finished.clear()
        try:
            self._stream = self._sd.OutputStream(
                samplerate=audio.rate, channels=1, dtype="float32", device=self.device.index,
                latency=self._latency_s, callback=self._on_request,
                finished_callback=self._finished.set)
            self._stream.start()
        except self._sd.PortAudioError as error:
            self._finished.set()
            raise DeviceError(f"cannot play on {self.device.name!r} at {audio.rate} Hz: "
                              f"{error}") from error

    def _on_request(self, outdata: np.ndarray, frames: int, when: Any, status: Any) -> None:
        with self._lock:
            start = self._position
            chunk = self._samples[start:start + frames]
            self._position = start + len(chunk)
            done = self._position >= len(self._samples)
        outdata[:len(chunk), 0] = chunk
        outdata[len(chunk):] = 0
        if done:
            raise self._sd.CallbackStop

    def stop(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            stream.abort()
            stream.close()
        with self._lock:
            self._samples = np.zeros(0, dtype=np.float32)
            self._position = 0
        self._finished.set()

    def wait(self, timeout_s: float | None = None) -> bool:
        return self._finished.wait(timeout_s)

    @property
    def playing(self) -> bool:
        return not self._finished.is_set()

    def reference(self, seconds: float, rate: int) -> np.ndarray:
        with self._lock:
            start = max(0, self._position - round(seconds * self._rate))
            played = self._samples[start:self._position].copy()
            source_rate = self._rate
        wanted = round(seconds * rate)
        if len(played) and source_rate != rate:
            from assistant.audio.convert import resample

            played = resample(played, source_rate, rate)
        played = played[-wanted:] if wanted else played[:0]
        return np.concatenate([np.zeros(wanted - len(played), dtype=np.float32), played])

    def close(self) -> None:
        self.stop()

    def __enter__(self) -> Speaker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

"""The speech recogniser as the call and voice channels use it: one turn of audio in, an
`Utterance` (or nothing) out.

Recognisers are opened per language on first need and kept: a keypad or TTY call never
loads a speech model, and a spoken call loads each language's model once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from assistant.dialog.actions import Expectation
from assistant.dialog.events import Utterance

RATE = 16000
"""Samples per second the recognisers take."""

LEAD_S = 0.25
"""Quiet put before every turn handed to a recogniser."""

CHUNK = 320
"""Audio is fed in 20 ms chunks, as a live microphone delivers it."""


class NoRecognizer(RuntimeError):
    """Speech was heard but no recogniser can listen in that language; says why."""


RecognizerFactory = Callable[[str], Any]
"""Opens a language's recogniser: `factory(lang).stream(expect)` gives a turn stream with
`accept(samples)` (16 kHz mono float32) and `final() -> Utterance | None`; `stream(expect,
live=False)` for a turn heard whole, once it is over."""


def default_factory() -> RecognizerFactory:
    """The speech package's recogniser factory.

    Raises:
        NoRecognizer: speech recognition is not installed.
    """
    try:
        from assistant.speech.recognizer import open_recognizer
    except ImportError as error:
        raise NoRecognizer(f"speech recognition is not available: {error}") from error
    return open_recognizer  # type: ignore[no-any-return]


class RecognizerListener:
    """Recognises whole turns of caller audio with the project's recognisers."""

    def __init__(self, factory: RecognizerFactory | None = None) -> None:
        self._factory = factory
        self._recognizers: dict[str, Any] = {}

    def recognizer(self, lang: str) -> Any:
        """The language's recogniser, opened once.

        Raises:
            NoRecognizer: no recogniser or no model for `lang`.
        """
        if lang not in self._recognizers:
            factory = self._factory or default_factory()
            try:
                self._recognizers[lang] = factory(lang)
            except (OSError, RuntimeError, ValueError, LookupError) as error:
                raise NoRecognizer(f"no speech recogniser for language {lang!r}: {error}") \
                    from error
        return self._recognizers[lang]

    def hear(self, samples: np.ndarray, rate: int, expect: Expectation | None,
             lang: str) -> Utterance | None:
        """Recognise one turn (at `RATE`); None when nothing in the grammar was said."""
        if rate != RATE:
            raise ValueError(f"the recognisers take {RATE} Hz audio, not {rate} Hz")
        # The turn is over before the recogniser hears it: no running text is wanted.
        stream = self.recognizer(lang).stream(expect, live=False)
        # A turn cut from a live line may start on the first syllable; recognisers place
        # a word better with a moment of quiet before it, as a recording has.
        samples = np.concatenate([np.zeros(round(LEAD_S * RATE), dtype=np.float32),
                                  np.asarray(samples, dtype=np.float32)])
        for start in range(0, len(samples), CHUNK):
            stream.accept(samples[start:start + CHUNK])
        result: Utterance | None = stream.final()
        return result

"""What a recogniser made of a synthesised turn, as the session would take it."""

from __future__ import annotations

import numpy as np

from assistant.dialog.events import Utterance
from assistant.dialog.intents import IntentMatcher
from assistant.dialog.menus import expectation_for
from assistant.speech.recognizer import Partial, Recognizer, recognize
from tests.speechgen import padded


def intent_of(recognizer: Recognizer, audio: np.ndarray, state: str = "main") -> str | None:
    """The intent heard in `audio` (padded with silence) at the menu `state`, or None."""
    expect = expectation_for(state)
    heard = recognize(recognizer, padded(audio), expect)
    if heard is None:
        return None
    allowed = (*expect.intents, *expect.globals, "main_menu")
    if expect.kind == "yes_no":
        allowed = ("yes", "no", *allowed)
    match = IntentMatcher(recognizer.pack).match(heard.text, allowed)
    return match.intent if match else None


def live_and_whole(recognizer: Recognizer, audio: np.ndarray, state: str = "main"
                   ) -> tuple[Utterance | None, Utterance | None, list[Partial]]:
    """The same turn through a live stream and through one heard whole (`live=False`): both
    results, and the running texts the whole one gave (it should give none)."""
    expect = expectation_for(state)
    live, whole = recognizer.stream(expect), recognizer.stream(expect, live=False)
    running = []
    for start in range(0, len(audio), 320):
        live.accept(audio[start:start + 320])
        if (partial := whole.accept(audio[start:start + 320])) is not None:
            running.append(partial)
    return live.final(), whole.final(), running

"""What actions become on the line, and which intent a caller's turn is recorded with."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant.channels.presenter import (
    TTY_ANNOUNCEMENT,
    CallLog,
    event_intent,
    render_actions,
    tty_text,
)
from assistant.channels.transcript import SECRET
from assistant.dialog.actions import Ask, End, Expectation, Say, Transfer
from assistant.dialog.events import Digits, NoInput, TextLine, Utterance
from assistant.dialog.menus import YES_NO_KEYS
from assistant.dialog.packs import load_packs
from assistant.signals import tty
from assistant.speech.tts import Synthesizer

MENU = Expectation(kind="intent", intents=("balance", "pay"),
                   keys=(("1", "balance"), ("2", "pay")))
PIN = Expectation(kind="digits", min_len=4, max_len=5, secret=True)
YES_NO = Expectation(kind="yes_no", keys=YES_NO_KEYS)


@pytest.fixture(scope="module")
def tts() -> Iterator[Synthesizer]:
    with Synthesizer() as synthesizer:
        yield synthesizer


def test_tty_turns_are_upper_case_and_end_in_ga_or_sk() -> None:
    actions = [Say("a", "Your balance is $89.97."), Ask("b", "Pay now? Sí", MENU)]
    assert tty_text(actions) == "YOUR BALANCE IS $89.97. PAY NOW? SI GA"
    assert tty_text([Say("bye", "Goodbye."), End()]) == "GOODBYE. SK"


def test_the_greeting_announces_the_tty_line_after_the_welcome(tts: Synthesizer) -> None:
    actions = [Say("welcome", "Welcome."), Ask("menu.main", "What would you like?", MENU)]
    out = render_actions(actions, tts, 16000, tty_mode=False, greeting=True)
    assert [r.key for r in out] == ["welcome", "tty.announce", "menu.main"]
    announce = out[1]
    assert announce.modality == "tty"
    assert tty.decode(announce.audio.samples, 16000).text.strip() == TTY_ANNOUNCEMENT
    assert all(r.audio.rate == 16000 and r.audio.duration_s > 0.3 for r in out)


def test_in_tty_mode_a_batch_is_one_baudot_turn(tts: Synthesizer) -> None:
    actions = [Say("x", "Thank you."), End(), Transfer("requested", "s", 2, "A123")]
    out = render_actions(actions, tts, 8000, tty_mode=True)
    assert [(r.key, r.modality) for r in out] == [("tty.turn", "tty"), ("transfer", "voice")]
    assert tty.decode(out[0].audio.samples, 8000).text.strip() == "THANK YOU. SK"
    assert out[1].text == "[transfer: requested, reference A123]"
    assert out[1].audio.duration_s == 0


@pytest.mark.parametrize(
    ("event", "expect", "intent"),
    [
        (Digits("1"), MENU, "balance"),
        (Digits("0"), MENU, "agent"),
        (Digits("*"), YES_NO, "back"),
        (Digits("2"), YES_NO, "no"),
        (Digits("1234#"), PIN, None),
        (Utterance("I'd like to check my balance", 0.8), MENU, "balance"),
        (TextLine("yes please"), YES_NO, "yes"),
        (TextLine("the weather tomorrow"), MENU, None),
        (NoInput(), MENU, None),
    ],
)
def test_the_transcript_names_the_intent_of_menu_answers(event: object, expect: Expectation,
                                                         intent: str | None) -> None:
    assert event_intent(event, expect, load_packs(), "en") == intent  # type: ignore[arg-type]


def test_secret_answers_are_recorded_masked_whatever_was_said() -> None:
    log = CallLog()
    log.caller(Digits("1234#"), "keypad", 1.0, 2.0, expect=PIN, intent=None, lang="en")
    log.caller(Utterance("one two three four", 0.9), "voice", 3.0, 4.0, expect=PIN,
               intent=None, lang="en")
    log.caller(TextLine("card 4111 1111 1111 1111"), "text", 5.0, 6.0, expect=MENU,
               intent=None, lang="en")
    assert [t.text for t in log.turns[:2]] == [SECRET, SECRET]
    assert "4111" not in log.turns[2].text
    assert all("1234" not in cue.text and "4111" not in cue.text for cue in log.captions.cues)

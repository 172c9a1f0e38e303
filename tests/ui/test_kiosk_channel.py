"""The kiosk channel on its own: a real session on a real demo database, driven the way
the screen drives it, with what may be shown checked at each step."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.billing import BillingService
from assistant.channels.kiosk import KioskCall, shown_keys
from assistant.dialog.actions import Ask
from assistant.dialog.events import Utterance
from assistant.dialog.redact import MASK
from assistant.dialog.session import SessionOptions
from tests.ui.conftest import NOW, TODAY


@pytest.fixture
def service(tmp_path: Path) -> Iterator[BillingService]:
    with BillingService.open(tmp_path / "billing.sqlite3", today=TODAY) as billing:
        yield billing


@pytest.fixture
def call(service: BillingService) -> KioskCall:
    kiosk_call = KioskCall(service, SessionOptions(lang="en", call_id="channel-test"),
                           clock=lambda: NOW)
    kiosk_call.start()
    return kiosk_call


def test_the_greeting_is_no_caller_turn(service: BillingService) -> None:
    call = KioskCall(service, SessionOptions(call_id="greet"), clock=lambda: NOW)
    turn = call.start()
    assert turn.caller is None and turn.modality == ""
    assert turn.prompts[0].key == "welcome"
    assert isinstance(turn.prompts[-1], Ask)
    assert not call.caller_active


def test_keys_pressed_one_by_one_become_one_entry(call: KioskCall) -> None:
    call.press("1")
    assert call.caller_active
    for key in "1000000":
        turn = call.press(key)
        assert turn.caller is None and not turn.prompts
    assert call.pending == "1000000"
    turn = call.press("1")
    assert turn.caller is None
    turn = call.press("#")
    assert turn.caller == "10000001#"
    assert turn.modality == "keypad"
    assert call.pending == ""
    assert call.secret, "the PIN is asked next"


def test_a_secret_entry_is_only_ever_bullets(call: KioskCall) -> None:
    call.press("1")
    call.type_line("10000001")
    call.press("1")
    call.press("2")
    assert call.pending == MASK * 2
    turn = call.type_line("34")
    assert turn.caller == f"{MASK * 4}#"
    assert any("Alex" in p.text for p in turn.prompts)
    shown = "".join(p.text for p in turn.prompts)
    assert "1234" not in shown


def test_a_typed_line_of_keys_ends_the_entry(call: KioskCall) -> None:
    call.type_line("balance")
    turn = call.type_line("10000001")
    assert turn.caller == "10000001#"
    assert turn.prompts[-1].key == "auth.secret"


def test_secret_words_are_masked(call: KioskCall) -> None:
    call.type_line("balance")
    call.type_line("10000001")
    turn = call.hear(Utterance("one two three four", 0.9, lang="en"))
    assert turn.caller == MASK * len("one two three four")
    assert turn.modality == "voice"
    assert "Alex" in " ".join(p.text for p in turn.prompts)


def test_an_empty_line_is_nothing(call: KioskCall) -> None:
    turn = call.type_line("   ")
    assert turn.caller is None and not turn.prompts


def test_commands_are_said_in_the_calls_words(call: KioskCall) -> None:
    turn = call.command("help")
    assert turn.caller == "help"
    assert turn.prompts[0].key.startswith("help.")
    with pytest.raises(ValueError, match="not a kiosk command"):
        call.command("pay")


def test_a_time_out_finishes_an_entry_being_keyed(call: KioskCall) -> None:
    call.press("1")
    for key in "10000001":
        call.press(key)
    turn = call.time_out()
    assert turn.caller == "10000001"
    assert turn.prompts[-1].key == "auth.secret"


def test_a_hang_up_ends_the_call(call: KioskCall) -> None:
    turn = call.hang_up()
    assert turn.ended and call.ended


def test_shown_keys_keep_the_symbols() -> None:
    assert shown_keys("12*4#", secret=True) == f"{MASK * 2}*{MASK}#"
    assert shown_keys("12*4#", secret=False) == "12*4#"

"""The US TTY character set: shifts, substitutions, and the figures shift across a space."""

from __future__ import annotations

import pytest

from assistant.signals import baudot
from assistant.signals.baudot import FIGS, LTRS, SPACE, BaudotDecoder, normalize_text, text_to_codes


def _decode(codes: list[int]) -> str:
    return BaudotDecoder().decode_all(codes)


@pytest.mark.parametrize(
    "text",
    [
        "HELLO GA",
        "CALL 555 1212 NOW",
        "$42.17, DUE 3/15! (YES/NO)? 'OK' \"FINE\" #5 & 6; 7: 8-9",
        "A1B2 C3 D4\r\nNEXT LINE GA",
    ],
)
def test_text_round_trips_through_codes(text):
    assert _decode(text_to_codes(text)) == text


def test_every_transmission_opens_with_a_shift():
    assert text_to_codes("HI")[0] == LTRS
    assert text_to_codes("42")[0] == FIGS
    assert text_to_codes(" 42")[:2] == [LTRS, SPACE]


def test_the_shift_is_repeated_at_least_every_72_characters():
    codes = text_to_codes("A" * 200)
    since = 0
    for code in codes:
        since = 0 if code in (LTRS, FIGS) else since + 1
        assert since <= baudot.SHIFT_REPEAT
    assert codes.count(LTRS) >= 3
    assert _decode(codes) == "A" * 200


def test_figures_are_sent_again_after_a_space_unless_asked_not_to():
    again = text_to_codes("555 1212")
    assert again[again.index(SPACE) + 1] == FIGS
    plain = text_to_codes("555 1212", refigure_after_space=False)
    assert FIGS not in plain[plain.index(SPACE) :]
    assert _decode(again) == _decode(plain) == "555 1212"


def test_the_receiver_keeps_figures_across_a_space():
    """V.18: a space does not return to letters, so digits after it stay digits."""
    decoder = BaudotDecoder()
    five, one, two = 0x10, 0x17, 0x13
    assert decoder.decode_all([FIGS, five, five, SPACE, one, two]) == "55 12"
    assert decoder.figures


def test_us_figures_table():
    assert _decode([FIGS, 0x09, 0x11, 0x0B, 0x14, 0x1A, 0x05, 0x0D, 0x1E]) == "$\"'#&\a!;"


def test_normalising_what_a_tty_cannot_show():
    assert normalize_text("Ñandú café, naïve") == "NANDU CAFE, NAIVE"
    assert normalize_text("pay@home 10% + tax = total") == (
        "PAY AT HOME 10 PERCENT  PLUS  TAX  EQUALS  TOTAL"
    )
    assert normalize_text("line one\nline two\r\nthree\rfour") == (
        "LINE ONE\r\nLINE TWO\r\nTHREE\r\nFOUR"
    )
    assert normalize_text("“quoted” – [x] {y} <z> a_b c|d e\\f ß") == (
        '"QUOTED" - (X) (Y) (Z) A-B C/D E/F SS'
    )
    assert normalize_text("잔액 ok 😀\x01") == " OK "


def test_decoder_refuses_codes_that_are_not_five_bits():
    with pytest.raises(ValueError, match="5-bit"):
        BaudotDecoder().decode(32)

"""Every event and action survives a JSON round trip, field for field."""

from __future__ import annotations

import dataclasses
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.dialog.actions import Ask, End, Expectation, Say, Transfer
from assistant.dialog.events import CallStarted, Digits, Hangup, NoInput, TextLine, Utterance
from assistant.dialog.wire import TYPES, from_dict, to_dict

text = st.text(max_size=40)
expectations = st.builds(
    Expectation,
    kind=st.sampled_from(["intent", "choice", "yes_no", "digits", "amount", "text"]),
    intents=st.lists(text, max_size=3).map(tuple),
    keys=st.lists(st.tuples(st.sampled_from("0123456789"), text), max_size=3).map(tuple),
    choices=st.lists(text, max_size=3).map(tuple),
    min_len=st.integers(0, 20),
    max_len=st.integers(0, 20),
    secret=st.booleans(),
    timeout_s=st.floats(0, 600),
)
params = st.dictionaries(st.text(min_size=1, max_size=5), text, max_size=3)
messages = st.one_of(
    st.builds(CallStarted, lang=st.none() | st.sampled_from(["en", "es", "ko"]), modality=text),
    st.builds(
        Utterance,
        text=text,
        confidence=st.floats(0, 1),
        alternatives=st.lists(text, max_size=3).map(tuple),
        lang=st.none() | text,
    ),
    st.builds(Digits, keys=text),
    st.builds(TextLine, text=text, source=st.sampled_from(["text", "tty"])),
    st.builds(NoInput),
    st.builds(Hangup),
    st.builds(Say, key=text, text=text, speech=text, lang=text, params=params),
    st.builds(Ask, key=text, text=text, expect=expectations, speech=text, lang=text, params=params),
    st.builds(Transfer, reason=text, summary=text, wait_minutes=st.integers(0, 99), reference=text),
    st.builds(End, reason=text),
)


@given(messages)
def test_round_trip_through_json(message: object) -> None:
    assert from_dict(json.loads(json.dumps(to_dict(message)))) == message


def test_every_message_type_is_covered() -> None:
    assert set(TYPES) == {
        "CallStarted",
        "Utterance",
        "Digits",
        "TextLine",
        "NoInput",
        "Hangup",
        "Say",
        "Ask",
        "Transfer",
        "End",
    }
    for cls in TYPES.values():
        assert dataclasses.is_dataclass(cls)


def test_unknown_fields_and_types_are_refused() -> None:
    with pytest.raises(ValueError, match="no field"):
        from_dict({"type": "Digits", "keys": "1", "extra": 2})
    with pytest.raises(ValueError, match="unknown message type"):
        from_dict({"type": "Nope"})

"""Whatever a caller does, the session answers, leaves a way out, and keeps secrets."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.billing import BillingService
from assistant.dialog.actions import Ask, End, Say, Transfer
from assistant.dialog.events import CallStarted, Digits, Hangup, NoInput, TextLine, Utterance
from assistant.dialog.session import Session, SessionOptions
from tests.dialog.calls import NOW, TODAY

CARD = "4111111111111111"
PIN = "1234"

phrases = st.sampled_from(
    [
        "balance",
        "pay",
        "yes",
        "no",
        "back",
        "help",
        "repeat",
        "agent please",
        "language",
        "español",
        "more options",
        "change my plan",
        "dispute",
        "explain my bill",
        "settings",
        "goodbye",
        "one two three four",
        "purple",
        "",
        "   ",
        "😀",
        "ß" * 50,
        "DROP TABLE x;",
    ]
)
keys = st.text(alphabet="0123456789*#ABCD", max_size=20)
events = st.lists(
    st.one_of(
        keys.map(Digits),
        st.sampled_from(
            [
                Digits("10000001#"),
                Digits(f"{PIN}#"),
                Digits(f"{CARD}#"),
                Digits("1230"),
                Digits("2"),
            ]
        ),
        phrases.map(TextLine),
        st.builds(Utterance, text=phrases, confidence=st.floats(0, 1)),
        st.just(NoInput()),
        st.text(max_size=30).map(TextLine),
    ),
    max_size=40,
)


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> BillingService:
    return BillingService.open(tmp_path_factory.mktemp("prop") / "db.sqlite3", today=TODAY)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(events=events, lang=st.sampled_from([None, "en"]))
def test_any_sequence_never_raises_and_always_leaves_a_way_out(
    service: BillingService, events: list, lang: str | None, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    session = Session(service, options=SessionOptions(lang=lang, call_id="prop"))
    now = NOW
    actions = session.handle(CallStarted(lang=lang), now)
    for event in [*events, Hangup()]:
        if session.ended and not actions:  # after the end, nothing more is said
            actions = session.handle(event, now)
            assert actions == []
            continue
        if not actions:  # only while a digit entry is still being keyed
            expecting = session.expecting
            assert expecting is not None and expecting.kind in ("digits", "amount")
            now += dt.timedelta(seconds=3)
            actions = session.handle(event, now)
            continue
        last = actions[-1]
        if session.ended:
            assert isinstance(last, End)
        else:
            assert isinstance(last, Ask)
            ways_out = set(last.expect.globals) | {v for _, v in last.expect.keys}
            assert {"agent", "goodbye", "back"} <= ways_out | {"back"}
        for action in actions:
            shown = " ".join(str(getattr(action, f, "")) for f in ("text", "speech", "summary"))
            shown += " ".join(getattr(action, "params", {}).values())
            assert CARD not in shown
            if isinstance(action, Say | Ask | Transfer):
                assert PIN not in shown.replace("10000001", ""), action
        now += dt.timedelta(seconds=3)
        actions = session.handle(event, now)
    assert session.ended
    assert CARD not in caplog.text and f"{PIN}#" not in caplog.text
    assert "dialog flow failed" not in caplog.text, caplog.text

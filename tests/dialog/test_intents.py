"""Intent matching on the shipped packs: phrases, paraphrases, typos, and what must not match."""

from __future__ import annotations

import pytest

from assistant.billing import BillingService
from assistant.dialog.intents import ACCEPT, IntentMatcher
from assistant.dialog.packs import INTENTS, load_packs
from tests.dialog.calls import Call

PACKS = load_packs()
EN = IntentMatcher(PACKS["en"])


@pytest.mark.parametrize(
    ("said", "intent"),
    [
        ("check my balance", "balance"),
        ("how much do I owe right now", "balance"),
        ("balanse", "balance"),
        ("I'd like to speak to a real person", "agent"),
        ("I want to dispute a charge", "dispute"),
        ("upgrade my internet", "change_plan"),
        ("my payments", "history"),
        ("explain why my bill went up", "explain_bill"),
    ],
)
def test_phrases_and_paraphrases(said: str, intent: str) -> None:
    match = EN.match(said, INTENTS)
    assert match is not None and match.intent == intent


@pytest.mark.parametrize(
    ("said", "intent"),
    [
        ("i want to set up auto play", "autopay"),  # a recogniser's "autopay", misheard
        ("go paper less", "settings"),  # "paperless" typed apart
    ],
)
def test_two_words_in_a_row_can_be_one_phrase_word(said: str, intent: str) -> None:
    match = EN.match(said, INTENTS)
    assert match is not None and match.intent == intent and match.confidence >= ACCEPT


@pytest.mark.parametrize("noise", ["", "my", "the", "cough", "purple elephants", "uh um"])
def test_words_without_meaning_match_nothing(noise: str) -> None:
    assert EN.match(noise, INTENTS) is None


@pytest.mark.parametrize(
    ("lang", "yes", "no"),
    [("en", "correct", "incorrect"), ("es", "correcto", "incorrecto")],
)
def test_a_word_inside_its_opposite_is_not_its_opposite(lang: str, yes: str, no: str) -> None:
    matcher = IntentMatcher(PACKS[lang])
    assert matcher.match(yes, ("yes", "no")).intent == "yes"  # type: ignore[union-attr]
    assert matcher.match(no, ("yes", "no")).intent == "no"  # type: ignore[union-attr]


def test_correct_confirms_a_payment(service: BillingService) -> None:
    before = service.summary("10000001", service_today(service)).balance
    call = Call(service)
    call.keys("2")
    call.sign_in()
    call.keys("1")
    call.keys("1")
    call.say("correct")
    assert "pay.done" in [getattr(a, "key", "") for a in call.last]
    assert service.summary("10000001", service_today(service)).balance < before


def test_naming_a_language_switches_at_once(service: BillingService) -> None:
    call = Call(service)
    call.say("español")
    assert call.session.lang == "es" and call.state == "menu.main"
    assert call.ask.lang == "es"
    call.text("idioma")
    assert call.state == "language.choose"


def service_today(service: BillingService):  # noqa: ANN201 - a date
    from tests.dialog.calls import TODAY

    return TODAY

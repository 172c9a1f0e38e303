"""Intent matching: what a caller said or typed, mapped onto the pack's phrases.

Each phrase is scored two ways and the better wins: whole-string similarity (catches typos
such as "balanse") and coverage of the phrase's content words in what was said (catches
paraphrases such as "how much do I owe right now"). Stopwords count for neither, so a
stray "my" matches nothing. A near tie between two intents lowers the confidence, so the
session asks rather than guesses.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

from assistant.dialog.packs import LanguagePack
from assistant.dialog.textnorm import fold, words

ACCEPT = 0.85
"""At or above: take the intent."""

CONFIRM = 0.6
"""At or above (and below ACCEPT): ask "did you mean …?"."""

TYPO = 0.8
"""Whole-text similarity below this is not a misspelling of a phrase, just different."""


@dataclass(frozen=True, slots=True)
class IntentMatch:
    """The best intent for a piece of text."""

    intent: str
    """The canonical intent name."""

    confidence: float
    """0 to 1: how sure the match is."""

    phrase: str
    """The pack phrase that matched best."""


def _token_weight(token: str, said: list[str]) -> float:
    """How well one phrase word was said: 1 exactly, a little less with a suffix (Korean
    particles: "잔액을") or a typo ("balanse"), so an exact word always outranks a near one
    ("correct" is yes, not "incorrect"). Two words said in a row, run together, count
    almost as much: "paper less" for "paperless", a recogniser's "auto play" for "autopay"
    (but not with a suffix: "car drive" is no "card")."""
    best = 0.0
    for word in said:
        if word == token:
            return 1.0
        if len(token) >= 2 and word.startswith(token):
            best = max(best, 0.95)
        elif len(token) >= 4 and fuzz.ratio(word, token) >= 85:
            best = max(best, 0.9)
    for first, second in zip(said, said[1:], strict=False):
        if first + second == token:
            best = max(best, 0.95)
        elif len(token) >= 4 and fuzz.ratio(first + second, token) >= 85:
            best = max(best, 0.9)
    return best


class IntentMatcher:
    """Scores text against one pack's intent phrases."""

    def __init__(self, pack: LanguagePack) -> None:
        self.pack = pack
        self._phrases = {
            intent: [
                (fold(p), [w for w in words(p) if w not in pack.stopwords] or words(p))
                for p in phrases
            ]
            for intent, phrases in pack.intents.items()
        }

    def score(self, text: str, intent: str) -> tuple[float, str]:
        """The best score of `text` against one intent's phrases, and that phrase."""
        folded = fold(text)
        said = [w for w in words(text) if w not in self.pack.stopwords]
        best, best_phrase = 0.0, ""
        for phrase, content in self._phrases[intent]:
            whole = fuzz.ratio(folded, phrase) / 100
            whole = whole if whole >= TYPO else 0.0
            if said and content:
                found = sum(len(t) * _token_weight(t, said) for t in content)
                coverage = found / sum(len(t) for t in content)
                # Words said beyond the phrase dilute it a little, never below coverage * 0.85.
                extra = max(0, len(said) - len(content))
                coverage *= max(0.85, 1 - 0.03 * extra)
            else:
                coverage = 0.0
            score = max(whole, coverage)
            if score > best:
                best, best_phrase = score, phrase
        return best, best_phrase

    def match(self, text: str, allowed: Iterable[str]) -> IntentMatch | None:
        """The best allowed intent for `text`, or None when nothing comes near. Text that is
        exactly one of an intent's phrases is that intent."""
        allowed = [intent for intent in allowed if intent in self._phrases]
        folded = fold(text)
        exact = [i for i in allowed if any(folded == phrase for phrase, _ in self._phrases[i])]
        if len(exact) == 1:
            return IntentMatch(intent=exact[0], confidence=1.0, phrase=folded)
        scored = sorted(
            ((*self.score(text, intent), intent) for intent in allowed),
            reverse=True,
        )
        if not scored or scored[0][0] < CONFIRM:
            return None
        best, phrase, intent = scored[0]
        if len(scored) > 1 and scored[1][0] >= CONFIRM and best - scored[1][0] < 0.1:
            best = min(best, (best + scored[1][0]) / 2 - 0.05)
        if best < CONFIRM:
            return None
        return IntentMatch(intent=intent, confidence=round(best, 3), phrase=phrase)

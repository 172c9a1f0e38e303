"""What the session's actions become on a line, and the record of both sides of a call.

The voice and call channels share this: a prompt becomes speech (or, once the caller has
shown they use a TTY, Baudot text ending in GA or SK), and every turn of either side goes
into the transcript and the captions, masked. Channels differ only in how the audio reaches
the caller (a speaker now, or a file later) and where the caller's turns come from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from assistant.audio.convert import resample_audio
from assistant.audio.wavfile import Audio
from assistant.channels.captions import ASSISTANT, CALLER, CaptionTrack
from assistant.channels.transcript import SECRET, Turn
from assistant.dialog.actions import Action, Ask, End, Expectation, Say, Transfer
from assistant.dialog.events import Digits, Event, NoInput, TextLine, Utterance
from assistant.dialog.intents import IntentMatcher
from assistant.dialog.menus import GLOBAL_KEYS
from assistant.dialog.packs import LanguagePack
from assistant.dialog.redact import mask_secrets
from assistant.signals import tty
from assistant.signals.baudot import normalize_text
from assistant.speech.tts import Synthesizer

TTY_ANNOUNCEMENT = "BILLING LINE GA"
"""Sent in Baudot after every greeting: a TTY caller sends no calling tone, so the line
tells them, in their own medium, that it answers TTYs."""

TTY_BAUD = 45.45

NO_ANSWER = "(no answer)"
"""A caller's turn with nothing in it, as the transcript and captions show it."""

NOT_UNDERSTOOD = "(not understood)"
"""A caller's speech the recogniser could not place in what was asked."""


@dataclass(frozen=True, slots=True, eq=False)
class Rendition:
    """One thing the assistant presents: a spoken prompt or a TTY turn."""

    key: str
    """The prompt key ("balance.amount"), or "tty.turn", "tty.announce", "transfer"."""

    text: str
    """What captions and the transcript show (for a TTY turn, exactly what is sent)."""

    audio: Audio
    """What goes down the line (may be empty, e.g. for a transfer note)."""

    modality: str
    """"voice" or "tty"."""

    lang: str


def tty_text(actions: list[Action]) -> str:
    """The TTY turn for a batch of actions: upper case, GA to hand over, SK to hang up."""
    lines = [a.text for a in actions if isinstance(a, Say | Ask)]
    ending = "SK" if any(isinstance(a, End) for a in actions) else "GA"
    body = normalize_text(" ".join(" ".join(lines).split()))
    return f"{body} {ending}".strip()


def render_actions(actions: list[Action], tts: Synthesizer, rate: int, *, tty_mode: bool,
                   profile: str = "default", greeting: bool = False) -> list[Rendition]:
    """What a batch of actions becomes on the line, in order.

    Args:
        actions: one `session.handle` result.
        tts: the synthesiser for spoken prompts.
        rate: the line's sample rate.
        tty_mode: answer in Baudot instead of speech.
        profile: the voice profile ("default" or "clear").
        greeting: the batch is the call's greeting: add the TTY announcement.
    """
    spoken = [a for a in actions if isinstance(a, Say | Ask)]
    lang = spoken[-1].lang if spoken else "en"
    out: list[Rendition] = []
    if tty_mode:
        text = tty_text(actions)
        # Each turn ends its line, so a TTY's paper or screen shows one turn per line.
        samples = tty.encode(text + "\n", rate=rate, baud=TTY_BAUD)
        out.append(Rendition("tty.turn", text, Audio(samples, rate), "tty", lang))
    else:
        for action in spoken:
            audio = resample_audio(tts.synthesize(action.spoken, action.lang, profile), rate)
            out.append(Rendition(action.key, action.text, audio, "voice", action.lang))
        if greeting:
            # Right after the welcome, before the menu: a TTY caller learns at once that
            # typing is answered.
            samples = tty.encode(TTY_ANNOUNCEMENT + "\n", rate=rate, baud=TTY_BAUD)
            out.insert(min(1, len(out)), Rendition("tty.announce", TTY_ANNOUNCEMENT,
                                                   Audio(samples, rate), "tty", lang))
    for transfer in actions:
        if isinstance(transfer, Transfer):
            note = f"[transfer: {transfer.reason}, reference {transfer.reference or 'none'}]"
            out.append(Rendition("transfer", note, Audio.silence(0, rate), "voice", lang))
    return out


def event_intent(event: Event, expect: Expectation | None,
                 packs: Mapping[str, LanguagePack], lang: str) -> str | None:
    """The intent a caller's turn names, for the transcript: a menu choice, yes or no, or a
    global command. None for data (digits, amounts, list choices) and for silence."""
    if expect is None or isinstance(event, NoInput):
        return None
    menu = expect.kind in ("intent", "yes_no")
    if isinstance(event, Digits):
        if expect.kind in ("digits", "amount"):
            return None
        keys = {**GLOBAL_KEYS, **(dict(expect.keys) if menu else {})}
        return keys.get(event.keys) or keys.get(event.keys.rstrip("#"))
    if not isinstance(event, Utterance | TextLine) or lang not in packs:
        return None
    allowed = expect.globals
    if expect.kind == "intent":
        allowed = expect.intents + expect.globals
    elif expect.kind == "yes_no":
        allowed = ("yes", "no", *expect.globals)
    match = IntentMatcher(packs[lang]).match(event.text, allowed)
    return match.intent if match else None


def caller_text(event: Event, secret: bool) -> str:
    """What the transcript and captions show of a caller's turn."""
    if isinstance(event, NoInput):
        return NO_ANSWER
    if secret:
        return SECRET
    if isinstance(event, Digits):
        return event.keys
    if isinstance(event, Utterance | TextLine):
        return mask_secrets(event.text)
    return ""


@dataclass(slots=True)
class CallLog:
    """Both sides of a call as transcript turns and captions, masked, in time order."""

    turns: list[Turn] = field(default_factory=list)
    captions: CaptionTrack = field(default_factory=CaptionTrack)

    def assistant(self, rendition: Rendition, start_s: float) -> Turn:
        """Record something the assistant presented from `start_s` on."""
        end_s = start_s + rendition.audio.duration_s
        turn = Turn("assistant", rendition.modality, mask_secrets(rendition.text),
                    round(start_s, 3), round(end_s, 3), prompt_key=rendition.key,
                    lang=rendition.lang)
        self.turns.append(turn)
        self.captions.add(ASSISTANT, turn.text, turn.start_s, max(turn.end_s, turn.start_s))
        return turn

    def cut(self, at_s: float) -> None:
        """The assistant's last turn was cut off at `at_s` by the caller."""
        if self.turns and self.turns[-1].who == "assistant" and self.turns[-1].end_s > at_s:
            last = self.turns[-1]
            self.turns[-1] = replace(last, end_s=round(max(at_s, last.start_s), 3))
            self.captions.cut(at_s)

    def caller(self, event: Event, modality: str, start_s: float, end_s: float, *,
               expect: Expectation | None, intent: str | None, lang: str,
               shown: str | None = None) -> Turn:
        """Record a caller's turn; a secret entry is masked outright.

        Args:
            shown: the turn as the caller sent it, when that differs from the event
                (a TTY line with its GA).
        """
        secret = expect is not None and expect.secret
        confidence = event.confidence if isinstance(event, Utterance) else None
        # Keys pressed as a prompt began may predate it by a few milliseconds; the record
        # keeps turns in order.
        if self.turns:
            start_s = max(start_s, self.turns[-1].start_s)
            end_s = max(end_s, start_s)
        text = SECRET if secret else mask_secrets(shown) if shown else caller_text(event, False)
        turn = Turn("caller", modality, text, round(start_s, 3),
                    round(end_s, 3), intent=intent, confidence=confidence, lang=lang)
        self.turns.append(turn)
        # Silence is captioned too ("(no answer)"): a reader sees why the prompt repeats.
        # A caller who began just before the prompt's current line (heard once it had
        # started) is captioned from that line on: captions follow one another.
        shown_from = max(turn.start_s, self.captions.cues[-1].start_s) if self.captions.cues \
            else turn.start_s
        self.captions.add(CALLER, turn.text, shown_from, max(turn.end_s, shown_from))
        return turn

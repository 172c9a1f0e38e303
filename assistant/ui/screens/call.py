"""The call screen: the conversation, the live caption, the keypad, the answer box.

Whatever the caller does (touch or click a key, press a digit key, type a line, speak,
choose a command) becomes one call to the kiosk channel, and its `Turn` is shown: the
caller's entry, the assistant's turn ending in GA, the caption, the status. The time to
answer is counted here (the session only says how long), and runs only while it is the
caller's turn: not while a prompt is spoken, nor while the caller is heard speaking.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Header, Input, Label
from textual.worker import get_current_worker

from assistant.audio.devices import DeviceError
from assistant.channels.kiosk import KioskCall, Turn
from assistant.dialog.actions import Ask, Expectation, Say
from assistant.dialog.events import Utterance
from assistant.dialog.redact import masked_entry
from assistant.ui.commands import CALL_COMMANDS
from assistant.ui.countdowns import Countdowns
from assistant.ui.widgets.action_bar import ActionBar
from assistant.ui.widgets.caption import CaptionLine
from assistant.ui.widgets.conversation import ConversationLog, Entry
from assistant.ui.widgets.keypad import KEYS, Keypad
from assistant.ui.widgets.status import Status, StatusBar

if TYPE_CHECKING:
    from assistant.ui.app import KioskApp

TICK_S = 0.25
"""How often the countdowns are looked at."""

KEY_NAMES = {"*": "asterisk", "#": "number_sign"}

KEY_BINDINGS = [Binding(KEY_NAMES.get(key, key), f"key({key!r})", f"Key {key}", show=False)
                for key in KEYS]


class CallScreen(Screen[None]):
    """One caller's call; `new_call` clears it for the next caller."""

    BINDINGS = [*KEY_BINDINGS, *(command.binding() for command in CALL_COMMANDS)]

    AUTO_FOCUS = "#log"

    def __init__(self) -> None:
        super().__init__()
        self.call: KioskCall | None = None
        self.clocks = Countdowns()
        self.speaking = False
        self.hearing = False
        self.last_prompts: tuple[Say | Ask, ...] = ()
        """The latest turn's prompts: spoken again when the voice becomes ready."""

        self._turn_number = 0

    @property
    def kiosk(self) -> KioskApp:
        return cast("KioskApp", self.app)

    @property
    def lang(self) -> str:
        """The language of the screen's own words: the call's."""
        return self.call.lang if self.call is not None else self.kiosk.start_language

    def say(self, key: str, /, **params: object) -> str:
        return self.kiosk.strings.text(self.lang, key, **params)

    # ---------------------------------------------------------------- layout

    def compose(self) -> ComposeResult:
        strings, lang = self.kiosk.strings, self.lang
        yield Header()
        yield CaptionLine(id="caption")
        with Horizontal(id="middle"):
            yield ConversationLog(id="log")
            with Vertical(id="keypad-box"):
                yield Label(strings.text(lang, "keypad_label"), id="keypad-label")
                yield Keypad(id="keypad")
        with Horizontal(id="answer"):
            yield Input(placeholder=strings.text(lang, "input_placeholder"), id="answer-input",
                        select_on_focus=False)
            yield Button(strings.text(lang, "send"), id="send", compact=True)
        yield ActionBar(self.kiosk.bar_commands, strings, lang, id="actions")
        yield StatusBar(strings, id="status")

    def on_mount(self) -> None:
        self.query_one(CaptionLine).large = self.kiosk.settings.large_captions
        self.set_interval(TICK_S, self.tick)
        self.new_call()
        self.kiosk.check_voice(self.lang)

    def on_unmount(self) -> None:
        self.stop_voice()

    # ------------------------------------------------------------- the call

    def new_call(self) -> None:
        """Clear the previous caller away and greet the next."""
        self.stop_voice()
        if self.call is not None and not self.call.ended:
            self.call.hang_up()
        self.query_one(ConversationLog).clear()
        self.query_one(CaptionLine).clear()
        self.query_one("#answer-input", Input).value = ""
        self.clocks.clear()
        self.call = self.kiosk.new_call()
        self.relabel()
        self.present(self.call.start())
        for notice in self.kiosk.notices(self.lang):
            self.notice(notice)
        self.query_one(ConversationLog).focus()

    def notice(self, text: str) -> None:
        """A line from the kiosk itself (voice off, and why)."""
        self.query_one(ConversationLog).add(Entry("notice", self.say("notice"), (text,)))

    def present(self, turn: Turn) -> None:
        """Show what one event produced, then start the caller's time to answer."""
        call = self._require_call()
        log = self.query_one(ConversationLog)
        language_before = self.query_one(ActionBar).lang
        if turn.caller is not None:
            log.add(Entry("caller", self.say("you"), (turn.caller,)))
        if turn.transfer is not None:
            self.notice(self.say("transferred", reference=turn.transfer.reference))
        if turn.prompts:
            lines = tuple(line for p in turn.prompts for line in p.text.splitlines())
            log.add(Entry("assistant", self.say("assistant"), lines,
                          "SK" if turn.ended else "GA"))
            words = " ".join(p.text.splitlines()[0] for p in turn.prompts)
            self.query_one(CaptionLine).show(self.say("assistant"), words, "assistant")
        elif turn.caller is None and call.pending:
            self.query_one(CaptionLine).show(self.say("you"), call.pending, "caller")
        if call.lang != language_before:
            self.relabel()
            self.kiosk.language_changed(call.lang)
        answer = self.query_one("#answer-input", Input)
        answer.password = call.secret
        answer.placeholder = self.say("input_placeholder_secret" if call.secret
                                      else "input_placeholder")
        self._turn_number += 1
        if turn.prompts:
            self.last_prompts = turn.prompts
        if turn.ended:
            self.clocks.call_ended(self.kiosk.monotonic(), call.session.timeout_scale)
        elif turn.prompts or turn.caller is not None or call.pending:
            self.speaking = False
            self.arm()
            if turn.prompts:
                self.start_voice(turn.prompts)
        self.show_status()

    def caller_did(self, act: Callable[[KioskCall], Turn]) -> None:
        """Run what the caller did on the call and show it; the caller is here, so the
        idle clock starts again. After the end nothing more reaches the call."""
        call = self._require_call()
        if call.ended:
            return
        self.stop_voice()
        self.activity()
        self.present(act(call))

    def activity(self) -> None:
        """The caller did something: push the idle reset back."""
        call = self.call
        if call is None or not call.caller_active or call.ended:
            return
        self.clocks.caller_acted(self.kiosk.monotonic(), call.session.timeout_scale)
        self.show_status()

    def arm(self) -> None:
        """Start the time to answer the question waiting (none at the welcome)."""
        call = self._require_call()
        expect = call.expecting
        waiting = call.caller_active and expect is not None \
            and not (self.speaking or self.hearing)
        self.clocks.start_answer(self.kiosk.monotonic(),
                                 expect.timeout_s if waiting and expect is not None else 0.0)

    def tick(self) -> None:
        """Count down: answer time-outs, the idle reset, the clearing after the end."""
        call = self.call
        if call is None:
            return
        due = self.clocks.due(self.kiosk.monotonic())
        if due in ("end", "idle"):
            self.kiosk.reset_to_welcome()
        elif due == "answer":
            self.clocks.answer = None
            self.present(call.time_out())
        else:
            self.show_status()

    def show_status(self) -> None:
        call = self._require_call()
        now = self.kiosk.monotonic()
        scale = call.session.timeout_scale
        warning = ""
        if call.ended:
            talking = "ended"
            end_left = self.clocks.end_left(now)
            warning = (self.say("call_ended", seconds=end_left) if end_left is not None
                       else self.say("call_ended_no_limit"))
        elif not call.caller_active:
            talking = "waiting"
        else:
            talking = ("assistant" if self.speaking else "caller" if self.hearing
                       else "your_turn")
            idle_left = self.clocks.idle_warning(now)
            if idle_left is not None:
                warning = self.say("still_there", seconds=idle_left)
        self.query_one(StatusBar).status = Status(
            lang=self.lang,
            language_name=call.session.packs[call.lang].name,
            microphone=self.kiosk.microphone_state,
            talking=talking,
            seconds_left=self.clocks.answer_left(now),
            no_limit=scale == 0 and call.caller_active and not call.ended,
            warning=warning,
        )

    def relabel(self) -> None:
        """Name everything in the call's language."""
        self.title = self.say("title")
        self.query_one("#keypad-label", Label).update(self.say("keypad_label"))
        self.query_one(ConversationLog).border_title = self.say("log_label")
        self.query_one("#send", Button).label = self.say("send")
        self.query_one(ActionBar).relabel(self.lang)

    def _require_call(self) -> KioskCall:
        if self.call is None:
            raise RuntimeError("the call screen has no call yet")
        return self.call

    # --------------------------------------------------------------- input

    def on_keypad_pressed(self, event: Keypad.Pressed) -> None:
        self.caller_did(lambda call: call.press(event.key))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        line = event.value
        event.input.value = ""
        if line.strip():
            self.caller_did(lambda call: call.type_line(line))

    def on_input_changed(self, event: Input.Changed) -> None:
        self.activity()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "send":
            answer = self.query_one("#answer-input", Input)
            line, answer.value = answer.value, ""
            if line.strip():
                self.caller_did(lambda call: call.type_line(line))

    def on_click(self) -> None:
        self.activity()

    def on_key(self, event: events.Key) -> None:
        """Outside the answer box, digits, * and # are keypad keys (their bindings); any
        other printable key starts typing an answer."""
        self.activity()
        answer = self.query_one("#answer-input", Input)
        if self.focused is answer or not event.is_printable or event.character is None:
            return
        if event.character in KEYS or event.character == " ":
            return
        event.stop()
        answer.focus()
        answer.insert_text_at_cursor(event.character)

    def action_key(self, key: str) -> None:
        """A keypad key from the keyboard."""
        self.query_one(Keypad).press(key)

    def action_ask(self, intent: str) -> None:
        """Help, repeat, back, a person, or another language, at any question."""
        self.caller_did(lambda call: call.command(intent))

    def action_more_time(self) -> None:
        """Start the time to answer again, and push the idle reset back."""
        self.activity()
        if self.clocks.answer is not None:
            self.arm()
        self.show_status()

    def action_new_call(self) -> None:
        """End this call and clear the screen for the next caller."""
        self.new_call()

    # --------------------------------------------------------------- voice

    def voice_ready(self) -> None:
        """The voice check found a way to speak or listen: use it for the question
        waiting now."""
        call = self.call
        if call is not None and not call.ended and not (self.speaking or self.hearing):
            self._turn_number += 1
            self.start_voice(self.last_prompts)
            self.show_status()

    def stop_voice(self) -> None:
        """Cut off speech and listening: the caller keyed, typed, or left."""
        self.kiosk.voice.stop()
        self.workers.cancel_group(self, "voice")
        self.speaking = self.hearing = False

    def start_voice(self, prompts: tuple[Say | Ask, ...]) -> None:
        """Speak the turn, then listen for the answer, in a worker thread."""
        kiosk, call = self.kiosk, self._require_call()
        speak = kiosk.speech_on
        listen = kiosk.microphone_state == "listening" and not call.ended
        if not (speak or listen):
            return
        self.stop_voice()  # a turn still listening (a time-out came first) must end
        self.speaking = speak
        self.arm()
        settings = kiosk.settings
        self.voice_turn(self._turn_number, prompts, call.expecting, call.lang,
                        call.session.voice_profile, settings.speech_rate, speak, listen)

    @work(thread=True, exclusive=True, group="voice")
    def voice_turn(self, number: int, prompts: tuple[Say | Ask, ...],
                   expect: Expectation | None, lang: str, profile: str, rate: float,
                   speak: bool, listen: bool) -> None:
        worker = get_current_worker()
        link = self.kiosk.voice
        if speak:
            for prompt in prompts:
                if worker.is_cancelled:
                    return
                self.app.call_from_thread(self._speaking, number, prompt.text)
                try:
                    link.speak(prompt.spoken, prompt.lang, profile, rate)
                except (DeviceError, RuntimeError, ValueError) as error:
                    self.app.call_from_thread(self.kiosk.speech_failed, str(error))
                    break
        if worker.is_cancelled:
            return
        self.app.call_from_thread(self._spoken, number)
        if not listen:
            return
        try:
            heard = link.listen(expect, lang, lambda text: self.app.call_from_thread(
                self._hearing, number, text))
        except (DeviceError, OSError, RuntimeError) as error:
            self.app.call_from_thread(self.kiosk.listening_failed, str(error))
            return
        if heard is not None and not worker.is_cancelled:
            self.app.call_from_thread(self._heard, number, heard)

    def _live(self, number: int) -> bool:
        """A voice result is still wanted: the same turn, on a screen still standing (a
        worker's last words may arrive while the kiosk closes)."""
        return number == self._turn_number and bool(self.query(CaptionLine))

    def _speaking(self, number: int, text: str) -> None:
        if self._live(number):
            self.query_one(CaptionLine).show(self.say("assistant"), text, "assistant")

    def _spoken(self, number: int) -> None:
        if self._live(number):
            self.speaking = False
            self.arm()
            self.show_status()

    def _hearing(self, number: int, text: str) -> None:
        if self._live(number):
            self.hearing = True
            self.clocks.answer = None
            shown = masked_entry(text) if self._require_call().secret else text
            self.query_one(CaptionLine).show(self.say("you"), shown, "caller")
            self.show_status()

    def _heard(self, number: int, utterance: Utterance) -> None:
        if self._live(number):
            self.hearing = False
            self.caller_did(lambda call: call.hear(utterance))

"""The kiosk: the billing line on a screen, by keypad, text and voice, with captions.

The app owns what outlives a caller: the billing database, the kiosk's settings and
themes, and the voice (checked once in a worker: a missing microphone or model is said
plainly and the kiosk carries on by keypad and text). The call screen under it owns the
caller. Every command has a key, a palette entry, and most a button (`commands.py`).
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import App, SystemCommand
from textual.screen import Screen

from assistant.channels.kiosk import KioskCall
from assistant.dialog.packs import LanguagePack, load_packs
from assistant.dialog.session import SessionOptions
from assistant.ui.commands import APP_COMMANDS, CALL_COMMANDS, KioskCommand
from assistant.ui.palette import THEME_NAMES, load_themes
from assistant.ui.screens.call import CallScreen
from assistant.ui.screens.settings import SettingsScreen
from assistant.ui.settings import (
    KioskSettings,
    SettingsError,
    default_settings_path,
    load_settings,
    save_settings,
)
from assistant.ui.strings import load_strings
from assistant.ui.voice import VoiceCheck, VoiceLink
from assistant.ui.widgets.caption import CaptionLine

if TYPE_CHECKING:
    from assistant.billing.service import BillingService

class KioskApp(App[None]):
    """The kiosk. Everything that varies between machines or tests is an argument.

    Args:
        db: the billing database (the embedded demo database when None).
        today: the day demo data is relative to (the system date when None).
        settings_path: this kiosk's settings file (under the user's config folder if None).
        voice: the microphone, recogniser and speaker (the real ones when None).
        clock: the time of each caller event.
        monotonic: the clock of countdowns.
        call_ids: makes each call's id (payments' idempotency keys derive from it).
        packs: language packs (the shipped ones when None).
    """

    CSS_PATH = "kiosk.tcss"
    TITLE = "Dialin billing line"
    BINDINGS = [command.binding() for command in APP_COMMANDS]

    def __init__(
        self,
        *,
        db: Path | None = None,
        today: dt.date | None = None,
        settings_path: Path | None = None,
        voice: VoiceLink | None = None,
        clock: Callable[[], dt.datetime] = dt.datetime.now,
        monotonic: Callable[[], float] = time.monotonic,
        call_ids: Callable[[], str] | None = None,
        packs: dict[str, LanguagePack] | None = None,
    ) -> None:
        super().__init__()
        self.strings = load_strings()
        self.kiosk_themes = load_themes()
        for kiosk_theme in self.kiosk_themes.values():
            self.register_theme(kiosk_theme.to_textual())
        self.settings_path = settings_path or default_settings_path()
        self.settings_problem = ""
        try:
            self.settings = load_settings(self.settings_path)
        except SettingsError as error:
            self.settings = KioskSettings()
            self.settings_problem = str(error)
        self.theme = self.kiosk_themes[self.settings.theme].textual_name
        self.voice = voice or VoiceLink()
        self.voice_check: VoiceCheck | None = None
        """What the voice check found; None until it has run."""

        self.clock = clock
        self.monotonic = monotonic
        self._call_ids = call_ids or (lambda: uuid.uuid4().hex)
        self.packs = packs or load_packs()
        self._db = db
        self._today = today
        self._service: BillingService | None = None
        self._checked_language = ""

    # --------------------------------------------------------------- pieces

    @property
    def service(self) -> BillingService:
        """The billing database, opened on first use (in the app's own thread)."""
        if self._service is None:
            from assistant.billing import BillingService

            self._service = BillingService.open(self._db, today=self._today)
        return self._service

    @property
    def start_language(self) -> str:
        """The language a new call starts in (English until a caller chooses)."""
        lang = self.settings.language
        return lang if lang in self.packs else "en"

    @property
    def call_screen(self) -> CallScreen:
        screen = self.screen_stack[0]
        if not isinstance(screen, CallScreen):
            raise RuntimeError("the kiosk's base screen is not the call screen")
        return screen

    @property
    def bar_commands(self) -> tuple[KioskCommand, ...]:
        """The commands the call screen shows as buttons."""
        return tuple(c for c in (*CALL_COMMANDS, *APP_COMMANDS) if c.button)

    @property
    def microphone_state(self) -> str:
        """"listening", "muted" or "unavailable", as the status bar says it."""
        if self.voice_check is None or not self.voice_check.listening:
            return "unavailable"
        return "listening" if self.settings.microphone else "muted"

    @property
    def speech_on(self) -> bool:
        return self.voice_check is not None and self.voice_check.speaking

    def notices(self, lang: str) -> list[str]:
        """What every caller is told first about this kiosk (voice off, and why)."""
        check = self.voice_check
        if check is None:
            return []
        if not check.listening:
            language = self.packs[lang].name
            notices = [self.strings.text(lang, check.reason, language=language)]
        elif not self.settings.microphone:
            notices = [self.strings.text(lang, "voice_off_muted")]
        else:
            notices = [self.strings.text(lang, "voice_on")]
        if not check.speaking:
            notices.append(self.strings.text(lang, "speech_off_no_speaker"))
        return notices

    def new_call(self) -> KioskCall:
        """A fresh call with this kiosk's settings."""
        options = SessionOptions(
            lang=self.settings.language if self.settings.language in self.packs else None,
            call_id=self._call_ids(),
            timeout_scale=self.settings.timeout_scale,
            voice_profile=self.settings.voice_profile,
        )
        return KioskCall(self.service, options, clock=self.clock, packs=self.packs)

    # ------------------------------------------------------------ lifecycle

    def get_default_screen(self) -> Screen[None]:
        return CallScreen()

    def on_mount(self) -> None:
        if self.settings_problem:
            self.notify(self.settings_problem, title="Settings", severity="error")

    def on_unmount(self) -> None:
        self.voice.close()
        if self._service is not None:
            self._service.close()

    def reset_to_welcome(self) -> None:
        """Back to the welcome, from any screen, with the previous caller cleared away."""
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.call_screen.new_call()

    # ---------------------------------------------------------------- voice

    @work(thread=True, exclusive=True, group="voice-check")
    def check_voice(self, lang: str) -> None:
        """Find out whether the kiosk can listen and speak in `lang` (may load a model)."""
        check = self.voice.check(lang)
        self.call_from_thread(self._voice_checked, lang, check)

    def _voice_checked(self, lang: str, check: VoiceCheck) -> None:
        before = self.voice_check
        self.voice_check, self._checked_language = check, lang
        screen = self.call_screen
        if before is None or before.listening != check.listening:
            for notice in self.notices(screen.lang):
                screen.notice(notice)
        if before is None and (check.listening or check.speaking):
            screen.voice_ready()
        screen.show_status()

    def language_changed(self, lang: str) -> None:
        """The caller chose a language: the recogniser must know it too."""
        if lang != self._checked_language:
            self.check_voice(lang)

    def speech_failed(self, reason: str) -> None:
        self.voice_check = VoiceCheck(self.microphone_state != "unavailable", False,
                                      "speech_off_no_speaker")
        self.notify(reason, title="Speech", severity="warning")

    def listening_failed(self, reason: str) -> None:
        self.voice_check = VoiceCheck(False, self.speech_on, "voice_off_failed")
        lang = self.call_screen.lang
        self.call_screen.notice(self.strings.text(lang, "voice_off_failed"))
        self.notify(reason, title="Microphone", severity="warning")

    # ------------------------------------------------------------- settings

    def apply_settings(self, settings: KioskSettings) -> None:
        """Use and keep new settings; the call in progress follows where it can."""
        old, self.settings = self.settings, settings
        save_settings(settings, self.settings_path)
        self.theme = self.kiosk_themes[settings.theme].textual_name
        screen = self.call_screen
        screen.query_one(CaptionLine).large = settings.large_captions
        call = screen.call
        if call is not None:
            call.session.state.timeout_scale = settings.timeout_scale
            call.session.state.voice_profile = settings.voice_profile
        if call is not None and not call.caller_active and settings.language != old.language:
            screen.new_call()
        if settings.microphone != old.microphone:
            screen.stop_voice()
        screen.show_status()
        self.notify(self.strings.text(screen.lang, "settings_saved"))

    def action_open_settings(self) -> None:
        """Open the settings screen (from the call screen only)."""
        if isinstance(self.screen, SettingsScreen):
            return
        languages = {code: pack.name for code, pack in self.packs.items()}
        screen = SettingsScreen(self.settings, self.strings, self.call_screen.lang, languages)
        self.push_screen(screen, self._settings_closed)

    def _settings_closed(self, settings: KioskSettings | None) -> None:
        if settings is not None:
            self.apply_settings(settings)

    def action_toggle_microphone(self) -> None:
        """Turn the microphone on or off."""
        self.apply_settings(replace(self.settings, microphone=not self.settings.microphone))

    def action_toggle_captions(self) -> None:
        """Switch between normal and large captions."""
        self.apply_settings(replace(self.settings,
                                    large_captions=not self.settings.large_captions))

    def action_next_theme(self) -> None:
        """Switch to the next colour theme."""
        names = list(THEME_NAMES)
        following = names[(names.index(self.settings.theme) + 1) % len(names)]
        self.apply_settings(replace(self.settings, theme=following))

    # -------------------------------------------------------------- palette

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The kiosk's commands, in the call's language, with their keys."""
        lang = self.call_screen.lang
        commands = (*CALL_COMMANDS, *APP_COMMANDS) if isinstance(screen, CallScreen) \
            else APP_COMMANDS
        for command in commands:
            title = f"{self.strings.text(lang, command.label)} ({command.key_label})"
            yield SystemCommand(title, self.strings.text(lang, command.about),
                                self._runner(command, screen))

    def _runner(self, command: KioskCommand, screen: Screen[object]) -> Callable[[], object]:
        namespace = screen if command.scope == "screen" else self
        return lambda: self.run_action(command.action, namespace)


def run_kiosk(db: Path | None = None) -> int:
    """Run the kiosk in this terminal until it is closed; the exit status."""
    KioskApp(db=db).run()
    return 0

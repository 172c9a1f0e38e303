"""What the page is told and what it may say: the call's turns as JSON, the page's messages
checked before they reach the session.

Pure: no sockets here. The server (`assistant.web.server`) passes a `KioskCall`'s turns
through `turn_message` and every websocket message through `read_message`, so a browser
sees exactly what a kiosk caller sees (secrets masked the same way) and a hostile message
is refused with a reason before anything is done with it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from assistant.channels.kiosk import COMMAND_INTENTS, Turn
from assistant.dialog.actions import Expectation
from assistant.dialog.packs import LanguagePack
from assistant.ui.strings import UiStrings

MAX_MESSAGE_BYTES = 4096
"""The largest websocket message the page may send; a typed line is far shorter."""

MAX_LINE_CHARS = 500
"""The longest typed answer (a dispute description fits; a pasted book does not)."""

KEYS = frozenset("0123456789*#")

PAGE_STRINGS = (
    "title", "you", "assistant", "notice", "caption_label", "log_label", "keypad_label",
    "send", "talk_your_turn", "talk_ended", "time_left", "time_no_limit", "transferred",
    "entry_hidden", "settings_title", "settings_theme", "settings_theme_default",
    "settings_theme_high_contrast", "settings_theme_colour_blind", "settings_captions",
    "settings_captions_normal", "settings_captions_large", "settings_timeouts",
    "settings_timeouts_normal", "settings_timeouts_longer", "settings_timeouts_much_longer",
    "settings_timeouts_ten", "settings_timeouts_off", "settings_save", "settings_cancel",
    "settings_saved", "cmd_help", "cmd_repeat", "cmd_back", "cmd_agent", "cmd_language",
    "cmd_settings", "cmd_more_time", "web_skip", "web_answer_label", "web_answer_hint_text",
    "web_answer_hint_digits", "web_answer_hint_secret", "web_options_label",
    "web_commands_label", "web_entry", "web_new_call", "web_busy", "web_connecting",
    "web_disconnected", "web_refused", "key_star", "key_pound",
)
"""The kiosk strings the page shows, sent with every turn in the call's language."""


class MessageError(ValueError):
    """A message from the page that is refused; the text says why, for the page's notice."""


@dataclass(frozen=True, slots=True)
class PageMessage:
    """One checked message from the page."""

    kind: str
    """"line" (a typed answer), "keys" (keypad buttons), "command" (help, repeat, back,
    agent, language), "timeout" (the time to answer ran out), "hangup"."""

    value: str = ""
    """The line, the keys or the command's intent."""


def read_message(raw: str | bytes) -> PageMessage:
    """Check one websocket message from the page.

    Raises:
        MessageError: too long, not JSON, or not a message the page sends.
    """
    if len(raw) > MAX_MESSAGE_BYTES:
        raise MessageError(f"message longer than {MAX_MESSAGE_BYTES} bytes")
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        raise MessageError(f"not JSON: {error}") from error
    if not isinstance(data, dict) or not isinstance(data.get("type"), str):
        raise MessageError("expected an object with a type")
    kind, value = data["type"], data.get("value", "")
    if not isinstance(value, str):
        raise MessageError("value must be a string")
    if kind == "line":
        if len(value) > MAX_LINE_CHARS:
            raise MessageError(f"an answer is at most {MAX_LINE_CHARS} characters")
        return PageMessage("line", _printable(value))
    if kind == "keys":
        if not value or len(value) > 32 or not set(value) <= KEYS:
            raise MessageError("keys are 0-9, * and #")
        return PageMessage("keys", value)
    if kind == "command":
        if value not in COMMAND_INTENTS:
            raise MessageError(f"unknown command {value!r}")
        return PageMessage("command", value)
    if kind in ("timeout", "hangup"):
        return PageMessage(kind)
    raise MessageError(f"unknown message type {kind!r}")


def _printable(text: str) -> str:
    """`text` without control characters (terminal escapes, NUL, bell): spaces instead."""
    return "".join(c if c.isprintable() else " " for c in text)


def options(expect: Expectation | None, pack: LanguagePack) -> list[dict[str, str]]:
    """The answers the page offers as buttons: key and label, in keypad order."""
    if expect is None:
        return []
    if expect.kind == "choice":
        return [{"key": str(number), "label": label}
                for number, label in enumerate(expect.choices, 1)]
    if expect.kind in ("intent", "yes_no"):
        return [{"key": key, "label": pack.prompt(f"option.{intent}")}
                for key, intent in expect.keys if f"option.{intent}" in pack.prompts]
    return []


def expectation(expect: Expectation | None, pack: LanguagePack) -> dict[str, Any] | None:
    """What the page needs to know about the question waiting."""
    if expect is None:
        return None
    return {
        "kind": expect.kind,
        "secret": expect.secret,
        "numeric": expect.kind in ("digits", "amount"),
        "max_len": expect.max_len,
        "timeout_s": expect.timeout_s,
        "options": options(expect, pack),
    }


def page_strings(strings: UiStrings, lang: str) -> dict[str, str]:
    """The page's labels in `lang`, placeholders left for the page to fill."""
    table = strings.table.get(lang, strings.table["en"])
    return {key: table[key] for key in PAGE_STRINGS}


def turn_message(turn: Turn, *, lang: str, expect: Expectation | None, pack: LanguagePack,
                 strings: UiStrings, pending: str = "") -> dict[str, Any]:
    """One turn of the call as the page receives it."""
    transfer = None
    if turn.transfer is not None:
        transfer = {"reference": turn.transfer.reference,
                    "wait_minutes": turn.transfer.wait_minutes}
    return {
        "type": "turn",
        "lang": lang,
        "caller": turn.caller,
        "modality": turn.modality,
        "prompts": [{"key": p.key, "text": p.text, "lang": p.lang} for p in turn.prompts],
        "expect": None if turn.ended else expectation(expect, pack),
        "pending": pending,
        "transfer": transfer,
        "ended": turn.ended,
        "labels": page_strings(strings, lang),
    }


def notice_message(key: str, strings: UiStrings, lang: str, detail: str = "") -> dict[str, Any]:
    """A plain notice for the page (a refused message, a busy line), in `lang`."""
    return {"type": "notice", "key": key, "text": strings.text(lang, key), "detail": detail,
            "labels": page_strings(strings, lang)}

"""The caller's settings: time to answer, speech, paperless billing, contact details, language."""

from __future__ import annotations

from assistant.dialog.context import Context
from assistant.dialog.engine import Flow
from assistant.dialog.flows.common import choose_language, sign_in

TIMEOUT_SCALES = (1.0, 2.0, 4.0, 0.0)
"""Normal, longer, much longer, no time limit (WCAG 2.2.1)."""


def settings(ctx: Context) -> Flow:
    options = [
        "settings.timeouts",
        "settings.speech",
        "settings.paperless",
        "settings.contact",
        "settings.language",
    ]
    index = yield ctx.choice("settings.which", options)
    if index == 0:
        pick = yield ctx.choice(
            "settings.timeouts_which",
            [
                "settings.timeouts_normal",
                "settings.timeouts_longer",
                "settings.timeouts_much_longer",
                "settings.timeouts_off",
            ],
        )
        ctx.state.timeout_scale = TIMEOUT_SCALES[pick]
        ctx.note("settings:timeouts")
        ctx.say(
            "settings.timeouts_done",
            choice=ctx.label(
                (
                    "settings.timeouts_normal",
                    "settings.timeouts_longer",
                    "settings.timeouts_much_longer",
                    "settings.timeouts_off",
                )[pick]
            ),
        )
    elif index == 1:
        pick = yield ctx.choice(
            "settings.speech_which", ["settings.speech_normal", "settings.speech_clear"]
        )
        ctx.state.voice_profile = ("default", "clear")[pick]
        ctx.note("settings:speech")
        ctx.say("settings.speech_done")
    elif index == 2:
        if ctx.state.account is None:
            yield from sign_in(ctx)
        account = ctx.service.account(ctx.state.account or "")
        ctx.say("settings.paperless_on" if account.paperless else "settings.paperless_off")
        change = yield ctx.yes_no("settings.paperless_toggle")
        if change:
            ctx.service.set_paperless(account.number, not account.paperless, ctx.now)
            ctx.note("settings:paperless")
            ctx.say(
                "settings.paperless_now_on"
                if not account.paperless
                else "settings.paperless_now_off"
            )
    elif index == 3:
        if ctx.state.account is None:
            yield from sign_in(ctx)
        which = yield ctx.choice(
            "settings.contact_which", ["settings.contact_email", "settings.contact_phone"]
        )
        if which == 0:
            email = yield ctx.text("settings.enter_email")
            ctx.service.update_contact(ctx.state.account or "", ctx.now, email=email)
        else:
            phone = yield ctx.digits("settings.enter_phone", 10, 10)
            ctx.service.update_contact(ctx.state.account or "", ctx.now, phone=phone)
        ctx.note("settings:contact")
        ctx.say("settings.contact_done")
    else:
        yield from choose_language(ctx)

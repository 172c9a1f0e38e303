"""The billing menu's flows, and the table that routes an intent to its flow."""

from __future__ import annotations

import logging
from collections.abc import Callable

from assistant.billing.errors import BillingError
from assistant.dialog.context import Context
from assistant.dialog.engine import CallOver, Flow, GoBack, MainMenu
from assistant.dialog.flows import account, billing, common, payments, services, settings, support
from assistant.dialog.flows.common import confirm_intent, offer_agent

__all__ = ["call_flow", "confirm_intent", "global_flow", "offer_agent"]

log = logging.getLogger(__name__)

ROUTES: dict[str, Callable[[Context], Flow]] = {
    "balance": account.balance,
    "history": account.history,
    "pay": payments.pay,
    "autopay": payments.autopay,
    "payment_method": payments.payment_methods,
    "plan": services.plan,
    "change_plan": services.change_plan,
    "add_ons": services.add_ons,
    "equipment": services.equipment,
    "dispute": billing.dispute,
    "explain_bill": billing.explain_bill,
    "troubleshoot": support.troubleshoot,
    "faq": support.faq,
    "settings": settings.settings,
    "agent": common.agent,
    "language": common.choose_language,
    "goodbye": common.goodbye,
}

SIGNED_IN = {
    "balance",
    "history",
    "pay",
    "autopay",
    "payment_method",
    "plan",
    "change_plan",
    "add_ons",
    "equipment",
    "dispute",
    "explain_bill",
}
"""Flows that need the caller's account; the caller signs in first."""


NOT_TASKS = {"language", "help", "main_menu", "more"}
"""Menu choices after which the caller hears the main menu again, not "anything else?"."""


def run_intent(ctx: Context, intent: str) -> Flow:
    """Run the flow for a menu choice; a billing error is explained, not raised."""
    if intent == "more":
        yield from more_menu(ctx)
        return
    if intent == "main_menu":
        return
    if intent == "help":
        ctx.say("help.intent")
        return
    ctx.note(intent)
    try:
        if intent in SIGNED_IN and ctx.state.account is None:
            yield from common.sign_in(ctx)
        yield from ROUTES[intent](ctx)
    except BillingError as error:
        ctx.note(f"error:{error.code}")
        ctx.say(f"error.{error.code}", **error.params)
    except (GoBack, CallOver):
        raise
    except Exception:  # a failure inside one task must not drop the caller
        log.exception("the %s task failed; the caller returns to the main menu", intent)
        ctx.note(f"error:{intent}")
        ctx.say("error.system")


def more_menu(ctx: Context) -> Flow:
    intent = yield ctx.menu("more", "menu.more")
    yield from run_intent(ctx, intent)


def main_menu(ctx: Context) -> Flow:
    """The menu the caller returns to after every task, until they leave."""
    key = "menu.main"
    while True:
        try:
            intent = yield ctx.menu("main", key)
            yield from run_intent(ctx, intent)
            key = "menu.main" if intent in NOT_TASKS else "menu.anything_else"
        except MainMenu:
            key = "menu.main"
        except GoBack:
            key = "menu.main"


def call_flow(ctx: Context, *, language_known: bool) -> Flow:
    """A whole call: welcome, the language if not known, then the main menu."""
    ctx.say("welcome")
    while not language_known:
        try:
            yield from common.choose_language(ctx)
            language_known = True
        except GoBack:
            ctx.say("menu.at_start")
    else:
        ctx.say("language.switch_hint")
    yield from main_menu(ctx)


def global_flow(ctx: Context, intent: str) -> Flow | None:
    """A flow for an intent that works at any question: agent, language, goodbye."""
    if intent in ("agent", "language", "goodbye"):
        return ROUTES[intent](ctx)
    return None

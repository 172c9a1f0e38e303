"""Flows every part of the menu shares: sign-in, language, agent, goodbye, confirmations."""

from __future__ import annotations

from dataclasses import replace

from assistant.billing.errors import BillingError
from assistant.dialog.actions import End, Transfer
from assistant.dialog.context import Context
from assistant.dialog.engine import CallOver, Flow, Intent
from assistant.dialog.textnorm import fold

SIGN_IN_ATTEMPTS = 3


def sign_in(ctx: Context) -> Flow:
    """Account or phone number, then PIN or ZIP; three failures lock the account."""
    ctx.say("auth.intro")
    for _ in range(SIGN_IN_ATTEMPTS + 1):
        identifier = yield ctx.digits("auth.account", 8, 10)
        secret = yield ctx.digits("auth.secret", 4, 5, secret=True)
        try:
            account = ctx.service.authenticate(identifier, secret, ctx.now)
        except BillingError as error:
            if error.code == "locked":
                ctx.note("auth:locked")
                ctx.say("auth.locked")
                raise transfer(ctx, "locked") from None
            ctx.note("auth:failed")
            ctx.say("auth.failed", remaining=error.params.get("remaining", "0"))
            continue
        ctx.state.account = account.number
        ctx.state.customer = account.name
        ctx.note("auth:ok")
        ctx.say("auth.welcome", name=account.name.split()[0])
        return
    ctx.say("auth.too_many")
    raise transfer(ctx, "sign_in")


def transfer(ctx: Context, reason: str) -> CallOver:
    """Hand the caller to an agent with a summary of the call. Use as `raise transfer(...)`."""
    summary = f"reason {reason}; " + "; ".join(ctx.state.notes)
    request = ctx.service.request_agent(ctx.state.account, reason, summary, ctx.now)
    ctx.say(
        "agent.transfer",
        minutes=ctx.fmt.minutes(request.wait_minutes),
        reference=ctx.fmt.reference(request.reference),
    )
    ctx.engine.out.append(
        Transfer(
            reason=reason,
            summary=summary,
            wait_minutes=request.wait_minutes,
            reference=request.reference,
        )
    )
    ctx.engine.out.append(End(reason="transfer"))
    return CallOver()


def agent(ctx: Context) -> Flow:
    ctx.note("agent")
    raise transfer(ctx, "requested")
    yield  # pragma: no cover - makes this a generator


def goodbye(ctx: Context) -> Flow:
    raise ctx.end("goodbye")
    yield  # pragma: no cover - makes this a generator


def confirm_intent(ctx: Context, intent: str) -> Flow:
    """ "Did you mean …?" for a match the session is not sure of."""
    yes = yield ctx.yes_no("confirm.intent", option=ctx.label(f"option.{intent}"))
    if yes:
        return Intent(intent)
    ctx.say("confirm.try_again")
    return None


def offer_agent(ctx: Context) -> Flow:
    """After three misses in a row: an agent, or another try."""
    yes = yield ctx.yes_no("agent.offer")
    if yes:
        raise transfer(ctx, "no_match")
    ctx.say("agent.declined")
    return None


def named_language(ctx: Context, words: str) -> str | None:
    """The language a caller named ("español", "Korean please"), if exactly one."""
    said = f" {fold(words)} "
    named = {
        code
        for code, pack in ctx.packs.items()
        for name in (pack.name, *pack.aliases)
        if f" {fold(name)} " in said
    }
    return named.pop() if len(named) == 1 else None


def choose_language(ctx: Context) -> Flow:
    """Each language offered in its own words; the choice carries to the rest of the call.
    A caller who named one ("español") gets it at once."""
    named = named_language(ctx, ctx.engine.heard)
    if named is not None:
        ctx.state.lang = named
        ctx.note(f"language:{named}")
        ctx.say("language.chosen")
        return None
    codes = list(ctx.packs)
    for number, code in enumerate(codes, start=1):
        ctx.say_in(code, "language.offer", key=str(number))
    labels = [("language.name", {"name": ctx.packs[code].name}) for code in codes]
    aliases = [ctx.packs[code].aliases for code in codes]
    question = ctx.choice("language.choose", labels, aliases=aliases)
    index = yield replace(question, lines=(), help_lines=question.lines)
    ctx.state.lang = codes[index]
    ctx.note(f"language:{codes[index]}")
    ctx.say("language.chosen")
    return None

"""Guided troubleshooting and the FAQ. Neither needs the caller to sign in."""

from __future__ import annotations

from assistant.dialog.context import Context
from assistant.dialog.engine import Flow
from assistant.dialog.flows.common import sign_in, transfer

TOPICS = ("internet", "tv", "mobile")
STEPS = 3
FAQ_TOPICS = ("hours", "posting", "late_fee", "paperless", "accessibility")


def troubleshoot(ctx: Context) -> Flow:
    index = yield ctx.choice("troubleshoot.which", [f"service.{t}" for t in TOPICS])
    topic = TOPICS[index]
    for step in range(1, STEPS + 1):
        ctx.say(f"troubleshoot.{topic}.step{step}")
        fixed = yield ctx.step("troubleshoot.fixed")
        if fixed:
            ctx.note(f"troubleshoot:{topic}:fixed")
            ctx.say("troubleshoot.glad")
            return
    ctx.note(f"troubleshoot:{topic}:unresolved")
    choice = yield ctx.choice(
        "troubleshoot.escalate", ["troubleshoot.to_agent", "troubleshoot.to_technician"]
    )
    if choice == 0:
        raise transfer(ctx, "troubleshoot")
    if ctx.state.account is None:
        yield from sign_in(ctx)
    visit = ctx.service.request_technician(ctx.state.account or "", topic, ctx.now)
    ctx.note("technician:booked")
    ctx.say(
        "troubleshoot.visit",
        date=ctx.fmt.date(visit.window_start.date()),
        reference=ctx.fmt.reference(visit.reference),
    )


def faq(ctx: Context) -> Flow:
    while True:
        index = yield ctx.choice("faq.which", [f"faq.{t}.question" for t in FAQ_TOPICS])
        ctx.say(f"faq.{FAQ_TOPICS[index]}.answer")
        another = yield ctx.yes_no("faq.another")
        if not another:
            return

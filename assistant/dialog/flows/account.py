"""Balance, due date and payment history."""

from __future__ import annotations

from assistant.dialog.context import Context
from assistant.dialog.engine import Flow


def balance(ctx: Context) -> Flow:
    account = ctx.state.account or ""
    summary = ctx.service.summary(account, ctx.today)
    fmt = ctx.fmt
    if summary.balance <= 0:
        ctx.say("balance.none", amount=fmt.money(-summary.balance))
    else:
        ctx.say("balance.due", amount=fmt.money(summary.balance), date=fmt.date(summary.due_date))
        if summary.minimum_due and summary.minimum_due < summary.balance:
            ctx.say("balance.minimum", amount=fmt.money(summary.minimum_due))
    if summary.past_due > 0:
        ctx.say(
            "balance.past_due", amount=fmt.money(summary.past_due), fee=fmt.money(summary.late_fees)
        )
    if summary.autopay is not None:
        method = summary.autopay.method
        ctx.say(
            "balance.autopay",
            brand=method.brand,
            last4=fmt.last4(method.last4),
            date=fmt.date(summary.due_date),
        )
        return
    if summary.balance > 0:
        wants_to_pay = yield ctx.yes_no("balance.offer_pay")
        if wants_to_pay:
            from assistant.dialog.flows.payments import pay

            yield from pay(ctx)


def history(ctx: Context) -> Flow:
    payments = ctx.service.history(ctx.state.account or "", limit=5)
    fmt = ctx.fmt
    if not payments:
        ctx.say("history.none")
        return
    ctx.say("history.intro", count=fmt.number(len(payments)))
    for payment in payments:
        ctx.say(
            "history.item",
            date=fmt.date(payment.posted.date()),
            amount=fmt.money(payment.amount),
            last4=fmt.last4(payment.last4),
            confirmation=fmt.reference(payment.confirmation),
        )
    yield from ()

"""Disputes and plain-language bill explanations."""

from __future__ import annotations

from assistant.billing.models import DISPUTE_REASONS
from assistant.dialog.context import Context
from assistant.dialog.engine import Flow


def dispute(ctx: Context) -> Flow:
    account = ctx.state.account or ""
    fmt = ctx.fmt
    existing = ctx.service.disputes(account)
    for case in existing:
        ctx.say(
            "dispute.status",
            case=fmt.reference(case.case_number),
            item=case.line_item.description,
            status=ctx.label(f"dispute.state.{case.status}"),
            date=fmt.date(case.updated.date()),
        )
    if existing:
        another = yield ctx.yes_no("dispute.ask_new")
        if not another:
            return
    statement = ctx.service.latest_statement(account)
    charges = [item for item in statement.items if item.amount > 0][:9]
    index = yield ctx.choice(
        "dispute.which_item",
        [
            ("dispute.item", {"description": item.description, "amount": fmt.money(item.amount)})
            for item in charges
        ],
    )
    item = charges[index]
    reason_index = yield ctx.choice(
        "dispute.which_reason", [f"dispute.reason.{r}" for r in DISPUTE_REASONS]
    )
    reason = DISPUTE_REASONS[reason_index]
    confirmed = yield ctx.yes_no(
        "dispute.confirm",
        description=item.description,
        amount=fmt.money(item.amount),
        reason=ctx.label(f"dispute.reason.{reason}"),
    )
    if not confirmed:
        ctx.say("dispute.not_opened")
        return
    case = ctx.service.open_dispute(account, item.id, reason, ctx.now)
    ctx.note("dispute:opened")
    ctx.say("dispute.opened", case=fmt.reference(case.case_number))


def explain_bill(ctx: Context) -> Flow:
    account = ctx.state.account or ""
    fmt = ctx.fmt
    explanation = ctx.service.explain(account)
    statement = explanation.statement
    difference = explanation.difference
    key = (
        "explain.higher"
        if difference > 0
        else "explain.lower"
        if difference < 0
        else "explain.same"
    )
    ctx.say(
        key,
        total=fmt.money(statement.total),
        previous=fmt.money(explanation.previous_total),
        difference=fmt.money(abs(difference)),
    )
    for change in explanation.changes:
        when = fmt.date(change.when) if change.when else fmt.date(statement.period_end)
        ctx.say(
            f"explain.change.{change.kind}",
            description=change.description,
            amount=fmt.money(abs(change.amount)),
            date=when,
        )
    if not explanation.changes:
        ctx.say("explain.no_changes")
    wants_dispute = yield ctx.yes_no("explain.offer_dispute")
    if wants_dispute:
        yield from dispute(ctx)

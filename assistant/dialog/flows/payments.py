"""One-time payments, autopay and payment methods.

Every money-moving step is confirmed first, reads back only the amount and the last four
digits, and `*` abandons it at any step. A new bank account number is entered twice.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from assistant.billing.errors import BillingError
from assistant.billing.models import BankInput, CardInput, PaymentMethod
from assistant.billing.validation import luhn_valid, routing_valid
from assistant.dialog.context import Context
from assistant.dialog.engine import Flow, GoBack

ENTRY_TRIES = 3


def method_label(ctx: Context, method: PaymentMethod) -> tuple[str, dict[str, Any]]:
    key = "method.card" if method.kind == "card" else "method.bank"
    return key, {"brand": method.brand, "last4": ctx.fmt.last4(method.last4)}


def collect_card(ctx: Context) -> Flow:
    """A new card: number (Luhn-checked), expiry and security code (checked, never kept)."""
    for _ in range(ENTRY_TRIES):
        number = yield ctx.digits("card.number", 13, 19, secret=True)
        if not luhn_valid(number):
            ctx.say("error.card_invalid")
            continue
        expiry = yield ctx.digits("card.expiry", 4, 4)
        month, year = int(expiry[:2]), 2000 + int(expiry[2:])
        if not 1 <= month <= 12 or (year, month) < (ctx.today.year, ctx.today.month):
            ctx.say("error.card_expired")
            continue
        yield ctx.digits("card.security_code", 3, 4, secret=True)
        return CardInput(number=number, exp_month=month, exp_year=year)
    raise GoBack()


def collect_bank(ctx: Context) -> Flow:
    """A bank account: routing number (check digit), then the account number twice."""
    for _ in range(ENTRY_TRIES):
        routing = yield ctx.digits("bank.routing", 9, 9)
        if not routing_valid(routing):
            ctx.say("error.bank_routing_invalid")
            continue
        first = yield ctx.digits("bank.account", 4, 17, secret=True)
        second = yield ctx.digits("bank.account_again", 4, 17, secret=True)
        if first != second:
            ctx.say("bank.mismatch")
            continue
        return BankInput(routing=routing, account=first)
    raise GoBack()


def _amount(ctx: Context, balance: Decimal, minimum: Decimal) -> Flow:
    fmt = ctx.fmt
    labels: list[Any] = [("pay.choice_full", {"amount": fmt.money(balance)})]
    if Decimal(0) < minimum < balance:
        labels.append(("pay.choice_minimum", {"amount": fmt.money(minimum)}))
    labels.append("pay.choice_other")
    index = yield ctx.choice("pay.how_much", labels)
    if index == 0:
        return balance
    if index == 1 and len(labels) == 3:
        return minimum
    for _ in range(ENTRY_TRIES):
        amount = yield ctx.amount("pay.enter_amount")
        if amount > 0:
            return amount
        ctx.say("error.invalid_amount")
    raise GoBack()


def pay(ctx: Context) -> Flow:
    account = ctx.state.account or ""
    summary = ctx.service.summary(account, ctx.today)
    if summary.balance <= 0:
        ctx.say("pay.nothing_due")
        return
    try:
        amount = yield from _amount(ctx, summary.balance, summary.minimum_due)
        methods = ctx.service.methods(account)
        labels: list[Any] = [method_label(ctx, m) for m in methods[:6]]
        labels += ["pay.new_card", "pay.new_bank"]
        index = yield ctx.choice("pay.which_method", labels)
        method_id = card = bank = None
        if index < len(methods[:6]):
            method_id = methods[index].id
            last4 = methods[index].last4
        elif index == len(methods[:6]):
            card = yield from collect_card(ctx)
            last4 = card.number[-4:]
        else:
            bank = yield from collect_bank(ctx)
            last4 = bank.account[-4:]
        confirmed = yield ctx.yes_no(
            "pay.confirm", amount=ctx.fmt.money(amount), last4=ctx.fmt.last4(last4)
        )
    except GoBack:
        ctx.note("pay:abandoned")
        ctx.say("pay.cancelled")
        raise
    if not confirmed:
        ctx.note("pay:declined")
        ctx.say("pay.cancelled")
        return
    receipt = ctx.service.pay(
        account,
        amount,
        idempotency_key=ctx.idempotency_key(),
        now=ctx.now,
        method_id=method_id,
        card=card,
        bank=bank,
    )
    ctx.note("pay:done")
    ctx.say(
        "pay.done",
        amount=ctx.fmt.money(receipt.amount),
        confirmation=ctx.fmt.reference(receipt.confirmation),
        balance=ctx.fmt.money(receipt.new_balance),
    )


def autopay(ctx: Context) -> Flow:
    account = ctx.state.account or ""
    current = ctx.service.autopay(account)
    if current is not None:
        ctx.say("autopay.enrolled", **dict(method_label(ctx, current.method)[1]))
        cancel = yield ctx.yes_no("autopay.ask_cancel")
        if cancel:
            ctx.service.cancel_autopay(account, ctx.now)
            ctx.note("autopay:cancelled")
            ctx.say("autopay.cancelled")
        return
    ctx.say("autopay.not_enrolled")
    enrol = yield ctx.yes_no("autopay.ask_enrol")
    if not enrol:
        return
    methods = ctx.service.methods(account)
    if methods:
        index = yield ctx.choice(
            "autopay.which_method", [method_label(ctx, m) for m in methods[:6]] + ["pay.new_card"]
        )
    else:
        index = 0
    if index < len(methods[:6]):
        method = methods[index]
    else:
        card = yield from collect_card(ctx)
        method = ctx.service.add_card(account, card, ctx.today)
    confirmed = yield ctx.yes_no("autopay.confirm", **dict(method_label(ctx, method)[1]))
    if not confirmed:
        ctx.say("autopay.unchanged")
        return
    ctx.service.enrol_autopay(account, method.id, ctx.now)
    ctx.note("autopay:enrolled")
    ctx.say("autopay.done", **dict(method_label(ctx, method)[1]))


def payment_methods(ctx: Context) -> Flow:
    account = ctx.state.account or ""
    methods = ctx.service.methods(account)
    if methods:
        ctx.say("methods.intro", count=ctx.fmt.number(len(methods)))
        for method in methods:
            key, params = method_label(ctx, method)
            ctx.say(
                "methods.item",
                method=ctx.label((key, params)),
                default=ctx.label(
                    "methods.default_marker" if method.is_default else "methods.other_marker"
                ),
            )
    else:
        ctx.say("methods.none")
    actions = ["methods.add_card", "methods.add_bank"]
    if methods:
        actions += ["methods.remove", "methods.make_default"]
    index = yield ctx.choice("methods.what_next", actions)
    if index == 0:
        card = yield from collect_card(ctx)
        added = ctx.service.add_card(account, card, ctx.today)
        ctx.note("method:added")
        ctx.say("methods.added", **dict(method_label(ctx, added)[1]))
        return
    if index == 1:
        bank = yield from collect_bank(ctx)
        added = ctx.service.add_bank(account, bank)
        ctx.note("method:added")
        ctx.say("methods.added", **dict(method_label(ctx, added)[1]))
        return
    which = yield ctx.choice("methods.which", [method_label(ctx, m) for m in methods[:9]])
    method = methods[which]
    params = dict(method_label(ctx, method)[1])
    if index == 2:
        confirmed = yield ctx.yes_no("methods.confirm_remove", **params)
        if confirmed:
            try:
                ctx.service.remove_method(account, method.id, ctx.now)
            except BillingError as error:
                ctx.say(f"error.{error.code}", **error.params)
                return
            ctx.note("method:removed")
            ctx.say("methods.removed", **params)
        return
    ctx.service.set_default_method(account, method.id, ctx.now)
    ctx.note("method:default")
    ctx.say("methods.default_set", **params)

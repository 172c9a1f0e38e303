"""Plan details and changes, add-ons and equipment. Every change is confirmed first."""

from __future__ import annotations

from assistant.dialog.context import Context
from assistant.dialog.engine import Flow

EQUIPMENT_KINDS = ("modem", "router", "cable_box")


def plan(ctx: Context) -> Flow:
    account = ctx.state.account or ""
    details = ctx.service.plan_details(account)
    fmt = ctx.fmt
    for item in details.plans:
        ctx.say(
            "plan.item",
            service=ctx.label(f"service.{item.kind}"),
            name=item.name,
            description=item.description,
            price=fmt.money(item.monthly_price),
        )
    for add_on in details.add_ons:
        ctx.say("plan.add_on", name=add_on.name, price=fmt.money(add_on.monthly_price))
    for device in details.equipment:
        if device.monthly_fee > 0:
            ctx.say(
                "plan.equipment",
                kind=ctx.label(f"equipment.kind.{device.kind}"),
                price=fmt.money(device.monthly_fee),
            )
    ctx.say("plan.total", price=fmt.money(details.monthly_total))
    wants_change = yield ctx.yes_no("plan.offer_change")
    if wants_change:
        yield from change_plan(ctx)


def change_plan(ctx: Context) -> Flow:
    account = ctx.state.account or ""
    current = ctx.service.plan_details(account).plans
    kinds = [p.kind for p in current]
    kind: str | None
    if len(kinds) > 1:
        index = yield ctx.choice("change_plan.which_service", [f"service.{kind}" for kind in kinds])
        kind = kinds[index]
    else:
        kind = kinds[0] if kinds else None
    options = ctx.service.available_plans(account, kind)
    if not options:
        ctx.say("change_plan.none")
        return
    fmt = ctx.fmt
    index = yield ctx.choice(
        "change_plan.choose",
        [
            (
                "change_plan.option",
                {"name": p.name, "description": p.description, "price": fmt.money(p.monthly_price)},
            )
            for p in options[:9]
        ],
    )
    quote = ctx.service.quote_plan_change(account, options[index].code, ctx.today)
    difference = quote.monthly_difference
    ctx.say(
        "change_plan.quote_more" if difference > 0 else "change_plan.quote_less",
        name=quote.new.name,
        amount=fmt.money(abs(difference)),
        date=fmt.date(quote.effective_date),
        price=fmt.money(quote.new.monthly_price),
    )
    confirmed = yield ctx.yes_no("change_plan.confirm", name=quote.new.name)
    if not confirmed:
        ctx.note("change_plan:declined")
        ctx.say("change_plan.declined")
        return
    done = ctx.service.change_plan(account, quote.new.code, ctx.now)
    ctx.note("change_plan:done")
    ctx.say("change_plan.done", name=done.new.name, date=fmt.date(done.effective_date))


def add_ons(ctx: Context) -> Flow:
    account = ctx.state.account or ""
    catalogue = ctx.service.add_ons(account)[:9]
    fmt = ctx.fmt
    labels = [
        (
            "add_ons.option_active" if a.active else "add_ons.option_available",
            {"name": a.name, "price": fmt.money(a.monthly_price)},
        )
        for a in catalogue
    ]
    index = yield ctx.choice("add_ons.choose", labels)
    chosen = catalogue[index]
    params = {"name": chosen.name, "price": fmt.money(chosen.monthly_price)}
    if chosen.active:
        confirmed = yield ctx.yes_no("add_ons.confirm_remove", **params)
        if confirmed:
            ctx.service.remove_add_on(account, chosen.code, ctx.now)
            ctx.note("add_on:removed")
            ctx.say("add_ons.removed", **params)
            return
    else:
        confirmed = yield ctx.yes_no("add_ons.confirm_add", **params)
        if confirmed:
            ctx.service.add_add_on(account, chosen.code, ctx.now)
            ctx.note("add_on:added")
            ctx.say("add_ons.added", **params)
            return
    ctx.say("add_ons.unchanged")


def equipment(ctx: Context) -> Flow:
    account = ctx.state.account or ""
    devices = ctx.service.equipment(account)
    for device in devices:
        ctx.say(
            "equipment.item",
            kind=ctx.label(f"equipment.kind.{device.kind}"),
            model=device.model,
            ownership=ctx.label(f"equipment.{device.ownership}"),
            last4=ctx.fmt.last4(device.serial_last4),
        )
    actions = ["equipment.swap", "equipment.return", "equipment.order"]
    index = yield ctx.choice("equipment.what_next", actions)
    action = ("swap", "return", "order")[index]
    device_id = kind = None
    if action == "order":
        pick = yield ctx.choice(
            "equipment.which_kind", [f"equipment.kind.{k}" for k in EQUIPMENT_KINDS]
        )
        kind = EQUIPMENT_KINDS[pick]
        label = ctx.label(f"equipment.kind.{kind}")
    else:
        candidates = [d for d in devices if action == "swap" or d.ownership == "rented"]
        if not candidates:
            ctx.say("equipment.none_to_return")
            return
        pick = yield ctx.choice(
            "equipment.which_device",
            [
                (
                    "equipment.device",
                    {"kind": ctx.label(f"equipment.kind.{d.kind}"), "last4": d.serial_last4},
                )
                for d in candidates[:9]
            ],
        )
        device_id = candidates[pick].id
        label = ctx.label(f"equipment.kind.{candidates[pick].kind}")
    confirmed = yield ctx.yes_no(f"equipment.confirm_{action}", kind=label)
    if not confirmed:
        ctx.say("equipment.unchanged")
        return
    request = ctx.service.request_equipment(
        account, action, ctx.now, equipment_id=device_id, kind=kind
    )
    ctx.note(f"equipment:{action}")
    ctx.say(f"equipment.done_{action}", kind=label, reference=ctx.fmt.reference(request.reference))

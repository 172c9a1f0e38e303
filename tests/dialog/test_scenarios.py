"""Whole calls through the session, for every menu path and failure path, with the store
checked afterwards."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assistant.billing import BillingError, BillingService
from assistant.dialog.actions import Ask, End, Transfer
from assistant.dialog.events import NoInput
from tests.dialog.calls import NOW, TODAY, Call

CARD = "4111111111111111"


def test_greeting_without_language_offers_each_language_then_the_menu(
    service: BillingService,
) -> None:
    call = Call(service, lang=None)
    assert call.state == "language.choose"
    call.keys("1")
    assert call.session.lang == "en"
    assert call.state == "menu.main"
    assert "1" in dict(call.ask.expect.keys) and dict(call.ask.expect.keys)["1"] == "balance"


@pytest.mark.parametrize("how", ["keys", "phrase", "paraphrase"])
def test_balance_by_key_phrase_and_paraphrase(
    call: Call, service: BillingService, how: str
) -> None:
    {
        "keys": lambda: call.keys("1"),
        "phrase": lambda: call.say("check my balance"),
        "paraphrase": lambda: call.text("how much do I owe right now"),
    }[how]()
    assert call.state == "auth.account"
    call.sign_in()
    balance = service.summary("10000001", TODAY).balance
    due = [a for a in call.last if a.key == "balance.due"]
    assert due and f"${balance:,.2f}" in due[0].text
    assert "forty" in due[0].spoken or "dollars" in due[0].spoken
    assert call.state == "balance.offer_pay"


def test_pay_full_balance_with_the_card_on_file(call: Call, service: BillingService) -> None:
    before = service.summary("10000001", TODAY).balance
    call.keys("2")
    call.sign_in()
    assert call.state == "pay.how_much"
    call.keys("1")  # full balance
    assert call.state == "pay.which_method"
    call.keys("1")  # the card on file
    assert call.state == "pay.confirm"
    assert f"${before:,.2f}" in call.ask.text and "4242" in call.ask.text
    call.keys("1")  # yes
    done = [a for a in call.last if a.key == "pay.done"]
    assert done, call.last
    assert service.summary("10000001", TODAY).balance == 0
    history = service.history("10000001")
    assert history[0].amount == before and history[0].confirmation in done[0].text


def test_pay_other_amount_spoken_and_keyed(call: Call, service: BillingService) -> None:
    before = service.summary("10000001", TODAY).balance
    call.keys("2")
    call.sign_in()
    call.keys("3")
    assert call.state == "pay.enter_amount"
    call.say("twenty dollars and fifty cents")
    call.keys("1")
    call.keys("1")
    assert service.summary("10000001", TODAY).balance == before - Decimal("20.50")


def test_new_card_failing_luhn_is_refused_then_a_good_one_pays(
    call: Call, service: BillingService, db_path
) -> None:
    call.keys("2")
    call.sign_in()
    call.keys("3")
    call.keys("1000#")  # $10.00 in cents
    call.keys("2")  # a new card
    assert call.state == "card.number"
    assert call.ask.expect.secret
    call.keys("4111111111111112#")
    assert "error.card_invalid" in [a.key for a in call.last]
    assert call.state == "card.number"
    call.keys(f"{CARD}#")
    call.keys("1230")  # December 2030
    call.keys("123#")
    assert call.state == "pay.confirm" and "1111" in call.ask.text
    call.keys("1")
    assert [a for a in call.last if a.key == "pay.done"]
    assert service.history("10000001")[0].last4 == "1111"
    every_text = "\n".join(
        t for a in call.actions for t in (getattr(a, "text", ""), getattr(a, "spoken", ""))
    )
    assert CARD not in every_text and "1234" not in every_text.replace("10000001", "")
    assert CARD.encode() not in db_path.read_bytes()


def test_wrong_pin_three_times_locks_and_transfers(call: Call, service: BillingService) -> None:
    call.keys("1")
    for _ in range(3):
        call.keys("10000001#")
        call.keys("9999#")
    transfer = call.transfer()
    assert transfer is not None and transfer.reason == "locked"
    assert call.ended() and call.session.ended
    with pytest.raises(BillingError) as error:
        service.authenticate("10000001", "1234", NOW)
    assert error.value.code == "locked"
    assert "9999" not in transfer.summary


def test_a_replayed_payment_never_charges_twice(service: BillingService) -> None:
    script = ["2", "10000001#", "1234#", "3", "1500#", "1", "1"]
    first = Call(service, call_id="call-42")
    for keys in script:
        first.keys(keys)
    balance_after_first = service.summary("10000001", TODAY).balance
    replay = Call(service, call_id="call-42")
    for keys in script:
        replay.keys(keys)
    assert [a for a in replay.last if a.key == "pay.done"]
    assert service.summary("10000001", TODAY).balance == balance_after_first
    assert sum(1 for p in service.history("10000001", limit=50) if p.amount == Decimal("15")) == 1


def test_star_abandons_a_payment_at_any_step(call: Call, service: BillingService) -> None:
    before = service.summary("10000001", TODAY).balance
    call.keys("2")
    call.sign_in()
    for steps in (["*"], ["1", "*"], ["1", "2", "41111*"]):
        for keys in steps:
            call.keys(keys)
        assert "pay.cancelled" in [a.key for a in call.last]
        assert call.state == "menu.main"
        call.keys("2")
    assert service.summary("10000001", TODAY).balance == before


def test_bank_account_entered_twice_must_match(call: Call, service: BillingService) -> None:
    call.keys("5")
    call.sign_in()
    assert call.state == "methods.what_next"
    call.keys("2")  # add a bank account
    call.keys("021000021#")
    call.keys("123456789#")
    call.keys("123456780#")
    assert "bank.mismatch" in [a.key for a in call.last]
    call.keys("021000021#")
    call.keys("123456789#")
    call.keys("123456789#")
    assert "methods.added" in [a.key for a in call.last]
    assert any(m.kind == "bank" and m.last4 == "6789" for m in service.methods("10000001"))


def test_dispute_on_a_line_item_opens_a_case(call: Call, service: BillingService) -> None:
    call.say("I want to dispute a charge")
    call.sign_in()
    if call.state == "dispute.ask_new":
        call.keys("1")
    assert call.state == "dispute.which_item"
    first_item = call.ask.expect.choices[0]
    call.keys("1")
    assert call.state == "dispute.which_reason"
    call.keys("2")  # overbilling
    call.keys("1")  # confirm
    opened = [a for a in call.last if a.key == "dispute.opened"]
    assert opened
    cases = service.disputes("10000001")
    assert any(
        c.reason == "overbilling"
        and c.case_number in opened[0].text
        and c.line_item.description in first_item
        for c in cases
    )


def test_plan_change_declined_at_confirmation_changes_nothing(
    call: Call, service: BillingService
) -> None:
    before = service.plan_details("10000001")
    call.text("change my plan")
    call.sign_in()
    if call.state == "change_plan.which_service":
        call.keys("1")
    assert call.state == "change_plan.choose"
    call.keys("1")
    assert call.state == "change_plan.confirm"
    call.keys("2")  # no
    assert "change_plan.declined" in [a.key for a in call.last]
    assert service.plan_details("10000001") == before


def test_plan_change_confirmed_is_made(call: Call, service: BillingService) -> None:
    call.keys("9")
    call.keys("1")
    call.sign_in()
    if call.state == "change_plan.which_service":
        call.keys("1")
    chosen = call.ask.expect.choices[0]
    call.keys("1")
    call.say("yes")
    assert "change_plan.done" in [a.key for a in call.last]
    names = [p.name for p in service.plan_details("10000001").plans]
    assert any(name in chosen for name in names) or service.audit_log("10000001")


def test_agent_after_three_no_matches(call: Call) -> None:
    for _ in range(2):
        call.text("purple elephants")
        assert call.state == "menu.main"
    assert "help.intent" in [a.key for a in call.last]
    assert "press 1" in call.ask.text and "say" in call.ask.text
    call.text("purple elephants")
    assert call.state == "agent.offer"
    call.say("yes")
    transfer = call.transfer()
    assert transfer is not None and transfer.reason == "no_match" and transfer.reference
    assert call.ended()


def test_no_input_ladder_then_caller_declines_the_agent(call: Call) -> None:
    call.silence()
    assert "error.no_input" in [a.key for a in call.last]
    call.silence()
    call.silence()
    assert call.state == "agent.offer"
    call.keys("2")
    assert call.state == "menu.main" and call.transfer() is None


def test_type_ahead_keys_answer_the_next_questions(call: Call) -> None:
    actions = call.keys("110000001#1234#")
    assert "balance.due" in [a.key for a in actions]
    asks = [a for a in actions if isinstance(a, Ask)]
    assert len(asks) == 1 and asks[0].key == "balance.offer_pay"


def test_keys_arrive_one_at_a_time(call: Call) -> None:
    call.keys("1")
    for key in "10000001":
        call.keys(key)
        assert call.state == "auth.account"
    call.keys("#")
    assert call.state == "auth.secret"


def test_a_partial_entry_ends_at_the_timeout(call: Call) -> None:
    call.keys("1")
    call.keys("10000001")
    call.silence()
    assert call.state == "auth.secret"


def test_spoken_digits_sign_in(call: Call) -> None:
    call.say("balance")
    call.say("one oh oh oh oh oh oh one")
    call.say("one two three four")
    assert "auth.welcome" in [a.key for a in call.last]


def test_low_confidence_match_is_confirmed(call: Call) -> None:
    call.say("check my balance", confidence=0.2)
    assert call.state == "confirm.intent"
    call.say("yes")
    assert call.state == "auth.account"


def test_help_and_repeat_and_back_work_everywhere(call: Call) -> None:
    call.keys("2")
    call.text("help")
    assert "help.digits" in [a.key for a in call.last] and call.state == "auth.account"
    call.text("repeat")
    assert call.state == "auth.account"
    call.keys("#")  # an empty entry is a miss, not a crash
    call.keys("*")
    assert call.state == "menu.main"


def test_goodbye_ends_the_call(call: Call) -> None:
    call.text("goodbye")
    assert isinstance(call.last[-1], End) and call.session.ended
    assert call.send(NoInput()) == []


def test_autopay_enrol_then_cancel(service: BillingService) -> None:
    call = Call(service)
    call.keys("4")
    call.sign_in()
    assert service.autopay("10000001") is None
    call.keys("1")  # yes, enrol
    call.keys("1")  # the card on file
    call.keys("1")  # confirm
    assert service.autopay("10000001") is not None
    call.keys("4")
    call.keys("1")  # yes, cancel
    assert service.autopay("10000001") is None


def test_add_on_added_and_equipment_ordered(call: Call, service: BillingService) -> None:
    call.keys("9")
    call.keys("2")
    call.sign_in()
    catalogue = service.add_ons("10000001")
    index = next(i for i, a in enumerate(catalogue) if not a.active)
    call.keys(str(index + 1))
    call.keys("1")
    assert next(a for a in service.add_ons("10000001") if a.code == catalogue[index].code).active
    call.keys("9")
    call.keys("3")
    call.keys("3")  # order
    call.keys("2")  # a router
    call.keys("1")
    assert "equipment.done_order" in [a.key for a in call.last]


def test_explain_bill_says_what_changed(service: BillingService) -> None:
    call = Call(service)
    call.keys("7")
    call.sign_in()
    explanation = service.explain("10000001")
    said = [a.key for a in call.actions]
    assert any(k in said for k in ("explain.higher", "explain.lower", "explain.same"))
    for change in explanation.changes:
        assert f"explain.change.{change.kind}" in said


def test_troubleshooting_escalates_to_a_technician_visit(
    call: Call, service: BillingService
) -> None:
    call.text("my internet is down")
    assert call.state == "troubleshoot.which"
    call.keys("1")
    for _ in range(3):
        assert call.state == "troubleshoot.fixed"
        call.keys("2")
    assert call.state == "troubleshoot.escalate"
    call.keys("2")
    call.sign_in()
    assert "troubleshoot.visit" in [a.key for a in call.last]


def test_troubleshooting_fixed_needs_no_sign_in(call: Call) -> None:
    call.keys("9")
    call.keys("4")
    call.keys("3")
    call.say("yes")
    assert "troubleshoot.glad" in [a.key for a in call.last] and call.session.account is None


def test_faq_answers_without_sign_in(call: Call) -> None:
    call.text("frequently asked questions")
    call.keys("2")
    assert "faq.posting.answer" in [a.key for a in call.last]


def test_settings_extend_and_turn_off_timeouts(call: Call) -> None:
    normal = call.ask.expect.timeout_s
    call.keys("9")
    call.keys("6")
    call.keys("1")
    call.keys("2")  # twice as long
    assert call.ask.expect.timeout_s == pytest.approx(2 * normal)
    call.keys("9")
    call.keys("6")
    call.keys("1")
    call.keys("4")  # no limit
    assert call.ask.expect.timeout_s == 0


def test_transfer_summary_carries_the_call_without_secrets(call: Call) -> None:
    call.keys("1")
    call.sign_in()
    call.keys("2")
    call.keys("0")
    transfer = call.transfer()
    assert isinstance(transfer, Transfer)
    assert "balance" in transfer.summary and "auth:ok" in transfer.summary
    assert "1234" not in transfer.summary

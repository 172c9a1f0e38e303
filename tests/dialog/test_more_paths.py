"""The remaining menu paths: history, plan, methods, equipment, settings, past-due and
locked accounts, and the ways out that every question offers."""

from __future__ import annotations

from assistant.billing import BillingService
from tests.dialog.calls import TODAY, Call


def said(call: Call) -> list[str]:
    return [getattr(a, "key", "") for a in call.last]


def test_history_reads_each_payment_with_its_confirmation(service: BillingService) -> None:
    call = Call(service)
    call.keys("3")
    call.sign_in()
    payments = service.history("10000001")
    items = [a for a in call.last if getattr(a, "key", "") == "history.item"]
    assert len(items) == len(payments) > 0
    for item, payment in zip(items, payments, strict=True):
        assert payment.confirmation in item.text and payment.last4 in item.text
        assert "," in item.spoken  # the confirmation is read one character at a time


def test_plan_details_list_services_and_the_monthly_total(service: BillingService) -> None:
    call = Call(service, call_id="plan")
    call.text("what plan do I have")
    call.sign_in()
    details = service.plan_details("10000001")
    plan_lines = [a.text for a in call.last if getattr(a, "key", "") == "plan.item"]
    assert [p.name for p in details.plans] == [
        next(p.name for p in details.plans if p.name in line) for line in plan_lines
    ]
    total = next(a.text for a in call.last if getattr(a, "key", "") == "plan.total")
    assert f"${details.monthly_total:,.2f}" in total
    call.keys("2")
    assert call.state == "menu.anything_else"


def test_add_a_card_then_make_it_the_default_then_remove_it(service: BillingService) -> None:
    call = Call(service)
    call.keys("5")
    call.sign_in()
    call.keys("1")  # add a card
    call.keys("5555555555554444#")
    call.keys("0131")
    call.keys("321#")
    assert "methods.added" in said(call)
    new = next(m for m in service.methods("10000001") if m.last4 == "4444")
    assert new.brand == "Mastercard"
    call.keys("5")
    call.keys("4")  # make default
    labels = call.ask.expect.choices
    call.keys(str(next(i for i, label in enumerate(labels) if "4444" in label) + 1))
    assert next(m for m in service.methods("10000001") if m.last4 == "4444").is_default
    call.keys("5")
    call.keys("3")  # remove
    labels = call.ask.expect.choices
    call.keys(str(next(i for i, label in enumerate(labels) if "4444" in label) + 1))
    call.keys("1")
    assert "methods.removed" in said(call)
    assert all(m.last4 != "4444" for m in service.methods("10000001"))


def test_return_a_rented_device(service: BillingService) -> None:
    call = Call(service)
    call.text("equipment")
    call.sign_in("10000006", "6047")
    call.keys("2")  # return
    assert call.state == "equipment.which_device"
    call.keys("1")
    call.keys("1")
    assert "equipment.done_return" in said(call)


def test_past_due_account_hears_the_late_fee(service: BillingService) -> None:
    call = Call(service)
    call.keys("1")
    call.sign_in("10000002", "2580")
    summary = service.summary("10000002", TODAY)
    past_due = next(a for a in call.last if getattr(a, "key", "") == "balance.past_due")
    assert f"${summary.late_fees:,.2f}" in past_due.text


def test_autopay_account_hears_when_it_will_be_charged(service: BillingService) -> None:
    call = Call(service)
    call.keys("1")
    call.sign_in("10000003", "3690")
    assert "balance.autopay" in said(call)
    assert call.state == "menu.anything_else"


def test_locked_account_goes_straight_to_an_agent(service: BillingService) -> None:
    call = Call(service)
    call.keys("1")
    call.sign_in("10000007", "7395")
    transfer = call.transfer()
    assert transfer is not None and transfer.reason == "locked" and transfer.wait_minutes > 0


def test_sign_in_by_phone_and_zip(service: BillingService) -> None:
    call = Call(service)
    call.keys("1")
    phone = service.account("10000001").phone
    call.say(" ".join(phone))
    call.keys("10001#")
    assert "auth.welcome" in said(call)


def test_paperless_and_contact_settings(service: BillingService) -> None:
    before = service.account("10000001")
    call = Call(service)
    call.keys("9")
    call.keys("6")
    call.keys("3")  # paperless
    call.sign_in()
    call.keys("1")
    assert service.account("10000001").paperless != before.paperless
    call.keys("9")
    call.keys("6")
    call.keys("4")  # contact
    call.keys("1")  # email
    call.text("alex.new@example.org")
    assert service.account("10000001").email == "alex.new@example.org"
    call.keys("9")
    call.keys("6")
    call.keys("4")
    call.keys("2")  # phone
    call.keys("2125550199#")
    assert service.account("10000001").phone == "2125550199"


def test_a_bad_email_is_explained_not_raised(service: BillingService) -> None:
    call = Call(service)
    call.text("settings")
    call.keys("4")
    call.sign_in()
    call.keys("1")
    call.text("not an email")
    assert "error.invalid_email" in said(call)
    assert call.state == "menu.anything_else"


def test_clearer_speech_setting_reaches_the_session(service: BillingService) -> None:
    call = Call(service)
    call.text("settings")
    call.keys("2")
    call.keys("2")
    assert call.session.voice_profile == "clear"


def test_more_menu_help_and_goodbye_by_key(service: BillingService) -> None:
    call = Call(service)
    call.keys("9")
    call.keys("8")  # help
    assert "help.intent" in said(call)
    call.keys("9")
    call.keys("9")  # end the call
    assert call.ended()


def test_every_question_names_its_keys_when_help_is_asked(service: BillingService) -> None:
    call = Call(service)
    call.keys("2")
    call.sign_in()
    call.text("help")
    assert "press 1" in call.ask.text and "press 2" in call.ask.text


def test_a_crash_in_the_middle_of_a_payment_is_answered_and_charges_nothing(
    service: BillingService, monkeypatch, caplog
) -> None:
    import sqlite3

    before = service.summary("10000001", TODAY).balance

    def disk_failure(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    call = Call(service)
    call.keys("2")
    call.sign_in()
    call.keys("1")
    call.keys("1")
    monkeypatch.setattr(service, "pay", disk_failure)
    call.keys("1")
    assert "error.system" in said(call)
    assert call.state == "menu.anything_else" and not call.session.ended
    monkeypatch.undo()
    assert service.summary("10000001", TODAY).balance == before
    assert "disk I/O error" in caplog.text and "1234" not in caplog.text


def test_a_caller_who_never_answers_reaches_a_person(service: BillingService) -> None:
    call = Call(service)
    for _ in range(3):
        call.silence()
    assert call.state == "agent.offer"
    for _ in range(3):
        call.silence()
    transfer = call.transfer()
    assert transfer is not None and call.session.ended


def test_help_at_a_list_is_help_not_an_option(service: BillingService) -> None:
    call = Call(service)
    call.text("common questions")
    assert call.state == "faq.which"
    call.text("help")
    assert "help.choice" in said(call) and call.state == "faq.which"


def test_speech_heard_but_not_understood_is_a_miss_not_silence(service: BillingService) -> None:
    call = Call(service)
    call.say("", confidence=0.0)
    assert "error.no_match" in said(call) and "error.no_input" not in said(call)
    call.silence()
    assert "error.no_input" in said(call)

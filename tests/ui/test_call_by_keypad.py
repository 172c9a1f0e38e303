"""A whole call on the kiosk by keypad alone: the keyboard's digit keys and the on-screen
keys (clicked, as a touch or a mouse would), through language, sign-in, balance, a
payment, a dispute and a person."""

from __future__ import annotations

from decimal import Decimal

from assistant.billing import BillingService
from assistant.dialog.redact import MASK
from assistant.ui.widgets.keypad import key_id
from tests.ui.conftest import TODAY, MakeKiosk
from tests.ui.kiosk_view import answer_box, caption, everything_shown, log_text, settle, status


async def test_a_whole_call_by_keypad(make_kiosk: MakeKiosk, tmp_path) -> None:
    app = make_kiosk()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert "Welcome to the billing line." in log_text(app)
        assert "Waiting for a caller" in status(app)

        await pilot.press("1")  # English
        await pilot.click(f"#{key_id('1')}")  # balance, on the screen
        await pilot.press(*"10000001", "number_sign")  # account number
        for key in "1234":  # PIN, on the screen
            await pilot.click(f"#{key_id(key)}")
            if key == "2":
                assert caption(app) == f"You: {MASK * 2}", "a secret is keyed in as bullets"
                assert answer_box(app).password, "the answer box hides a secret"
        await pilot.click(f"#{key_id('#')}")
        await pilot.pause()
        text = log_text(app)
        assert "Thank you, Alex. You're signed in." in text
        assert "Your balance is $89.97." in text
        assert f"You: {MASK * 4}#" in text
        assert not answer_box(app).password

        await pilot.press("1", "1", "1", "1")  # pay now, the full balance, the Visa, yes
        await pilot.pause()
        assert "Done. We received $89.97." in log_text(app)

        await pilot.press("8", "1", "1", "1")  # question a charge: the first, erroneous, yes
        await pilot.pause()
        assert "Your case is open." in log_text(app)

        await pilot.press("0")  # a person
        await settle(pilot)
        text = log_text(app)
        assert "I'm connecting you to a person now." in text
        assert "Notice: You are being transferred to a person. Reference A" in text
        assert text.rstrip().endswith("SK")
        assert "Call ended" in status(app)
        assert "1234" not in everything_shown(app)

    with BillingService.open(tmp_path / "billing.sqlite3", today=TODAY) as service:
        summary = service.summary("10000001", TODAY)
        disputes = service.disputes("10000001")
    assert summary.balance == Decimal("0.00")
    assert [case.line_item.description for case in disputes] == ["Internet 100"]


async def test_keys_after_the_end_do_not_reach_the_call(make_kiosk: MakeKiosk) -> None:
    app = make_kiosk()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("1", "0")
        await pilot.pause()
        ended = log_text(app)
        assert ended.rstrip().endswith("SK")
        await pilot.press("5", "5")
        await pilot.pause()
        assert log_text(app) == ended

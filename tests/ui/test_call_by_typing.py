"""A whole call on the kiosk by typing in the answer box: words where a person would
write words, numbers where they would write numbers, the PIN in a hidden field."""

from __future__ import annotations

from decimal import Decimal

from textual.widgets import Input

from assistant.billing import BillingService
from assistant.dialog.redact import MASK
from tests.ui.conftest import TODAY, MakeKiosk
from tests.ui.kiosk_view import answer_box, everything_shown, log_text, settle, status, type_line


async def test_a_whole_call_by_typing(make_kiosk: MakeKiosk, tmp_path) -> None:
    app = make_kiosk()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await type_line(pilot, "english")
        assert "You: english" in log_text(app)
        assert "You chose English." in log_text(app)

        await type_line(pilot, "check my balance")
        await type_line(pilot, "10000001")  # Enter ends the entry, as # would
        assert answer_box(app).password
        await type_line(pilot, "1234")
        text = log_text(app)
        assert "Your balance is $89.97." in text
        assert f"You: {MASK * 4}#" in text

        await type_line(pilot, "yes")
        await type_line(pilot, "the full balance")
        await type_line(pilot, "1")
        await type_line(pilot, "yes")
        assert "Done. We received $89.97." in log_text(app)

        await type_line(pilot, "dispute a charge")
        await type_line(pilot, "1")
        await type_line(pilot, "I shouldn't have been charged")
        await type_line(pilot, "yes")
        assert "Your case is open." in log_text(app)

        await type_line(pilot, "talk to a person")
        await settle(pilot)
        assert "I'm connecting you to a person now." in log_text(app)
        assert "Call ended" in status(app)
        assert "1234" not in everything_shown(app)

    with BillingService.open(tmp_path / "billing.sqlite3", today=TODAY) as service:
        assert service.summary("10000001", TODAY).balance == Decimal("0.00")
        assert len(service.disputes("10000001")) == 1


async def test_a_letter_typed_outside_the_box_starts_an_answer(make_kiosk: MakeKiosk) -> None:
    app = make_kiosk()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert app.focused is not answer_box(app)
        await pilot.press(*"english")
        assert isinstance(app.focused, Input)
        assert answer_box(app).value == "english"
        await pilot.press("enter")
        await pilot.pause()
        assert "You chose English." in log_text(app)

"""Time on the kiosk: the time to answer (shown, extended, turned off), the warning before
an idle kiosk clears itself, and the clearing after a call ends (WCAG 2.2.1)."""

from __future__ import annotations

from assistant.ui.countdowns import END_RESET_S, IDLE_RESET_S, WARN_BEFORE_S
from assistant.ui.settings import KioskSettings
from tests.ui.conftest import MakeKiosk, ManualClock
from tests.ui.kiosk_view import caption, log_text, settle, status


async def tick(pilot, clock: ManualClock, seconds: float) -> None:
    clock.advance(seconds)
    pilot.app.call_screen.tick()
    await pilot.pause()


async def test_the_welcome_waits_without_a_clock(make_kiosk: MakeKiosk, clock) -> None:
    app = make_kiosk()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        before = log_text(app)
        await tick(pilot, clock, 3600)
        assert log_text(app) == before
        assert "Time left" not in status(app)


async def test_no_answer_in_time_is_a_reprompt(make_kiosk: MakeKiosk, clock) -> None:
    app = make_kiosk()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await pilot.pause()
        assert "Time left: 10 s" in status(app)
        await tick(pilot, clock, 4)
        assert "Time left: 6 s" in status(app)
        await tick(pilot, clock, 6)
        assert log_text(app).count("Sorry, I didn't hear anything.") == 1


async def test_more_time_starts_the_count_again(make_kiosk: MakeKiosk, clock) -> None:
    app = make_kiosk()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await tick(pilot, clock, 8)
        assert "Time left: 2 s" in status(app)
        await pilot.press("f6")
        await pilot.pause()
        assert "Time left: 10 s" in status(app)
        await tick(pilot, clock, 8)
        assert "didn't hear anything" not in log_text(app)


async def test_a_longer_time_setting_multiplies_every_wait(make_kiosk: MakeKiosk, clock) -> None:
    app = make_kiosk(KioskSettings(timeout_scale=4.0))
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await pilot.pause()
        assert "Time left: 40 s" in status(app)
        await tick(pilot, clock, 39)
        assert "didn't hear anything" not in log_text(app)


async def test_time_limits_can_be_turned_off(make_kiosk: MakeKiosk, clock) -> None:
    app = make_kiosk(KioskSettings(timeout_scale=0.0))
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await pilot.pause()
        assert "No time limit" in status(app)
        await tick(pilot, clock, 10 * IDLE_RESET_S)
        text = log_text(app)
        assert "didn't hear anything" not in text
        assert "You chose English." in text


async def test_an_idle_kiosk_warns_then_clears_the_caller_away(make_kiosk: MakeKiosk,
                                                                clock) -> None:
    app = make_kiosk()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("1", "1", *"10000001", "number_sign", *"1234", "number_sign")
        await pilot.pause()
        assert "Your balance is $89.97." in log_text(app)
        await tick(pilot, clock, IDLE_RESET_S - WARN_BEFORE_S + 1)
        assert "Are you still there?" in status(app)
        await pilot.press("f6")  # still here
        await pilot.pause()
        assert "Are you still there?" not in status(app)
        await tick(pilot, clock, IDLE_RESET_S + 1)
        text = log_text(app)
        assert "Alex" not in text and "$89.97" not in text and "You:" not in text
        assert "Welcome to the billing line." in text
        assert "Waiting for a caller" in status(app)


async def test_after_the_end_the_screen_clears_for_the_next_caller(make_kiosk: MakeKiosk,
                                                                   clock) -> None:
    app = make_kiosk()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("1", "0")
        await pilot.pause()
        assert "The call has ended. The screen clears in 15 s." in status(app)
        await tick(pilot, clock, END_RESET_S)
        text = log_text(app)
        assert "connecting you to a person" not in text
        assert text.count("Welcome to the billing line.") == 1
        assert "Welcome to the billing line." in caption(app)


async def test_a_new_call_clears_the_screen_at_once(make_kiosk: MakeKiosk) -> None:
    app = make_kiosk()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("1", "1", *"10000001", "number_sign")
        await pilot.pause()
        assert "10000001#" in log_text(app)
        first_call = app.call_screen.call
        await pilot.press("f10")
        await pilot.pause()
        assert "10000001" not in log_text(app)
        assert app.call_screen.call is not first_call
        assert first_call is not None and first_call.ended

"""`dialin chat` as a real subprocess with piped input: a balance check and a payment."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from assistant.billing import BillingService
from assistant.channels.chat import event_for_line
from assistant.dialog.events import Digits, NoInput, TextLine

DIALIN = [sys.executable, "-m", "assistant.cli"]


def run_chat(db: Path, lines: list[str], *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*DIALIN, "chat", "--db", str(db), *extra],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONUTF8": "1"},
        check=False,
    )


def test_balance_and_payment_over_a_pipe(tmp_path: Path) -> None:
    db = tmp_path / "chat.sqlite3"
    result = run_chat(
        db, ["1", "check my balance", "10000001#", "1234", "#", "yes", "1", "1", "yes"]
    )
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "Your balance is $" in out
    assert "Your confirmation number is P" in out
    assert "1234" not in out.replace("10000001", "")
    with BillingService.open(db) as service:
        assert service.history("10000001")[0].confirmation in out
        assert service.summary("10000001", date.today()).balance == 0


def test_end_of_input_ends_the_call_cleanly(tmp_path: Path) -> None:
    result = run_chat(tmp_path / "eof.sqlite3", ["1"])
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert "What would you like to do?" in result.stdout


def test_tty_style_is_upper_case_with_ga_and_sk(tmp_path: Path) -> None:
    result = run_chat(
        tmp_path / "tty.sqlite3", ["BALANCE GA", "GOODBYE GA"], "--lang", "en", "--tty-style"
    )
    lines = [line for line in result.stdout.splitlines() if line]
    assert lines and all(line == line.upper() for line in lines)
    assert lines.count("GA") >= 2 and lines[-1] == "SK"


def test_lines_become_events() -> None:
    assert event_for_line("10000001#\n") == Digits("10000001#")
    assert event_for_line("1 2 3 4") == Digits("1234")
    assert event_for_line("   ") == NoInput()
    assert event_for_line("pay my bill") == TextLine("pay my bill")
    assert event_for_line("PAY GA", tty_style=True) == TextLine("PAY", source="tty")

"""The audit's parts on their own: the leak scanner, the entry values, the measures."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from assistant.audit.calls import CallOutput, CallPlan, PlannedTurn
from assistant.audit.findings import FAIL, PASS, Check, Finding
from assistant.audit.leaks import scan
from assistant.audit.moves import (
    KEYPAD,
    Move,
    entry_candidates,
    luhn_complete,
    routing_complete,
)
from assistant.audit.readability import (
    GRADE_TARGET,
    fernandez_huerta_grade,
    flesch_kincaid_grade,
    measure,
)
from assistant.audit.security import check_security, scan_call
from assistant.billing.validation import luhn_valid, routing_valid
from assistant.dialog.actions import Expectation
from assistant.dialog.events import Digits
from assistant.dialog.packs import load_pack
from assistant.dialog.redact import mask_secrets
from assistant.paths import data_dir

CARD = luhn_complete("411111111111111")


def test_generated_card_and_routing_numbers_pass_the_billing_checks() -> None:
    for stem in ("4", "41555501234", "411111111111111", "601100000000000"):
        assert luhn_valid(luhn_complete(stem)), stem
    for stem in ("01100001", "02100002", "12345678"):
        assert routing_valid(routing_complete(stem)) == (int(stem[:2]) <= 12), stem


def test_entry_candidates_fit_the_expected_lengths() -> None:
    expect = Expectation(kind="digits", min_len=13, max_len=19, secret=True)
    values = list(entry_candidates(expect, dt.date(2025, 6, 15)))
    assert values and all(13 <= len(v) <= 19 and v.isdigit() for v in values)
    assert any(luhn_valid(v) for v in values)
    nine = list(entry_candidates(Expectation(kind="digits", min_len=9, max_len=9),
                                 dt.date(2025, 6, 15)))
    assert any(routing_valid(v) for v in nine)


def test_the_scanner_finds_an_entered_secret_keyed_or_spoken() -> None:
    texts = [("caption", f"You said {CARD}."), ("prompt speech", "one two three four"),
             ("caption", "Visa ending in 1111."), ("log", "paid on 2025-06-15")]
    leaks = scan(texts, [CARD, "1234"], {"1234": "one two three four"})
    assert [(leak.source, leak.kind) for leak in leaks] == [
        ("caption", "entered secret"), ("prompt speech", "entered secret (spoken)")]
    assert CARD not in leaks[0].excerpt and "•" * len(CARD) in leaks[0].excerpt


def test_the_scanner_finds_unmasked_card_numbers_but_not_masked_ones() -> None:
    grouped = " ".join(CARD[i:i + 4] for i in range(0, 16, 4))
    leaks = scan([("transcript", f"card {grouped} please"),
                  ("transcript", mask_secrets(f"card {CARD}")),
                  ("database", "demo-10000001-2025-05-18T14:00:00")])
    assert [(leak.source, leak.kind) for leak in leaks] == [("transcript", "card number")]


def _plan(secret: str) -> CallPlan:
    turn = PlannedTurn(Move("entry", KEYPAD, Digits(secret + "#")), True, secret + "#",
                       "auth.secret", "balance.offer_pay")
    return CallPlan("en", (turn,), "end: goodbye", ("auth.secret",))


def test_call_records_with_a_pin_in_clear_fail_the_security_check(tmp_path: Path) -> None:
    (tmp_path / "transcript.jsonl").write_text(
        '{"who": "caller", "modality": "keypad", "text": "9876", "start_s": 1.0, '
        '"end_s": 2.0}\n', encoding="utf-8")
    (tmp_path / "captions.vtt").write_text("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n"
                                           "<v Caller>[secret]\n", encoding="utf-8")
    output = CallOutput(tmp_path, ("dialin", "call"), 0, "")
    leaky = check_security([scan_call("keypad call records", output, _plan("9876"))])
    assert leaky.status == FAIL
    assert [f.data["source"] for f in leaky.failures] == ["transcript.jsonl"]
    (tmp_path / "transcript.jsonl").write_text(
        '{"who": "caller", "modality": "keypad", "text": "[secret]", "start_s": 1.0, '
        '"end_s": 2.0}\n', encoding="utf-8")
    clean = check_security([scan_call("keypad call records", output, _plan("9876"))])
    assert clean.status == PASS


def test_a_call_that_did_not_run_fails_the_security_check() -> None:
    assert check_security([scan_call("TTY call records", None, None)]).status == FAIL


def test_flesch_kincaid_grades_long_words_and_sentences_higher() -> None:
    plain = "Press one to pay. Press two to hear your balance."
    dense = ("Notwithstanding contractual obligations, administrative reconciliation "
             "necessitates comprehensive documentation of unauthorized transactional "
             "irregularities.")
    assert flesch_kincaid_grade(plain) < GRADE_TARGET < flesch_kincaid_grade(dense)


def test_fernandez_huerta_table_runs_from_easy_to_hard() -> None:
    grades = [fernandez_huerta_grade(score) for score in (95, 85, 75, 65, 55, 40, 10)]
    assert grades == sorted(grades) and grades[3] <= GRADE_TARGET < grades[4]


def test_each_language_gets_its_measure() -> None:
    lang = data_dir("lang")
    sentence = {"en": "Please enter the account number on your bill, then press pound.",
                "es": "Escriba el número de cuenta de su factura y luego oprima numeral.",
                "ko": "청구서에 있는 계좌 번호를 입력한 다음 우물 정자를 누르세요."}
    for code, text in sentence.items():
        reading = measure(text, load_pack(lang / f"{code}.toml"), 150, 110)
        assert reading.words == len(text.split())
        assert reading.spoken_clear_s > reading.spoken_s > 0
        assert (reading.grade is None) == (code == "ko")
        assert bool(reading.proxy) == (code == "ko")


def test_a_check_with_nothing_checked_fails_and_citations_must_exist() -> None:
    assert Check("x", "X", "rule", ("WCAG 2.1.1",), ()).status == FAIL
    with pytest.raises(KeyError):
        Finding("x", PASS, "detail", ("WCAG 9.9.9",))
    with pytest.raises(ValueError, match="status"):
        Finding("x", "maybe", "detail", ("WCAG 2.1.1",))

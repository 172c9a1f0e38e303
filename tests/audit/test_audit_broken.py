"""Deliberately broken inputs make the matching checks fail, and say where."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from assistant.audit.audit import AuditOptions, run_audit
from assistant.audit.findings import FAIL, PASS
from assistant.audit.inputs import AuditInputs
from assistant.audit.kiosk import check_kiosk
from tests.audit.breakage import (
    JOBS,
    low_contrast_theme,
    remove_first_main_key,
    remove_first_prompt,
)


def test_a_missing_spanish_prompt_fails_completeness_and_names_the_key(lang_copy: Path) -> None:
    key = remove_first_prompt(lang_copy / "es.toml")
    report, _ = run_audit(AuditOptions(AuditInputs.shipped(lang_copy),
                                       checks=("language_completeness",)))
    check = report.check("language_completeness")
    assert check.status == FAIL
    assert [f.subject for f in check.failures] == [f"es: prompts.{key}"]
    assert "es.toml" in check.failures[0].evidence[0]
    assert all(f.status == PASS for f in check.findings if f.subject.startswith("en:"))


def test_the_shipped_packs_are_complete() -> None:
    report, _ = run_audit(AuditOptions(AuditInputs.shipped(), checks=("language_completeness",)))
    assert report.check("language_completeness").status == PASS


def test_an_option_with_no_keypad_digit_fails_keypad_parity(lang_copy: Path) -> None:
    intent = remove_first_main_key(lang_copy / "menus.toml")
    report, _ = run_audit(AuditOptions(AuditInputs.shipped(lang_copy),
                                       checks=("modality_parity",), jobs=JOBS))
    check = report.check("modality_parity")
    assert check.status == FAIL
    failed = {(f.data["option"], f.data["lang"]) for f in check.failures}
    languages = {f.data["lang"] for f in check.findings}
    assert failed == {(intent, lang) for lang in languages}
    assert all("no keypad way" in f.detail.lower() for f in check.failures)
    assert all("keypad: none" in f.evidence for f in check.failures)


def test_a_low_contrast_theme_fails_the_contrast_check(tmp_path: Path) -> None:
    theme, text, background = low_contrast_theme(tmp_path)
    check = check_kiosk((theme,))
    assert check.status == FAIL
    failed = [(f.data["foreground"], f.data["background"]) for f in check.failures]
    assert failed == [(text, background)]
    assert check.failures[0].data["ratio"] < check.failures[0].data["minimum"]


def test_the_command_exits_1_on_a_failing_check_and_0_on_passing_ones(tmp_path: Path) -> None:
    theme, _, _ = low_contrast_theme(tmp_path)
    command = [sys.executable, "-c", "from assistant.cli import main; main()", "audit",
               "--check", "kiosk", "--check", "language_completeness"]
    bad = subprocess.run([*command, "--themes", str(theme), "-o", str(tmp_path / "bad")],
                         capture_output=True, text=True, timeout=120, check=False)
    good = subprocess.run([*command, "-o", str(tmp_path / "good")],
                          capture_output=True, text=True, timeout=120, check=False)
    assert (bad.returncode, good.returncode) == (1, 0), bad.stderr + good.stderr
    for folder in ("bad", "good"):
        assert (tmp_path / folder / "report.html").is_file()
        assert (tmp_path / folder / "report.json").is_file()
    assert "FAIL  kiosk" in bad.stdout and "PASS  kiosk" in good.stdout


def test_an_unknown_check_is_refused(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", "from assistant.cli import main; main()",
                           "audit", "--check", "colour", "-o", str(tmp_path)],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2
    assert "unknown check 'colour'" in done.stderr

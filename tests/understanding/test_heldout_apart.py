"""The held-out sentences stay apart from everything the intent model learns from.

Accuracy on tests/data/understanding/ means something only while none of its sentences is
in the training data or the packs' phrases; these tests fail the moment one is, whether word
for word or with only spacing, case, accents or punctuation changed.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
from rapidfuzz import fuzz, process

from assistant.dialog.packs import load_packs
from assistant.dialog.textnorm import words

ROOT = Path(__file__).resolve().parents[2]
HELD_OUT = ROOT / "tests" / "data" / "understanding"
TRAINING = ROOT / "training" / "intents"
MODELS = ROOT / "assistant" / "understanding" / "models"
LANGS = ("en", "es", "ko")
GROUPS = {
    "account": {"balance", "history", "plan"},
    "payments": {"pay", "autopay", "payment_method"},
    "changes": {"change_plan", "add_ons", "equipment"},
    "problems": {"dispute", "explain_bill", "troubleshoot"},
    "navigation": {"agent", "settings", "language", "repeat", "help", "back", "goodbye",
                   "faq", "more", "main_menu"},
    "answers": {"yes", "no"},
    "out of domain": {"null"},
}
NEAR = 97
"""A similarity (0-100) above which two normalised sentences count as the same one."""


def rows(path: Path) -> list[list[str]]:
    """The non-comment rows of a tab-separated file."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    return list(csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def normal(text: str) -> str:
    return " ".join(words(text))


def held_out(lang: str) -> list[tuple[str, str, str]]:
    return [(menu, intent, text) for menu, intent, text in rows(HELD_OUT / f"{lang}.tsv")]


def learned_from(lang: str) -> set[str]:
    """Every sentence the judge of `lang` learns from: the pack's phrases, and the training
    file of a trained model (a shipped model without its training data is an error)."""
    sentences = {normal(p) for phrases in load_packs()[lang].intents.values() for p in phrases}
    training = TRAINING / f"{lang}.tsv"
    if (MODELS / f"{lang}.npz").exists():
        assert training.is_file(), f"{training} is missing: the shipped model has no training data"
    if training.is_file():
        sentences |= {normal(text) for _, text in rows(training)}
    return sentences


@pytest.mark.parametrize("lang", LANGS)
def test_no_held_out_sentence_is_learned_from(lang: str) -> None:
    learned = sorted(learned_from(lang))
    clashes = []
    for _, intent, text in held_out(lang):
        found = process.extractOne(normal(text), learned, scorer=fuzz.ratio, score_cutoff=NEAR)
        if found is not None:
            clashes.append(f"{text!r} ({intent}) ~ {found[0]!r}")
    assert not clashes, f"held-out sentences also in the training data of {lang}: {clashes}"


@pytest.mark.parametrize("lang", LANGS)
def test_held_out_set_is_well_formed_and_large_enough(lang: str) -> None:
    known = set(load_packs()[lang].intents) | {"null"}
    sentences = held_out(lang)
    assert {menu for menu, _, _ in sentences} <= {"main", "yes_no"}
    assert {intent for _, intent, _ in sentences} <= known
    texts = Counter(normal(text) for _, _, text in sentences)
    assert [t for t, n in texts.items() if n > 1] == []
    counts = Counter(intent for _, intent, _ in sentences)
    for group, intents in GROUPS.items():
        assert sum(counts[i] for i in intents) >= 40, f"{lang}: fewer than 40 for {group}"

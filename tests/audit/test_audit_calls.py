"""The captions and TTY checks judge what a real `dialin call` wrote, and notice when the
record is wrong."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.audit.calls import CallOutput, CallPlan, plan_call, run_call, write_turns
from assistant.audit.captions import caption_findings
from assistant.audit.findings import FAIL, PASS
from assistant.audit.inputs import read_packs
from assistant.audit.moves import KEYPAD
from assistant.audit.runs import Runner
from assistant.paths import data_dir

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def keypad_call(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[CallOutput, CallPlan]]:
    """A planned keypad call, run through `dialin call` once."""
    folder = tmp_path_factory.mktemp("call")
    lang = data_dir("lang")
    with Runner(lang, lang / "menus.toml", folder / "scratch", jobs=1) as runner:
        plan = plan_call(runner, read_packs(lang).packs, KEYPAD)
    output = run_call(write_turns(plan, folder / "turns", tty=False), folder / "out")
    yield output, plan


def test_the_planned_call_runs_and_its_captions_pass(keypad_call: tuple[CallOutput, CallPlan]
                                                     ) -> None:
    output, plan = keypad_call
    assert output.returncode == 0, output.stderr
    findings = caption_findings(output, plan)
    assert [f.subject for f in findings if f.status == FAIL] == []
    assert sum(1 for f in findings if f.subject.startswith("turn ")) >= len(plan.turns) * 2


def test_a_turn_without_its_caption_fails(keypad_call: tuple[CallOutput, CallPlan],
                                          tmp_path: Path) -> None:
    output, plan = keypad_call
    vtt = output.vtt.read_text(encoding="utf-8")
    blocks = vtt.split("\n\n")
    victim = next(i for i, block in enumerate(blocks) if "<v Assistant>" in block
                  and "-->" in block and i > 2)
    removed = re.sub(r"<v Assistant>", "", blocks[victim].split("\n")[-1])
    broken = tmp_path / "out"
    broken.mkdir()
    for name in ("transcript.jsonl", "captions.srt", "assistant.wav"):
        (broken / name).write_bytes((output.folder / name).read_bytes())
    (broken / "captions.vtt").write_text("\n\n".join(blocks[:victim] + blocks[victim + 1:]),
                                         encoding="utf-8")
    findings = caption_findings(CallOutput(broken, output.command, 0, ""), plan)
    failed = [f for f in findings if f.status == FAIL]
    assert failed, removed
    assert any(removed.split()[0] in " ".join(f.evidence) for f in failed)
    assert [f.status for f in findings if f.subject == "SRT and WebVTT"] == [FAIL]
    assert all(f.status == PASS for f in findings if f.subject.startswith("turn ")
               and f not in failed)

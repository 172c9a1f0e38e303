#!/usr/bin/env python3
"""Benchmark the speech recognisers on the main menu: accuracy, speed, latency, memory.

For each engine and condition (clean; telephone: 8 kHz, 300-3400 Hz, white noise at 10 dB
SNR) it recognises every main-menu phrase of the language pack plus a set of paraphrases,
in each synthetic voice (espeak-ng, and Piper "joe" for English; another language's own
name, such as "español" on the English menu, in that language's voice), streaming 20 ms
chunks as a microphone would, and prints:

- intent accuracy: the intent matched from the result is the phrase's intent;
- wrong intent acted on: phrases heard as another intent sure enough for the session to act
  without asking;
- unrelated speech acted on: sentences that answer nothing on the menu but came out as an
  intent sure enough for the session to act without asking (should be none); "asked about"
  counts those it would first confirm with the caller;
- real-time factor: recognition time over audio time;
- latency p50/p95: from the end of the caller's turn to the first audio of the reply, as
  the phone line serves a turn: the endpointer hands over the whole turn, which the
  recogniser hears (`live=False`, no running text), the session answers, and the answer
  is rendered (static prompts come from the synthesiser's cache, as in a running service);
  also the recognition's share of it;
- model load time and peak memory (resident set, whole process): the recogniser's, measured
  before the replies are rendered, and with the session and speech out as well.

Speech is synthesised first; each engine then runs in its own process, reading the WAVs,
so the memory figures are the recogniser's own. Usage:

    .venv/bin/python scripts/bench_voice.py                 # everything (several minutes)
    .venv/bin/python scripts/bench_voice.py --limit 40      # a quick sample
    .venv/bin/python scripts/bench_voice.py --engine pocketsphinx --json
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.billing import BillingService  # noqa: E402
from assistant.channels.presenter import render_actions  # noqa: E402
from assistant.dialog.engine import ASR_CONFIRM_BELOW  # noqa: E402
from assistant.dialog.events import CallStarted, Utterance  # noqa: E402
from assistant.dialog.intents import ACCEPT, IntentMatcher  # noqa: E402
from assistant.dialog.menus import MAIN_MENU_INTENTS, expectation_for  # noqa: E402
from assistant.dialog.packs import load_packs  # noqa: E402
from assistant.dialog.session import Session, SessionOptions  # noqa: E402
from assistant.speech.tts import Synthesizer  # noqa: E402

ENGINES = {
    # name: (language, engine, verify, voices)
    "pocketsphinx": ("en", "pocketsphinx", True, ("en", "joe")),
    "pocketsphinx-grammar-only": ("en", "pocketsphinx", False, ("en", "joe")),
    "vosk-ko": ("ko", "vosk", True, ("ko",)),
}

PARAPHRASES = {
    "en": [
        ("how much do i owe right now", "balance"), ("what's my current balance", "balance"),
        ("i'd like to pay my bill please", "pay"), ("i want to make a payment", "pay"),
        ("can i talk to a real person", "agent"), ("let me speak to a representative", "agent"),
        ("show me my past payments", "history"), ("did my last payment go through", "history"),
        ("there is a wrong charge on my bill", "dispute"),
        ("my internet is down again", "troubleshoot"),
        ("i want a cheaper plan", "change_plan"), ("i want to set up autopay", "autopay"),
        ("i need to return my modem", "equipment"),
        ("why did my bill go up this month", "explain_bill"),
        ("i need to update my card", "payment_method"), ("what plan am i on", "plan"),
        ("that's all thank you goodbye", "goodbye"),
    ],
    "ko": [
        ("상담원 연결해 주세요", "agent"), ("요금제 바꾸고 싶어요", "change_plan"),
        ("인터넷이 안 돼요", "troubleshoot"),
    ],
}

UNRELATED = {
    # Speech that answers nothing on the menu: it must be rejected, not matched.
    "en": ["the weather is nice today", "my cat likes to sleep on the sofa",
           "please tell me a joke about elephants", "where did i leave my keys",
           "the train leaves at seven", "i am cooking pasta for dinner",
           "turn left at the next corner", "she bought a new red bicycle",
           "we are going to the beach tomorrow", "hold on let me find my glasses"],
    "ko": ["오늘 날씨가 좋네요", "고양이가 소파에서 자요", "내일 바다에 갈 거예요"],
}

NOW = dt.datetime(2026, 1, 6, 9, 0)


def _speechgen():
    """tests/speechgen.py, loaded by path (a site package may own the name `tests`)."""
    spec = importlib.util.spec_from_file_location("speechgen", ROOT / "tests" / "speechgen.py")
    if spec is None or spec.loader is None:
        raise ImportError("tests/speechgen.py is missing")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def utterances(lang: str, limit: int | None) -> list[tuple[str, str, str]]:
    """(text, intent, kind) for every main-menu phrase and paraphrase of `lang`."""
    pack = load_packs()[lang]
    items = [(phrase, intent, "phrase") for intent in MAIN_MENU_INTENTS
             for phrase in pack.intents[intent]]
    items += [(text, intent, "paraphrase") for text, intent in PARAPHRASES.get(lang, [])]
    if limit is not None and limit < len(items):
        step = len(items) / limit
        items = [items[int(i * step)] for i in range(limit)]
    return items + [(text, "", "unrelated") for text in UNRELATED.get(lang, [])]


def native_speakers(lang: str) -> dict[str, str]:
    """The other languages' own names ("español" on the English menu), casefolded, to the
    voice that says them: a speaker of that language, as a caller asking for it would."""
    return {pack.name.casefold(): code for code, pack in load_packs().items() if code != lang}


def run_engine(name: str, limit: int | None, cache: Path) -> dict[str, object]:
    """Benchmark one engine in this process."""
    from assistant.speech.recognizer import open_recognizer, recognize

    lang, engine, verify, voices = ENGINES[name]
    gen = _speechgen()
    maker = gen.SpeechMaker(cache)
    items = utterances(lang, limit)
    native = native_speakers(lang)

    before_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    recognizer = open_recognizer(lang, engine)
    if hasattr(recognizer, "verify"):
        recognizer.verify = verify
    load_s = time.perf_counter() - started

    expect = expectation_for("main")
    allowed = (*expect.intents, *expect.globals, "main_menu")
    matcher = IntentMatcher(recognizer.pack)
    conditions: dict[str, dict[str, object]] = {}
    turns: dict[str, list[tuple[Utterance | None, float]]] = {}
    """Per condition, what each turn was heard as and how long recognising it took."""
    for condition in ("clean", "telephone"):
        correct: dict[str, list[int]] = {}
        turns[condition] = heard_turns = []
        audio_s = 0.0
        accepted: list[str] = []
        wrong = 0
        for text, intent, kind in items:
            for voice in voices:
                # Read per utterance: the figures are the recogniser's, not a store of clips.
                clip = gen.padded(maker.say(text, native.get(text.casefold(), voice)).samples)
                if condition == "telephone":
                    clip = gen.telephone(clip, snr_db=10.0)
                begun = time.perf_counter()
                heard = recognize(recognizer, clip, expect)  # whole, as the phone line has it
                heard_turns.append((heard, time.perf_counter() - begun))
                audio_s += len(clip) / 16000
                match = matcher.match(heard.text, allowed) if heard is not None else None
                sure = match is not None and heard is not None \
                    and match.confidence >= ACCEPT and heard.confidence >= ASR_CONFIRM_BELOW
                if kind == "unrelated":
                    if match is not None:  # acted on, or first confirmed with the caller
                        accepted.append("acted on" if sure else "asked about")
                    continue
                tally = correct.setdefault(f"{voice}/{kind}", [0, 0])
                tally[0] += int(match is not None and match.intent == intent)
                tally[1] += 1
                wrong += int(sure and match is not None and match.intent != intent)
        right = sum(t[0] for t in correct.values())
        total = sum(t[1] for t in correct.values())
        conditions[condition] = {
            "accuracy": right / total, "utterances": total, "wrong_acted_on": wrong,
            "unrelated": len(UNRELATED.get(lang, [])) * len(voices),
            "unrelated_acted_on": accepted.count("acted on"),
            "unrelated_asked_about": accepted.count("asked about"),
            "by_voice_and_kind": {k: f"{v[0]}/{v[1]}" for k, v in sorted(correct.items())},
            "rtf": sum(seconds for _, seconds in heard_turns) / audio_s,
            **_percentiles("recognition", [seconds for _, seconds in heard_turns]),
        }
    recognizer_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    # The reply to each turn, after its recognition: the session's answer, rendered.
    with BillingService.open_memory() as service, Synthesizer() as tts:
        for condition, heard_turns in turns.items():
            latencies = []
            for heard, recognised_s in heard_turns:
                session = Session(service, options=SessionOptions(lang=lang))
                session.handle(CallStarted(lang=lang, modality="voice"), NOW)  # the menu
                begun = time.perf_counter()
                answer = session.handle(heard or Utterance("", 0.0, lang=lang), NOW)
                render_actions(answer, tts, 16000, tty_mode=False)
                latencies.append(recognised_s + time.perf_counter() - begun)
            conditions[condition].update(_percentiles("latency", latencies))
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"engine": name, "lang": lang, "load_s": load_s,
            "peak_rss_mb": recognizer_kb / 1024,
            "rss_growth_mb": (recognizer_kb - before_kb) / 1024,
            "peak_rss_with_speech_out_mb": peak_kb / 1024, "conditions": conditions}


def _percentiles(name: str, seconds: list[float]) -> dict[str, float]:
    """p50 and p95 of `seconds`, in milliseconds, as `{name}_p50_ms` and `{name}_p95_ms`."""
    return {f"{name}_p{q}_ms": 1000 * float(np.percentile(seconds, q)) for q in (50, 95)}


def report(result: dict[str, object]) -> str:
    lines = [f"{result['engine']} ({result['lang']}): model load {result['load_s']:.2f} s, "
             f"peak memory {result['peak_rss_mb']:.0f} MB resident "
             f"(+{result['rss_growth_mb']:.0f} MB for the model and the runs; "
             f"{result['peak_rss_with_speech_out_mb']:.0f} MB with the session and speech "
             f"out)"]
    conditions = result["conditions"]
    assert isinstance(conditions, dict)
    for condition, figures in conditions.items():
        lines.append(
            f"  {condition:9} intent accuracy {100 * figures['accuracy']:5.1f}% "
            f"of {figures['utterances']} (wrong intent acted on {figures['wrong_acted_on']})"
            f"  unrelated speech acted on "
            f"{figures['unrelated_acted_on']}/{figures['unrelated']} (asked about "
            f"{figures['unrelated_asked_about']})  RTF {figures['rtf']:.3f}  latency p50 "
            f"{figures['latency_p50_ms']:.0f} ms p95 {figures['latency_p95_ms']:.0f} ms "
            f"(recognition {figures['recognition_p50_ms']:.0f} / "
            f"{figures['recognition_p95_ms']:.0f} ms)")
        lines.append(f"            {figures['by_voice_and_kind']}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=[*ENGINES, "all"], default="all")
    parser.add_argument("--limit", type=int, default=None,
                        help="At most this many phrases per language (evenly spread).")
    parser.add_argument("--cache", type=Path, default=None,
                        help="Keep synthesised speech here between runs.")
    parser.add_argument("--json", action="store_true", help="One JSON object per engine.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        cache = args.cache or Path(scratch)
        if args.engine != "all":
            result = run_engine(args.engine, args.limit, cache)
            print(json.dumps(result) if args.json else report(result), flush=True)
            return 0
        maker = _speechgen().SpeechMaker(cache)
        for lang, _, _, voices in ENGINES.values():  # synthesise here: the engines' own
            for text, _, _ in utterances(lang, args.limit):  # processes only read WAVs
                for voice in voices:
                    maker.path(text, voice)
        for name in ENGINES:  # one process per engine: separate memory figures
            command = [sys.executable, __file__, "--engine", name, "--cache", str(cache)]
            command += ["--json"] if args.json else []
            command += ["--limit", str(args.limit)] if args.limit else []
            finished = subprocess.run(command, check=False)
            if finished.returncode:
                return finished.returncode
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Captions: cue splitting rules, and WebVTT/SRT files that independent parsers read back."""

from __future__ import annotations

import html
import io

import pytest
import srt
import webvtt
from hypothesis import example, given
from hypothesis import strategies as st

from assistant.channels.captions import (
    ASSISTANT,
    CALLER,
    MAX_LINE,
    MAX_LINES,
    CaptionError,
    CaptionTrack,
    split_into_cues,
    to_srt,
    to_webvtt,
)
from assistant.dialog.redact import mask_secrets

MENU = ("What would you like to do? You can say it in your own words, or press a key.\n"
        "Balance and due date: press 1.\nMake a payment: press 2.\n"
        "Talk to a person: press 0.")


def seconds(timestamp: str) -> float:
    hours, minutes, rest = timestamp.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(rest)


def sample_track() -> CaptionTrack:
    track = CaptionTrack()
    track.add(ASSISTANT, MENU, 0.0, 12.5)
    track.add(CALLER, "I want to pay my bill & check <things>", 13.0, 15.25)
    track.add(ASSISTANT, "Your balance is $89.97. It's due on December 7.", 15.5, 19.0)
    return track


def test_webvtt_reads_back_with_speakers_times_and_text() -> None:
    cues = sample_track().cues
    document = to_webvtt(cues)
    assert document.startswith("WEBVTT\n\n")
    parsed = webvtt.from_buffer(io.StringIO(document)).captions
    assert len(parsed) == len(cues)
    for cue, caption in zip(cues, parsed, strict=True):
        assert caption.voice == cue.speaker
        assert seconds(caption.start) == pytest.approx(cue.start_s, abs=0.001)
        assert seconds(caption.end) == pytest.approx(cue.end_s, abs=0.001)
        assert html.unescape(caption.text) == cue.text


def test_srt_reads_back_with_the_speaker_leading() -> None:
    cues = sample_track().cues
    parsed = list(srt.parse(to_srt(cues)))
    assert [p.index for p in parsed] == list(range(1, len(cues) + 1))
    for cue, subtitle in zip(cues, parsed, strict=True):
        assert subtitle.start.total_seconds() == pytest.approx(cue.start_s, abs=0.001)
        assert subtitle.end.total_seconds() == pytest.approx(cue.end_s, abs=0.001)
        assert subtitle.content == f"{cue.speaker}: {cue.text}"


def test_both_sides_appear_in_time_order() -> None:
    cues = sample_track().cues
    assert {cue.speaker for cue in cues} == {CALLER, ASSISTANT}
    starts = [cue.start_s for cue in cues]
    assert starts == sorted(starts)
    assert all(cue.end_s >= cue.start_s for cue in cues)


def test_long_prompts_become_short_cues_that_share_the_turn() -> None:
    cues = split_into_cues(ASSISTANT, MENU, 2.0, 14.0)
    assert len(cues) >= 4
    assert cues[0].start_s == 2.0 and cues[-1].end_s == 14.0
    for before, after in zip(cues, cues[1:], strict=False):
        assert after.start_s == pytest.approx(before.end_s, abs=0.002)
    for cue in cues:
        assert len(cue.lines) <= MAX_LINES
        assert len(f"{cue.speaker}: {cue.lines[0]}") <= MAX_LINE
        assert all(len(line) <= MAX_LINE for line in cue.lines)
    # Each line of the prompt starts a cue of its own.
    assert [cue.lines[0] for cue in cues][-3:] == [
        "Balance and due date: press 1.", "Make a payment: press 2.", "Talk to a person: press 0."]


def test_card_numbers_never_reach_a_cue() -> None:
    cues = split_into_cues(CALLER, "my card is 4111 1111 1111 1111 thanks", 0, 3)
    text = to_webvtt(cues) + to_srt(cues)
    assert "4111" not in text
    assert "1111" in text  # the last four, as the assistant reads them back


def test_bad_cues_are_refused() -> None:
    with pytest.raises(CaptionError, match="unknown speaker"):
        split_into_cues("Agent", "hello", 0, 1)
    with pytest.raises(CaptionError, match="cannot run"):
        split_into_cues(CALLER, "hello", 2, 1)
    with pytest.raises(CaptionError, match="nothing to caption"):
        split_into_cues(CALLER, "  \n ", 0, 1)
    track = sample_track()
    with pytest.raises(CaptionError, match="before the last caption"):
        track.add(CALLER, "late", 1.0, 2.0)


words = st.text(alphabet=st.characters(whitelist_categories=("L", "N", "P")), min_size=1,
                max_size=60)


@given(st.lists(words, min_size=1, max_size=40), st.sampled_from([CALLER, ASSISTANT]))
@example(["0"] * 13, CALLER)  # a card number read out digit by digit
def test_any_text_keeps_its_words_in_order_within_the_limits(
        parts: list[str], speaker: str) -> None:
    text = " ".join(parts)
    cues = split_into_cues(speaker, text, 0.0, 10.0)
    # Word for word, but for digit runs long enough to be a card number: those are masked.
    assert "".join("".join(cue.lines) for cue in cues).replace(" ", "") == \
        mask_secrets(text).replace(" ", "")
    for cue in cues:
        assert 1 <= len(cue.lines) <= MAX_LINES
        assert len(f"{speaker}: {cue.lines[0]}") <= MAX_LINE
        assert all(0 < len(line) <= MAX_LINE for line in cue.lines)

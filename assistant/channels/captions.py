"""Live captions for both sides of a call, and their WebVTT and SRT files.

Captions follow broadcast practice so that they can be read at speaking pace: at most
42 characters a line and 2 lines a cue; a longer turn becomes several cues that share its
time in proportion to their length. Each cue names its speaker ("Caller" or "Assistant"):
WebVTT as a voice tag (`<v Caller>`), SRT as a prefix on the first line. Secrets never reach
a cue: the channel hands in masked text, and `mask_secrets` runs over every cue again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import srt

from assistant.dialog.redact import mask_secrets

MAX_LINE = 42
"""Characters per caption line."""

MAX_LINES = 2
"""Lines per cue."""

CALLER = "Caller"
ASSISTANT = "Assistant"
SPEAKERS = (CALLER, ASSISTANT)


class CaptionError(ValueError):
    """A cue that cannot be shown (no text, a time that runs backwards)."""


@dataclass(frozen=True, slots=True)
class Cue:
    """One caption on screen."""

    start_s: float
    """When it appears, in seconds from the start of the call."""

    end_s: float
    """When it goes, in seconds from the start of the call."""

    speaker: str
    """"Caller" or "Assistant"."""

    lines: tuple[str, ...]
    """One or two lines, each short enough to carry the SRT speaker prefix."""

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def _cue_lines(text: str, speaker: str) -> list[tuple[str, ...]]:
    """The text broken into cues of lines: greedy filling, a first line that leaves room
    for "Speaker: ", words too long for any line cut into pieces."""
    widths = (MAX_LINE - len(speaker) - 2, MAX_LINE)
    words = [word[i:i + widths[0]] for word in text.split()
             for i in range(0, len(word), widths[0])]
    cues: list[tuple[str, ...]] = []
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= widths[len(lines)]:
            current = candidate
            continue
        lines.append(current)
        current = word
        if len(lines) == MAX_LINES:
            cues.append(tuple(lines))
            lines = []
    if current:
        lines.append(current)
    if lines:
        cues.append(tuple(lines))
    return cues


def split_into_cues(speaker: str, text: str, start_s: float, end_s: float) -> list[Cue]:
    """The cues that show `text` said by `speaker` between `start_s` and `end_s`.

    Every cue starts with a line that can carry the SRT speaker prefix (a cue may be read
    alone), each line of `text` starts a cue of its own, and the turn's time is shared among
    the cues by their number of characters.

    Raises:
        CaptionError: unknown speaker, empty text, or `end_s` before `start_s`.
    """
    if speaker not in SPEAKERS:
        raise CaptionError(f"unknown speaker {speaker!r}; use {' or '.join(SPEAKERS)}")
    if end_s < start_s or start_s < 0:
        raise CaptionError(f"a cue cannot run from {start_s:.3f} s to {end_s:.3f} s")
    # A line break in a prompt (one menu option per line) always starts a new cue.
    groups = [group for paragraph in mask_secrets(text).splitlines()
              for group in _cue_lines(paragraph, speaker)]
    if not groups:
        raise CaptionError(f"nothing to caption for {speaker} at {start_s:.3f} s")
    weights = [sum(len(line) for line in group) for group in groups]
    total = sum(weights)
    cues = []
    clock = start_s
    for group, weight in zip(groups, weights, strict=True):
        until = clock + (end_s - start_s) * weight / total
        cues.append(Cue(round(clock, 3), round(until, 3), speaker, group))
        clock = until
    return cues


@dataclass(slots=True)
class CaptionTrack:
    """The captions of one call so far, in time order."""

    cues: list[Cue] = field(default_factory=list)

    def add(self, speaker: str, text: str, start_s: float, end_s: float) -> list[Cue]:
        """Caption a turn; returns the new cues (for a live caption display).

        Raises:
            CaptionError: see `split_into_cues`; also a turn that starts before the
                previous cue began.
        """
        if self.cues and start_s < self.cues[-1].start_s:
            raise CaptionError(f"a turn at {start_s:.3f} s comes before the last caption "
                               f"at {self.cues[-1].start_s:.3f} s")
        new = split_into_cues(speaker, text, start_s, end_s)
        self.cues.extend(new)
        return new


    def cut(self, at_s: float) -> None:
        """The last turn was cut off at `at_s` (the caller barged in): its captions end
        there, and those it had not reached are dropped."""
        kept = [cue for cue in self.cues if cue.start_s < at_s]
        self.cues = [replace(cue, end_s=min(cue.end_s, round(at_s, 3))) for cue in kept]


def _vtt_time(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def _vtt_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_webvtt(cues: Iterable[Cue]) -> str:
    """A WebVTT document: numbered cues, each with its speaker's voice tag."""
    blocks = ["WEBVTT\n"]
    for number, cue in enumerate(cues, start=1):
        body = "\n".join(_vtt_escape(line) for line in cue.lines)
        blocks.append(f"{number}\n{_vtt_time(cue.start_s)} --> {_vtt_time(cue.end_s)}\n"
                      f"<v {cue.speaker}>{body}\n")
    return "\n".join(blocks)


def to_srt(cues: Iterable[Cue]) -> str:
    """A SubRip document; the speaker leads the first line ("Caller: ...")."""
    subtitles = [
        srt.Subtitle(
            index=number,
            start=dt.timedelta(seconds=cue.start_s),
            end=dt.timedelta(seconds=cue.end_s),
            content="\n".join((f"{cue.speaker}: {cue.lines[0]}", *cue.lines[1:])),
        )
        for number, cue in enumerate(cues, start=1)
    ]
    return srt.compose(subtitles, reindex=False)

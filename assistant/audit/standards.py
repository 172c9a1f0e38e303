"""The accessibility requirements the audit's findings are evidence for.

Each finding names the requirements it supports by these ids, so an auditor can read the
report against the standard's own text. Titles are the standards' own.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Requirement:
    """One success criterion or provision."""

    id: str
    """How the report cites it: "WCAG 2.2.1", "508 412.8.4"."""

    title: str
    """Its title in the standard."""

    standard: str
    """"WCAG 2.2", "Section 508 (2017)", "Section 508 (1998)" or "EN 301 549"."""

    level: str = ""
    """The WCAG conformance level (A, AA, AAA); empty for other standards."""


def _wcag(number: str, title: str, level: str) -> Requirement:
    return Requirement(f"WCAG {number}", title, "WCAG 2.2", level)


def _s508(number: str, title: str, revised: bool = True) -> Requirement:
    return Requirement(f"508 {number}", title,
                       "Section 508 (2017)" if revised else "Section 508 (1998)")


REQUIREMENTS: dict[str, Requirement] = {
    r.id: r
    for r in (
        _wcag("1.2.2", "Captions (Prerecorded)", "A"),
        _wcag("1.2.4", "Captions (Live)", "AA"),
        _wcag("1.3.1", "Info and Relationships", "A"),
        _wcag("1.4.1", "Use of Color", "A"),
        _wcag("1.4.3", "Contrast (Minimum)", "AA"),
        _wcag("1.4.6", "Contrast (Enhanced)", "AAA"),
        _wcag("1.4.11", "Non-text Contrast", "AA"),
        _wcag("2.1.1", "Keyboard", "A"),
        _wcag("2.1.3", "Keyboard (No Exception)", "AAA"),
        _wcag("2.2.1", "Timing Adjustable", "A"),
        _wcag("3.1.2", "Language of Parts", "AA"),
        _wcag("3.1.5", "Reading Level", "AAA"),
        _wcag("3.2.3", "Consistent Navigation", "AA"),
        _wcag("3.2.6", "Consistent Help", "A"),
        _wcag("3.3.1", "Error Identification", "A"),
        _wcag("3.3.2", "Labels or Instructions", "A"),
        _wcag("3.3.5", "Help", "AAA"),
        _wcag("4.1.2", "Name, Role, Value", "A"),
        _s508("302.1", "Without Vision"),
        _s508("302.3", "Without Perception of Color"),
        _s508("302.4", "Without Hearing"),
        _s508("302.6", "Without Speech"),
        _s508("302.7", "With Limited Manipulation"),
        _s508("302.9", "With Limited Language, Cognitive, and Learning Abilities"),
        _s508("412.8.3", "Signal Compatibility (US Baudot TTY)"),
        _s508("412.8.4", "Voice Mail and Other Messaging Systems (usable by TTY users)"),
        _s508("413.1.1", "Decoding and Display of Closed Captions"),
        _s508("1194.23(c)", "Voice mail, auto-attendant and IVR usable by TTY users",
              revised=False),
        _s508("1194.23(d)", "IVR time limits: alert, and time to ask for more", revised=False),
        Requirement("EN 5.1.3.8", "Masked entry", "EN 301 549"),
        Requirement("EN 5.1.3.9", "Private access to personal data", "EN 301 549"),
    )
}
"""Every requirement a check may cite, by id. Section 508 has no provision on keeping
secrets out of captions and logs; EN 301 549 (the harmonised European standard, which
Section 508 was refreshed alongside) has, so the security check cites it."""


def requirement(ref: str) -> Requirement:
    """The requirement cited as `ref`.

    Raises:
        KeyError: `ref` is not in the catalogue (a typo in a check, caught by the tests).
    """
    return REQUIREMENTS[ref]

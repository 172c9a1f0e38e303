"""Hand-offs to people: a live agent, a callback queue, a technician visit."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, time, timedelta
from itertools import count

from .accounts import account_row
from .models import AgentRequest, TechnicianVisit
from .store import Store, iso_time, read_time

BASE_WAIT_MINUTES = 2
MINUTES_PER_WAITING_CALLER = 3
VISIT_WINDOWS = (time(8), time(12), time(16))
"""Technician visits are booked in four-hour windows starting at these times."""
VISITS_PER_WINDOW = 2
VISIT_LEAD_TIME = timedelta(hours=24)

_LONG_NUMBER = re.compile(r"\d(?:[ \-]?\d){11,}")
"""Twelve or more digits, perhaps grouped: a card or bank number, never needed by an agent."""


def mask_long_numbers(text: str) -> str:
    """Hide card-length digit runs, keeping the last four: "****4242"."""
    return _LONG_NUMBER.sub(lambda match: "****" + re.sub(r"\D", "", match[0])[-4:], text)


def request_agent(
    store: Store, number: str | None, reason: str, summary: str, now: datetime
) -> AgentRequest:
    """Queue the caller for an agent; the wait grows with the callers queued in the last hour."""
    with store.transaction():
        if number is not None:
            account_row(store, number)
        waiting = store.scalar(
            "SELECT count(*) FROM agent_requests WHERE status = 'open' AND created > ?"
            " AND created <= ?",
            (iso_time(now - timedelta(hours=1)), iso_time(now)),
        )
        wait = BASE_WAIT_MINUTES + MINUTES_PER_WAITING_CALLER * waiting
        reference = store.reference("agent_requests", "reference", "A", 7)
        store.insert(
            "INSERT INTO agent_requests (reference, account, reason, summary, status, created)"
            " VALUES (?, ?, ?, ?, 'open', ?)",
            (reference, number, reason, mask_long_numbers(summary), iso_time(now)),
        )
        store.audit(now, number, "agent.requested", f"{reference} {reason}")
    return AgentRequest(
        reference=reference, reason=reason, wait_minutes=wait, created=read_time(iso_time(now))
    )


def _windows_from(earliest: datetime) -> Iterator[datetime]:
    """Visit windows starting at or after `earliest`, in order, without end."""
    for offset in count():
        day = earliest.date() + timedelta(days=offset)
        for start in VISIT_WINDOWS:
            window = datetime.combine(day, start)
            if window >= earliest:
                yield window


def request_technician(store: Store, number: str, topic: str, now: datetime) -> TechnicianVisit:
    """Book the first window at least a day ahead that still has room."""
    with store.transaction():
        account_row(store, number)
        for window in _windows_from(now + VISIT_LEAD_TIME):
            booked = store.scalar(
                "SELECT count(*) FROM technician_visits WHERE window_start = ?"
                " AND status = 'booked'",
                (iso_time(window),),
            )
            if booked < VISITS_PER_WINDOW:
                break
        reference = store.reference("technician_visits", "reference", "T", 7)
        store.insert(
            "INSERT INTO technician_visits (reference, account, topic, window_start, status,"
            " created) VALUES (?, ?, ?, ?, 'booked', ?)",
            (reference, number, topic, iso_time(window), iso_time(now)),
        )
        store.audit(now, number, "technician.booked", f"{reference} {iso_time(window)}")
    return TechnicianVisit(
        reference=reference, topic=topic, window_start=window, created=read_time(iso_time(now))
    )

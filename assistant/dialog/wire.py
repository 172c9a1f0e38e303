"""Events and actions as JSON-ready dicts, and back: for transcripts and `--json` output."""

from __future__ import annotations

import dataclasses
from typing import Any

from assistant.dialog.actions import ACTION_TYPES, Expectation
from assistant.dialog.events import EVENT_TYPES

TYPES: dict[str, type] = {**EVENT_TYPES, **ACTION_TYPES}


def to_dict(message: Any) -> dict[str, Any]:
    """`{"type": "Say", ...fields}`; nested expectations become dicts, tuples lists."""
    data: dict[str, Any] = {"type": type(message).__name__}
    for field in dataclasses.fields(message):
        value = getattr(message, field.name)
        if isinstance(value, Expectation):
            value = dataclasses.asdict(value)
        data[field.name] = value
    return data


def _tuples(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_tuples(v) for v in value)
    return value


def from_dict(data: dict[str, Any]) -> Any:
    """The message `to_dict` made; unknown types and fields are errors, not dropped."""
    kind = data.get("type")
    cls = TYPES.get(str(kind))
    if cls is None:
        raise ValueError(f"unknown message type {kind!r}")
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = set(data) - names - {"type"}
    if unknown:
        raise ValueError(f"{kind} has no field(s) {sorted(unknown)}")
    values = {k: v for k, v in data.items() if k != "type"}
    if "expect" in values:
        values["expect"] = Expectation(**{k: _tuples(v) for k, v in values["expect"].items()})
    if "alternatives" in values:
        values["alternatives"] = tuple(values["alternatives"])
    return cls(**values)

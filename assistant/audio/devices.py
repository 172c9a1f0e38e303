"""Sound devices through sounddevice (PortAudio): list them, pick one by name or number.

Every failure a caller of `dialin voice` may meet here (no PortAudio library, no device, a
name that matches nothing) is a `DeviceError` whose message says what to do, never a
PortAudio traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import Any


class DeviceError(RuntimeError):
    """No usable sound device, with the reason in plain words."""


@dataclass(frozen=True, slots=True)
class AudioDevice:
    """One PortAudio device."""

    index: int
    """PortAudio's number for it (what `--input-device 3` means)."""

    name: str
    """Its name ("pulse", "default", "USB Audio: ...")."""

    hostapi: str
    """The sound system it belongs to ("ALSA")."""

    inputs: int
    """Input channels (0: cannot record)."""

    outputs: int
    """Output channels (0: cannot play)."""

    default_rate: float
    """Its preferred sample rate."""

    default_input: bool = False
    """It is the system's default microphone."""

    default_output: bool = False
    """It is the system's default speaker."""


def portaudio() -> ModuleType:
    """The sounddevice module, or a `DeviceError` saying PortAudio is missing."""
    try:
        import sounddevice
    except OSError as error:
        raise DeviceError(
            "the PortAudio library is not installed, so no microphone or speaker can be used "
            "(on Debian: apt-get install libportaudio2)"
        ) from error
    return sounddevice


def rescan() -> None:
    """Make PortAudio look for devices again (after a sound server started or stopped).

    PortAudio lists devices once, when it starts; restarting it is the documented way
    (sounddevice's `_terminate`/`_initialize`) to see a change.
    """
    sd: Any = portaudio()
    sd._terminate()
    sd._initialize()


def list_devices() -> list[AudioDevice]:
    """Every device PortAudio knows, defaults marked.

    Raises:
        DeviceError: PortAudio is missing or cannot list devices.
    """
    sd: Any = portaudio()
    try:
        raw = sd.query_devices()
        hostapis = sd.query_hostapis()
        default_in, default_out = sd.default.device
    except sd.PortAudioError as error:
        raise DeviceError(f"PortAudio cannot list sound devices: {error}") from error
    devices = []
    for info in raw:
        index = int(info["index"])
        devices.append(AudioDevice(
            index=index,
            name=str(info["name"]),
            hostapi=str(hostapis[info["hostapi"]]["name"]),
            inputs=int(info["max_input_channels"]),
            outputs=int(info["max_output_channels"]),
            default_rate=float(info["default_samplerate"]),
            default_input=index == default_in,
            default_output=index == default_out,
        ))
    return devices


def pick_device(spec: str | int | None, direction: str,
                devices: list[AudioDevice] | None = None) -> AudioDevice:
    """The device for `direction` ("input" or "output") that `spec` names.

    Args:
        spec: a device number, a name or part of one (case-insensitive; an exact name wins),
            or None for the system default (or else the first device that can).
        direction: "input" to record, "output" to play.
        devices: the list to choose from; PortAudio's when None.

    Raises:
        DeviceError: nothing can record/play, nothing matches, or the match is ambiguous.
    """
    if direction not in ("input", "output"):
        raise ValueError(f"direction must be input or output, not {direction!r}")
    listed = list_devices() if devices is None else devices
    able = [d for d in listed if (d.inputs if direction == "input" else d.outputs) > 0]
    verb = "record" if direction == "input" else "play"
    if not able:
        raise DeviceError(f"no sound device can {verb} here: connect one, or start a sound "
                          "server (PulseAudio) and try again; `dialin devices` lists them")
    if spec is None or spec == "":
        default = [d for d in able if (d.default_input if direction == "input"
                                       else d.default_output)]
        return (default or able)[0]
    text = str(spec).strip()
    if text.isdigit():
        for device in able:
            if device.index == int(text):
                return device
        raise DeviceError(f"there is no {direction} device number {text}; "
                          "`dialin devices` lists them")
    exact = [d for d in able if d.name.lower() == text.lower()]
    if exact:
        return exact[0]
    partial = [d for d in able if text.lower() in d.name.lower()]
    if len(partial) == 1:
        return partial[0]
    if not partial:
        raise DeviceError(f"no {direction} device is named like {text!r}; "
                          "`dialin devices` lists them")
    names = ", ".join(f"{d.index}: {d.name}" for d in partial)
    raise DeviceError(f"{text!r} matches several {direction} devices ({names}): "
                      "give its number")


def describe(device: AudioDevice) -> str:
    """One line for `dialin devices`."""
    roles = []
    if device.inputs:
        roles.append(f"{device.inputs} in")
    if device.outputs:
        roles.append(f"{device.outputs} out")
    marks = "".join((" [default input]" if device.default_input else "",
                     " [default output]" if device.default_output else ""))
    return (f"{device.index:3d}  {device.name}  ({device.hostapi}, {', '.join(roles)}, "
            f"{device.default_rate:.0f} Hz){marks}")

"""Choosing sound devices: by number, by name, by default; plain errors when none fits."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from assistant.audio.devices import AudioDevice, DeviceError, describe, list_devices, pick_device
from assistant.audio.streams import Speaker
from assistant.cli import app

MIC = AudioDevice(0, "USB Audio: Headset Mic", "ALSA", inputs=1, outputs=0, default_rate=48000)
SPEAKERS = AudioDevice(1, "HDA Intel: Speakers", "ALSA", inputs=0, outputs=2,
                       default_rate=48000, default_output=True)
HEADSET = AudioDevice(2, "USB Audio: Headset", "ALSA", inputs=1, outputs=2, default_rate=48000,
                      default_input=True)
DEVICES = [MIC, SPEAKERS, HEADSET]


@pytest.mark.parametrize(
    ("spec", "direction", "expected"),
    [
        (None, "input", HEADSET),
        (None, "output", SPEAKERS),
        ("0", "input", MIC),
        (2, "output", HEADSET),
        ("speakers", "output", SPEAKERS),
        ("USB Audio: Headset", "input", HEADSET),
        ("headset mic", "input", MIC),
    ],
)
def test_devices_are_found_by_number_name_or_default(spec: str | int | None, direction: str,
                                                     expected: AudioDevice) -> None:
    assert pick_device(spec, direction, DEVICES) == expected


@pytest.mark.parametrize(
    ("spec", "direction", "devices", "message"),
    [
        (None, "input", [SPEAKERS], "no sound device can record"),
        ("1", "input", DEVICES, "no input device number 1"),
        ("bluetooth", "output", DEVICES, "no output device is named like 'bluetooth'"),
        ("usb", "input", DEVICES, "matches several input devices"),
    ],
)
def test_no_match_is_a_plain_error(spec: str | None, direction: str,
                                   devices: list[AudioDevice], message: str) -> None:
    with pytest.raises(DeviceError, match=message):
        pick_device(spec, direction, devices)


def test_description_marks_defaults() -> None:
    line = describe(HEADSET)
    assert line.strip().startswith("2  USB Audio: Headset")
    assert "1 in, 2 out" in line and "[default input]" in line


@pytest.mark.audio
def test_the_sound_server_devices_are_listed(null_sink: str) -> None:
    devices = list_devices()
    names = {device.name for device in devices}
    assert "pulse" in names
    assert pick_device(None, "input", devices).inputs > 0
    result = CliRunner().invoke(app, ["devices"])
    assert result.exit_code == 0
    assert "pulse" in result.output and "[default output]" in result.output


@pytest.mark.audio
def test_opening_an_unknown_device_is_a_plain_error(null_sink: str) -> None:
    with pytest.raises(DeviceError, match="no output device is named like 'hdmi 7'"):
        Speaker("hdmi 7")
